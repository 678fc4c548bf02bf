//! `leadbook sync …` as users and administrators run it, against a real PostgreSQL and a real
//! Secret Service (gnome-keyring on a private D-Bus session): the keychain round trip with a scan
//! proving no password reached the disk, and kill -9 of a real `sync now` during push and during
//! pull. Outside CI, missing PostgreSQL or gnome-keyring skips loudly; in CI they must be there.

use leadbook_testkit::keyring::SecretService;
use leadbook_testkit::postgres::Postgres;
use leadbook_testkit::DbusSession;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Kx7-unique-sync-password-4711";

struct Env {
    pg: Postgres,
    keychain: SecretService,
    bus: DbusSession,
}

impl Env {
    fn start() -> Option<Self> {
        let bus = DbusSession::start()?;
        let keychain = SecretService::start(&bus)?;
        let pg = Postgres::start()?;
        let env = Self { pg, keychain, bus };
        let admin = env.pg.admin_url();
        ok(&env.cli(None, &["sync", "server", "init", "--url", &admin], None));
        ok(&env.cli(None, &["sync", "server", "add-user", "ann", "--space", "Sales", "--url", &admin, "--password-stdin"], Some(PASSWORD)));
        Some(env)
    }

    fn command(&self, db: Option<&Path>, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_leadbook"));
        if let Some(db) = db {
            c.arg("--db").arg(db);
        }
        c.args(args).envs(self.keychain.env(&self.bus)).env_remove("PGPASSWORD");
        c
    }

    fn cli(&self, db: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = self.command(db, args);
        c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().expect("run leadbook");
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn setup(&self, db: &Path) {
        ok(&self.cli(Some(db), &["sync", "setup", "--url", &self.pg.url_for("ann"), "--password-stdin"], Some(PASSWORD)));
    }

    fn secret_tool_lookup(&self, account: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", "Leadbook sync", "username", account])
            .envs(self.keychain.env(&self.bus))
            .output()
            .expect("secret-tool (package libsecret-tools)");
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("one JSON document")
}

fn sqlite(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().expect("sqlite3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn the_password_lives_in_the_keychain_only_and_forget_removes_it() {
    let Some(env) = Env::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    ok(&env.cli(Some(&db), &["demo", "--leads", "30", "--seed", "2"], None));
    let setup = env.cli(Some(&db), &["sync", "setup", "--url", &env.pg.url_for("ann"), "--password-stdin", "--json"], Some(PASSWORD));
    let shown = json(&setup);
    assert_eq!(shown["spaceName"], "Sales");
    let account = format!("ann@127.0.0.1:{}/postgres", env.pg.port);
    assert_eq!(env.secret_tool_lookup(&account).as_deref(), Some(PASSWORD), "the Secret Service holds the password");

    // `sync now` finds the password in the keychain by itself.
    let report = json(&env.cli(Some(&db), &["sync", "now", "--json"], None));
    assert!(report["pushed"].as_u64().unwrap() >= 30, "{report}");
    let status = json(&env.cli(Some(&db), &["sync", "status", "--json"], None));
    assert_eq!(status["state"], "synced");
    assert!(!status.to_string().contains(PASSWORD));

    // No file in the data folder holds the password, in any form SQLite could store it.
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        scanned += 1;
        let utf16: Vec<u8> = PASSWORD.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()), "{} holds the password", path.display());
        assert!(!bytes.windows(utf16.len()).any(|w| w == utf16.as_slice()), "{} holds the password (UTF-16)", path.display());
    }
    assert!(scanned >= 1);
    assert!(!sqlite(&db, "SELECT group_concat(value) FROM app_settings").contains(PASSWORD));

    // Forget: configuration and keychain entry gone; the local leads stay.
    ok(&env.cli(Some(&db), &["sync", "forget"], None));
    assert_eq!(env.secret_tool_lookup(&account), None, "the keychain entry was removed");
    assert_eq!(json(&env.cli(Some(&db), &["sync", "status", "--json"], None))["state"], "off");
    let err = env.cli(Some(&db), &["sync", "now"], None);
    assert!(!err.status.success() && String::from_utf8_lossy(&err.stderr).contains("sync_off"));
    assert_eq!(sqlite(&db, "SELECT count(*) FROM leads"), "30");
}

