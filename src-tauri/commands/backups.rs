//! Backups: list, take one now, check, restore (Settings → Backups) and show in the file manager.
//! Only files in this database's backups folder can be named (`crate::recovery::backup_file`).

use leadbook_core::ErrorCode;
use super::app_commands;
use leadbook_core::*;

app_commands! {
    backup_list(store) -> Vec<Backup>, reads [Backups], stales [] { store.list_backups().await }
    backup_create(store) -> Backup, reads [], stales [Backups] { store.create_backup(BackupKind::Manual).await }
    backup_check(store, req: BackupCheckRequest { file: String }) -> BackupCheck, reads [Backups], stales [] {
        let file = crate::recovery::backup_file(store.path(), &req.file)?;
        tokio::task::spawn_blocking(move || leadbook_core::backup::check_backup(&file)).await.map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
    }
    /// Replaces the store's contents with a backup (a snapshot of the current state is taken first).
    backup_restore(store & app, req: BackupRestore { file: String }) -> RestoreSummary, reads [], stales [Store, Leads, Companies, Stages, Segments, Scores, Rules, Reminders, Imports, Sync, Backups, Settings] {
        let file = crate::recovery::backup_file(store.path(), &req.file)?;
        let summary = store.restore_backup(&file).await?;
        let _ = tauri::Emitter::emit(&app, crate::events::STORE_RESTORED, summary.clone());
        Ok(summary)
    }
    /// Shows a backup (or the folder) in the file manager.
    backup_reveal(store & app, req: BackupReveal { file: Option<String> }) -> (), reads [], stales [] {
        // Only the backups folder or a file in it: the window never names other places to open.
        let target = match req.file {
            Some(file) => crate::recovery::backup_file(store.path(), &file)?,
            None => leadbook_core::backup::backups_dir(store.path()),
        };
        crate::recovery::reveal(&app, &target)
    }
}
