//! `leadbook activities log`: a call, an email, a meeting or a note on a lead, from the terminal.

use crate::print_json;
use clap::{Subcommand, ValueEnum};
use leadbook_core::reminders::when;
use leadbook_core::{AppError, ErrorCode, LogActivityInput, LoggedKind, Store};

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Call,
    Email,
    Meeting,
    Note,
}

#[derive(Subcommand)]
pub enum ActivitiesCommand {
    /// Log what you did with a lead; it lands on its timeline and counts in segments (`calls(30d) >= 2`)
    Log {
        /// The lead's id
        lead: String,
        #[arg(long = "type", value_enum)]
        kind: Kind,
        /// What happened
        #[arg(long, default_value = "")]
        message: String,
        /// How a call or meeting ended ("Left a voicemail", "Booked a demo")
        #[arg(long)]
        outcome: Option<String>,
        /// How long a call or meeting took: 15m, 1h, 90 (minutes)
        #[arg(long)]
        duration: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

impl ActivitiesCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            ActivitiesCommand::Log { json, .. } => *json,
        }
    }
}

/// "15m" → 15; anything that is not a whole number of minutes up to a day names the option.
fn minutes(text: &str) -> Result<u32, AppError> {
    let duration = when::parse_duration(text).map_err(|e| AppError { field: Some("duration".into()), ..e })?;
    u32::try_from(duration.num_minutes())
        .ok()
        .filter(|m| *m >= 1 && duration.num_seconds() % 60 == 0)
        .ok_or_else(|| AppError::field(ErrorCode::InvalidDuration, "duration", format!("“{text}” is not a whole number of minutes")))
}

pub async fn run(store: &Store, command: ActivitiesCommand) -> Result<(), AppError> {
    match command {
        ActivitiesCommand::Log { lead, kind, message, outcome, duration, json } => {
            let kind = match kind {
                Kind::Call => LoggedKind::Call,
                Kind::Email => LoggedKind::Email,
                Kind::Meeting => LoggedKind::Meeting,
                Kind::Note => LoggedKind::Note,
            };
            let duration_minutes = duration.as_deref().map(minutes).transpose()?;
            let activity = store.log_activity(&LogActivityInput { lead_id: lead, kind, message, outcome, duration_minutes }).await?;
            if json {
                print_json(&activity);
            } else {
                outln!("Logged {} {} on lead {}", activity.activity_type, activity.id, activity.lead_id);
            }
        }
    }
    Ok(())
}
