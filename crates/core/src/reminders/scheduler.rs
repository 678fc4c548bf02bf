//! The reminder scheduler: sleeps until the next `fire_at` (one index lookup), wakes when a
//! reminder changes (in this process directly, in others through a watch on the database file),
//! and shows each due reminder as an OS notification. A delivery is recorded only after the
//! notification service accepted it; without one the reminder stays pending and the status says why.
//! The same loop runs inside the app and in `leadbook notifier`.

use crate::error::ErrorCode;
use super::Reminder;
use crate::error::Result;
use crate::Store;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, watch};
use ts_rs::TS;

/// A reminder whose time passed more than this long ago when the scheduler gets to it (the app
/// was closed, the machine asleep) is reported in one "missed" summary instead of one by one.
pub const MISSED_AFTER: Duration = Duration::seconds(60);
/// The longest sleep: bounds the delay after a suspend (the monotonic clock stops while asleep)
/// or a wall-clock change. One index lookup a minute is the whole idle cost.
const MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(60);
/// After a failed notification, try again this much later (or on the next change).
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(30);
/// After a wake, wait this long before reading: a burst of writes (an import in another process)
/// then costs one round per interval, not one per write.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(100);
/// How many reminders are named in a missed-reminders summary.
const SUMMARY_LINES: usize = 5;

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Set for a single reminder: enables the Open / Snooze / Done actions.
    pub reminder: Option<(String, String)>,
}

/// What the user did with a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum NoticeAction {
    #[serde(rename_all = "camelCase")]
    Open { lead_id: String },
    #[serde(rename_all = "camelCase")]
    Snooze { reminder_id: String },
    #[serde(rename_all = "camelCase")]
    Done { reminder_id: String },
    /// The missed-reminders summary was clicked: show the reminders list.
    ShowReminders,
}

/// Shows notifications. `DesktopNotifier` is the real one; tests of the scheduler logic may use
/// their own, the integration tests use the real one against a real D-Bus server.
pub trait Notifier: Send + Sync + 'static {
    /// Blocking. Err names why the OS did not take the notification.
    fn show(&self, notice: &Notice) -> std::result::Result<(), String>;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotifierStatus {
    /// False after the last attempt failed.
    pub available: bool,
    /// Why notifications cannot be shown, for the in-app banner.
    pub error: Option<String>,
    /// Time of the last successful notification.
    pub last_notified_at: Option<String>,
}

#[derive(Debug, Clone)]
pub enum SchedulerEvent {
    Fired(Reminder),
    Missed(Vec<Reminder>),
    /// Actions the scheduler does not handle itself (open a lead, show the list).
    Action(NoticeAction),
    Status(NotifierStatus),
}

/// OS notifications through notify-rust: D-Bus on Linux/BSD (with actions), the notification
/// centre on macOS, toasts on Windows.
pub struct DesktopNotifier {
    actions: mpsc::UnboundedSender<NoticeAction>,
}

/// Shows a sample notification through the same path reminders take (Settings → "Send a test
/// notification"); the error says why the notification service refused it.
pub fn show_test_notification() -> std::result::Result<(), String> {
    let (actions, _ignored) = mpsc::unbounded_channel();
    DesktopNotifier { actions }.show(&Notice {
        title: "Leadbook notifications work".into(),
        body: "Follow-up reminders will pop up like this, even with the window closed.".into(),
        reminder: None,
    })
}

impl Notifier for DesktopNotifier {
    fn show(&self, notice: &Notice) -> std::result::Result<(), String> {
        let mut n = notify_rust::Notification::new();
        n.appname("Leadbook").summary(&notice.title).body(&notice.body);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            if notice.reminder.is_some() {
                // "default" is a click on the notification itself.
                n.action("default", "Open lead").action("open", "Open lead").action("snooze", "Snooze 10 min").action("done", "Done");
            } else {
                n.action("default", "Show reminders");
            }
            n.hint(notify_rust::Hint::Category("reminder".into()));
            let handle = n.show().map_err(|e| format!("The notification service refused the notification: {e}"))?;
            let actions = self.actions.clone();
            let reminder = notice.reminder.clone();
            // Waiting for the click blocks, so it gets its own thread; it ends when the notification closes.
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    let chosen = match (action, &reminder) {
                        ("default" | "open", Some((_, lead_id))) => Some(NoticeAction::Open { lead_id: lead_id.clone() }),
                        ("snooze", Some((id, _))) => Some(NoticeAction::Snooze { reminder_id: id.clone() }),
                        ("done", Some((id, _))) => Some(NoticeAction::Done { reminder_id: id.clone() }),
                        ("default", None) => Some(NoticeAction::ShowReminders),
                        _ => None,
                    };
                    if let Some(chosen) = chosen {
                        let _ = actions.send(chosen);
                    }
                });
            });
            Ok(())
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            let _ = &self.actions;
            n.show().map(|_| ()).map_err(|e| format!("The notification service refused the notification: {e}"))
        }
    }
}

