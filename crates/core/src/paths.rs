//! Where the database lives when the user does not say.

use std::path::PathBuf;

/// Same folder Tauri's `app_data_dir()` uses for our identifier, so the app and the CLI
/// open the same store by default.
pub const APP_IDENTIFIER: &str = "app.leadbook.desktop";
pub const DB_ENV: &str = "LEADBOOK_DB";

/// `--db` wins, then `LEADBOOK_DB`, then the platform's app-data folder.
pub fn resolve_db_path(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_db_path)
}

pub fn default_db_path() -> PathBuf {
    let base = directories::BaseDirs::new()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."));
    base.join(APP_IDENTIFIER).join("leadbook.db")
}
