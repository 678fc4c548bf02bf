//! The one error type every store call returns. It crosses IPC as `{code, message, field}`
//! so the UI can show the message next to the field it belongs to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    /// Stable machine-readable code, e.g. `invalid_email`, `not_found`, `storage`.
    pub code: String,
    /// A sentence for people, naming the problem and the value at fault.
    pub message: String,
    /// The camelCase input field the error belongs to, when there is one.
    pub field: Option<String>,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), field: None }
    }

    pub fn field(code: &str, field: &str, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), field: Some(field.into()) }
    }

    /// SQLITE_FULL: the store names the folder where it can (`Store::explain`).
    pub fn disk_full() -> Self {
        Self::new("disk_full", "The disk holding the database is full. Free some space and try again; nothing was changed")
    }

    /// SQLITE_CORRUPT / SQLITE_NOTADB met while working.
    pub fn corrupt(detail: &str) -> Self {
        Self::new("corrupt_store", format!("The database file is damaged ({detail}). Restore a backup (Settings → Backups, or `leadbook backup restore`)"))
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new("not_found", format!("No {what} with id {id}"))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        // Constraint failures mean our validation missed a case: say which constraint.
        if let sqlx::Error::Database(db) = &err {
            if db.is_check_violation() || db.is_foreign_key_violation() || db.is_unique_violation() {
                return Self::new("constraint", format!("The store refused the write: {}", db.message()));
            }
            if db.message().contains("database is locked") {
                return Self::new("busy", "The database is busy (another Leadbook process is writing); try again");
            }
            // SQLite's primary result codes (the extended code's low byte).
            match db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff) {
                Some(13) => return Self::disk_full(),
                Some(11) | Some(26) => return Self::corrupt(db.message()),
                _ => {}
            }
        }
        Self::new("storage", format!("Database error: {err}"))
    }
}

impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::new("migration", format!("Could not migrate the database: {err}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> Self {
        Self::new("invalid_json", format!("Invalid JSON: {err}"))
    }
}

/// The message of a caught panic (a `&str` or `String` payload), for logs and error dialogs.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected error".into())
}
