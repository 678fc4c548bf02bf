//! The one error type every store call returns. It crosses IPC as `{code, message, field}`
//! so the UI can show the message next to the field it belongs to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    /// Stable machine-readable code, e.g. `invalid_email`, `not_found`, `storage`.
    pub code: ErrorCode,
    /// A sentence for people, naming the problem and the value at fault.
    pub message: String,
    /// The camelCase input field the error belongs to, when there is one.
    pub field: Option<String>,
}

/// Every error code Leadbook answers with: a closed list, exported to TypeScript as a union of
/// strings so the window can branch on `busy`, `not_found` or `disk_full` instead of reading
/// messages. On the wire (IPC, the CLI's `--json`) each is its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // Input a person typed or a file carried.
    AmbiguousDates,
    DuplicateCompany,
    DuplicateName,
    EmptyFile,
    InvalidChannel,
    InvalidCompanySize,
    InvalidCount,
    InvalidCursor,
    InvalidCustomFields,
    InvalidDate,
    InvalidDelimiter,
    InvalidDuration,
    InvalidEmail,
    InvalidEncoding,
    InvalidField,
    InvalidHalfLife,
    InvalidHeaderLine,
    InvalidJson,
    InvalidKind,
    InvalidMapping,
    InvalidMode,
    InvalidPhone,
    InvalidQuery,
    InvalidRecurrence,
    InvalidRegion,
    InvalidRule,
    InvalidSchedule,
    InvalidScore,
    InvalidSource,
    InvalidSpace,
    InvalidStage,
    InvalidStatus,
    InvalidThreshold,
    InvalidTime,
    InvalidTimeZone,
    InvalidUrl,
    InvalidUser,
    InvalidWebsite,
    MissingColumn,
    MissingPassword,
    NoMatchKeys,
    Required,
    SegmentCycle,
    SegmentInUse,
    TooLong,
    TooMany,
    WeakPassword,
    // Things that are not there, or not in the state asked for.
    AlreadyUndone,
    FileChanged,
    MissingFile,
    NotDamaged,
    NotFound,
    NotResumable,
    UnknownCommand,
    UnknownSpace,
    // Files the user picked, dropped or named.
    Dialog,
    Export,
    FileNotChosen,
    Io,
    RevealFailed,
    UnreadableFile,
    UnwritableFile,
    // The local store and its backups.
    BackupDamaged,
    BackupElsewhere,
    BackupMissing,
    BackupUnreadable,
    Busy,
    Closed,
    Constraint,
    CorruptStore,
    DiskFull,
    Migration,
    NewerStore,
    Storage,
    StoreUnavailable,
    // Sync, the team server and the keychain.
    Keychain,
    KeychainNoEntry,
    NotASyncUser,
    PlaintextRefused,
    ServerAuth,
    ServerDatabase,
    ServerError,
    ServerMigration,
    ServerReplaced,
    ServerSchema,
    ServerTls,
    ServerUnreachable,
    SyncConfigured,
    SyncOff,
    // The desktop around the app.
    Autostart,
    Notifications,
    // A bug: the message says what to do.
    Internal,
}

