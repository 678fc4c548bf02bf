//! Sync with the team's PostgreSQL: status, setup (the password goes to the OS keychain), a run
//! now, forgetting the server. Each tells the window the new status as `sync-status`.

use super::app_commands;
use crate::events::SYNC_STATUS;
use leadbook_core::sync::{SyncReport, SyncSetup, SyncStatus, Transport};
use leadbook_core::Store;

/// Sends the current status to the window (the sidebar indicator and Settings show it).
async fn announce(app: &tauri::AppHandle, store: &Store) {
    if let Ok(status) = store.sync_status().await {
        let _ = tauri::Emitter::emit(app, SYNC_STATUS, status);
    }
}

app_commands! {
    sync_status(store) -> SyncStatus, reads [Sync], stales [] { store.sync_status().await }
    /// Connects this desktop to a team server; plaintext only when `allowPlaintext` says so.
    sync_setup(store & app, req: SyncSetupRequest { url: String, password: String, space: Option<String>, allow_plaintext: bool })
        -> SyncSetup, reads [], stales [Store, Sync, Leads, Companies, Stages, Segments, Scores, Rules, Reminders]
    {
        // The password goes straight to the OS keychain; it is never stored or logged.
        let transport = if req.allow_plaintext { Transport::PlaintextAllowed } else { Transport::TlsRequired };
        let setup = store.sync_setup(&req.url, &req.password, req.space.as_deref(), transport).await?;
        announce(&app, store).await;
        Ok(setup)
    }
    sync_now(store & app) -> SyncReport, reads [], stales [Store, Sync, Leads, Companies, Stages, Segments, Scores, Rules, Reminders] {
        let result = store.sync_now().await;
        announce(&app, store).await;
        result
    }
    sync_forget(store & app) -> bool, reads [], stales [Sync] {
        let forgot = store.sync_forget().await?;
        announce(&app, store).await;
        Ok(forgot)
    }
}
