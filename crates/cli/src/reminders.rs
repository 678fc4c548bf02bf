//! `leadbook reminders …` and `leadbook notifier`.

use leadbook_core::ErrorCode;
use clap::{Args, Subcommand};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use leadbook_core::reminders::scheduler::{NoticeAction, Scheduler, SchedulerEvent};
use leadbook_core::reminders::{recurrence, when};
use leadbook_core::{AppError, ListRemindersRequest, Reminder, ReminderInput, ReminderScope, Store};

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// Add a follow-up reminder to a lead
    Add(AddReminder),
    /// List open reminders (earliest due first)
    List {
        /// Only those due now or earlier
        #[arg(long)]
        due: bool,
        /// Include done and dismissed ones
        #[arg(long, conflicts_with = "due")]
        all: bool,
        /// Only this lead's reminders
        #[arg(long, value_name = "LEAD_ID")]
        lead: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark done (a repeating reminder moves to its next time)
    Done {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Pop up again later
    Snooze {
        id: String,
        /// 30s, 10m, 2h, 1d
        #[arg(long = "for", value_name = "DURATION", default_value = "10m")]
        duration: String,
        #[arg(long)]
        json: bool,
    },
    /// Stop a reminder (and its repeats) without marking it done
    Dismiss { id: String },
}

#[derive(Args)]
pub struct AddReminder {
    #[arg(long, value_name = "LEAD_ID")]
    lead: String,
    /// When it is due: RFC 3339, +10m, +2h, +1d, "tomorrow 09:00", "monday 09:00"
    #[arg(long, value_name = "WHEN")]
    at: String,
    #[arg(long)]
    message: String,
    /// Pop up earlier than the due time (same formats as --at)
    #[arg(long, value_name = "WHEN")]
    remind_at: Option<String>,
    /// daily, weekdays, weekly, monthly or an RRULE such as FREQ=WEEKLY;BYDAY=MO,TH
    #[arg(long)]
    repeat: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl RemindersCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            Self::Add(a) => a.json,
            Self::List { json, .. } | Self::Done { json, .. } | Self::Snooze { json, .. } => *json,
            Self::Dismiss { .. } => false,
        }
    }
}

fn local_zone() -> Result<chrono_tz::Tz, AppError> {
    let name = recurrence::local_time_zone();
    name.parse().map_err(|_| AppError::new(ErrorCode::InvalidTimeZone, format!("Unknown time zone {name}")))
}

/// `--for` of snooze: the same reader (and ten-year limit) as a reminder's `+2h`.
fn parse_duration(text: &str) -> Result<chrono::Duration, AppError> {
    when::parse_duration(text).map_err(|e| AppError { field: Some("for".into()), ..e })
}

fn table(rows: &[Reminder]) -> Table {
    let zone = local_zone().unwrap_or(chrono_tz::UTC);
    let local = |t: &str| {
        t.parse::<chrono::DateTime<chrono::Utc>>().map(|t| t.with_timezone(&zone).format("%a %Y-%m-%d %H:%M").to_string()).unwrap_or_else(|_| t.into())
    };
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(["Id", "Due", "Lead", "Message", "Status", "Repeat"]);
    for r in rows {
        table.add_row([r.id.clone(), local(&r.due_at), r.lead_name.clone(), r.message.clone(), r.status.clone(), r.recurrence.clone().unwrap_or_default()]);
    }
    table
}

fn show(reminder: &Reminder, json: bool) {
    if json {
        crate::print_json(reminder);
    } else {
        outln!("{}", reminder.id);
    }
}

pub async fn run(store: &Store, command: RemindersCommand) -> Result<(), AppError> {
    match command {
        RemindersCommand::Add(a) => {
            let (now, zone) = (chrono::Utc::now(), local_zone()?);
            let due = when::parse_when(&a.at, now, zone)?;
            let remind = a.remind_at.as_deref().map(|t| when::parse_when(t, now, zone)).transpose()?;
            let input = ReminderInput {
                lead_id: a.lead,
                message: a.message,
                due_at: due.to_rfc3339(),
                remind_at: remind.map(|t| t.to_rfc3339()),
                recurrence: a.repeat,
            };
            show(&store.create_reminder(&input).await?, a.json);
        }
        RemindersCommand::List { due, all, lead, json } => {
            let scope = if due { ReminderScope::Due } else if all { ReminderScope::All } else { ReminderScope::Open };
            let rows = store.list_reminders(&ListRemindersRequest { scope, lead_id: lead, limit: 5000 }).await?;
            if json {
                crate::print_json(&rows);
            } else {
                outln!("{}", table(&rows));
            }
        }
        RemindersCommand::Done { id, json } => show(&store.complete_reminder(&id).await?, json),
        RemindersCommand::Snooze { id, duration, json } => show(&store.snooze_reminder_for(&id, parse_duration(&duration)?).await?, json),
        RemindersCommand::Dismiss { id } => show(&store.dismiss_reminder(&id).await?, false),
    }
    Ok(())
}

/// `leadbook notifier`: the app's scheduler in the foreground, one line per event (JSON lines
/// with --json), until SIGINT or SIGTERM.
pub async fn notifier(store: &Store, json: bool) -> Result<(), AppError> {
    let scheduler = Scheduler::desktop(store.clone());
    let mut events = scheduler.events();
    let printer = tokio::spawn(async move {
        while let Ok(event) = events.recv().await {
            let line = match &event {
                SchedulerEvent::Fired(r) => serde_json::json!({ "event": "fired", "reminder": r }),
                SchedulerEvent::Missed(rs) => serde_json::json!({ "event": "missed", "reminders": rs }),
                SchedulerEvent::Action(a) => serde_json::json!({ "event": "action", "action": a }),
                SchedulerEvent::Status(s) => serde_json::json!({ "event": "status", "status": s }),
            };
            if json {
                outln!("{line}");
            } else {
                match event {
                    SchedulerEvent::Fired(r) => outln!("notified: {} — {}", r.lead_name, r.message),
                    SchedulerEvent::Missed(rs) => outln!("notified: {} missed reminder(s)", rs.len()),
                    SchedulerEvent::Action(NoticeAction::Open { lead_id }) => outln!("open lead {lead_id}"),
                    SchedulerEvent::Action(a) => outln!("action: {a:?}"),
                    SchedulerEvent::Status(s) => match s.error {
                        Some(e) => eprintln!("notifications unavailable: {e}"),
                        None => outln!("notifications available"),
                    },
                }
            }
        }
    });
    if json {
        outln!("{}", serde_json::json!({ "event": "started", "db": store.path() }));
    } else {
        outln!("leadbook notifier: watching {} (Ctrl-C to stop)", store.path().display());
    }
    scheduler.run(shutdown_signal()).await?;
    printer.abort();
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
