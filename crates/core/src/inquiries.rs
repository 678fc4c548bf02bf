//! Inquiries (seed 002): each question or request a lead makes — a web form, an email, a call.
//! Recorded through the store like every write, so the lead's timeline shows it and automatic
//! segments counting inquiries (`inquiries(30d) >= 2`) follow at once.

use crate::error::ErrorCode;
use crate::changes::{ChangeKind, ChangeSet};
use crate::clock::{new_id, now};
use crate::error::{AppError, Result};
use crate::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const CHANNELS: [&str; 5] = ["web_form", "email", "phone", "chat", "in_person"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InquiryInput {
    pub lead_id: String,
    pub message: String,
    /// web_form (default), email, phone, chat or in_person.
    #[serde(default)]
    pub channel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Inquiry {
    pub id: String,
    pub lead_id: String,
    pub message: String,
    pub channel: String,
    pub created_at: String,
}

/// An inquiry's message: present and at most 10,000 characters.
pub(crate) fn check_message(message: &str) -> Result<()> {
    if message.trim().is_empty() {
        return Err(AppError::field(ErrorCode::Required, "message", "An inquiry needs a message"));
    }
    if message.chars().count() > 10_000 {
        return Err(AppError::field(ErrorCode::TooLong, "message", "An inquiry message can have at most 10,000 characters"));
    }
    Ok(())
}

/// "E-mail", " Web form " → email, web_form; none → web_form; anything else is refused by name.
pub(crate) fn normalize_channel(raw: Option<&str>) -> Result<String> {
    let channel = raw.map(str::trim).filter(|c| !c.is_empty()).unwrap_or("web_form").to_lowercase().replace([' ', '-'], "_");
    let channel = if channel == "e_mail" { "email".to_string() } else { channel };
    if !CHANNELS.contains(&channel.as_str()) {
        return Err(AppError::field(ErrorCode::InvalidChannel, "channel", format!("“{channel}” is not a channel; use one of {}", CHANNELS.join(", "))));
    }
    Ok(channel)
}

impl Store {
    pub async fn add_inquiry(&self, input: &InquiryInput) -> Result<Inquiry> {
        let message = input.message.trim();
        check_message(message)?;
        let channel = normalize_channel(input.channel.as_deref())?;
        let mut tx = self.begin_write().await?;
        let ts = now();
        let id = new_id();
        let inserted = sqlx::query(
            "INSERT INTO inquiries (id, space_id, lead_id, user_id, message, channel, created_at, updated_at)
             SELECT ?, space_id, id, ?, ?, ?, ?, ? FROM leads WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(&id)
        .bind(&self.identity().user_id)
        .bind(message)
        .bind(&channel)
        .bind(&ts)
        .bind(&ts)
        .bind(&input.lead_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AppError::field(ErrorCode::NotFound, "leadId", format!("No lead with id {}", input.lead_id)));
        }
        let summary: String = message.chars().take(80).collect();
        let mut changed = ChangeSet::new();
        changed.lead(&input.lead_id, ChangeKind::Inquiry, format!("Inquiry ({channel}): {summary}"), vec![]);
        self.commit_changes(tx, changed).await?;
        Ok(Inquiry { id, lead_id: input.lead_id.clone(), message: message.to_string(), channel, created_at: ts })
    }

    /// A lead's inquiries, newest first.
    pub async fn lead_inquiries(&self, lead_id: &str) -> Result<Vec<Inquiry>> {
        Ok(sqlx::query_as::<_, Inquiry>(
            "SELECT id, lead_id, message, channel, created_at FROM inquiries WHERE lead_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC",
        )
        .bind(lead_id)
        .fetch_all(&self.read)
        .await?)
    }
}
