//! Data tags: the names the window caches its reads under. Every command declares the tags it
//! reads and the ones it makes stale (`commands`); background work that changes data (sync
//! pulls, re-scores, segment refreshes, reminders acted on from a notification) emits one
//! `data-changed` event with the tags. The window refetches exactly what went stale.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DataTag {
    /// The store's owner, space and counts.
    Store,
    /// Lead rows, counts and details (and their timelines).
    Leads,
    Companies,
    /// Stages and sources.
    Stages,
    Segments,
    /// Scores, score history and explanations.
    Scores,
    /// Scoring rules and scoring settings.
    Rules,
    Reminders,
    /// The import history (undo, errors).
    Imports,
    Sync,
    Backups,
    /// App settings (start at login, notifier).
    Settings,
}

/// Everything a lead write can change: the lead and what follows it (`leadbook_core::changes`).
pub const LEAD_WRITE: &[DataTag] = &[DataTag::Store, DataTag::Leads, DataTag::Scores, DataTag::Segments];
/// Everything: a restore or a sync pull may have changed any of it.
pub const ALL: &[DataTag] = &[
    DataTag::Store,
    DataTag::Leads,
    DataTag::Companies,
    DataTag::Stages,
    DataTag::Segments,
    DataTag::Scores,
    DataTag::Rules,
    DataTag::Reminders,
    DataTag::Imports,
    DataTag::Sync,
    DataTag::Backups,
    DataTag::Settings,
];

/// The payload of `data-changed`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataChanged {
    pub tags: Vec<DataTag>,
}

/// Tells the window that background work changed these kinds of data.
pub fn changed(app: &AppHandle, tags: &[DataTag]) {
    let _ = app.emit(crate::events::DATA_CHANGED, DataChanged { tags: tags.to_vec() });
}