pub struct Scheduler {
    store: Store,
    notifier: Arc<dyn Notifier>,
    actions: mpsc::UnboundedReceiver<NoticeAction>,
    events: broadcast::Sender<SchedulerEvent>,
    status: watch::Sender<NotifierStatus>,
}

impl Scheduler {
    /// A scheduler that shows real OS notifications.
    pub fn desktop(store: Store) -> Self {
        let (send, actions) = mpsc::unbounded_channel();
        Self::with_notifier(store, Arc::new(DesktopNotifier { actions: send }), actions)
    }

    pub fn with_notifier(store: Store, notifier: Arc<dyn Notifier>, actions: mpsc::UnboundedReceiver<NoticeAction>) -> Self {
        let (events, _) = broadcast::channel(256);
        let (status, _) = watch::channel(NotifierStatus { available: true, ..Default::default() });
        Self { store, notifier, actions, events, status }
    }

    pub fn events(&self) -> broadcast::Receiver<SchedulerEvent> {
        self.events.subscribe()
    }

    pub fn status(&self) -> watch::Receiver<NotifierStatus> {
        self.status.subscribe()
    }

    /// Runs until `shutdown` completes.
    pub async fn run(mut self, shutdown: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::pin!(shutdown);
        // One scheduler per database, across processes (the app and `leadbook notifier` side by
        // side): the others stand by, so no reminder pops up twice.
        let lock = tokio::select! {
            _ = &mut shutdown => None,
            lock = scheduler_lock(&self.store) => Some(lock?),
        };
        let Some(_lock) = lock else { return Ok(()) };
        let wake = self.store.reminder_wake.clone();
        let _watcher = watch_database(&self.store, wake.clone());
        loop {
            let now = Utc::now();
            let retry = match self.fire_due(now).await {
                Ok(all_shown) => !all_shown,
                Err(e) => {
                    tracing::error!("reminder scheduler: {e}");
                    true
                }
            };
            let sleep = match self.store.next_fire_at().await {
                Ok(Some(next)) => (next - Utc::now()).to_std().unwrap_or_default().min(MAX_SLEEP),
                Ok(None) => MAX_SLEEP,
                Err(e) => {
                    tracing::error!("reminder scheduler: {e}");
                    RETRY_AFTER
                }
            };
            let sleep = if retry { sleep.max(RETRY_AFTER).min(MAX_SLEEP) } else { sleep };
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = tokio::time::sleep(sleep) => {}
                _ = wake.notified() => tokio::time::sleep(SETTLE).await,
                Some(action) = self.actions.recv() => self.handle_action(action).await,
            }
        }
    }

    /// Shows everything due at `now`: reminders overdue by more than `MISSED_AFTER` as one
    /// summary, the others one by one. Returns false when the notification service failed.
    async fn fire_due(&mut self, now: DateTime<Utc>) -> Result<bool> {
        let due = self.store.reminders_to_fire(now, 1000).await?;
        if due.is_empty() {
            return Ok(true);
        }
        // Turned off in Settings: due reminders still fire (the window and the list show them),
        // they just do not pop up. Unreadable setting: pop up, the safe side for a reminder.
        let pop_up = self.store.desktop_notifications().await.unwrap_or(true);
        let (missed, current): (Vec<Reminder>, Vec<Reminder>) = due.into_iter().partition(|r| {
            r.fire_at.as_deref().and_then(|t| t.parse::<DateTime<Utc>>().ok()).is_some_and(|t| t < now - MISSED_AFTER)
        });
        if !missed.is_empty() {
            if pop_up && !self.show(summary(&missed)).await {
                return Ok(false);
            }
            for r in &missed {
                self.store.mark_reminder_notified(r, Utc::now(), true).await?;
            }
            let _ = self.events.send(SchedulerEvent::Missed(missed));
        }
        for r in current {
            let notice = Notice {
                title: format!("Follow up: {}", if r.lead_name.is_empty() { "(no name)" } else { &r.lead_name }),
                body: r.message.clone(),
                reminder: Some((r.id.clone(), r.lead_id.clone())),
            };
            if pop_up && !self.show(notice).await {
                return Ok(false);
            }
            if self.store.mark_reminder_notified(&r, Utc::now(), false).await? {
                let _ = self.events.send(SchedulerEvent::Fired(r));
            }
        }
        Ok(true)
    }

    /// Shows one notice off the async threads; updates and publishes the status.
    async fn show(&mut self, notice: Notice) -> bool {
        let notifier = self.notifier.clone();
        let result = tokio::task::spawn_blocking(move || notifier.show(&notice))
            .await
            .unwrap_or_else(|e| Err(format!("The notifier crashed: {e}")));
        let mut status = self.status.borrow().clone();
        match result {
            Ok(()) => {
                status = NotifierStatus { available: true, error: None, last_notified_at: Some(crate::clock::now()) };
            }
            Err(reason) => {
                tracing::error!("cannot show a reminder notification: {reason}");
                status.available = false;
                status.error = Some(reason);
            }
        }
        let ok = status.available;
        if *self.status.borrow() != status {
            let _ = self.events.send(SchedulerEvent::Status(status.clone()));
            self.status.send_replace(status);
        }
        ok
    }

    async fn handle_action(&mut self, action: NoticeAction) {
        let result = match &action {
            NoticeAction::Snooze { reminder_id } => self.store.snooze_reminder(reminder_id, 10).await.map(|_| ()),
            NoticeAction::Done { reminder_id } => self.store.complete_reminder(reminder_id).await.map(|_| ()),
            NoticeAction::Open { .. } | NoticeAction::ShowReminders => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("notification action {action:?}: {e}");
        }
        let _ = self.events.send(SchedulerEvent::Action(action));
    }
}

