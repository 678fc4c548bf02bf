//! Scores a range of leads on a raw SQLite connection: reads their facts in a few range queries,
//! computes each breakdown ([`super::engine`]) and writes what changed — the breakdown, the score,
//! a score-change row with its cause and any threshold crossing. The same code re-scores one lead
//! inside a store transaction, a chunk of a full recompute, and (without writing) a preview.

use super::engine::{self, Breakdown, LeadFacts, Part, PartKind, Row};
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
        let kind: String = r.get(1)?;
        let kind = if kind.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) { fold(&kind) } else { kind };
        out.nums.push(r.get(0)?);
        out.rows.push(Row { kind, value: r.get(2)?, at: r.get(3)? });
    }
    Ok(out)
}

/// Inquiries or events of a range of leads, sorted by lead: `nums[i]` is the lead of `rows[i]`.
#[derive(Default)]
struct Related {
    nums: Vec<i64>,
    rows: Vec<Row>,
    cursor: usize,
}

impl Related {
    /// The rows of lead `num` (leads are visited in increasing order).
    fn take(&mut self, num: i64) -> &[Row] {
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

/// Scores leads `lo..=hi`. With `write`, stores what changed (the caller owns the transaction).
pub(crate) fn score_range(conn: &Connection, set: &RuleSet, thresholds: &[Threshold], lo: i64, hi: i64, cause: &Cause, write: bool) -> Result<Tally> {
    let leads = read_leads(conn, set, lo, hi)?;
    let mut inquiries = if set.needs(Rows::Inquiries) { related(conn, Rows::Inquiries, lo, hi)? } else { Related::default() };
    let mut events = if set.needs(Rows::Events) { related(conn, Rows::Events, lo, hi)? } else { Related::default() };
    let mut tally = Tally::default();
    let ts = now();
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
        let crossings: Vec<(&Threshold, &'static str)> = ordered
            .into_iter()
            .filter_map(|t| {
                let t_score = t.score as i64;
                if previous < t_score && b.score >= t_score {
                    Some((t, "up"))
                } else if b.score < t_score && previous >= t_score {
                    Some((t, "down"))
                } else {
                    None
                }
            })
            .collect();
        tally.crossings += crossings.len() as u64;
        if write {
            let cause = if by_hand { Cause { kind: "manual", id: None, detail: "Score set by hand".into() } } else { cause.clone() };
            store(conn, lead, &Scored { breakdown: b, manual, previous, crossings }, &cause, &ts)?;
        }
    }
    Ok(tally)
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
        "SELECT l.num, l.score, l.email, {activity}{columns}
         FROM leads l WHERE l.num BETWEEN ? AND ? AND l.deleted_at IS NULL ORDER BY l.num"
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

/// One lead's new breakdown, with what it is compared against.
struct Scored<'a> {
    breakdown: Breakdown,
    manual: i64,
    /// The score before (what the last computation stored, or the lead's own).
    previous: i64,
    crossings: Vec<(&'a Threshold, &'static str)>,
}

fn store(conn: &Connection, lead: &LeadRow, scored: &Scored, cause: &Cause, ts: &str) -> Result<()> {
    let Scored { breakdown: b, manual, previous, crossings } = scored;
    let (manual, previous) = (*manual, *previous);
    let only_manual = b.parts.iter().all(|p| p.kind == PartKind::Manual);
    let parts = serde_json::to_string(&b.parts)?;
    let unchanged = match &lead.stored {
        // Never scored and still nothing but its own score: no row needed (it means the same).
        None => only_manual && b.score == lead.score,
        Some((score, stored_manual, stored_parts)) => *score == b.score && *stored_manual == manual && *stored_parts == parts,
    };
    if !unchanged {
        conn.prepare_cached("INSERT OR REPLACE INTO lead_scores (lead_num, score, manual, parts, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(rusqlite::params![lead.num, b.score, manual, parts, ts])?;
    }
    if b.score != lead.score {
        conn.prepare_cached("UPDATE leads SET score = ?2 WHERE num = ?1")?.execute([lead.num, b.score])?;
    }
    if b.score != previous {
        conn.prepare_cached(
            "INSERT INTO score_changes (lead_num, old_score, new_score, cause, cause_id, detail, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![lead.num, previous, b.score, cause.kind, cause.id, cause.detail, ts])?;
    }
    for (t, direction) in crossings {
        conn.prepare_cached("INSERT INTO score_crossings (lead_num, threshold, label, direction, score, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(rusqlite::params![lead.num, t.score, t.label, direction, b.score, ts])?;
    }
    Ok(())
}

/// The stored breakdown of one lead: (score, parts, computed_at), None if never scored.
pub(crate) fn stored_parts(conn: &Connection, num: i64) -> Result<Option<(i64, Vec<Part>, String)>> {
    let row: Option<(i64, String, String)> = conn
        .query_row("SELECT score, parts, computed_at FROM lead_scores WHERE lead_num = ?1", [num], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match row {
        Some((score, parts, at)) => Some((score, serde_json::from_str(&parts)?, at)),
        None => None,
    })
}
