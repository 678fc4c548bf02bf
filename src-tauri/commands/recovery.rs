//! The recovery screen's commands: they work without a store (`slot`), which is why the screen
//! can show while the database cannot be opened (see `crate::recovery`).

use super::app_commands;
use crate::recovery::StartupState;
use leadbook_core::BackupCheck;

app_commands! {
    /// What the window needs before it shows anything: the app, or the recovery screen.
    recovery_state(slot) -> StartupState, reads [], stales [] { crate::recovery::startup_state(slot).await }
    /// Restores a backup over the database that could not be opened, and opens it.
    recovery_restore(slot & app, req: RecoveryRestore { file: String }) -> BackupCheck, reads [], stales [Store, Leads, Companies, Stages, Segments, Scores, Rules, Reminders, Imports, Sync, Backups, Settings] {
        crate::recovery::recovery_restore(&app, slot, &req.file).await
    }
}