/// Waits until this process holds the database's scheduler lock (an OS file lock next to the
/// database, released by the OS when the holder exits, even after a kill -9).
async fn scheduler_lock(store: &Store) -> Result<std::fs::File> {
    let mut path = store.path().as_os_str().to_owned();
    path.push(".scheduler-lock");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| {
        crate::error::AppError::new(ErrorCode::Storage, format!("Cannot open the scheduler lock {}: {e}", std::path::Path::new(&path).display()))
    })?;
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                if !said {
                    tracing::info!("another Leadbook process shows this database's reminders; standing by");
                    said = true;
                }
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(crate::error::AppError::new(ErrorCode::Storage, format!("Cannot lock the scheduler lock: {e}")));
            }
        }
    }
}

fn summary(missed: &[Reminder]) -> Notice {
    let mut lines: Vec<String> = missed.iter().take(SUMMARY_LINES).map(|r| format!("{}: {}", r.lead_name, r.message)).collect();
    if missed.len() > SUMMARY_LINES {
        lines.push(format!("and {} more", missed.len() - SUMMARY_LINES));
    }
    let title = if missed.len() == 1 { "1 missed reminder".to_owned() } else { format!("{} missed reminders", missed.len()) };
    Notice { title, body: lines.join("\n"), reminder: None }
}

/// Wakes the scheduler when another process (the CLI, a second window) writes the database.
/// Returns the watcher, which stops when dropped; None when the platform offers no watch (the
/// scheduler then still notices changes within `MAX_SLEEP`).
fn watch_database(store: &Store, wake: Arc<tokio::sync::Notify>) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let db = store.path().to_path_buf();
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).to_path_buf();
    let name = db.file_name()?.to_string_lossy().into_owned();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let ours = event.paths.iter().any(|p| p.file_name().is_some_and(|f| f.to_string_lossy().starts_with(&name)));
        // Every write, not just the first of a burst: the first write of a transaction can come
        // before its commit, and `Notify` keeps one pending wake, so a later write re-runs the round.
        if ours && event.kind.is_modify() {
            wake.notify_one();
        }
    })
    .map_err(|e| tracing::warn!("cannot watch {}: {e}", dir.display()))
    .ok()?;
    watcher.watch(&dir, notify::RecursiveMode::NonRecursive).map_err(|e| tracing::warn!("cannot watch {}: {e}", dir.display())).ok()?;
    Some(watcher)
}
