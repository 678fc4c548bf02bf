//! Reminder figures: idle CPU of `leadbook notifier` holding 100k pending reminders, and how late
//! notifications arrive at a real notification server on a private D-Bus session.

use crate::{row, stats, Row};
use leadbook_core::{LeadInput, ReminderInput, Store};
use leadbook_testkit::{DbusSession, NotificationServer};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

const PENDING: u64 = 100_000;
const IDLE_SECONDS: u64 = 60;
const FIRINGS: usize = 20;

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: f64 = fields.get(11..13).map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum()).unwrap_or(0.0);
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// The naive design this replaces: ask the table for due reminders once a second.
fn polling_reference_cpu(db: &Path) -> f64 {
    let sql = "SELECT id FROM reminders WHERE status IN ('pending','snoozed') AND remind_at <= strftime('%Y-%m-%dT%H:%M:%fZ','now') AND deleted_at IS NULL;";
    let script: String = (0..IDLE_SECONDS).map(|_| format!("{sql}\n.shell sleep 1\n")).collect();
    let mut child = Command::new("sqlite3").arg(db).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let pid = child.id();
    let mut last = 0.0;
    while child.try_wait().unwrap().is_none() {
        last = cpu_seconds(pid).max(last);
        std::thread::sleep(Duration::from_millis(200));
    }
    last
}

pub async fn measure(work: &Path, bin: &Path) -> Vec<Row> {
    let Some(bus) = DbusSession::start() else { return vec![] };
    let server = NotificationServer::start(&bus.address).await;
    let db = work.join("reminders.db");
    let store = Store::open(&db).await.unwrap();
    let lead = store.create_lead(&LeadInput { first_name: "Bench".into(), last_name: "Lead".into(), ..Default::default() }).await.unwrap();
    eprintln!("adding {PENDING} pending reminders…");
    // Spread over the next year, none due during the measurement.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO reminders (id, space_id, lead_id, message, due_at, remind_at, time_zone, fire_at, created_at, updated_at)
         SELECT lower(hex(randomblob(16))), l.space_id, l.id, 'Bench reminder ' || i, t, t, 'UTC', t, t, t
         FROM n, leads l, (SELECT 1) CROSS JOIN (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 hour', '+' || (abs(random()) % 31536000) || ' seconds') AS t) WHERE l.id = ?2",
    )
    .bind(PENDING as i64)
    .bind(&lead.id)
    .execute(store.reader())
    .await
    .unwrap();

    let mut notifier = Command::new(bin.join("leadbook"))
        .arg("--db")
        .arg(&db)
        .args(["notifier", "--json"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let before = cpu_seconds(notifier.id());
    eprintln!("idle notifier for {IDLE_SECONDS} s…");
    tokio::time::sleep(Duration::from_secs(IDLE_SECONDS)).await;
    let idle_cpu = cpu_seconds(notifier.id()) - before;
    eprintln!("same {IDLE_SECONDS} s of once-a-second polling in the sqlite3 shell…");
    let polling_cpu = polling_reference_cpu(&db);
    let mut rows = vec![row(
        &format!("`leadbook notifier` idle with {}k pending reminders: CPU time over {IDLE_SECONDS} s (ref: polling the table once a second)", PENDING / 1000),
        idle_cpu * 1000.0,
        polling_cpu * 1000.0,
        "ms",
        "nothing measurable",
    )];

    // Firing latency: reminders due every 1.5 s, added while the notifier sleeps; the reference is
    // a bare tokio timer set for the same instants (the floor of any sleeping scheduler).
    let start = chrono::Utc::now() + chrono::Duration::seconds(2);
    let dues: Vec<chrono::DateTime<chrono::Utc>> = (0..FIRINGS).map(|i| start + chrono::Duration::milliseconds(1500 * i as i64)).collect();
    for (i, due) in dues.iter().enumerate() {
        store
            .create_reminder(&ReminderInput { lead_id: lead.id.clone(), message: format!("Latency {i}"), due_at: due.to_rfc3339(), ..Default::default() })
            .await
            .unwrap();
    }
    let shown = server.wait_for(FIRINGS, Duration::from_secs(2 + FIRINGS as u64 * 2 + 10)).await;
    let late: Vec<f64> = shown
        .iter()
        .filter_map(|s| {
            let i: usize = s.body.strip_prefix("Latency ")?.parse().ok()?;
            Some(s.at.duration_since(SystemTime::from(dues[i])).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0))
        })
        .collect();
    let _ = notifier.kill();
    let _ = notifier.wait();
    // The same schedule, started afresh, for the bare timer.
    let ref_start = chrono::Utc::now() + chrono::Duration::seconds(1);
    let ref_dues: Vec<chrono::DateTime<chrono::Utc>> = (0..FIRINGS).map(|i| ref_start + chrono::Duration::milliseconds(1500 * i as i64)).collect();
    let mut timer_late = Vec::new();
    for due in &ref_dues {
        let wait = (*due - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        timer_late.push((chrono::Utc::now() - *due).num_microseconds().unwrap_or(0) as f64 / 1000.0);
    }
    if late.len() == FIRINGS {
        let ours = stats(late);
        let reference = stats(timer_late);
        rows.push(row(&format!("Notification latency after the due time, {FIRINGS} reminders (p50; ref: bare timer)"), ours.p50, reference.p50, "ms", "< 1000 ms"));
        rows.push(row("Notification latency (p95)", ours.p95, reference.p95, "ms", "< 1000 ms"));
    } else {
        eprintln!("only {} of {FIRINGS} notifications arrived", late.len());
    }
    store.close().await;
    rows
}
