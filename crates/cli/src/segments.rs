//! `leadbook segments …` and `leadbook inquiries add`.

use leadbook_core::ErrorCode;
use crate::{leads_table, print_json};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use leadbook_core::segments::query::QueryError;
use leadbook_core::{AppError, InquiryInput, LeadSort, ListLeadsRequest, RefreshMode, RefreshResult, SegmentInput, SegmentKind, SortDir, Store};
use serde_json::json;

#[derive(Subcommand)]
pub enum SegmentsCommand {
    /// Create a segment from a query (or a static, hand-picked one) and refresh it
    Create {
        name: String,
        /// The query, e.g. 'score >= 50 and stage in (Qualified, Proposal)'
        #[arg(long)]
        query: Option<String>,
        /// Hand-picked members instead of a query (add them with `segments include`)
        #[arg(long = "static")]
        is_static: bool,
        #[command(flatten)]
        refresh: RefreshArgs,
        #[arg(long)]
        json: bool,
    },
    /// Change a segment's name, query or refresh mode
    Update {
        name: String,
        #[arg(long)]
        rename: Option<String>,
        #[arg(long)]
        query: Option<String>,
        #[command(flatten)]
        refresh: RefreshArgs,
        #[arg(long)]
        json: bool,
    },
    /// All segments with size, last refresh and mode
    List {
        #[arg(long)]
        json: bool,
    },
    /// Re-evaluate a segment now: {segment, refresh_counter, members, entered, left}
    Refresh {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// The current members
    Members {
        name: String,
        /// At most this many (default: all)
        #[arg(long)]
        limit: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Every refresh: when, why, size, who entered and left
    History {
        name: String,
        /// Also list the ids of the leads that entered and left (up to this many per refresh)
        #[arg(long, default_value_t = 0)]
        changes: u32,
        #[arg(long)]
        json: bool,
    },
    /// Count the leads a query matches now (nothing is stored)
    Count {
        #[arg(long)]
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Check a query without running it: exit 0, or the error with its position
    Check {
        #[arg(long)]
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Put leads into a segment by hand (they stay through refreshes)
    Include {
        name: String,
        lead_ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take leads out by hand (they stay out through refreshes)
    Exclude {
        name: String,
        lead_ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a segment (refused while another segment's query uses it)
    Delete { name: String },
}

#[derive(Args)]
pub struct RefreshArgs {
    /// manual (default), schedule (with --every) or automatic (follows every change)
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Minutes between scheduled refreshes
    #[arg(long, value_name = "MINUTES")]
    every: Option<i64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Manual,
    Schedule,
    Automatic,
}

impl From<ModeArg> for RefreshMode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Manual => RefreshMode::Manual,
            ModeArg::Schedule => RefreshMode::Schedule,
            ModeArg::Automatic => RefreshMode::Automatic,
        }
    }
}

impl SegmentsCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            SegmentsCommand::Create { json, .. }
            | SegmentsCommand::Update { json, .. }
            | SegmentsCommand::List { json }
            | SegmentsCommand::Refresh { json, .. }
            | SegmentsCommand::Members { json, .. }
            | SegmentsCommand::History { json, .. }
            | SegmentsCommand::Count { json, .. }
            | SegmentsCommand::Check { json, .. }
            | SegmentsCommand::Include { json, .. }
            | SegmentsCommand::Exclude { json, .. } => *json,
            SegmentsCommand::Delete { .. } => false,
        }
    }
}

#[derive(Subcommand)]
pub enum InquiriesCommand {
    /// Record an inquiry a lead made
    Add {
        #[arg(long)]
        lead: String,
        #[arg(long)]
        message: String,
        /// web_form (default), email, phone, chat, in_person
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Load inquiries from CSV (lead_id|email|external_id, message, channel, date) or JSON lines
    Import {
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

impl InquiriesCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            InquiriesCommand::Add { json, .. } | InquiriesCommand::Import { json, .. } => *json,
        }
    }
}

pub async fn run_inquiries(store: &Store, command: InquiriesCommand) -> Result<(), AppError> {
    match command {
        InquiriesCommand::Add { lead, message, channel, json } => {
            let inquiry = store.add_inquiry(&InquiryInput { lead_id: lead, message, channel }).await?;
            if json {
                print_json(&inquiry);
            } else {
                outln!("Recorded inquiry {} ({})", inquiry.id, inquiry.channel);
            }
        }
        InquiriesCommand::Import { file, json } => {
            let s = store.import_inquiries(&file).await?;
            if json {
                print_json(&s);
            } else {
                crate::scoring::print_import("inquiries", &s);
            }
        }
    }
    Ok(())
}

fn refresh_json(r: &RefreshResult) -> serde_json::Value {
    json!({
        "segment": r.segment,
        "segment_id": r.segment_id,
        "refresh_counter": r.refresh_counter,
        "members": r.members,
        "entered": r.entered,
        "left": r.left,
        "duration_ms": r.duration_ms,
    })
}

fn print_refresh(r: &RefreshResult) {
    outln!(
        "{}: refresh {} → {} members (+{} entered, −{} left) in {} ms",
        r.segment, r.refresh_counter, r.members, r.entered, r.left, r.duration_ms
    );
}

/// The query with a caret under the error, like a compiler.
fn show_query_error(query: &str, error: &QueryError) -> String {
    let line = query.lines().nth(error.line.saturating_sub(1) as usize).unwrap_or("");
    format!("{line}\n{}^", " ".repeat(error.column.saturating_sub(1) as usize))
}

pub async fn run(store: &Store, command: SegmentsCommand) -> Result<(), AppError> {
    match command {
        SegmentsCommand::Create { name, query, is_static, refresh, json } => {
            let kind = if is_static { SegmentKind::Static } else { SegmentKind::Dynamic };
            let input = SegmentInput {
                name,
                description: None,
                kind,
                query,
                refresh_mode: refresh.mode.map(Into::into).unwrap_or(RefreshMode::Manual),
                refresh_every_minutes: refresh.every,
            };
            let (segment, refreshed) = store.create_segment(&input).await?;
            if json {
                print_json(&json!({ "segment": segment, "refresh": refreshed.as_ref().map(refresh_json) }));
            } else {
                outln!("Created segment “{}” ({})", segment.name, segment.id);
                if let Some(r) = &refreshed {
                    print_refresh(r);
                }
            }
        }
        SegmentsCommand::Update { name, rename, query, refresh, json } => {
            let current = store.get_segment(&name).await?;
            let input = SegmentInput {
                name: rename.unwrap_or(current.name),
                description: current.description,
                kind: current.kind,
                query: query.or(current.query),
                refresh_mode: refresh.mode.map(Into::into).unwrap_or(current.refresh_mode),
                refresh_every_minutes: refresh.every.or(current.refresh_every_minutes),
            };
            let (segment, refreshed) = store.update_segment(&current.id, &input).await?;
            if json {
                print_json(&json!({ "segment": segment, "refresh": refreshed.as_ref().map(refresh_json) }));
            } else {
                outln!("Updated segment “{}”", segment.name);
                if let Some(r) = &refreshed {
                    print_refresh(r);
                }
            }
        }
        SegmentsCommand::List { json } => {
            let segments = store.list_segments().await?;
            if json {
                print_json(&segments);
            } else {
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
                table.set_header(["Name", "Members", "Refreshes", "Last refresh", "Mode", "Query"]);
                for s in segments {
                    let mode = match (s.kind, s.refresh_mode, s.refresh_every_minutes) {
                        (SegmentKind::Static, ..) => "static".to_string(),
                        (_, RefreshMode::Schedule, Some(m)) => format!("every {m} min"),
                        (_, mode, _) => format!("{mode:?}").to_lowercase(),
                    };
                    table.add_row([
                        s.name,
                        s.member_count.to_string(),
                        s.refresh_counter.to_string(),
                        s.last_refreshed_at.unwrap_or_else(|| "never".into()),
                        mode,
                        s.query.unwrap_or_default(),
                    ]);
                }
                outln!("{table}");
            }
        }
        SegmentsCommand::Refresh { name, json } => {
            let r = store.refresh_segment(&name).await?;
            if json {
                print_json(&refresh_json(&r));
            } else {
                print_refresh(&r);
            }
        }
        SegmentsCommand::Members { name, limit, json } => {
            let segment = store.get_segment(&name).await?;
            let mut rows = Vec::new();
            let mut request = ListLeadsRequest {
                sort: LeadSort::CreatedAt,
                dir: SortDir::Asc,
                limit: 500,
                segment_id: Some(segment.id.clone()),
                ..Default::default()
            };
            loop {
                let page = store.list_leads(&request).await?;
                rows.extend(page.rows);
                if let Some(limit) = limit {
                    if rows.len() as u64 >= limit {
                        rows.truncate(limit as usize);
                        break;
                    }
                }
                match page.next {
                    Some(next) => request.after = Some(next),
                    None => break,
                }
            }
            if json {
                print_json(&rows);
            } else {
                outln!("{}", leads_table(&rows));
                outln!("{} of {} members of “{}”", rows.len(), segment.member_count, segment.name);
            }
        }
        SegmentsCommand::History { name, changes, json } => {
            let segment = store.get_segment(&name).await?;
            let history = store.segment_history(&segment.id, 10_000).await?;
            let mut refreshes = Vec::new();
            for r in &history {
                let mut entry = json!({
                    "refresh_counter": r.refresh_counter,
                    "trigger": r.trigger,
                    "refreshed_at": r.refreshed_at,
                    "members": r.members,
                    "entered": r.entered,
                    "left": r.left,
                    "duration_ms": r.duration_ms,
                    "query": r.query,
                });
                if changes > 0 {
                    let c = store.segment_changes(&segment.id, r.refresh_counter, changes).await?;
                    entry["entered_ids"] = json!(c.entered.iter().map(|l| &l.id).collect::<Vec<_>>());
                    entry["left_ids"] = json!(c.left.iter().map(|l| &l.id).collect::<Vec<_>>());
                }
                refreshes.push(entry);
            }
            if json {
                print_json(&json!({ "segment": segment.name, "refresh_counter": segment.refresh_counter, "refreshes": refreshes }));
            } else {
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
                table.set_header(["Refresh", "When", "Trigger", "Members", "Entered", "Left", "ms"]);
                for r in &history {
                    table.add_row([
                        r.refresh_counter.to_string(),
                        r.refreshed_at.clone(),
                        r.trigger.clone(),
                        r.members.to_string(),
                        format!("+{}", r.entered),
                        format!("−{}", r.left),
                        r.duration_ms.to_string(),
                    ]);
                }
                outln!("{table}");
            }
        }
        SegmentsCommand::Count { query, json } => {
            let check = store.check_segment_query(&query, true).await?;
            if let Some(error) = check.error {
                eprintln!("{}", show_query_error(&query, &error));
                return Err(AppError::field(ErrorCode::InvalidQuery, "query", error.to_string()));
            }
            let count = check.count.unwrap_or(0);
            if json {
                print_json(&json!({ "count": count, "query": check.normalized, "duration_ms": check.duration_ms }));
            } else {
                outln!("{count}");
            }
        }
        SegmentsCommand::Check { query, json } => {
            let check = store.check_segment_query(&query, false).await?;
            if let Some(error) = check.error {
                if !json {
                    eprintln!("{}", show_query_error(&query, &error));
                }
                return Err(AppError::field(ErrorCode::InvalidQuery, "query", error.to_string()));
            }
            if json {
                print_json(&json!({ "ok": true, "query": check.normalized, "ast": check.ast }));
            } else {
                outln!("ok: {}", check.normalized.unwrap_or_default());
            }
        }
        SegmentsCommand::Include { name, lead_ids, json } | SegmentsCommand::Exclude { name, lead_ids, json } if lead_ids.is_empty() => {
            let _ = (name, json);
            return Err(AppError::field(ErrorCode::Required, "leadIds", "Name at least one lead id"));
        }
        SegmentsCommand::Include { name, lead_ids, json } => {
            let r = store.include_in_segment(&name, &lead_ids).await?;
            if json {
                print_json(&refresh_json(&r));
            } else {
                print_refresh(&r);
            }
        }
        SegmentsCommand::Exclude { name, lead_ids, json } => {
            let r = store.exclude_from_segment(&name, &lead_ids).await?;
            if json {
                print_json(&refresh_json(&r));
            } else {
                print_refresh(&r);
            }
        }
        SegmentsCommand::Delete { name } => {
            store.delete_segment(&name).await?;
            outln!("Deleted segment “{name}”");
        }
    }
    Ok(())
}
