//! When the database cannot be opened (not a SQLite file, damaged, a migration that fails, a
//! newer version's store), the window shows a recovery screen instead of the app: the reason,
//! and the newest backup that passes its check, to restore. These commands work without a
//! store (`commands::recovery`); everything else waits until one is restored.

use leadbook_core::ErrorCode;
use crate::commands::StoreSlot;
use leadbook_core::backup::{self, Backup, BackupCheck};
use leadbook_core::{AppError, Store};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::AppHandle;
use ts_rs::TS;

/// What the window needs to know before it shows anything.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupState {
    pub db_path: String,
    /// Why the database cannot be used; None when the app runs normally.
    pub damaged: Option<AppError>,
    /// Snapshots of this database, newest first (only listed when it is damaged).
    pub backups: Vec<Backup>,
    /// The newest snapshot that passes its check: the one to restore.
    pub newest_good: Option<BackupCheck>,
}

pub async fn startup_state(slot: &StoreSlot) -> Result<StartupState, AppError> {
    let db_path = slot.db_path.clone();
    let Some(damaged) = slot.damaged() else {
        return Ok(StartupState { db_path: db_path.display().to_string(), damaged: None, backups: vec![], newest_good: None });
    };
    let path = db_path.clone();
    let (backups, newest_good) = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
        Ok((backup::list_backups_of(&path)?, backup::newest_good_backup(&path)?))
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
    Ok(StartupState { db_path: db_path.display().to_string(), damaged: Some(damaged), backups, newest_good })
}

/// Restores a snapshot over the database that could not be opened (kept beside it, renamed),
/// opens it, and starts the app's background work on it.
pub async fn recovery_restore(app: &AppHandle, slot: &StoreSlot, file: &str) -> Result<BackupCheck, AppError> {
    if slot.damaged().is_none() {
        return Err(AppError::new(ErrorCode::NotDamaged, "The database is open: restore from Settings → Backups"));
    }
    let db = slot.db_path.clone();
    let file = backup_file(&db, file)?;
    let db_for_copy = db.clone();
    let restored = tokio::task::spawn_blocking(move || backup::restore_offline(&db_for_copy, &file))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))??;
    let store = Store::open(&db).await?;
    slot.set(store.clone());
    crate::start_background_work(app, store);
    Ok(restored)
}

/// A snapshot the window names: only a file in this database's backups folder (by name or full
/// path), so a compromised window cannot make the app read or restore any other file.
pub fn backup_file(db: &Path, file: &str) -> Result<PathBuf, AppError> {
    let dir = backup::backups_dir(db);
    let name = Path::new(file).file_name().ok_or_else(|| AppError::field(ErrorCode::BackupMissing, "file", format!("“{file}” is not a backup")))?;
    let inside = dir.join(name);
    let given = Path::new(file);
    if given.is_absolute() && given != inside {
        return Err(AppError::field(ErrorCode::BackupElsewhere, "file", format!("Only backups in {} can be restored from here", dir.display())));
    }
    if !inside.is_file() {
        return Err(AppError::field(ErrorCode::BackupMissing, "file", format!("There is no backup {} in {}", name.to_string_lossy(), dir.display())));
    }
    Ok(inside)
}

/// Shows a file (or folder) in the system's file manager.
pub fn reveal(app: &AppHandle, target: &Path) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let cannot = |e: &dyn std::fmt::Display| AppError::new(ErrorCode::RevealFailed, format!("Cannot show {} in a file manager: {e}", target.display()));
    if target.is_dir() {
        std::fs::create_dir_all(target).map_err(|e| cannot(&e))?;
        app.opener().open_path(target.display().to_string(), None::<&str>).map_err(|e| cannot(&e))
    } else {
        app.opener().reveal_item_in_dir(target).map_err(|e| cannot(&e))
    }
}