#[test]
fn setup_without_a_keychain_fails_clearly_and_leaves_sync_off() {
    let Some(env) = Env::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    // A bus with no Secret Service on it.
    let empty_bus = DbusSession::start().unwrap();
    let out = env
        .command(Some(&db), &["sync", "setup", "--url", &env.pg.url_for("ann"), "--password-stdin"])
        .env("DBUS_SESSION_BUS_ADDRESS", &empty_bus.address)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(PASSWORD.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keychain"), "{err}");
    assert!(!err.contains(PASSWORD));
    assert_eq!(json(&env.cli(Some(&db), &["sync", "status", "--json"], None))["state"], "off");
}

/// Runs `sync now` and kills it with SIGKILL after `delay`; true when it finished first.
fn sync_killed_after(env: &Env, db: &Path, delay: Duration) -> bool {
    let mut child = env.command(Some(db), &["sync", "now", "--json"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    false
}

fn server_lead_ids(env: &Env) -> Vec<String> {
    let (okay, out, err) = env.pg.psql("postgres", leadbook_testkit::postgres::SUPERUSER_PASSWORD, "SELECT id FROM leadbook.leads ORDER BY id");
    assert!(okay, "{err}");
    out.lines().map(str::to_owned).collect()
}

#[test]
fn kill_9_during_push_and_during_pull_loses_and_duplicates_nothing() {
    let Some(env) = Env::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    ok(&env.cli(Some(&a), &["demo", "--leads", "12000", "--seed", "9"], None));
    env.setup(&a);
    env.setup(&b);

    // Push: killed at growing delays until one run gets through by itself; at least one kill
    // must land mid-push (some leads on the server, not all).
    let mut mid_push = 0;
    let mut delay = Duration::from_millis(150);
    while !sync_killed_after(&env, &a, delay) {
        let on_server = server_lead_ids(&env).len();
        mid_push += usize::from(on_server > 0 && on_server < 12000);
        delay = delay * 3 / 2;
    }
    assert!(mid_push >= 1, "no kill landed in the middle of the push; make it bigger");
    ok(&env.cli(Some(&a), &["sync", "now"], None));
    let local: Vec<String> = sqlite(&a, "SELECT id FROM leads ORDER BY id").lines().map(str::to_owned).collect();
    assert_eq!(local.len(), 12000);
    assert_eq!(server_lead_ids(&env), local, "every lead once on the server");
    assert_eq!(sqlite(&a, "SELECT count(*) FROM sync_pending"), "0");

    // Pull into an empty desktop, killed mid-apply the same way.
    let mut mid_pull = 0;
    let mut delay = Duration::from_millis(150);
    while !sync_killed_after(&env, &b, delay) {
        let here: usize = sqlite(&b, "SELECT count(*) FROM leads").parse().unwrap();
        mid_pull += usize::from(here > 0 && here < 12000);
        delay = delay * 3 / 2;
    }
    assert!(mid_pull >= 1, "no kill landed in the middle of the pull; make it bigger");
    ok(&env.cli(Some(&b), &["sync", "now"], None));
    let pulled: Vec<String> = sqlite(&b, "SELECT id FROM leads ORDER BY id").lines().map(str::to_owned).collect();
    assert_eq!(pulled, local, "every lead once on the second desktop");
    assert_eq!(sqlite(&b, "PRAGMA integrity_check"), "ok");
    // Same content, same search index: a name searched on both finds the same leads.
    let name = sqlite(&a, "SELECT last_name FROM leads ORDER BY id LIMIT 1");
    let search = |db: &Path| json(&env.cli(Some(db), &["leads", "search", &name, "--limit", "500", "--json"], None)).as_array().unwrap().len();
    assert_eq!(search(&a), search(&b));
    // The sort keys are the desktop's own (not synced): the second desktop must derive the same.
    let fingerprint = "SELECT group_concat(id || first_name || last_name || ifnull(email, '') || ifnull(phone, '') || status || name_key || '/' || company_key, '|') FROM (SELECT * FROM leads ORDER BY id)";
    assert_eq!(sqlite(&a, fingerprint), sqlite(&b, fingerprint));
}