impl ErrorCode {
    /// The code as it travels: `not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlreadyUndone => "already_undone",
            Self::AmbiguousDates => "ambiguous_dates",
            Self::Autostart => "autostart",
            Self::Notifications => "notifications",
            Self::BackupDamaged => "backup_damaged",
            Self::BackupElsewhere => "backup_elsewhere",
            Self::BackupMissing => "backup_missing",
            Self::BackupUnreadable => "backup_unreadable",
            Self::Busy => "busy",
            Self::Closed => "closed",
            Self::Constraint => "constraint",
            Self::CorruptStore => "corrupt_store",
            Self::Dialog => "dialog",
            Self::DiskFull => "disk_full",
            Self::DuplicateCompany => "duplicate_company",
            Self::DuplicateName => "duplicate_name",
            Self::EmptyFile => "empty_file",
            Self::Export => "export",
            Self::FileChanged => "file_changed",
            Self::FileNotChosen => "file_not_chosen",
            Self::Internal => "internal",
            Self::InvalidChannel => "invalid_channel",
            Self::InvalidCompanySize => "invalid_company_size",
            Self::InvalidCount => "invalid_count",
            Self::InvalidCursor => "invalid_cursor",
            Self::InvalidCustomFields => "invalid_custom_fields",
            Self::InvalidDate => "invalid_date",
            Self::InvalidDelimiter => "invalid_delimiter",
            Self::InvalidDuration => "invalid_duration",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidEncoding => "invalid_encoding",
            Self::InvalidField => "invalid_field",
            Self::InvalidHalfLife => "invalid_half_life",
            Self::InvalidHeaderLine => "invalid_header_line",
            Self::InvalidJson => "invalid_json",
            Self::InvalidKind => "invalid_kind",
            Self::InvalidMapping => "invalid_mapping",
            Self::InvalidMode => "invalid_mode",
            Self::InvalidPhone => "invalid_phone",
            Self::InvalidQuery => "invalid_query",
            Self::InvalidRecurrence => "invalid_recurrence",
            Self::InvalidRegion => "invalid_region",
            Self::InvalidRule => "invalid_rule",
            Self::InvalidSchedule => "invalid_schedule",
            Self::InvalidScore => "invalid_score",
            Self::InvalidSource => "invalid_source",
            Self::InvalidSpace => "invalid_space",
            Self::InvalidStage => "invalid_stage",
            Self::InvalidStatus => "invalid_status",
            Self::InvalidThreshold => "invalid_threshold",
            Self::InvalidTime => "invalid_time",
            Self::InvalidTimeZone => "invalid_time_zone",
            Self::InvalidUrl => "invalid_url",
            Self::InvalidUser => "invalid_user",
            Self::InvalidWebsite => "invalid_website",
            Self::Io => "io",
            Self::Keychain => "keychain",
            Self::KeychainNoEntry => "keychain_no_entry",
            Self::Migration => "migration",
            Self::MissingColumn => "missing_column",
            Self::MissingFile => "missing_file",
            Self::MissingPassword => "missing_password",
            Self::NewerStore => "newer_store",
            Self::NoMatchKeys => "no_match_keys",
            Self::NotASyncUser => "not_a_sync_user",
            Self::NotDamaged => "not_damaged",
            Self::NotFound => "not_found",
            Self::NotResumable => "not_resumable",
            Self::PlaintextRefused => "plaintext_refused",
            Self::Required => "required",
            Self::RevealFailed => "reveal_failed",
            Self::SegmentCycle => "segment_cycle",
            Self::SegmentInUse => "segment_in_use",
            Self::ServerAuth => "server_auth",
            Self::ServerDatabase => "server_database",
            Self::ServerError => "server_error",
            Self::ServerMigration => "server_migration",
            Self::ServerReplaced => "server_replaced",
            Self::ServerSchema => "server_schema",
            Self::ServerTls => "server_tls",
            Self::ServerUnreachable => "server_unreachable",
            Self::Storage => "storage",
            Self::StoreUnavailable => "store_unavailable",
            Self::SyncConfigured => "sync_configured",
            Self::SyncOff => "sync_off",
            Self::TooLong => "too_long",
            Self::TooMany => "too_many",
            Self::UnknownCommand => "unknown_command",
            Self::UnknownSpace => "unknown_space",
            Self::UnreadableFile => "unreadable_file",
            Self::UnwritableFile => "unwritable_file",
            Self::WeakPassword => "weak_password",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `err.code == "not_found"` reads as the wire format does (tests, logs).
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None }
    }

    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: Some(field.into()) }
    }

    /// SQLITE_FULL: the store names the folder where it can (`Store::explain`).
    pub fn disk_full() -> Self {
        Self::new(ErrorCode::DiskFull, "The disk holding the database is full. Free some space and try again; nothing was changed")
    }

    /// SQLITE_CORRUPT / SQLITE_NOTADB met while working.
    pub fn corrupt(detail: &str) -> Self {
        Self::new(ErrorCode::CorruptStore, format!("The database file is damaged ({detail}). Restore a backup (Settings → Backups, or `leadbook backup restore`)"))
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("No {what} with id {id}"))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        // Constraint failures mean our validation missed a case: say which constraint.
        if let sqlx::Error::Database(db) = &err {
            if db.is_check_violation() || db.is_foreign_key_violation() || db.is_unique_violation() {
                return Self::new(ErrorCode::Constraint, format!("The store refused the write: {}", db.message()));
            }
            if db.message().contains("database is locked") {
                return Self::new(ErrorCode::Busy, "The database is busy (another Leadbook process is writing); try again");
            }
            // SQLite's primary result codes (the extended code's low byte).
            match db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff) {
                Some(13) => return Self::disk_full(),
                Some(11) | Some(26) => return Self::corrupt(db.message()),
                _ => {}
            }
        }
        Self::new(ErrorCode::Storage, format!("Database error: {err}"))
    }
}

impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::new(ErrorCode::Migration, format!("Could not migrate the database: {err}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> Self {
        Self::new(ErrorCode::InvalidJson, format!("Invalid JSON: {err}"))
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
