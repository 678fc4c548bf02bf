//! What the app tells the window, and the background side of reminders: the scheduler, its
//! events forwarded to the UI, and the tray icon that keeps Leadbook reachable with the window closed.

use leadbook_core::reminders::scheduler::{NoticeAction, Scheduler, SchedulerEvent};
use leadbook_core::Store;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager, Wry};

/// Event name → TypeScript payload type, for `AppEvents` in the generated bindings.
pub const EVENTS: [(&str, &str); 12] = [
    (REMINDER_FIRED, "Reminder"),
    (REMINDERS_MISSED, "Array<Reminder>"),
    (REMINDERS_CHANGED, "null"),
    (NOTIFIER_STATUS, "NotifierStatus"),
    (OPEN_LEAD, "string"),
    (SHOW_REMINDERS, "null"),
    (SEGMENTS_REFRESHED, "Array<RefreshResult>"),
    (SCORE_PROGRESS, "RecomputeProgress"),
    (SCORES_CHANGED, "RecomputeSummary"),
    (SYNC_STATUS, "SyncStatus"),
    (APP_ERROR, "AppError"),
    (STORE_RESTORED, "RestoreSummary"),
];
/// A bug (panic) somewhere in the app: the window shows it with what to do.
pub const APP_ERROR: &str = "app-error";
/// A backup replaced the store's contents: every view reads again.
pub const STORE_RESTORED: &str = "store-restored";

/// The running app, for the panic hook (set once the app is built).
pub static APP: std::sync::OnceLock<AppHandle> = std::sync::OnceLock::new();

/// The daily snapshot (at start when the last one is a day old, then checked hourly), and once
/// at start a quick integrity check of the database: damage found while running is reported
/// to the window like a database that cannot be opened.
pub fn start_backups(app: &AppHandle, store: Store) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = store.quick_check().await {
            tracing::error!(error = %e.message, "the database failed its integrity check");
            let _ = app.emit(APP_ERROR, e);
        }
        loop {
            match store.backup_if_due().await {
                Ok(Some(made)) => tracing::info!(file = %made.path, "daily backup taken"),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e.message, "the daily backup failed");
                    let _ = app.emit(APP_ERROR, store.explain(e));
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}
pub const SYNC_STATUS: &str = "sync-status";
pub const SCORE_PROGRESS: &str = "score-progress";
pub const SCORES_CHANGED: &str = "scores-changed";
pub const SEGMENTS_REFRESHED: &str = "segments-refreshed";
pub const REMINDER_FIRED: &str = "reminder-fired";
pub const REMINDERS_MISSED: &str = "reminders-missed";
pub const REMINDERS_CHANGED: &str = "reminders-changed";
pub const NOTIFIER_STATUS: &str = "notifier-status";
pub const OPEN_LEAD: &str = "open-lead";
pub const SHOW_REMINDERS: &str = "show-reminders";

pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The tray icon and the menu item that carries the count of due reminders.
pub struct Tray {
    icon: TrayIcon<Wry>,
    reminders: MenuItem<Wry>,
}

pub fn build_tray(app: &AppHandle) -> tauri::Result<Tray> {
    let open = MenuItem::with_id(app, "open", "Open Leadbook", true, None::<&str>)?;
    let reminders = MenuItem::with_id(app, "reminders", "Reminders", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Leadbook", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &reminders, &PredefinedMenuItem::separator(app)?, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("Leadbook")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_main_window(app),
            "reminders" => {
                show_main_window(app);
                let _ = app.emit(SHOW_REMINDERS, ());
            }
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                show_main_window(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok(Tray { icon: builder.build(app)?, reminders })
}

impl Tray {
    async fn refresh(&self, store: &Store) {
        let Ok(counts) = store.reminder_counts().await else { return };
        let label = match counts.overdue {
            0 => "Reminders".to_owned(),
            n => format!("Reminders ({n} due)"),
        };
        let _ = self.reminders.set_text(&label);
        let _ = self.icon.set_tooltip(Some(format!("Leadbook — {}", label.to_lowercase())));
        // Shown beside the icon where the desktop supports it (Linux app indicators, macOS menu bar).
        let _ = self.icon.set_title((counts.overdue > 0).then(|| counts.overdue.to_string()));
    }
}

/// Starts the reminder scheduler on Tauri's runtime and forwards what it does to the window and
/// the tray. It runs as long as the app does, window open or not.
/// Scheduled segments refresh when due, automatic ones hourly (relative dates move with time);
/// checked every minute, reported to the window so open lists update.
pub fn start_segment_refresher(app: &AppHandle, store: Store) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match store.refresh_due_segments().await {
                Ok(done) if !done.is_empty() => {
                    let _ = app.emit(SEGMENTS_REFRESHED, done);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("scheduled segment refresh failed: {e}"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    });
}

/// Re-scores every lead once a day when time alone moves scores (decay, time windows, validity
/// dates); checked every ten minutes.
/// Background sync with the team's server while the app runs (does nothing until sync is set
/// up); every run's outcome goes to the window as `sync-status`, and pulled rows refresh the views.
pub fn start_sync(app: &AppHandle, store: Store) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = store
            .sync_watch(|status, _| {
                let _ = app.emit(SYNC_STATUS, status);
            })
            .await;
        if let Err(e) = result {
            tracing::warn!("background sync stopped: {}", e.message);
        }
    });
}

pub fn start_score_refresher(app: &AppHandle, store: Store) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match store.recompute_scores_if_due().await {
                Ok(Some(summary)) => {
                    let _ = app.emit(SCORES_CHANGED, summary);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!("daily re-score failed: {e}"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
}

pub fn start_reminders(app: &AppHandle, store: Store, tray: Option<Tray>) {
    let scheduler = Scheduler::desktop(store.clone());
    let mut events = scheduler.events();
    let _ = crate::commands::NOTIFIER_STATUS.set(scheduler.status());
    tauri::async_runtime::spawn(async move {
        if let Err(e) = scheduler.run(std::future::pending()).await {
            tracing::error!("reminder scheduler stopped: {e}");
        }
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(tray) = &tray {
            tray.refresh(&store).await;
        }
        loop {
            // The tray count also goes stale as time passes: refresh at least once a minute.
            let event = tokio::time::timeout(std::time::Duration::from_secs(60), events.recv()).await;
            match event {
                Ok(Ok(SchedulerEvent::Fired(r))) => {
                    let _ = app.emit(REMINDER_FIRED, r);
                }
                Ok(Ok(SchedulerEvent::Missed(rs))) => {
                    let _ = app.emit(REMINDERS_MISSED, rs);
                }
                Ok(Ok(SchedulerEvent::Status(s))) => {
                    let _ = app.emit(NOTIFIER_STATUS, s);
                }
                Ok(Ok(SchedulerEvent::Action(action))) => match action {
                    NoticeAction::Open { lead_id } => {
                        show_main_window(&app);
                        let _ = app.emit(OPEN_LEAD, lead_id);
                    }
                    NoticeAction::ShowReminders => {
                        show_main_window(&app);
                        let _ = app.emit(SHOW_REMINDERS, ());
                    }
                    NoticeAction::Snooze { .. } | NoticeAction::Done { .. } => {
                        let _ = app.emit(REMINDERS_CHANGED, ());
                    }
                },
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) | Err(_) => {}
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return,
            }
            if let Some(tray) = &tray {
                tray.refresh(&store).await;
            }
        }
    });
}
