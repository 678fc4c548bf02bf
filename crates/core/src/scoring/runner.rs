//! Scores a range of leads on a raw SQLite connection: reads their facts in a few range queries,
//! computes each breakdown ([`super::engine`]) and writes what changed — the breakdown, the score,
//! a score-change row with its cause and any threshold crossing. The same code re-scores one lead
//! inside a store transaction, a chunk of a full recompute, and (without writing) a preview.

use crate::error::ErrorCode;
use super::engine::{self, LeadFacts, Part, PartKind, Row};
use super::rules::{RuleSet, Rows};
use super::Threshold;
use crate::clock::now;
use crate::error::Result;
use crate::segments::lower::fold;
use crate::segments::sql::Param;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

/// Why scores are being (re)computed: stored with every change it makes.
#[derive(Debug, Clone)]
pub(crate) struct Cause {
    /// rule, inquiry, event, decay or manual.
    pub kind: &'static str,
    pub id: Option<String>,
    pub detail: String,
}

/// What a run did (or, for a preview, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub scored: u64,
    pub raised: u64,
    pub lowered: u64,
    pub crossings: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, other: Tally) {
        self.scored += other.scored;
        self.raised += other.raised;
        self.lowered += other.lowered;
        self.crossings += other.crossings;
    }
}

/// A lead's row as a run reads it.
struct LeadRow {
    num: i64,
    score: i64,
    email: Option<String>,
    last_activity: Option<String>,
    stored: Option<(i64, i64, String)>,
    sql_hits: Vec<bool>,
}

fn sql_value(p: &Param) -> SqlValue {
    match p {
        Param::Text(t) => SqlValue::Text(t.clone()),
        Param::Int(i) => SqlValue::Integer(*i),
        Param::Real(r) => SqlValue::Real(*r),
    }
}

/// Related rows of the leads numbered `lo..=hi`, grouped by lead, in lead order.
fn related(conn: &Connection, rows: Rows, lo: i64, hi: i64) -> Result<Related> {
    // Copies a text column into the shared buffer: its span (None for NULL).
    fn keep(text: &mut String, value: rusqlite::types::ValueRef, fold_it: bool) -> Option<(usize, usize)> {
        let bytes = match value {
            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t,
            rusqlite::types::ValueRef::Null => return None,
            // Numbers where text was expected (an import of a bare number): their text form.
            other => {
                let start = text.len();
                match other {
                    rusqlite::types::ValueRef::Integer(i) => text.push_str(&i.to_string()),
                    rusqlite::types::ValueRef::Real(r) => text.push_str(&r.to_string()),
                    _ => {}
                }
                return Some((start, text.len()));
            }
        };
        let value = String::from_utf8_lossy(bytes);
        let start = text.len();
        if fold_it && value.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            text.push_str(&fold(&value));
        } else {
            text.push_str(&value);
        }
        Some((start, text.len()))
    }
    let sql = match rows {
        Rows::Inquiries => {
            "SELECT l.num, i.channel, i.message, i.created_at FROM inquiries i JOIN leads l ON l.id = i.lead_id
             WHERE l.num BETWEEN ?1 AND ?2 AND i.deleted_at IS NULL ORDER BY l.num"
        }
        Rows::Events => "SELECT lead_num, event_type, event_value, occurred_at FROM analytics_events WHERE lead_num BETWEEN ?1 AND ?2 ORDER BY lead_num",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut out = Related::default();
    let mut rs = stmt.query([lo, hi])?;
    while let Some(r) = rs.next()? {
        let kind = keep(&mut out.text, r.get_ref(1)?, true).unwrap_or((0, 0));
        let value = keep(&mut out.text, r.get_ref(2)?, false);
        let at = keep(&mut out.text, r.get_ref(3)?, false).unwrap_or((0, 0));
        out.nums.push(r.get(0)?);
        out.spans.push((kind, value, at));
    }
    Ok(out)
}

type Span = (usize, usize);

