//! Lead scoring that explains itself.
//!
//! A lead's score is the points of the rules it matches (per-match rules earn points for every
//! matching inquiry or event, and those engagement points can decay), plus the points set by
//! hand, clamped to 0..100. Every computation stores its breakdown next to the score, so "why is
//! this lead 72?" is answered by lines that add up to 72; every change of a score is stored with
//! its cause; crossing a threshold ("70 = hot") is stored once per crossing.
//!
//! Scores follow every write of a lead in the same transaction (an inquiry re-scores its lead at
//! once); a rule change re-scores everyone in the background, in chunks, so the app stays usable.

pub mod events;
pub(crate) mod engine;
mod pipeline;
pub(crate) mod runner;
pub mod rules;

use crate::error::ErrorCode;
use crate::bulk::with_raw;
use crate::changes::{ChangeKind, ChangeSet, Follower};
use crate::clock::now;
use crate::error::{AppError, Result};
use crate::segments::RefreshTrigger;
use crate::{settings, Store};
use chrono::{DateTime, Local};
use engine::PartKind;
use rules::{RuleInput, RuleSet, ScoringRule};
use runner::{Cause, History, Tally};
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use std::time::Instant;
use ts_rs::TS;

pub const DECAY_HALF_LIFE: &str = "score_decay_half_life_days";
pub const THRESHOLDS: &str = "score_thresholds";
pub const LAST_RECOMPUTE: &str = "score_last_recompute";

/// Leads per transaction of a full recompute: small enough that a user's edit waits at most a
/// fraction of a second for the writer, large enough that the range queries stay efficient.
const CHUNK: i64 = 25_000;

/// The writer's page cache during a full recompute (256 MB; the everyday one is 16 MB).
const BULK_CACHE: &str = "PRAGMA cache_size = -262144";

/// A score worth knowing about: crossing it (either way) is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Threshold {
    pub score: i32,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoringSettings {
    /// Engagement points (per-match rules) lose half their value every this many days; None = never.
    pub decay_half_life_days: Option<f64>,
    pub thresholds: Vec<Threshold>,
}

impl Default for ScoringSettings {
    fn default() -> Self {
        Self { decay_half_life_days: None, thresholds: vec![Threshold { score: 70, label: "hot".into() }] }
    }
}

