//! `leadbook rules …`, `leadbook score …` and `leadbook events …`.

use leadbook_core::ErrorCode;
use crate::print_json;
use clap::{Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use leadbook_core::{AppError, Criteria, EventImportSummary, CriteriaKind, EventInput, RecomputeSummary, RuleChange, RuleCondition, RuleInput, ScoringSettings, Store, Threshold};
use std::path::PathBuf;

/// Spelled as in the rules' JSON and the seed (`email_domain`, `greater_than`).
#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum KindArg {
    Field,
    EmailDomain,
    InquiryCount,
    EventCount,
    DaysSinceActivity,
    Inquiry,
    Event,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ConditionArg {
    Equals,
    NotEquals,
    Contains,
    NotContains,
    GreaterThan,
    LessThan,
    In,
    Exists,
    NotExists,
}

#[derive(clap::Args)]
pub struct RuleArgs {
    /// A name people will read in score breakdowns
    #[arg(long)]
    name: String,
    /// What the rule looks at
    #[arg(long, value_enum)]
    criteria: KindArg,
    /// field: a lead field (job_title, company.industry, custom.Region …); inquiry: channel|message; event: type|value
    #[arg(long)]
    field: Option<String>,
    #[arg(long, value_enum)]
    condition: ConditionArg,
    /// The value to compare with (repeat for `in`)
    #[arg(long = "value")]
    values: Vec<String>,
    /// Counts and inquiry/event rules: only this channel / event type
    #[arg(long)]
    of_type: Option<String>,
    /// Counts and inquiry/event rules: only the last N days
    #[arg(long)]
    window_days: Option<u32>,
    /// -100..100
    #[arg(long, allow_hyphen_values = true)]
    points: i32,
    /// Inquiry/event rules: points for every matching row instead of once
    #[arg(long)]
    per_match: bool,
    /// Save the rule switched off
    #[arg(long)]
    inactive: bool,
    /// First day the rule applies (YYYY-MM-DD)
    #[arg(long)]
    valid_from: Option<String>,
    /// Last day the rule applies (YYYY-MM-DD)
    #[arg(long)]
    valid_until: Option<String>,
}

impl RuleArgs {
    fn input(self) -> RuleInput {
        RuleInput {
            name: self.name,
            criteria: Criteria {
                kind: match self.criteria {
                    KindArg::Field => CriteriaKind::Field,
                    KindArg::EmailDomain => CriteriaKind::EmailDomain,
                    KindArg::InquiryCount => CriteriaKind::InquiryCount,
                    KindArg::EventCount => CriteriaKind::EventCount,
                    KindArg::DaysSinceActivity => CriteriaKind::DaysSinceActivity,
                    KindArg::Inquiry => CriteriaKind::Inquiry,
                    KindArg::Event => CriteriaKind::Event,
                },
                field: self.field,
                condition: match self.condition {
                    ConditionArg::Equals => RuleCondition::Equals,
                    ConditionArg::NotEquals => RuleCondition::NotEquals,
                    ConditionArg::Contains => RuleCondition::Contains,
                    ConditionArg::NotContains => RuleCondition::NotContains,
                    ConditionArg::GreaterThan => RuleCondition::GreaterThan,
                    ConditionArg::LessThan => RuleCondition::LessThan,
                    ConditionArg::In => RuleCondition::In,
                    ConditionArg::Exists => RuleCondition::Exists,
                    ConditionArg::NotExists => RuleCondition::NotExists,
                },
                values: self.values,
                of_type: self.of_type,
                window_days: self.window_days,
            },
            points: self.points,
            per_match: self.per_match,
            active: !self.inactive,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Add a scoring rule and re-score every lead
    Add {
        #[command(flatten)]
        rule: RuleArgs,
        /// Only show what the rule would change (raised / lowered), save nothing
        #[arg(long)]
        preview: bool,
        /// Save without re-scoring now
        #[arg(long)]
        no_recompute: bool,
        #[arg(long)]
        json: bool,
    },
    /// All rules
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a rule and re-score every lead
    Remove {
        id: String,
        #[arg(long)]
        no_recompute: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ScoreCommand {
    /// Why a lead has its score: the lines that add up to it
    Explain {
        lead_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Re-score every lead now
    Recompute {
        /// Score as of this moment (RFC 3339 or YYYY-MM-DD): decay and time windows measured from it
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A lead's score changes with their causes
    History {
        lead_id: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Threshold crossings ("became hot"), newest first
    Crossings {
        #[arg(long)]
        lead: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show or change decay and thresholds
    Settings {
        /// Engagement points halve every this many days
        #[arg(long)]
        half_life_days: Option<f64>,
        /// Turn decay off
        #[arg(long, conflicts_with = "half_life_days")]
        no_decay: bool,
        /// A threshold as SCORE=LABEL, e.g. 70=hot (repeat; replaces the list)
        #[arg(long = "threshold")]
        thresholds: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Load analytics events from CSV (lead_id|email|external_id, event_type, event_value, event_date) or JSON lines
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Record one event
    Add {
        #[arg(long)]
        lead: String,
        #[arg(long = "type")]
        event_type: String,
        #[arg(long)]
        value: Option<String>,
        /// When it happened (default now)
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

impl RulesCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            RulesCommand::Add { json, .. } | RulesCommand::List { json } | RulesCommand::Remove { json, .. } => *json,
        }
    }
}

impl ScoreCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            ScoreCommand::Explain { json, .. }
            | ScoreCommand::Recompute { json, .. }
            | ScoreCommand::History { json, .. }
            | ScoreCommand::Crossings { json, .. }
            | ScoreCommand::Settings { json, .. } => *json,
        }
    }
}

impl EventsCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            EventsCommand::Import { json, .. } | EventsCommand::Add { json, .. } => *json,
        }
    }
}

fn print_summary(what: &str, s: &RecomputeSummary) {
    outln!("{what}: {} leads scored, {} raised, {} lowered, {} threshold crossings in {} ms", s.scored, s.raised, s.lowered, s.crossings, s.duration_ms);
}

/// What an events or inquiries file import did, for people.
pub fn print_import(noun: &str, s: &EventImportSummary) {
    outln!("Imported {} {noun} for {} leads in {} ms ({} duplicates skipped, {} rows rejected)", s.imported, s.leads, s.duration_ms, s.duplicates, s.rejected_count);
    for r in s.rejected.iter().take(20) {
        outln!("  line {}: {}", r.line, r.reason);
    }
    if let Some(r) = &s.rescored {
        print_summary("Re-scored", r);
    }
}

async fn recompute(store: &Store, detail: &str) -> Result<RecomputeSummary, AppError> {
    store.recompute_scores("rule", detail, |_| {}).await
}

pub async fn run_rules(store: &Store, command: RulesCommand) -> Result<(), AppError> {
    match command {
        RulesCommand::Add { rule, preview, no_recompute, json } => {
            let input = rule.input();
            if preview {
                let s = store.preview_rule_change(&RuleChange { id: None, input: Some(input) }).await?;
                if json {
                    print_json(&s);
                } else {
                    outln!("This rule would raise {} leads and lower {} ({} ms)", s.raised, s.lowered, s.duration_ms);
                }
                return Ok(());
            }
            let saved = store.add_rule(&input).await?;
            let rescored = if no_recompute { None } else { Some(recompute(store, &format!("Rule “{}” added", saved.name)).await?) };
            if json {
                print_json(&serde_json::json!({ "rule": saved, "rescored": rescored }));
            } else {
                outln!("Added rule {}: {}", saved.id, saved.summary);
                if let Some(s) = rescored {
                    print_summary("Re-scored", &s);
                }
            }
        }
        RulesCommand::List { json } => {
            let rules = store.list_rules().await?;
            if json {
                print_json(&rules);
            } else {
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
                table.set_header(["Id", "Name", "Rule", "Active"]);
                for r in &rules {
                    table.add_row([r.id.clone(), r.name.clone(), r.summary.clone(), if r.active { "yes" } else { "no" }.into()]);
                }
                outln!("{table}");
            }
        }
        RulesCommand::Remove { id, no_recompute, json } => {
            let rule = store.get_rule(&id).await?;
            store.remove_rule(&id).await?;
            let rescored = if no_recompute { None } else { Some(recompute(store, &format!("Rule “{}” removed", rule.name)).await?) };
            if json {
                print_json(&serde_json::json!({ "removed": id, "rescored": rescored }));
            } else {
                outln!("Removed rule “{}”", rule.name);
                if let Some(s) = rescored {
                    print_summary("Re-scored", &s);
                }
            }
        }
    }
    Ok(())
}

pub async fn run_score(store: &Store, command: ScoreCommand) -> Result<(), AppError> {
    match command {
        ScoreCommand::Explain { lead_id, json } => {
            let e = store.explain_score(&lead_id).await?;
            if json {
                print_json(&e);
            } else {
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED);
                table.set_header(["Why", "Matches", "Points"]);
                for p in &e.parts {
                    let matches = if p.kind == "rule" && p.matches > 1 { p.matches.to_string() } else { String::new() };
                    table.add_row([p.label.clone(), matches, format!("{:+}", p.points)]);
                }
                table.add_row(["Score".to_string(), String::new(), e.score.to_string()]);
                outln!("{table}");
            }
        }
        ScoreCommand::Recompute { as_of, json } => {
            let at = match as_of {
                Some(t) => {
                    let utc = leadbook_core::scoring::events::parse_event_time(&t).map_err(|m| AppError::field(ErrorCode::InvalidDate, "asOf", m))?;
                    chrono::DateTime::parse_from_rfc3339(&utc).expect("formatted above").with_timezone(&chrono::Local)
                }
                None => chrono::Local::now(),
            };
            let s = store.recompute_scores_at(at, "decay", "Re-scored from the command line", |_| {}).await?;
            if json {
                print_json(&s);
            } else {
                print_summary("Re-scored", &s);
            }
        }
        ScoreCommand::History { lead_id, limit, json } => {
            let rows = store.score_history(&lead_id, limit).await?;
            if json {
                print_json(&rows);
            } else {
                for r in rows {
                    outln!("{}  {:>3} → {:<3} {:<8} {}", r.created_at, r.old_score, r.new_score, r.cause, r.detail);
                }
            }
        }
        ScoreCommand::Crossings { lead, limit, json } => {
            let rows = store.score_crossings(lead.as_deref(), limit).await?;
            if json {
                print_json(&rows);
            } else {
                for r in rows {
                    outln!("{}  {}  {} {} ({} → score {})", r.created_at, r.lead_id, r.direction, r.label, r.threshold, r.score);
                }
            }
        }
        ScoreCommand::Settings { half_life_days, no_decay, thresholds, json } => {
            let mut s = store.scoring_settings().await?;
            let changing = half_life_days.is_some() || no_decay || !thresholds.is_empty();
            if half_life_days.is_some() || no_decay {
                s.decay_half_life_days = half_life_days;
            }
            if !thresholds.is_empty() {
                s.thresholds = thresholds
                    .iter()
                    .map(|t| {
                        let (score, label) = t.split_once('=').ok_or_else(|| AppError::field(ErrorCode::InvalidThreshold, "thresholds", format!("“{t}” is not SCORE=LABEL (e.g. 70=hot)")))?;
                        let score = score.trim().parse().map_err(|_| AppError::field(ErrorCode::InvalidThreshold, "thresholds", format!("“{score}” is not a score")))?;
                        Ok(Threshold { score, label: label.to_string() })
                    })
                    .collect::<Result<_, AppError>>()?;
            }
            let s: ScoringSettings = if changing { store.set_scoring_settings(&s).await? } else { s };
            if json {
                print_json(&s);
            } else {
                match s.decay_half_life_days {
                    Some(d) => outln!("decay:      engagement points halve every {d} days"),
                    None => outln!("decay:      off"),
                }
                let list: Vec<String> = s.thresholds.iter().map(|t| format!("{}={}", t.score, t.label)).collect();
                outln!("thresholds: {}", list.join(", "));
            }
        }
    }
    Ok(())
}

pub async fn run_events(store: &Store, command: EventsCommand) -> Result<(), AppError> {
    match command {
        EventsCommand::Import { file, json } => {
            let s = store.import_events(&file).await?;
            if json {
                print_json(&s);
            } else {
                print_import("events", &s);
            }
        }
        EventsCommand::Add { lead, event_type, value, at, json } => {
            let e = store.add_event(&EventInput { lead_id: lead, event_type, event_value: value, occurred_at: at }).await?;
            if json {
                print_json(&e);
            } else {
                outln!("Recorded event {} ({})", e.id, e.event_type);
            }
        }
    }
    Ok(())
}