/// Inquiries or events of a range of leads, sorted by lead, their text in one buffer:
/// `nums[i]` is the lead of the row whose text spans are `spans[i]` (kind, value, at).
#[derive(Default)]
struct Related {
    nums: Vec<i64>,
    text: String,
    spans: Vec<(Span, Option<Span>, Span)>,
}

impl Related {
    /// The rows, as views into the buffer, and where each lead's rows are.
    fn rows(&self) -> Grouped<'_> {
        let text = |(a, b): Span| &self.text[a..b];
        let rows = self.spans.iter().map(|&(kind, value, at)| Row { kind: text(kind), value: value.map(text), at: text(at) }).collect();
        Grouped { nums: &self.nums, rows, cursor: 0 }
    }
}

/// Related rows as the rules read them, handed out lead by lead.
struct Grouped<'a> {
    nums: &'a [i64],
    rows: Vec<Row<'a>>,
    cursor: usize,
}

impl<'a> Grouped<'a> {
    /// The rows of lead `num` (leads are visited in increasing order).
    fn take(&mut self, num: i64) -> &[Row<'a>] {
        while self.cursor < self.nums.len() && self.nums[self.cursor] < num {
            self.cursor += 1;
        }
        let start = self.cursor;
        while self.cursor < self.nums.len() && self.nums[self.cursor] == num {
            self.cursor += 1;
        }
        &self.rows[start..self.cursor]
    }
}