/// One line of "why is this lead 72?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScorePart {
    /// rule, decay, manual or clamp.
    pub kind: String,
    pub rule_id: Option<String>,
    pub label: String,
    /// Matching inquiries/events of a per-match rule; 1 for a once-per-lead rule.
    pub matches: u32,
    #[ts(type = "number")]
    pub points: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreExplanation {
    pub lead_id: String,
    #[ts(type = "number")]
    pub score: i64,
    /// Adds up to `score`.
    pub parts: Vec<ScorePart>,
    /// When the breakdown last changed; None if the lead was never scored by rules.
    pub computed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreChange {
    #[ts(type = "number")]
    pub old_score: i64,
    #[ts(type = "number")]
    pub new_score: i64,
    pub cause: String,
    pub cause_id: Option<String>,
    pub detail: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreCrossing {
    pub lead_id: String,
    pub threshold: i32,
    pub label: String,
    /// up or down.
    pub direction: String,
    pub score: i32,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecomputeSummary {
    #[ts(type = "number")]
    pub scored: u64,
    #[ts(type = "number")]
    pub raised: u64,
    #[ts(type = "number")]
    pub lowered: u64,
    #[ts(type = "number")]
    pub crossings: u64,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// Progress of a full recompute, in leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecomputeProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// A rule change to preview: add (`id` None), edit (both), remove (`input` None).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleChange {
    pub id: Option<String>,
    pub input: Option<RuleInput>,
}

impl From<Tally> for RecomputeSummary {
    fn from(t: Tally) -> Self {
        Self { scored: t.scored, raised: t.raised, lowered: t.lowered, crossings: t.crossings, duration_ms: 0 }
    }
}

type StoredRule = (String, String, String, i64, i64, i64, Option<String>, Option<String>, String, String, i64, Option<String>);

/// A stored rule as read back: shown as it is, and its definition when it can be read at all.
struct LoadedRule {
    rule: ScoringRule,
    /// None when the stored row cannot even be read as a rule (the reason is in `rule.broken`).
    input: Option<RuleInput>,
    /// Its local number (how breakdowns name it).
    num: i64,
    /// What the store said about it last (`scoring_rules.broken`), to write only changes.
    stored_broken: Option<String>,
}

/// A stored rule, whatever it holds: a row that cannot be read (criteria that are not JSON,
/// points out of range: from a teammate's old version or plain SQL on the server) becomes a
/// rule marked broken, never an error for the whole rule set.
fn rule_from_row(row: StoredRule) -> LoadedRule {
    let (id, name, criteria, points, per_match, active, valid_from, valid_until, created_at, updated_at, num, stored_broken) = row;
    let criteria: std::result::Result<rules::Criteria, String> =
        serde_json::from_str(&criteria).map_err(|e| format!("Its criteria cannot be read: {e}"));
    let points = i32::try_from(points).ok().filter(|p| (-100..=100).contains(p)).ok_or_else(|| format!("Its points ({points}) are not between -100 and 100"));
    let (input, unreadable) = match (criteria, points) {
        (Ok(criteria), Ok(points)) => {
            (Some(RuleInput { name: name.clone(), criteria, points, per_match: per_match != 0, active: active != 0, valid_from: valid_from.clone(), valid_until: valid_until.clone() }), None)
        }
        (Err(why), _) | (_, Err(why)) => (None, Some(why)),
    };
    let rule = ScoringRule {
        id,
        name,
        criteria: input.as_ref().map(|i| i.criteria.clone()).unwrap_or_else(rules::Criteria::unreadable),
        points: input.as_ref().map_or(0, |i| i.points),
        per_match: per_match != 0,
        active: active != 0,
        valid_from,
        valid_until,
        summary: match (&input, &unreadable) {
            (Some(input), _) => rules::describe(input),
            (None, why) => format!("unreadable rule: {}", why.as_deref().unwrap_or_default()),
        },
        broken: unreadable.or_else(|| stored_broken.clone()),
        created_at,
        updated_at,
    };
    LoadedRule { rule, input, num, stored_broken }
}

async fn load_rules(conn: &mut SqliteConnection, space_id: &str) -> Result<Vec<LoadedRule>> {
    let rows: Vec<StoredRule> = sqlx::query_as(
        "SELECT id, name, criteria, points, per_match, active, valid_from, valid_until, created_at, updated_at, ifnull(num, 0), broken
         FROM scoring_rules WHERE space_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(space_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(rule_from_row).collect())
}

async fn load_settings(conn: &mut SqliteConnection) -> Result<ScoringSettings> {
    let mut s = ScoringSettings::default();
    if let Some(v) = settings::get(&mut *conn, DECAY_HALF_LIFE).await? {
        s.decay_half_life_days = v.parse::<f64>().ok().filter(|d| *d > 0.0);
    }
    if let Some(v) = settings::get(&mut *conn, THRESHOLDS).await? {
        s.thresholds = serde_json::from_str(&v).unwrap_or(s.thresholds);
    }
    Ok(s)
}

/// The rules compiled for `now`, the thresholds, and what is now known about broken rules:
/// (rule id, why it is skipped or None when it works, what the store says) for every stored rule.
struct Compiled {
    set: RuleSet,
    thresholds: Vec<Threshold>,
    health: Vec<(String, Option<String>, Option<String>)>,
}

impl Compiled {
    /// Rules whose broken mark must change in the store.
    fn changed_marks(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.health.iter().filter(|(_, now, stored)| now != stored).map(|(id, now, _)| (id.as_str(), now.as_deref()))
    }
}

/// The active rules compiled for `now`, and the thresholds. A stored rule that cannot be read
/// or compiled is left out (see [`rules::compile_set`]); a previewed change that is invalid is
/// an error for the one who typed it.
async fn rule_set(conn: &mut SqliteConnection, space_id: &str, now: DateTime<Local>, replace: Option<&RuleChange>) -> Result<Compiled> {
    let settings = load_settings(conn).await?;
    let loaded = load_rules(conn, space_id).await?;
    let mut health: Vec<(String, Option<String>, Option<String>)> = Vec::with_capacity(loaded.len());
    let mut rules: Vec<(String, i64, RuleInput)> = Vec::with_capacity(loaded.len());
    for l in loaded {
        match l.input {
            Some(input) => {
                health.push((l.rule.id.clone(), None, l.stored_broken));
                rules.push((l.rule.id, l.num, input));
            }
            None => health.push((l.rule.id, l.rule.broken, l.stored_broken)),
        }
    }
    if let Some(change) = replace {
        let input = change.input.as_ref().map(rules::validate).transpose()?;
        match (&change.id, input) {
            (Some(id), input) => {
                let at = rules.iter().position(|(rid, _, _)| rid == id).ok_or_else(|| AppError::not_found("rule", id))?;
                match input {
                    Some(input) => rules[at].2 = input,
                    None => {
                        rules.remove(at);
                    }
                }
            }
            // A previewed new rule has no number yet (0); a preview never stores breakdowns.
            (None, Some(input)) => rules.push(("preview".into(), 0, input)),
            (None, None) => {}
        }
    }
    let numbered: Vec<(i64, RuleInput)> = rules.iter().map(|(_, num, input)| (*num, input.clone())).collect();
    let (set, broken) = rules::compile_set(&numbered, now, settings.decay_half_life_days);
    for b in broken {
        let id = &rules[b.index].0;
        tracing::warn!(rule = %id, error = %b.error.message, "scoring rule skipped");
        if let Some(h) = health.iter_mut().find(|(hid, _, _)| hid == id) {
            h.1 = Some(b.error.message);
        }
    }
    Ok(Compiled { set, thresholds: settings.thresholds, health })
}

/// Writes the broken marks that changed (inside the caller's transaction, or its own).
async fn mark_rules(conn: &mut SqliteConnection, compiled: &Compiled) -> Result<()> {
    for (id, why) in compiled.changed_marks() {
        sqlx::query("UPDATE scoring_rules SET broken = ? WHERE id = ?").bind(why).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The score follows every change of a lead (see `changes`): inquiries and events are their
/// own causes on the score's history, anything else re-applies the rules.
pub(crate) const FOLLOWER: Follower = Follower { name: "scoring", run: |tx, store, changes| Box::pin(follow_changes(tx, store, changes)) };

async fn follow_changes(tx: &mut Transaction<'static, Sqlite>, store: &Store, changes: &ChangeSet) -> Result<()> {
    for change in changes.first_change_per_lead() {
        let cause = match change.kind {
            ChangeKind::Inquiry => "inquiry",
            ChangeKind::Event => "event",
            _ => "rule",
        };
        rescore_lead(tx, store, &change.lead_id, cause, &change.description).await?;
    }
    Ok(())
}

/// Re-scores one lead inside the caller's write transaction.
pub(crate) async fn rescore_lead(tx: &mut Transaction<'static, Sqlite>, store: &Store, lead_id: &str, kind: &'static str, detail: &str) -> Result<()> {
    let has_rules: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM scoring_rules WHERE deleted_at IS NULL AND active = 1 AND space_id = ?)")
        .bind(&store.identity().space_id)
        .fetch_one(&mut **tx)
        .await?;
    if !has_rules {
        return Ok(());
    }
    let Some(num): Option<i64> = sqlx::query_scalar("SELECT num FROM leads WHERE id = ? AND deleted_at IS NULL").bind(lead_id).fetch_optional(&mut **tx).await? else {
        return Ok(());
    };
    let compiled = rule_set(tx, &store.identity().space_id, Local::now(), None).await?;
    mark_rules(tx, &compiled).await?;
    let cause = Cause { kind, id: None, detail: detail.to_string() };
    let (set, thresholds) = (&compiled.set, &compiled.thresholds);
    with_raw(tx, |conn| runner::score_range(conn, set, thresholds, num, num, &cause, Some(&mut History::PerLead))).await?;
    Ok(())
}

impl Store {
    pub async fn list_rules(&self) -> Result<Vec<ScoringRule>> {
        let mut conn = self.read.acquire().await?;
        Ok(load_rules(&mut conn, &self.identity().space_id).await?.into_iter().map(|l| l.rule).collect())
    }

    pub async fn get_rule(&self, id: &str) -> Result<ScoringRule> {
        self.list_rules().await?.into_iter().find(|r| r.id == id).ok_or_else(|| AppError::not_found("rule", id))
    }

    /// Saves a new rule. Scores follow with [`Store::recompute_scores`] (the app runs it in the
    /// background; the CLI right away).
    pub async fn add_rule(&self, input: &RuleInput) -> Result<ScoringRule> {
        let rule = rules::validate(input)?;
        let id = crate::clock::new_id();
        let ts = now();
        sqlx::query(
            "INSERT INTO scoring_rules (id, space_id, name, criteria, points, per_match, active, valid_from, valid_until, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&self.identity().space_id)
        .bind(&rule.name)
        .bind(serde_json::to_string(&rule.criteria)?)
        .bind(rule.points)
        .bind(rule.per_match)
        .bind(rule.active)
        .bind(&rule.valid_from)
        .bind(&rule.valid_until)
        .bind(&ts)
        .bind(&ts)
        .execute(&self.write)
        .await?;
        self.get_rule(&id).await
    }

    pub async fn update_rule(&self, id: &str, input: &RuleInput) -> Result<ScoringRule> {
        let rule = rules::validate(input)?;
        let updated = sqlx::query(
            "UPDATE scoring_rules SET name = ?, criteria = ?, points = ?, per_match = ?, active = ?, valid_from = ?, valid_until = ?, updated_at = ?
             WHERE id = ? AND space_id = ? AND deleted_at IS NULL",
        )
        .bind(&rule.name)
        .bind(serde_json::to_string(&rule.criteria)?)
        .bind(rule.points)
        .bind(rule.per_match)
        .bind(rule.active)
        .bind(&rule.valid_from)
        .bind(&rule.valid_until)
        .bind(now())
        .bind(id)
        .bind(&self.identity().space_id)
        .execute(&self.write)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::not_found("rule", id));
        }
        self.get_rule(id).await
    }

    /// Soft-deletes a rule (its name still labels old breakdowns and history).
    pub async fn remove_rule(&self, id: &str) -> Result<()> {
        let ts = now();
        let removed = sqlx::query("UPDATE scoring_rules SET deleted_at = ?, updated_at = ? WHERE id = ? AND space_id = ? AND deleted_at IS NULL")
            .bind(&ts)
            .bind(&ts)
            .bind(id)
            .bind(&self.identity().space_id)
            .execute(&self.write)
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(AppError::not_found("rule", id));
        }
        Ok(())
    }

    pub async fn scoring_settings(&self) -> Result<ScoringSettings> {
        load_settings(&mut *self.read.acquire().await?).await
    }

    pub async fn set_scoring_settings(&self, input: &ScoringSettings) -> Result<ScoringSettings> {
        if let Some(d) = input.decay_half_life_days {
            if !(d.is_finite() && (0.5..=3650.0).contains(&d)) {
                return Err(AppError::field(ErrorCode::InvalidHalfLife, "decayHalfLifeDays", format!("A half-life must be between 0.5 and 3650 days, not {d}")));
            }
        }
        let mut thresholds = input.thresholds.clone();
        for t in &mut thresholds {
            t.label = t.label.trim().to_string();
            if !(1..=100).contains(&t.score) {
                return Err(AppError::field(ErrorCode::InvalidThreshold, "thresholds", format!("A threshold must be 1 to 100, not {}", t.score)));
            }
            if t.label.is_empty() {
                return Err(AppError::field(ErrorCode::Required, "thresholds", format!("The threshold at {} needs a label", t.score)));
            }
        }
        thresholds.sort_by_key(|t| t.score);
        thresholds.dedup_by_key(|t| t.score);
        let mut tx = self.begin_write().await?;
        match input.decay_half_life_days {
            Some(d) => settings::set(&mut *tx, DECAY_HALF_LIFE, &d.to_string()).await?,
            None => {
                sqlx::query("DELETE FROM app_settings WHERE key = ?").bind(DECAY_HALF_LIFE).execute(&mut *tx).await?;
            }
        }
        settings::set(&mut *tx, THRESHOLDS, &serde_json::to_string(&thresholds)?).await?;
        tx.commit().await?;
        self.scoring_settings().await
    }

    /// Re-scores every lead now; see [`Store::recompute_scores_at`].
    pub async fn recompute_scores(&self, cause_kind: &'static str, detail: &str, progress: impl FnMut(RecomputeProgress) + Send) -> Result<RecomputeSummary> {
        self.recompute_scores_at(Local::now(), cause_kind, detail, progress).await
    }

    /// Re-scores every lead as of `at` (decay and time windows measured from it), in
    /// transactions of [`CHUNK`] leads so other writes interleave; automatic segments follow.
    pub async fn recompute_scores_at(
        &self,
        at: DateTime<Local>,
        cause_kind: &'static str,
        detail: &str,
        progress: impl FnMut(RecomputeProgress) + Send,
    ) -> Result<RecomputeSummary> {
        self.recompute(at, cause_kind, detail, progress, true).await
    }

    /// The recompute; `follow_segments` false when the caller refreshes automatic segments itself
    /// (a bulk load, an import), so they are not refreshed twice.
    pub(crate) async fn recompute(
        &self,
        at: DateTime<Local>,
        cause_kind: &'static str,
        detail: &str,
        mut progress: impl FnMut(RecomputeProgress) + Send,
        follow_segments: bool,
    ) -> Result<RecomputeSummary> {
        let started = Instant::now();
        let compiled = rule_set(&mut *self.read.acquire().await?, &self.identity().space_id, at, None).await?;
        if compiled.changed_marks().next().is_some() {
            mark_rules(&mut *self.write.acquire().await?, &compiled).await?;
        }
        let Compiled { set, thresholds, .. } = compiled;
        let has_scores: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM lead_scores)").fetch_one(&self.read).await?;
        if set.rules.is_empty() && !has_scores {
            // No rules and nothing ever scored: every score is the user's own.
            return Ok(RecomputeSummary { duration_ms: started.elapsed().as_millis() as u64, ..Default::default() });
        }
        let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as("SELECT min(num), max(num) FROM leads").fetch_one(&self.read).await?;
        let (Some(lo), Some(hi)) = (lo, hi) else { return Ok(RecomputeSummary::default()) };
        let cause = Cause { kind: cause_kind, id: None, detail: detail.to_string() };
        let total = (hi - lo + 1) as u64;
        progress(RecomputeProgress { done: 0, total });
        let (set, thresholds) = (std::sync::Arc::new(set), std::sync::Arc::new(thresholds));
        let parallel = self.recompute_in_parallel(&set, &thresholds, (lo, hi), &cause, &mut progress).await;
        let (tally, failed) = match parallel {
            Ok(Some(tally)) => (tally, None),
            Ok(None) => self.recompute_serially(&set, &thresholds, (lo, hi), &cause, &mut progress).await,
            Err(e) => (Tally::default(), Some(e)),
        };
        // Back to the everyday cache (SQLite frees the pages above it).
        self.with_bulk_writer(|conn| Ok(conn.execute_batch(crate::db::CACHE_SIZE_PRAGMA)?)).await?;
        if let Some(e) = failed {
            return Err(e);
        }
        settings::set(&self.write, LAST_RECOMPUTE, &now()).await?;
        if follow_segments && tally.raised + tally.lowered > 0 {
            self.follow_bulk_write(RefreshTrigger::Automatic).await;
        }
        let mut summary = RecomputeSummary::from(tally);
        summary.duration_ms = started.elapsed().as_millis() as u64;
        Ok(summary)
    }

    /// The recompute on the writer alone, range by range (when no reader thread can run).
    async fn recompute_serially(
        &self,
        set: &RuleSet,
        thresholds: &[Threshold],
        (lo, hi): (i64, i64),
        cause: &Cause,
        progress: &mut (dyn FnMut(RecomputeProgress) + Send),
    ) -> (Tally, Option<AppError>) {
        let total = (hi - lo + 1) as u64;
        let mut tally = Tally::default();
        let mut start = lo;
        let mut failed = None;
        let mut history = History::Run(None);
        while start <= hi {
            let end = (start + CHUNK - 1).min(hi);
            let history = &mut history;
            let chunk = self
                .with_bulk_writer(|conn| {
                    // The score index and the breakdowns are written in lead order but land all
                    // over their B-trees: a larger cache for the run keeps those pages at hand.
                    conn.execute_batch(BULK_CACHE)?;
                    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                    let t = runner::score_range(&tx, set, thresholds, start, end, cause, Some(history))?;
                    tx.commit()?;
                    Ok(t)
                })
                .await;
            match chunk {
                Ok(chunk) => tally.add(chunk),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            progress(RecomputeProgress { done: (end - lo + 1) as u64, total });
            start = end + 1;
        }
        (tally, failed)
    }

    /// Re-scores when time alone changes scores (decay, time windows, validity dates) and the
    /// last full run is a day old. The app calls this periodically.
    pub async fn recompute_scores_if_due(&self) -> Result<Option<RecomputeSummary>> {
        let last = settings::get(&self.read, LAST_RECOMPUTE).await?;
        let due = last.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).is_none_or(|t| (chrono::Utc::now() - t.to_utc()).num_hours() >= 24);
        let rules = self.list_rules().await?;
        if !due || rules.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.recompute_scores("decay", "Daily re-score: decay and time windows", |_| {}).await?))
    }

    /// What a rule change would do to scores, without doing it: leads raised, lowered, unchanged.
    pub async fn preview_rule_change(&self, change: &RuleChange) -> Result<RecomputeSummary> {
        let started = Instant::now();
        let mut conn = self.read.acquire().await?;
        let Compiled { set, thresholds, .. } = rule_set(&mut conn, &self.identity().space_id, Local::now(), Some(change)).await?;
        let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as("SELECT min(num), max(num) FROM leads").fetch_one(&mut *conn).await?;
        let (Some(lo), Some(hi)) = (lo, hi) else { return Ok(RecomputeSummary::default()) };
        let cause = Cause { kind: "rule", id: None, detail: String::new() };
        let tally = with_raw(&mut conn, |raw| {
            let mut tally = Tally::default();
            let mut start = lo;
            while start <= hi {
                let end = (start + CHUNK * 4 - 1).min(hi);
                tally.add(runner::score_range(raw, &set, &thresholds, start, end, &cause, None)?);
                start = end + 1;
            }
            Ok(tally)
        })
        .await?;
        let mut summary = RecomputeSummary::from(tally);
        summary.duration_ms = started.elapsed().as_millis() as u64;
        Ok(summary)
    }

    /// "Why is this lead 72?": the stored breakdown, labelled, adding up to the score.
    pub async fn explain_score(&self, lead_id: &str) -> Result<ScoreExplanation> {
        let mut conn = self.read.acquire().await?;
        let (num, score): (i64, i64) = sqlx::query_as("SELECT l.num, s.score FROM leads l JOIN scores s ON s.lead_num = l.num WHERE l.id = ? AND l.deleted_at IS NULL")
            .bind(lead_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| AppError::not_found("lead", lead_id))?;
        let rules: Vec<(i64, String, String)> = sqlx::query_as("SELECT ifnull(num, 0), id, name FROM scoring_rules").fetch_all(&mut *conn).await?;
        let by_num: std::collections::HashMap<i64, (String, String)> = rules.iter().map(|(num, id, name)| (*num, (id.clone(), name.clone()))).collect();
        let num_of: std::collections::HashMap<String, i64> = rules.iter().map(|(num, id, _)| (id.clone(), *num)).collect();
        let half_life = load_settings(&mut conn).await?.decay_half_life_days;
        let stored = with_raw(&mut conn, |raw| runner::stored_parts(raw, num, |id| num_of.get(id).copied())).await?;
        let manual_label = "Set by hand or imported";
        let (mut parts, computed_at, stored_score) = match stored {
            None => (vec![], None, 0),
            Some((stored_score, parts, at)) => {
                let parts = parts
                    .into_iter()
                    .map(|p| ScorePart {
                        kind: match p.kind {
                            PartKind::Rule => "rule",
                            PartKind::Decay => "decay",
                            PartKind::Manual => "manual",
                            PartKind::Clamp => "clamp",
                        }
                        .into(),
                        label: match p.kind {
                            PartKind::Rule => p.rule.and_then(|n| by_num.get(&n)).map(|(_, name)| name.clone()).unwrap_or_else(|| "A rule since deleted".into()),
                            PartKind::Decay => match half_life {
                                Some(d) => format!("Decay (engagement halves every {d} days)"),
                                None => "Decay".into(),
                            },
                            PartKind::Manual => manual_label.into(),
                            PartKind::Clamp => if p.points < 0 { "Capped at 100" } else { "Raised to 0" }.into(),
                        },
                        rule_id: p.rule.and_then(|n| by_num.get(&n)).map(|(id, _)| id.clone()),
                        matches: p.matches,
                        points: p.points,
                    })
                    .collect();
                (parts, Some(at), stored_score)
            }
        };
        // Changed by hand since the last computation (only possible while no rule is active).
        if score != stored_score {
            parts.push(ScorePart { kind: "manual".into(), rule_id: None, label: manual_label.into(), matches: 0, points: score - stored_score });
        }
        Ok(ScoreExplanation { lead_id: lead_id.to_string(), score, parts, computed_at })
    }

    /// A lead's score changes, newest first.
    pub async fn score_history(&self, lead_id: &str, limit: u32) -> Result<Vec<ScoreChange>> {
        // Single re-scores have a row each; bulk runs a row per run and a narrow change row per
        // lead, probed by primary key run by run (CROSS JOIN keeps the runs outside: without
        // statistics SQLite's planner would scan every change row instead).
        let rows: Vec<(i64, i64, String, Option<String>, String, String)> = sqlx::query_as(
            "WITH lead AS (SELECT num FROM leads WHERE id = ?1)
             SELECT old_score, new_score, cause, cause_id, detail, created_at FROM (
               SELECT c.old_score, c.new_score, c.cause, c.cause_id, c.detail, c.created_at, c.num AS seq
               FROM score_changes c WHERE c.lead_num = (SELECT num FROM lead)
             UNION ALL
               SELECT x.old_score, x.new_score, r.cause, r.cause_id, r.detail, r.created_at, r.num
               FROM score_runs r CROSS JOIN score_run_changes x ON x.run = r.num AND x.lead_num = (SELECT num FROM lead)
             ) ORDER BY created_at DESC, seq DESC LIMIT ?2",
        )
        .bind(lead_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(old_score, new_score, cause, cause_id, detail, created_at)| ScoreChange { old_score, new_score, cause, cause_id, detail, created_at })
            .collect())
    }

    /// Threshold crossings, newest first (of one lead, or of all).
    pub async fn score_crossings(&self, lead_id: Option<&str>, limit: u32) -> Result<Vec<ScoreCrossing>> {
        let rows: Vec<(String, i32, String, String, i32, String)> = sqlx::query_as(
            "SELECT l.id, x.threshold, x.label, x.direction, x.score, x.created_at FROM score_crossings x JOIN leads l ON l.num = x.lead_num
             WHERE ?1 IS NULL OR l.id = ?1 ORDER BY x.created_at DESC, x.num DESC LIMIT ?2",
        )
        .bind(lead_id)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(lead_id, threshold, label, direction, score, created_at)| ScoreCrossing { lead_id, threshold, label, direction, score, created_at })
            .collect())
    }

    /// How many leads score 0–9, 10–19, …, 90–100 (ten buckets).
    pub async fn score_distribution(&self) -> Result<Vec<u64>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT min(score / 10, 9) AS bucket, count(*) FROM scores INDEXED BY scores_by_score WHERE live = 1 GROUP BY bucket",
        )
        .fetch_all(&self.read)
        .await?;
        let mut out = vec![0u64; 10];
        for (bucket, n) in rows {
            out[bucket.clamp(0, 9) as usize] += n as u64;
        }
        Ok(out)
    }
}
