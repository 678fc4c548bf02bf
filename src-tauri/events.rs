//! What the app tells the window, and the background side of reminders: the scheduler, its
//! events forwarded to the UI, and the tray icon that keeps Leadbook reachable with the window closed.

use crate::data::{self, DataChanged, DataTag};
use leadbook_core::reminders::scheduler::{NoticeAction, NotifierStatus, Scheduler, SchedulerEvent};
use leadbook_core::sync::SyncStatus;
use leadbook_core::{AppError, RecomputeProgress, RecomputeSummary, RefreshResult, Reminder, RestoreSummary, Store};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager, Wry};

/// Declares the events the app sends to the window, each once: its constant, its name on the
/// wire and its payload type (which becomes `AppEvents` in the generated bindings).
macro_rules! app_events {
    ($( $(#[doc = $doc:literal])* $konst:ident = $name:literal : $payload:ty, )*) => {
        $( $(#[doc = $doc])* pub const $konst: &str = $name; )*

        /// `(name, docs, payload's TypeScript type)` of every event.
        pub fn describe(types: &mut crate::bindings::TypeCollector) -> Vec<(&'static str, &'static str, String)> {
            vec![$(($name, concat!($($doc, "\n"),*), types.name::<$payload>()),)*]
        }
    };
}

app_events! {
    /// A reminder is due: the window shows it (the OS notification pops up anyway).
    REMINDER_FIRED = "reminder-fired": Reminder,
    /// Reminders that came due while Leadbook was not running.
    REMINDERS_MISSED = "reminders-missed": Vec<Reminder>,
    /// A reminder was acted on from its notification (snoozed, done).
    REMINDERS_CHANGED = "reminders-changed": (),
    /// Whether notifications can pop up (a notification server came or went).
    NOTIFIER_STATUS = "notifier-status": NotifierStatus,
    /// Open this lead (a notification was clicked).
    OPEN_LEAD = "open-lead": String,
    /// Show the reminders view (from the tray menu or a notification).
    SHOW_REMINDERS = "show-reminders": (),
    /// Scheduled or automatic segments were refreshed in the background.
    SEGMENTS_REFRESHED = "segments-refreshed": Vec<RefreshResult>,
    /// A full re-score's progress.
    SCORE_PROGRESS = "score-progress": RecomputeProgress,
    /// A full re-score finished.
    SCORES_CHANGED = "scores-changed": RecomputeSummary,
    /// The sync status after each background run or sync command.
    SYNC_STATUS = "sync-status": SyncStatus,
    /// A bug or a background failure the user should know about, with what to do.
    APP_ERROR = "app-error": AppError,
    /// A backup replaced the store's contents: every view reads again.
    STORE_RESTORED = "store-restored": RestoreSummary,
    /// Background work changed these kinds of data: the window refetches what it shows of them.
    DATA_CHANGED = "data-changed": DataChanged,
}

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

/// Re-indexes, in the background, leads whose search entries an older version wrote (so their
/// phone numbers are found by their last digits too); searches refresh when it is done.
pub fn start_search_upgrade(app: &AppHandle, store: Store) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match store.upgrade_search_index().await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(leads = n, "search index upgraded");
                crate::data::changed(&app, &[crate::data::DataTag::Leads]);
            }
            // Searches still work on the old entries; the next start resumes where this stopped.
            Err(e) => tracing::warn!(error = %e.message, "the search index upgrade stopped"),
        }
    });
}

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
                    data::changed(&app, &[DataTag::Segments, DataTag::Leads]);
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
            .sync_watch(|status, report| {
                let _ = app.emit(SYNC_STATUS, status);
                // Rows from teammates may touch anything the window shows.
                if report.is_some_and(|r| r.pulled > 0) {
                    data::changed(&app, data::ALL);
                }
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
                    data::changed(&app, &[DataTag::Scores, DataTag::Leads, DataTag::Segments]);
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
                    // Firing logs on the lead's timeline and moves the reminder on.
                    data::changed(&app, &[DataTag::Reminders, DataTag::Leads]);
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
                        data::changed(&app, &[DataTag::Reminders, DataTag::Leads, DataTag::Scores, DataTag::Segments]);
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