/// One lead whose stored state a computation changes: only what differs is written.
pub(crate) struct LeadWrite {
    num: i64,
    /// The new score.
    score: i64,
    /// The new breakdown row (manual points, parts as JSON), if it differs from the stored one.
    breakdown: Option<(i64, String)>,
    /// The stored score (table `scores`) differs from the new one.
    update_score: bool,
    /// (previous score, set by hand) when the score changed.
    change: Option<(i64, bool)>,
    /// (threshold, label, up/down) for every threshold the change crossed.
    crossings: Vec<(i32, String, &'static str)>,
}

/// Where score changes are recorded.
pub(crate) enum History {
    /// A `score_changes` row per lead, each naming the cause: a single lead re-scored by a write.
    PerLead,
    /// One `score_runs` row naming the cause (written with the run's first change) and a narrow
    /// `score_run_changes` row per changed lead: bulk re-scores, whose history would otherwise
    /// repeat the same cause a million times.
    Run(Option<i64>),
}

/// A range of leads scored but not yet stored.
pub(crate) struct Computed {
    pub tally: Tally,
    pub writes: Vec<LeadWrite>,
}

/// Scores leads `lo..=hi`. With a history, stores what changed (the caller owns the transaction).
pub(crate) fn score_range(conn: &Connection, set: &RuleSet, thresholds: &[Threshold], lo: i64, hi: i64, cause: &Cause, write: Option<&mut History>) -> Result<Tally> {
    let computed = compute_range(conn, set, thresholds, lo, hi, write.is_some())?;
    if let Some(history) = write {
        store_computed(conn, &computed, cause, history)?;
    }
    Ok(computed.tally)
}

/// Scores leads `lo..=hi` without writing; with `plan_writes`, also works out what storing the
/// result would change (a preview only counts). Reads only, so it can run on any connection that
/// sees the store as of one snapshot — a full recompute runs it on other cores.
pub(crate) fn compute_range(conn: &Connection, set: &RuleSet, thresholds: &[Threshold], lo: i64, hi: i64, plan_writes: bool) -> Result<Computed> {
    let leads = read_leads(conn, set, lo, hi)?;
    let inquiries = if set.needs(Rows::Inquiries) { related(conn, Rows::Inquiries, lo, hi)? } else { Related::default() };
    let events = if set.needs(Rows::Events) { related(conn, Rows::Events, lo, hi)? } else { Related::default() };
    let (mut inquiries, mut events) = (inquiries.rows(), events.rows());
    let mut tally = Tally::default();
    let mut writes = Vec::new();
    for lead in &leads {
        let facts = LeadFacts {
            sql_hits: &lead.sql_hits,
            email: lead.email.as_deref(),
            last_activity: lead.last_activity.as_deref(),
            inquiries: inquiries.take(lead.num),
            events: events.take(lead.num),
        };
        let (total, parts) = engine::rule_points(set, &facts);
        // A lead never scored owns its whole score; one whose score differs from what the last
        // computation stored was set by hand (typed, imported, synced): keep that as its score.
        let earned = total.round() as i64;
        let (manual, previous, by_hand) = match &lead.stored {
            None => (lead.score, lead.score, false),
            Some((stored, _, _)) if *stored != lead.score => (lead.score - earned, *stored, true),
            Some((stored, manual, _)) => (*manual, *stored, false),
        };
        let b = engine::breakdown(total, parts, manual);
        tally.scored += 1;
        match b.score.cmp(&previous) {
            std::cmp::Ordering::Greater => tally.raised += 1,
            std::cmp::Ordering::Less => tally.lowered += 1,
            std::cmp::Ordering::Equal => {}
        }
        // Crossed in the order the score passed them: upwards low to high, downwards high to low.
        let ordered: Vec<&Threshold> = if b.score >= previous { thresholds.iter().collect() } else { thresholds.iter().rev().collect() };
        let crossings: Vec<(i32, String, &'static str)> = ordered
            .into_iter()
            .filter_map(|t| {
                let t_score = t.score as i64;
                if previous < t_score && b.score >= t_score {
                    Some((t.score, t.label.clone(), "up"))
                } else if b.score < t_score && previous >= t_score {
                    Some((t.score, t.label.clone(), "down"))
                } else {
                    None
                }
            })
            .collect();
        tally.crossings += crossings.len() as u64;
        if plan_writes {
            let only_manual = b.parts.iter().all(|p| p.kind == PartKind::Manual);
            let parts = engine::encode_parts(&b.parts);
            let unchanged = match &lead.stored {
                // Never scored and still nothing but its own score: no row needed (it means the same).
                None => only_manual && b.score == lead.score,
                Some((score, stored_manual, stored_parts)) => *score == b.score && *stored_manual == manual && *stored_parts == parts,
            };
            let write = LeadWrite {
                num: lead.num,
                score: b.score,
                breakdown: (!unchanged).then_some((manual, parts)),
                update_score: b.score != lead.score,
                change: (b.score != previous).then_some((previous, by_hand)),
                crossings,
            };
            if write.breakdown.is_some() || write.update_score || write.change.is_some() || !write.crossings.is_empty() {
                writes.push(write);
            }
        }
    }
    Ok(Computed { tally, writes })
}

/// Stores a computed range (the caller owns the transaction and has made sure the range was
/// computed from what the store holds now).
pub(crate) fn store_computed(conn: &Connection, computed: &Computed, cause: &Cause, history: &mut History) -> Result<()> {
    let ts = now();
    // Prepared once per range: a first recompute runs these a million times.
    let mut put_breakdown = conn.prepare_cached("INSERT OR REPLACE INTO lead_scores (lead_num, score, manual, parts, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut put_score = conn.prepare_cached("UPDATE scores SET score = ?2 WHERE lead_num = ?1")?;
    let mut put_run_change = conn.prepare_cached("INSERT INTO score_run_changes (run, lead_num, old_score, new_score) VALUES (?1, ?2, ?3, ?4)")?;
    let mut put_crossing =
        conn.prepare_cached("INSERT INTO score_crossings (lead_num, threshold, label, direction, score, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for w in &computed.writes {
        if let Some((manual, parts)) = &w.breakdown {
            put_breakdown.execute(rusqlite::params![w.num, w.score, manual, parts, ts])?;
        }
        if w.update_score {
            put_score.execute([w.num, w.score])?;
        }
        match (w.change, &mut *history) {
            (None, _) => {}
            (Some((previous, false)), History::Run(run)) => {
                let run = match run {
                    Some(run) => *run,
                    None => {
                        conn.prepare_cached("INSERT INTO score_runs (cause, cause_id, detail, created_at) VALUES (?1, ?2, ?3, ?4)")?
                            .execute(rusqlite::params![cause.kind, cause.id, cause.detail, ts])?;
                        *run.insert(conn.last_insert_rowid())
                    }
                };
                put_run_change.execute([run, w.num, previous, w.score])?;
            }
            (Some((previous, by_hand)), _) => {
                let (kind, id, detail) = if by_hand { ("manual", None, "Score set by hand") } else { (cause.kind, cause.id.as_deref(), cause.detail.as_str()) };
                conn.prepare_cached(
                    "INSERT INTO score_changes (lead_num, old_score, new_score, cause, cause_id, detail, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(rusqlite::params![w.num, previous, w.score, kind, id, detail, ts])?;
            }
        }
        for (threshold, label, direction) in &w.crossings {
            put_crossing.execute(rusqlite::params![w.num, threshold, label, direction, w.score, ts])?;
        }
    }
    Ok(())
}

fn read_leads(conn: &Connection, set: &RuleSet, lo: i64, hi: i64) -> Result<Vec<LeadRow>> {
    let mut columns = String::new();
    let mut params: Vec<SqlValue> = Vec::new();
    let mut sql_rules = Vec::new();
    for (i, compiled) in set.sql_tests(lo == hi) {
        columns.push_str(", ");
        columns.push_str(&compiled.sql);
        params.extend(compiled.params.iter().map(sql_value));
        sql_rules.push(i);
    }
    // The lead's own last activity: its newest log entry (edits, inquiries, reminders) or edit.
    let activity = if set.needs_activity() {
        "max(l.updated_at, ifnull((SELECT a.created_at FROM lead_activities a WHERE a.lead_id = l.id ORDER BY a.id DESC LIMIT 1), ''))"
    } else {
        "NULL"
    };
    let sql = format!(
        "SELECT l.num, s.score, l.email, {activity}{columns}
         FROM leads l JOIN scores s ON s.lead_num = l.num WHERE l.num BETWEEN ? AND ? AND l.deleted_at IS NULL ORDER BY l.num"
    );
    params.push(SqlValue::Integer(lo));
    params.push(SqlValue::Integer(hi));
    // Stored breakdowns by a second range scan, merged below: cheaper than a lookup per lead.
    let mut stored = Vec::new();
    {
        let mut stmt = conn.prepare_cached("SELECT lead_num, score, manual, parts FROM lead_scores WHERE lead_num BETWEEN ?1 AND ?2 ORDER BY lead_num")?;
        let mut rs = stmt.query([lo, hi])?;
        while let Some(r) = rs.next()? {
            stored.push((r.get::<_, i64>(0)?, (r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?)));
        }
    }
    let mut stored = stored.into_iter().peekable();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rs = stmt.query(params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rs.next()? {
        let num: i64 = r.get(0)?;
        let mut sql_hits = vec![false; set.rules.len()];
        for (k, &i) in sql_rules.iter().enumerate() {
            sql_hits[i] = r.get::<_, Option<i64>>(4 + k)?.unwrap_or(0) != 0;
        }
        while stored.peek().is_some_and(|(n, _)| *n < num) {
            stored.next();
        }
        let mine = if stored.peek().is_some_and(|(n, _)| *n == num) { stored.next().map(|(_, s)| s) } else { None };
        out.push(LeadRow { num, score: r.get(1)?, email: r.get(2)?, last_activity: r.get(3)?, stored: mine, sql_hits });
    }
    Ok(out)
}

/// The stored breakdown of one lead: (score, parts, computed_at), None if never scored.
/// `rule_num` turns the rule ids of breakdowns stored before rule numbers into numbers.
pub(crate) fn stored_parts(conn: &Connection, num: i64, rule_num: impl Fn(&str) -> Option<i64>) -> Result<Option<(i64, Vec<Part>, String)>> {
    let row: Option<(i64, String, String)> = conn
        .query_row("SELECT score, parts, computed_at FROM lead_scores WHERE lead_num = ?1", [num], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match row {
        Some((score, parts, at)) => {
            let parts = engine::decode_parts(&parts, rule_num)
                .map_err(|e| crate::error::AppError::new(ErrorCode::CorruptStore, format!("The score breakdown of lead {num} cannot be read: {e}")))?;
            Some((score, parts, at))
        }
        None => None,
    })
}
