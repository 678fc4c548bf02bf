//! `leadbook notifier` against a real D-Bus session and a notification server that records every
//! Notify call: what a user's desktop would show, when, and how often. No mock of notify-rust.

use leadbook_core::{LeadInput, Reminder, ReminderInput, Store};
use leadbook_testkit::{DbusSession, NotificationServer};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

struct Notifier {
    child: Child,
    lines: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl Notifier {
    fn start(db: &Path, bus: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
            .arg("--db")
            .arg(db)
            .args(["notifier", "--json"])
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("TZ", "Europe/Berlin")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start leadbook notifier");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let out = child.stdout.take().unwrap();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}")));
            }
        });
        let n = Self { child, lines };
        n.wait_line("started", Duration::from_secs(10));
        n
    }

    fn wait_line(&self, event: &str, timeout: Duration) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.lines.lock().unwrap().iter().find(|l| l["event"] == event) {
                return line.clone();
            }
            assert!(Instant::now() < deadline, "no {event:?} line from the notifier; got {:?}", self.lines.lock().unwrap());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, as a service manager would: the notifier must exit cleanly.
    fn stop(mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "notifier exited with {status} on SIGTERM");
                return;
            }
            assert!(Instant::now() < deadline, "notifier ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One notifier at a time: the on-time assertions are about the scheduler, not about five
/// notifiers and their buses competing for two cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Setup {
    _turn: tokio::sync::MutexGuard<'static, ()>,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    store: Store,
    lead_id: String,
    bus: DbusSession,
}

async fn setup() -> Option<Setup> {
    let turn = ONE_AT_A_TIME.lock().await;
    let bus = DbusSession::start()?;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("leads.db");
    let store = Store::open(&db).await.unwrap();
    let lead = store.create_lead(&LeadInput { first_name: "Ada".into(), last_name: "Lovelace".into(), ..Default::default() }).await.unwrap();
    Some(Setup { _turn: turn, _dir: dir, db, store, lead_id: lead.id, bus })
}

fn in_secs(s: f64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::milliseconds((s * 1000.0) as i64)
}

async fn add(s: &Setup, message: &str, due: chrono::DateTime<chrono::Utc>, recurrence: Option<&str>) -> Reminder {
    s.store
        .create_reminder(&ReminderInput {
            lead_id: s.lead_id.clone(),
            message: message.into(),
            due_at: due.to_rfc3339(),
            remind_at: None,
            recurrence: recurrence.map(Into::into),
        })
        .await
        .unwrap()
}

fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn wait_until(what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reminder_due_in_two_seconds_pops_up_once_on_time() {
    let Some(s) = setup().await else { return };
    let server = NotificationServer::start(&s.bus.address).await;
    let notifier = Notifier::start(&s.db, &s.bus.address);
    // Added by another process while the notifier sleeps: it must notice the change itself.
    let due = in_secs(2.0);
    let r = add(&s, "Call about the proposal", due, None).await;
    let shown = server.wait_for(1, Duration::from_secs(6)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let shown_after = server.shown();
    assert_eq!(shown_after.len(), 1, "exactly one notification: {shown_after:?}");
    let n = &shown[0];
    assert_eq!(n.app_name, "Leadbook");
    assert_eq!(n.summary, "Follow up: Ada Lovelace");
    assert_eq!(n.body, "Call about the proposal");
    for action in ["default", "snooze", "done"] {
        assert!(n.actions.iter().any(|a| a == action), "action {action} offered: {:?}", n.actions);
    }
    let late = n.at.duration_since(SystemTime::from(due)).expect("not before its time");
    assert!(late < Duration::from_secs(1), "shown {late:?} after its time");
    let fired = notifier.wait_line("fired", Duration::from_secs(2));
    assert_eq!(fired["reminder"]["id"], r.id.as_str());
    let stored = s.store.get_reminder(&r.id).await.unwrap();
    assert!(stored.notified_at.is_some());
    assert_eq!(stored.fire_at, None, "nothing left to notify");
    assert_eq!(stored.status, "pending", "still open until the user marks it done");
    notifier.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn with_desktop_notifications_off_a_due_reminder_fires_without_popping_up() {
    let Some(s) = setup().await else { return };
    assert_eq!(cli(&s.db, &["notifications", "off"]).trim(), "off");
    assert_eq!(cli(&s.db, &["notifications"]).trim(), "off");
    let server = NotificationServer::start(&s.bus.address).await;
    let notifier = Notifier::start(&s.db, &s.bus.address);
    let quiet = add(&s, "Quiet one", in_secs(1.0), None).await;
    let fired = notifier.wait_line("fired", Duration::from_secs(5));
    assert_eq!(fired["reminder"]["id"], quiet.id.as_str(), "it still fires (the window shows it)");
    assert!(s.store.get_reminder(&quiet.id).await.unwrap().notified_at.is_some());
    assert!(server.shown().is_empty(), "nothing popped up: {:?}", server.shown());

    // Turned back on while running: the next one pops up.
    assert_eq!(cli(&s.db, &["notifications", "on"]).trim(), "on");
    add(&s, "Loud one", in_secs(1.0), None).await;
    let shown = server.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(shown[0].body, "Loud one");
    notifier.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn snooze_fires_again_and_notification_actions_snooze_and_complete() {
    let Some(s) = setup().await else { return };
    let server = NotificationServer::start(&s.bus.address).await;
    let notifier = Notifier::start(&s.db, &s.bus.address);
    let r = add(&s, "Send the contract", in_secs(1.0), None).await;
    let first = server.wait_for(1, Duration::from_secs(5)).await[0].clone();

    // The "Snooze 10 min" button on the notification.
    server.invoke_action(first.id, "snooze").await;
    wait_until("the action snoozes the reminder", Duration::from_secs(5), async || {
        s.store.get_reminder(&r.id).await.unwrap().status == "snoozed"
    })
    .await;
    let snoozed = s.store.get_reminder(&r.id).await.unwrap();
    let fire_at: chrono::DateTime<chrono::Utc> = snoozed.fire_at.unwrap().parse().unwrap();
    let ahead = fire_at - chrono::Utc::now();
    assert!(ahead > chrono::Duration::minutes(9) && ahead <= chrono::Duration::minutes(10), "snoozed for {ahead}");

    // Snoozed again from the CLI for two seconds: it pops up again once.
    cli(&s.db, &["reminders", "snooze", &r.id, "--for", "2s"]);
    let fire_at: chrono::DateTime<chrono::Utc> = s.store.get_reminder(&r.id).await.unwrap().fire_at.unwrap().parse().unwrap();
    let snooze_ends = SystemTime::from(fire_at);
    let shown = server.wait_for(2, Duration::from_secs(6)).await;
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[1].body, "Send the contract");
    // Shown before the snooze ended is a failure too, not "0 s late".
    let late = shown[1].at.duration_since(snooze_ends).unwrap_or_else(|early| panic!("shown {:?} before the snooze ended", early.duration()));
    assert!(late < Duration::from_secs(1), "shown {late:?} after the snooze ended");

    // The "Done" button closes it.
    server.invoke_action(shown[1].id, "done").await;
    wait_until("the action marks the reminder done", Duration::from_secs(5), async || {
        s.store.get_reminder(&r.id).await.unwrap().status == "done"
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(server.shown().len(), 2);
    notifier.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recurring_reminder_fires_each_period() {
    let Some(s) = setup().await else { return };
    let server = NotificationServer::start(&s.bus.address).await;
    let notifier = Notifier::start(&s.db, &s.bus.address);
    let r = add(&s, "Check the dashboard", in_secs(1.0), Some("FREQ=SECONDLY;INTERVAL=2")).await;
    let shown = server.wait_for(4, Duration::from_secs(10)).await;
    assert!(shown.len() >= 4, "{} notifications", shown.len());
    for pair in shown.windows(2) {
        let gap = pair[1].instant - pair[0].instant;
        assert!(gap > Duration::from_millis(1500) && gap < Duration::from_millis(2600), "period {gap:?}");
    }
    let stored = s.store.get_reminder(&r.id).await.unwrap();
    assert_eq!(stored.status, "pending");
    assert!(stored.fire_at.is_some(), "the series goes on");
    notifier.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn missed_reminders_are_summarised_once_at_the_next_start() {
    let Some(s) = setup().await else { return };
    let server = NotificationServer::start(&s.bus.address).await;
    // Due while nothing was running.
    let a = add(&s, "Call back about pricing", chrono::Utc::now() - chrono::Duration::minutes(30), None).await;
    add(&s, "Send the case study", chrono::Utc::now() - chrono::Duration::minutes(5), None).await;
    let notifier = Notifier::start(&s.db, &s.bus.address);
    let shown = server.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(server.shown().len(), 1, "one summary, not one per reminder: {:?}", server.shown());
    assert_eq!(shown[0].summary, "2 missed reminders");
    assert!(shown[0].body.contains("Ada Lovelace: Call back about pricing") && shown[0].body.contains("Send the case study"), "{}", shown[0].body);
    let missed = notifier.wait_line("missed", Duration::from_secs(2));
    assert_eq!(missed["reminders"].as_array().unwrap().len(), 2);
    notifier.stop();

    // Still listed as overdue, but a second start says nothing more.
    assert_eq!(s.store.get_reminder(&a.id).await.unwrap().status, "pending");
    let again = Notifier::start(&s.db, &s.bus.address);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(server.shown().len(), 1, "nothing repeated at the second start");
    again.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_notification_service_the_reminder_stays_pending_and_the_error_is_reported() {
    let Some(s) = setup().await else { return };
    // A bus, but nobody serving org.freedesktop.Notifications on it.
    let notifier = Notifier::start(&s.db, &s.bus.address);
    let r = add(&s, "Follow up on the demo", in_secs(1.0), None).await;
    let status = notifier.wait_line("status", Duration::from_secs(6));
    assert_eq!(status["status"]["available"], false);
    let error = status["status"]["error"].as_str().unwrap();
    assert!(error.contains("org.freedesktop.Notifications") || error.contains("ServiceUnknown"), "{error}");
    let stored = s.store.get_reminder(&r.id).await.unwrap();
    assert_eq!(stored.notified_at, None, "no delivery recorded");
    assert_eq!(stored.fire_at.as_deref(), Some(stored.remind_at.as_str()), "still due to be notified");
    assert_eq!(stored.status, "pending");
    notifier.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_notifiers_on_one_database_show_each_reminder_once() {
    let Some(s) = setup().await else { return };
    let server = NotificationServer::start(&s.bus.address).await;
    let first = Notifier::start(&s.db, &s.bus.address);
    let second = Notifier::start(&s.db, &s.bus.address);
    add(&s, "Only once, please", in_secs(2.0), None).await;
    server.wait_for(1, Duration::from_secs(6)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(server.shown().len(), 1, "{:?}", server.shown());
    // When the active one stops, the other takes over.
    first.stop();
    add(&s, "After the hand-over", in_secs(1.0), None).await;
    let shown = server.wait_for(2, Duration::from_secs(8)).await;
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[1].body, "After the hand-over");
    second.stop();
}
