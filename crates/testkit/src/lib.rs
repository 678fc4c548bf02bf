//! Real parts for tests: a private D-Bus session bus (`dbus-daemon`) and a notification server
//! on it that records every `Notify` call, as a desktop's notification daemon would receive it;
//! a tray host (StatusNotifierWatcher) and the X window's close button.
//! The programs under test talk to them exactly as they talk to a user's desktop.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use zbus::object_server::SignalEmitter;

pub mod disk;
pub mod keyring;
pub mod postgres;
pub mod tray;
pub mod x11;

/// Finds a program on PATH.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
}

/// True when tests that need real system parts must run (and fail rather than skip without them).
/// `.ci/run` exports `CI=true`; any other value CI services set (`1`, `yes`) counts too, so a CI
/// machine cannot skip by spelling it differently.
pub fn in_ci() -> bool {
    ci_value_means_ci(std::env::var("CI").ok().as_deref())
}

fn ci_value_means_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty() && !matches!(v.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no"))
}

/// What to do about a test whose system part is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Outside CI: go on without the test, after saying so.
    Skip(String),
    /// In CI: the test must fail, with this message.
    Fail(String),
}

/// The decision alone, for `ci` given explicitly: `what` is missing, `hint` says how to get it.
pub fn decide_missing(ci: bool, what: &str, hint: &str) -> Missing {
    if ci {
        Missing::Fail(format!("{what} is required in CI ({hint}); a test that needs it may not skip there"))
    } else {
        Missing::Skip(format!("SKIPPED: {what} not found ({hint})"))
    }
}

/// The one place a test that needs PostgreSQL, a display, D-Bus or a keyring decides it may skip:
/// call it when the part is missing. Outside CI it prints `SKIPPED: …` loudly and returns (the
/// caller then skips); in CI it panics, so a missing part fails the run instead of passing it.
pub fn skip_or_fail(what: &str, hint: &str) {
    match decide_missing(in_ci(), what, hint) {
        Missing::Fail(message) => panic!("{message}"),
        Missing::Skip(message) => eprintln!("\n*** {message} ***\n"),
    }
}

/// A private session bus. No service directories: nothing is auto-started on it, so the only
/// notification server is the one a test starts.
pub struct DbusSession {
    child: Child,
    pub address: String,
    _dir: tempfile::TempDir,
}

impl DbusSession {
    /// None (after saying why on stderr) when `dbus-daemon` is missing outside CI; panics in CI.
    pub fn start() -> Option<Self> {
        let Some(daemon) = find_tool("dbus-daemon") else {
            skip_or_fail("dbus-daemon", "install the dbus-daemon package to run the D-Bus tests");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("session.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>"#,
                dir.path().display()
            ),
        )
        .expect("write bus config");
        let mut child = Command::new(daemon)
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line).expect("bus address");
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "dbus-daemon printed {address:?}");
        Some(Self { child, address, _dir: dir })
    }
}

impl Drop for DbusSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `Notify` call as the server received it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    pub at: SystemTime,
    pub instant: Instant,
    /// The bus name of the connection that asked: the one that must be listening for actions.
    pub sender: String,
}

#[derive(Default)]
struct Recorder {
    shown: Arc<Mutex<Vec<Shown>>>,
}

/// Which connections asked the bus for signals of the notifications interface (AddMatch), so a
/// test clicks an action only once the program can hear it — as no human could click sooner.
type Listeners = Arc<Mutex<Vec<(String, String)>>>;

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        let id = shown.len() as u32 + 1;
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        shown.push(Shown { id, app_name, summary, body, actions, at: SystemTime::now(), instant: Instant::now(), sender });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("leadbook-test-notifications".into(), "leadbook".into(), "1.0".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}

    #[zbus(signal)]
    async fn action_invoked(emitter: &SignalEmitter<'_>, id: u32, action_key: &str) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(emitter: &SignalEmitter<'_>, id: u32, reason: u32) -> zbus::Result<()>;
}

const PATH: &str = "/org/freedesktop/Notifications";

/// `org.freedesktop.Notifications` on a bus, recording every notification.
pub struct NotificationServer {
    connection: zbus::Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
    listeners: Listeners,
    _monitor: tokio::task::JoinHandle<()>,
}

impl NotificationServer {
    pub async fn start(bus_address: &str) -> Self {
        let recorder = Recorder::default();
        let shown = recorder.shown.clone();
        let connection = zbus::connection::Builder::address(bus_address)
            .serve_at(PATH, recorder)
            .name("org.freedesktop.Notifications")
            .build()
            .await
            .expect("connect the notification server to the bus");
        let listeners = Listeners::default();
        let monitor = watch_add_match(bus_address, listeners.clone()).await;
        Self { connection, shown, listeners, _monitor: monitor }
    }

    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().unwrap().clone()
    }

    /// Waits until at least `n` notifications were shown, or `timeout`; returns all shown.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Shown> {
        let deadline = Instant::now() + timeout;
        while self.shown.lock().unwrap().len() < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.shown()
    }

    /// What a user's click on an action button sends, once the notification's sender listens
    /// for ActionInvoked (panics after 5 s if it never does: then no click could reach it).
    pub async fn invoke_action(&self, id: u32, action: &str) {
        let sender = self.shown().into_iter().find(|s| s.id == id).expect("no notification with this id").sender;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let rules: Vec<String> =
                self.listeners.lock().unwrap().iter().filter(|(s, _)| *s == sender).map(|(_, r)| r.clone()).collect();
            // notify-rust subscribes ActionInvoked, then NotificationClosed, then reads its stream.
            if rules.iter().any(|r| r.contains("ActionInvoked")) && rules.iter().any(|r| r.contains("NotificationClosed")) {
                break;
            }
            assert!(Instant::now() < deadline, "{sender} never listened for ActionInvoked; its match rules: {rules:?}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let iface = self.connection.object_server().interface::<_, Recorder>(PATH).await.expect("interface");
        Recorder::action_invoked(iface.signal_emitter(), id, action).await.expect("emit ActionInvoked");
    }
}

/// A monitor connection on the bus recording every AddMatch call as (sender, rule); monitoring
/// has begun when this returns, so no later subscription is missed.
async fn watch_add_match(address: &str, listeners: Listeners) -> tokio::task::JoinHandle<()> {
    use futures_util::StreamExt;
    let connection = zbus::connection::Builder::address(address).build().await.expect("connect the monitor to the bus");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::MethodCall)
        .interface("org.freedesktop.DBus")
        .member("AddMatch")
        .build()
        .expect("match rule");
    let mut stream = zbus::MessageStream::from(&connection);
    zbus::fdo::MonitoringProxy::new(&connection)
        .await
        .expect("monitoring proxy")
        .become_monitor(&[rule], 0)
        .await
        .expect("become a bus monitor");
    tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let header = message.header();
            if header.member().is_some_and(|m| m.as_str() == "AddMatch") {
                let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
                if let Ok(rule) = message.body().deserialize::<String>() {
                    listeners.lock().unwrap().push((sender, rule));
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_part_skips_outside_ci_and_fails_in_ci() {
        assert_eq!(decide_missing(false, "PostgreSQL", "package postgresql"), Missing::Skip("SKIPPED: PostgreSQL not found (package postgresql)".into()));
        match decide_missing(true, "PostgreSQL", "package postgresql") {
            Missing::Fail(message) => assert!(message.contains("PostgreSQL is required in CI"), "{message}"),
            skip => panic!("CI may not skip: {skip:?}"),
        }
    }

    #[test]
    fn every_usual_spelling_of_ci_counts_as_ci() {
        for value in ["true", "TRUE", "1", "yes", "github"] {
            assert!(ci_value_means_ci(Some(value)), "{value}");
        }
        for value in [None, Some(""), Some(" "), Some("0"), Some("false"), Some("False"), Some("no")] {
            assert!(!ci_value_means_ci(value), "{value:?}");
        }
    }
}
