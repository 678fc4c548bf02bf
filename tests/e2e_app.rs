//! End-to-end tests of the REAL built app: tauri-driver + WebKitWebDriver drive the app window
//! under Xvfb on a private D-Bus session, where a recording notification server receives the
//! app's real notifications. Outside CI, a machine without those tools skips loudly; in CI
//! (`CI=true`) missing tools fail the run.

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use leadbook_core::Store;
use leadbook_testkit::tray::TrayHost;
use leadbook_testkit::x11::X11;
use leadbook_testkit::{DbusSession, NotificationServer};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const APP: &str = env!("CARGO_BIN_EXE_leadbook-app");

/// One app window at a time: two WebKit instances on two cores make both flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Kills a whole process group on drop, so no Xvfb, driver or app outlives a failed test.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.0.id();
        let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pgid}")]).status();
        std::thread::sleep(Duration::from_millis(200));
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).status();
        let _ = self.0.wait();
    }
}

/// Spawns `cmd` in its own process group that dies with this test process even when the test
/// is killed (no Drop then): nothing may outlive the run and hold CI's output pipe open.
fn spawn_group(cmd: &mut Command) -> Group {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null());
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    Group(cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}")))
}

/// A hung WebDriver call must fail the test, not CI: dropping the future drops the Desktop,
/// whose process groups are then killed.
async fn watchdog(body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(Duration::from_secs(240), body).await.is_err() {
        panic!("E2E test did not finish within 240 s");
    }
}

fn step(what: &str) {
    eprintln!("e2e: {what}");
}

struct Desktop {
    _xvfb: Group,
    _driver: Group,
    /// The session bus the app runs on (notifications, single instance).
    bus: DbusSession,
    /// The app's HOME: start-at-login entries and WebKit's caches land here, not in the real one.
    home: tempfile::TempDir,
    driver_port: u16,
    display: String,
    shots: PathBuf,
}

impl Desktop {
    /// Starts Xvfb and tauri-driver, or returns None (skip) when the tools are missing outside CI.
    fn start() -> Option<Desktop> {
        let tools: Vec<(&str, Option<PathBuf>)> =
            ["Xvfb", "tauri-driver", "WebKitWebDriver", "dbus-daemon"].iter().map(|t| (*t, find_tool(t))).collect();
        let missing: Vec<&str> = tools.iter().filter(|(_, p)| p.is_none()).map(|(t, _)| *t).collect();
        if !missing.is_empty() {
            leadbook_testkit::skip_or_fail(&format!("the end-to-end tools {missing:?}"), "run `make test`, which installs them");
            return None;
        }
        let display = (90..200).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()).unwrap();
        let xvfb = spawn_group(Command::new("Xvfb").args([format!(":{display}"), "-screen".into(), "0".into(), "1280x800x24".into(), "-nolisten".into(), "tcp".into()]).stdout(Stdio::null()).stderr(Stdio::null()));
        std::env::set_var("LEADBOOK_E2E_DISPLAY", format!(":{display}"));
        let socket = format!("/tmp/.X11-unix/X{display}");
        let t = Instant::now();
        while !Path::new(&socket).exists() {
            assert!(t.elapsed() < Duration::from_secs(10), "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let driver_port = free_port();
        let native_port = free_port();
        let driver = tools.iter().find(|(t, _)| *t == "tauri-driver").unwrap().1.clone().unwrap();
        let log = std::fs::File::create(std::env::temp_dir().join(format!("leadbook-e2e-driver-{driver_port}.log"))).unwrap();
        let bus = DbusSession::start().expect("dbus-daemon was found above");
        let home = tempfile::tempdir().unwrap();
        let driver = spawn_group(
            Command::new(driver)
                .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
                .env("DISPLAY", format!(":{display}"))
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .env("HOME", home.path())
                .env("TZ", "Europe/Berlin")
                .env("NO_AT_BRIDGE", "1")
                .env("LEADBOOK_LOG", "warn")
                .stdout(log.try_clone().unwrap())
                .stderr(log),
        );
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", driver_port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(15), "tauri-driver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Desktop { _xvfb: xvfb, _driver: driver, bus, home, driver_port, display: format!(":{display}"), shots })
    }

    /// Launches the app on `db` in a new WebDriver session (retried once: the first lookup
    /// occasionally drops the connection while WebKit starts).
    async fn launch(&self, db: &Path) -> Client {
        self.launch_until(db, "[data-testid=nav-leads]").await
    }

    /// [`Desktop::launch`], ready when `css` shows (the recovery screen has no navigation).
    async fn launch_until(&self, db: &Path, css: &str) -> Client {
        // The WebDriver client's TLS stack shares rustls with the sync code: one provider for both.
        leadbook_core::sync::server::ensure_tls_provider();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": APP, "args": ["--db", db.to_str().unwrap()] }),
        );
        let url = format!("http://127.0.0.1:{}", self.driver_port);
        for attempt in 0..3 {
            match ClientBuilder::rustls().expect("tls").capabilities(caps.clone()).connect(&url).await {
                Ok(client) => {
                    if client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.is_ok() {
                        return client;
                    }
                    let _ = client.close().await;
                }
                Err(e) if attempt < 2 => eprintln!("session start failed ({e}), retrying"),
                Err(e) => panic!("cannot start a WebDriver session: {e}"),
            }
        }
        panic!("the app window never showed its navigation");
    }
}

async fn wait_for(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

/// Waits until the element's text contains `needle` (React renders asynchronously).
/// On failure the X screen is saved as e2e-failure.png next to the other screenshots.
async fn wait_gone(client: &Client, css: &str) {
    let t = Instant::now();
    while !client.find_all(Locator::Css(css)).await.unwrap_or_default().is_empty() {
        assert!(t.elapsed() < Duration::from_secs(10), "{css} is still shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_text(client: &Client, css: &str, needle: &str) -> String {
    let t = Instant::now();
    let fail = |msg: String| async move {
        let html = client.source().await.unwrap_or_default();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots");
        let _ = std::fs::write(dir.join("e2e-failure.html"), html);
        if let Some(display) = std::env::var_os("LEADBOOK_E2E_DISPLAY") {
            let _ = Command::new("import").arg("-display").arg(display).args(["-window", "root"]).arg(dir.join("e2e-failure.png")).status();
        }
        panic!("{msg}");
    };
    loop {
        // textContent, not WebDriver's visible text: WebKitWebDriver drops ellipsized cells.
        let text = client
            .execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", vec![css.into()])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        match text {
            Some(text) if text.contains(needle) => return text,
            Some(text) if t.elapsed() > Duration::from_secs(10) => {
                fail(format!("{css} never contained {needle:?}; last text: {text:?}")).await;
            }
            None if t.elapsed() > Duration::from_secs(10) => {
                fail(format!("{css} never appeared (waiting for {needle:?})")).await;
            }
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Replaces an input's text the way a user does (Ctrl+A, Backspace, type) and waits until the
/// field holds exactly `value`. WebDriver's clear() bypasses React's onChange, so a re-render can
/// put the old text back.
async fn type_into(client: &Client, css: &str, value: &str) {
    const SELECT_ALL_DELETE: &str = "\u{E009}a\u{E000}\u{E003}";
    for _attempt in 0..3 {
        let input = wait_for(client, css).await;
        input.send_keys(SELECT_ALL_DELETE).await.unwrap();
        if !value.is_empty() {
            input.send_keys(value).await.unwrap();
        }
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            let now = input.prop("value").await.ok().flatten().unwrap_or_default();
            if now == value {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    panic!("{css} never held {value:?}");
}

/// Clicks an element after scrolling it to the middle of the view, where no toast (bottom
/// right) can cover it — WebDriver's own scrolling stops at the edge.
async fn click_centered(client: &Client, css: &str) {
    let element = wait_for(client, css).await;
    client.execute("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });", vec![css.into()]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    element.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

async fn fill(client: &Client, field: &str, value: &str) {
    step(&format!("fill {field}"));
    type_into(client, &format!("[data-testid=field-{field}]"), value).await;
}

/// Searches for `text` after first showing "no results", so the rows that appear can only come
/// from this search (not from the list or an earlier search still on screen).
async fn search_for(client: &Client, text: &str, expect: &str) {
    type_into(client, "[data-testid=search-input]", "zzzqqq").await;
    wait_for(client, "[data-testid=no-results]").await;
    type_into(client, "[data-testid=search-input]", text).await;
    wait_text(client, "[data-testid=leads-table]", expect).await;
}

/// A screenshot of the X screen: the real window's pixels. (WebDriver's own screenshot
/// command hangs WebKitWebDriver under Xvfb.) Waits a moment for the last paint.
async fn screenshot_to(desktop: &Desktop, path: &Path) {
    tokio::time::sleep(Duration::from_millis(400)).await;
    let status = Command::new("import")
        .args(["-display", &desktop.display, "-window", "root"])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("screenshot {} failed (is imagemagick installed?)", path.display());
    }
}

async fn screenshot(_client: &Client, desktop: &Desktop, name: &str) {
    screenshot_to(desktop, &desktop.shots.join(format!("{name}.png"))).await;
}

async fn lead_count(db: &Path) -> i64 {
    let store = Store::open(db).await.unwrap();
    let n = store.count_leads().await.unwrap();
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_search_edit_restart_and_validate_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(create_search_edit_restart_and_validate_in_the_real_app_body()).await;
}

async fn create_search_edit_restart_and_validate_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    Store::open(&db).await.unwrap().set_default_region("DE").await.unwrap();

    // 1. Create a lead through the form.
    step("create a lead");
    let client = desktop.launch(&db).await;
    wait_for(&client, "[data-testid=empty-state]").await;
    screenshot(&client, &desktop, "01-empty").await;
    wait_for(&client, "[data-testid=new-lead-button]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=lead-form]").await;
    fill(&client, "firstName", "Greta").await;
    fill(&client, "lastName", "Lindqvist").await;
    fill(&client, "email", "Greta@Fjord-Analytics.SE").await;
    fill(&client, "phone", "030 1234567").await;
    fill(&client, "companyName", "Fjord Analytics AB").await;
    screenshot(&client, &desktop, "02-form").await;
    wait_for(&client, "[data-testid=save-lead]").await.click().await.unwrap();
    let detail = wait_text(&client, "[data-testid=lead-detail]", "Greta").await;
    assert!(detail.contains("Greta@fjord-analytics.se"), "normalized email shown: {detail}");
    assert!(detail.contains("+49 30 1234567"), "phone shown in international format: {detail}");
    assert_eq!(lead_count(&db).await, 1);

    // 2. Find it by search (type-ahead on a prefix, and by phone digits).
    step("search");
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    search_for(&client, "lindq", "Lindqvist").await;
    search_for(&client, "0301234", "Lindqvist").await;
    // The local number alone (a caller ID's last digits), and the true count of matches.
    search_for(&client, "1234567", "Lindqvist").await;
    wait_text(&client, "[data-testid=lead-count]", "1 match").await;
    screenshot(&client, &desktop, "03-search").await;

    // 3. Edit it and see the activity entry.
    step("edit");
    wait_for(&client, "[data-testid=lead-row]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=edit-lead]").await.click().await.unwrap();
    fill(&client, "email", "greta@fjord.se").await;
    wait_for(&client, "[data-testid=save-lead]").await.click().await.unwrap();
    let timeline = wait_text(&client, "[data-testid=timeline]", "greta@fjord.se").await;
    assert!(timeline.contains("Greta@fjord-analytics.se"), "old value in the timeline: {timeline}");
    screenshot(&client, &desktop, "04-edited").await;

    // 3b. Log a call with the keyboard ("l" on the open lead); it is stored and on the timeline.
    step("log a call");
    client.active_element().await.unwrap().send_keys("l").await.unwrap();
    wait_for(&client, "[data-testid=activity-form]").await;
    type_into(&client, "[data-testid=activity-outcome]", "Left a voicemail").await;
    type_into(&client, "[data-testid=activity-duration]", "4").await;
    type_into(&client, "[data-testid=activity-message]", "Call back after the board meeting").await;
    wait_for(&client, "[data-testid=save-activity]").await.click().await.unwrap();
    let logged = wait_text(&client, "[data-testid=timeline] [data-type=call_made]", "Call back after the board meeting").await;
    assert!(logged.contains("Left a voicemail") && logged.contains("4 min"), "{logged}");
    let store = Store::open(&db).await.unwrap();
    let (data,): (String,) = sqlx::query_as("SELECT activity_data FROM lead_activities WHERE activity_type = 'call_made'").fetch_one(store.reader()).await.unwrap();
    store.close().await;
    assert!(data.contains("\"durationMinutes\":4") && data.contains("Left a voicemail"), "{data}");

    // 4. An invalid email shows the inline error and writes nothing.
    step("invalid email");
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=new-lead-button]").await.click().await.unwrap();
    fill(&client, "firstName", "Invalid").await;
    fill(&client, "email", "not-an-email@").await;
    wait_for(&client, "[data-testid=save-lead]").await.click().await.unwrap();
    let error = wait_text(&client, "[data-testid=error-email]", "not a valid email").await;
    assert!(error.contains("not-an-email@"), "the error names the value: {error}");
    screenshot(&client, &desktop, "05-invalid-email").await;
    assert_eq!(lead_count(&db).await, 1, "nothing written");
    client.close().await.unwrap();

    // 5. Restart the app: the lead is still there and searchable.
    step("restart");
    let client = desktop.launch(&db).await;
    wait_text(&client, "[data-testid=leads-table]", "Lindqvist").await;
    search_for(&client, "greta", "greta@fjord.se").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_data_fills_a_scrollable_table() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(sample_data_fills_a_scrollable_table_body()).await;
}

async fn sample_data_fills_a_scrollable_table_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    let client = desktop.launch(&db).await;
    wait_for(&client, "[data-testid=load-sample-data]").await.click().await.unwrap();
    // The count is formatted for the user's locale ("2,000", "2.000", "2000"): compare digits.
    let t = Instant::now();
    loop {
        let text = wait_for(&client, "[data-testid=lead-count]").await.text().await.unwrap_or_default();
        if text.chars().filter(char::is_ascii_digit).collect::<String>() == "2000" {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "sample data never showed 2000 leads: {text:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The count can update before the first page is painted: wait for rows.
    let t = Instant::now();
    let rendered = loop {
        let n = client.find_all(Locator::Css("[data-testid=lead-row]")).await.map(|r| r.len()).unwrap_or(0);
        if n >= 10 || t.elapsed() > Duration::from_secs(15) {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!((10..200).contains(&rendered), "virtualized: only visible rows rendered ({rendered} of 2000)");
    screenshot(&client, &desktop, "06-sample-data").await;
    // Sorting by score (first click: highest first) puts the store's highest score in row one.
    let store = Store::open(&db).await.unwrap();
    let (max_score,): (i64,) = sqlx::query_as("SELECT max(score) FROM scores WHERE live = 1").fetch_one(store.reader()).await.unwrap();
    store.close().await;
    client.find(Locator::Css("[data-testid=sort-score]")).await.unwrap().click().await.unwrap();
    let first_score = || async {
        client
            .execute("const e = document.querySelector('[data-testid=lead-row] .score'); return e ? e.textContent : null;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
    };
    let t = Instant::now();
    while first_score().await != Some(max_score) {
        assert!(t.elapsed() < Duration::from_secs(10), "after sorting by score the first row shows {:?}, not {max_score}", first_score().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&client, &desktop, "07-sorted").await;
    client.close().await.unwrap();
    assert_eq!(lead_count(&db).await, 2000);
}

/// axe-core, the maintained accessibility rule engine, from the UI's npm modules (`make test` installs them).
fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {} ({e}): run `npm ci` in ui/", path.display()))
}

/// Runs every axe rule on the window as it is now; returns one line per violating element.
async fn axe_violations(client: &Client, axe: &str, theme: &str, place: &str) -> Vec<String> {
    // Let fetches settle and transitions end before colours are measured.
    tokio::time::sleep(Duration::from_millis(600)).await;
    // WebDriver runs this with the page's privileges but outside its CSP, like a user's extension.
    let loaded = client.execute("return typeof window.axe === 'object';", vec![]).await.unwrap();
    if loaded != serde_json::Value::Bool(true) {
        client.execute(&format!("{axe}\nreturn true;"), vec![]).await.expect("inject axe-core");
    }
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document).then(
               (r) => done(r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${(n.failureSummary || '').split('\\n').slice(1).join(' ').trim()}`))),
               (e) => done([`axe failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    let lines: Vec<String> = serde_json::from_value(result).expect("axe result lines");
    let tagged: Vec<String> = lines.into_iter().map(|l| format!("[{theme}] {place}: {l}")).collect();
    eprintln!("axe [{theme}] {place}: {} violating element(s)", tagged.len());
    tagged
}

async fn press_escape(client: &Client) {
    client.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_and_open_panel_passes_axe_in_both_themes_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(every_view_and_open_panel_passes_axe_in_both_themes_in_the_real_app_body()).await;
}

async fn every_view_and_open_panel_passes_axe_in_both_themes_in_the_real_app_body() {
    use leadbook_core::{Criteria, CriteriaKind, RuleCondition, RuleInput};
    use leadbook_core::SegmentInput;
    let Some(desktop) = Desktop::start() else { return };
    let axe = axe_source();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a11y.db");
    // Every view with content: 2,000 sample leads, a segment, a scoring rule and an overdue reminder.
    let store = Store::open(&db).await.unwrap();
    store.load_sample_data(2000, Some(7)).await.unwrap();
    store.create_segment(&SegmentInput::dynamic("Hot", "score >= 50")).await.unwrap();
    let criteria = Criteria { kind: CriteriaKind::Field, field: Some("job_title".into()), condition: RuleCondition::Contains, values: vec!["CTO".into()], of_type: None, window_days: None };
    store.add_rule(&RuleInput { name: "Decision maker".into(), criteria, points: 20, per_match: false, active: true, valid_from: None, valid_until: None }).await.unwrap();
    let first: (String,) = sqlx::query_as("SELECT id FROM leads WHERE deleted_at IS NULL LIMIT 1").fetch_one(store.reader()).await.unwrap();
    let due = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    store.create_reminder(&leadbook_core::ReminderInput { lead_id: first.0, message: "Send the proposal".into(), due_at: due, remind_at: None, recurrence: None }).await.unwrap();
    store.close().await;

    let client = desktop.launch(&db).await;
    wait_for(&client, "[data-testid=lead-row]").await;
    let mut violations = Vec::new();
    for theme in ["light", "dark"] {
        step(&format!("axe-core on every view and panel, {theme} theme"));
        wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
        wait_for(&client, &format!("[data-testid=settings-theme-{theme}]")).await.click().await.unwrap();
        let t = Instant::now();
        while client.execute("return document.documentElement.dataset.theme;", vec![]).await.unwrap() != serde_json::json!(theme) {
            assert!(t.elapsed() < Duration::from_secs(10), "the {theme} theme was not applied");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for view in ["leads", "companies", "segments", "scoring", "reminders", "import", "settings"] {
            wait_for(&client, &format!("[data-testid=nav-{view}]")).await.click().await.unwrap();
            wait_for(&client, &format!("[data-testid={view}-view]")).await;
            violations.extend(axe_violations(&client, &axe, theme, view).await);
        }
        // The panels and dialogs a user opens over the views.
        wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=lead-row]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=lead-detail] [data-testid=lead-score]").await;
        violations.extend(axe_violations(&client, &axe, theme, "lead panel").await);
        wait_for(&client, "[data-testid=add-reminder]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=reminder-form]").await;
        violations.extend(axe_violations(&client, &axe, theme, "reminder form").await);
        press_escape(&client).await;
        wait_gone(&client, "[data-testid=reminder-form]").await;
        wait_for(&client, "[data-testid=log-activity]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=activity-form]").await;
        violations.extend(axe_violations(&client, &axe, theme, "log activity form").await);
        press_escape(&client).await;
        wait_gone(&client, "[data-testid=activity-form]").await;
        wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=new-lead-button]").await.click().await.unwrap();
        wait_for(&client, "[role=dialog]").await;
        violations.extend(axe_violations(&client, &axe, theme, "new lead form").await);
        press_escape(&client).await;
        wait_gone(&client, "[role=dialog]").await;
        wait_for(&client, "[data-testid=open-palette]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=palette]").await;
        violations.extend(axe_violations(&client, &axe, theme, "command palette").await);
        press_escape(&client).await;
        wait_gone(&client, "[data-testid=palette]").await;
        wait_for(&client, "[data-testid=nav-companies]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=company-row]").await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        violations.extend(axe_violations(&client, &axe, theme, "company panel").await);
        wait_for(&client, "[data-testid=nav-segments]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=new-segment]").await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        violations.extend(axe_violations(&client, &axe, theme, "segment editor").await);
        press_escape(&client).await;
        wait_for(&client, "[data-testid=nav-scoring]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=new-rule]").await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        violations.extend(axe_violations(&client, &axe, theme, "rule editor").await);
        press_escape(&client).await;
        screenshot(&client, &desktop, &format!("a11y-{theme}")).await;
    }
    client.close().await.unwrap();
    assert!(violations.is_empty(), "{} accessibility violation(s):\n{}", violations.len(), violations.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_set_in_the_lead_panel_pops_up_as_a_desktop_notification() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(a_reminder_set_in_the_lead_panel_pops_up_as_a_desktop_notification_body()).await;
}

async fn a_reminder_set_in_the_lead_panel_pops_up_as_a_desktop_notification_body() {
    let Some(desktop) = Desktop::start() else { return };
    let server = NotificationServer::start(&desktop.bus.address).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reminders.db");
    let store = Store::open(&db).await.unwrap();
    let lead = store
        .create_lead(&leadbook_core::LeadInput { first_name: "Katherine".into(), last_name: "Johnson".into(), ..Default::default() })
        .await
        .unwrap();
    store.close().await;

    let client = desktop.launch(&db).await;
    step("open the lead and add a reminder");
    wait_for(&client, "[data-testid=lead-row]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=lead-detail]", "Katherine").await;
    wait_for(&client, "[data-testid=add-reminder]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=reminder-form]").await;
    type_into(&client, "[data-testid=reminder-message]", "Call about the launch window").await;
    wait_for(&client, "[data-testid=reminder-quick-custom]").await.click().await.unwrap();
    type_into(&client, "[data-testid=reminder-custom-at]", "+6s").await;
    let t = Instant::now();
    while wait_for(&client, "[data-testid=reminder-when-preview]").await.attr("data-state").await.ok().flatten().as_deref() != Some("ok") {
        assert!(t.elapsed() < Duration::from_secs(10), "the typed time never resolved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for(&client, "[data-testid=save-reminder]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=lead-reminder]", "Call about the launch window").await;
    screenshot(&client, &desktop, "08-reminder-set").await;

    step("receive the notification");
    let shown = server.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(shown.len(), 1, "one notification: {shown:?}");
    assert_eq!(shown[0].summary, "Follow up: Katherine Johnson");
    assert_eq!(shown[0].body, "Call about the launch window");
    // The window hears of it too.
    wait_text(&client, "[data-testid=toast]", "Katherine Johnson").await;
    screenshot(&client, &desktop, "09-reminder-fired").await;

    step("click the notification: the lead opens");
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    let t = Instant::now();
    while !client.find_all(Locator::Css("[data-testid=lead-detail]")).await.unwrap().is_empty() {
        assert!(t.elapsed() < Duration::from_secs(5), "the lead panel did not close");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.invoke_action(shown[0].id, "default").await;
    wait_text(&client, "[data-testid=lead-detail]", "Katherine Johnson").await;

    step("a second launch hands over to the running app and exits");
    let mut second = spawn_group(
        Command::new(APP)
            .arg("--db")
            .arg(&db)
            .env("DISPLAY", &desktop.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus.address)
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let t = Instant::now();
    let status = loop {
        if let Some(status) = second.0.try_wait().unwrap() {
            break status;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "a second instance kept running beside the first");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "second launch: {status}");
    drop(second);
    // The first one is still there and answering.
    wait_text(&client, "[data-testid=lead-detail]", "Katherine Johnson").await;

    // A click on the notification closes it (the CLI tests press its Done button); here the
    // reminder is done from the lead panel the click opened.
    step("mark it done in the lead panel");
    click_centered(&client, "[data-testid=lead-reminder] [data-testid=reminder-done]").await;
    let store = Store::open(&db).await.unwrap();
    let t = Instant::now();
    loop {
        let open = store
            .list_reminders(&leadbook_core::ListRemindersRequest { lead_id: Some(lead.id.clone()), ..Default::default() })
            .await
            .unwrap();
        if open.is_empty() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "Done did not close the reminder: {open:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    store.close().await;
    // The panel follows: the reminder leaves the lead's open list.
    let t = Instant::now();
    while !client.find_all(Locator::Css("[data-testid=lead-reminder]")).await.unwrap().is_empty() {
        assert!(t.elapsed() < Duration::from_secs(10), "the lead panel still lists the done reminder");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for(&client, "[data-testid=nav-reminders]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=reminder-group-done]", "Call about the launch window").await;
    screenshot(&client, &desktop, "10-reminders-view").await;

    step("Settings: a test notification pops up through the same service");
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
    let before = server.shown().len();
    wait_for(&client, "[data-testid=settings-test-notification]").await.click().await.unwrap();
    let shown = server.wait_for(before + 1, Duration::from_secs(10)).await;
    assert_eq!(shown[before].summary, "Leadbook notifications work");

    step("Settings: start at login, on and off");
    let autostart = desktop.home.path().join(".config/autostart");
    let entries = || std::fs::read_dir(&autostart).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect::<Vec<_>>()).unwrap_or_default();
    assert!(entries().is_empty());
    wait_for(&client, "[data-testid=start-at-login]").await.click().await.unwrap();
    let t = Instant::now();
    while entries().is_empty() {
        assert!(t.elapsed() < Duration::from_secs(10), "no autostart entry was written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let entry = std::fs::read_to_string(&entries()[0]).unwrap();
    assert!(entry.contains(APP), "the login entry starts this app: {entry}");
    wait_for(&client, "[data-testid=start-at-login]").await.click().await.unwrap();
    let t = Instant::now();
    while !entries().is_empty() {
        assert!(t.elapsed() < Duration::from_secs(10), "the autostart entry was not removed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.close().await.unwrap();
}

/// Whether process `pid` still runs (a zombie waiting for its parent does not).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
}

async fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let t = Instant::now();
    while !done() {
        assert!(t.elapsed() < timeout, "{what} (waited {timeout:?})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_window_keeps_leadbook_in_the_tray_where_reminders_still_pop_up() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(closing_the_window_keeps_leadbook_in_the_tray_where_reminders_still_pop_up_body()).await;
}

async fn closing_the_window_keeps_leadbook_in_the_tray_where_reminders_still_pop_up_body() {
    let Some(desktop) = Desktop::start() else { return };
    let notifications = NotificationServer::start(&desktop.bus.address).await;
    // The panel's tray host is on the bus before the app starts, as on a desktop.
    let tray_host = TrayHost::start(&desktop.bus.address).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tray.db");
    let store = Store::open(&db).await.unwrap();
    let lead = store
        .create_lead(&leadbook_core::LeadInput { first_name: "Grace".into(), last_name: "Hopper".into(), ..Default::default() })
        .await
        .unwrap();
    let reminder = |message: &str, due: chrono::DateTime<chrono::Utc>| leadbook_core::ReminderInput {
        lead_id: lead.id.clone(),
        message: message.into(),
        due_at: due.to_rfc3339(),
        ..Default::default()
    };
    store.create_reminder(&reminder("Send the proposal", chrono::Utc::now() - chrono::Duration::hours(1))).await.unwrap();
    store.close().await;

    let client = desktop.launch(&db).await;
    step("the tray icon carries the count of due reminders");
    let tray = tray_host.wait_for_item(Duration::from_secs(20)).await;
    tray.wait_for_entry(|label| label == "Reminders (1 due)", Duration::from_secs(20)).await;
    let labels: Vec<String> = tray.menu().await.into_iter().filter(|e| !e.separator).map(|e| e.label).collect();
    assert_eq!(labels, ["Open Leadbook", "Reminders (1 due)", "Quit Leadbook"]);
    tray.wait_for_label("1", Duration::from_secs(5)).await;
    assert_eq!(tray.status().await, "Active");
    // The overdue reminder was missed while the app was closed: one summary notice at start.
    let shown = notifications.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(shown.len(), 1, "{shown:?}");

    step("closing the window hides it; Leadbook keeps running");
    let pid = tray.pid().await;
    let x = X11::open(&desktop.display);
    let mut window = None;
    wait_until("the app's window never appeared on the X display", Duration::from_secs(10), || {
        window = x.find_window(pid, "Leadbook").filter(|&w| x.is_viewable(w));
        window.is_some()
    })
    .await;
    let window = window.unwrap();
    x.request_close(window);
    wait_until("the window stayed on screen after its close button", Duration::from_secs(10), || !x.is_viewable(window)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(running(pid), "closing the window ended the app");
    assert!(tray.is_alive().await, "the tray icon left with the window");

    step("a reminder comes due with the window closed: it pops up, the count follows");
    let store = Store::open(&db).await.unwrap();
    store.create_reminder(&reminder("Call about the keynote", chrono::Utc::now() + chrono::Duration::seconds(3))).await.unwrap();
    store.close().await;
    let shown = notifications.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_eq!(shown[1].summary, "Follow up: Grace Hopper");
    assert_eq!(shown[1].body, "Call about the keynote");
    tray.wait_for_entry(|label| label == "Reminders (2 due)", Duration::from_secs(10)).await;
    tray.wait_for_label("2", Duration::from_secs(5)).await;
    assert!(!x.is_viewable(window), "a notification must not force the window open");

    step("the tray's Reminders entry brings the window back on the Reminders view");
    tray.click("Reminders").await;
    wait_until("Reminders in the tray menu did not show the window", Duration::from_secs(10), || x.is_viewable(window)).await;
    wait_text(&client, "[data-testid=reminder-group-overdue]", "Call about the keynote").await;

    step("closed again, Open brings it back");
    x.request_close(window);
    wait_until("the window stayed on screen", Duration::from_secs(10), || !x.is_viewable(window)).await;
    tray.click("Open Leadbook").await;
    wait_until("Open in the tray menu did not show the window", Duration::from_secs(10), || x.is_viewable(window)).await;
    wait_for(&client, "[data-testid=reminders-view]").await;

    step("Quit in the tray menu ends the app");
    tray.click("Quit Leadbook").await;
    wait_until("Quit left the app running", Duration::from_secs(15), || !running(pid)).await;
    assert!(!tray.is_alive().await, "the tray icon outlived the app");
    // The WebDriver session ended with the app.
    let _ = client.close().await;
}

/// `make screenshots`: the README's pictures, taken from the real app window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_file_is_previewed_mapped_imported_and_undone_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(a_csv_file_is_previewed_mapped_imported_and_undone_in_the_real_app_body()).await;
}

/// Clicks `css` and accepts the confirmation the click asks for, in-app or native.
async fn click_and_confirm(client: &Client, css: &str) {
    wait_for(client, css).await.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    if client.accept_alert().await.is_err() {
        if let Ok(confirm) = client.find(Locator::Css("[data-testid=confirm-yes]")).await {
            confirm.click().await.unwrap();
        }
    }
}

async fn a_csv_file_is_previewed_mapped_imported_and_undone_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let file = german_export(dir.path(), "kontakte.csv");
    let client = desktop.launch(&db).await;
    step("open the import view and drop the file on it (the window names only files it was given)");
    wait_for(&client, "[data-testid=nav-import]").await.click().await.unwrap();
    drop_on_window(&desktop, &file);
    let mapping = wait_text(&client, "[data-testid=mapping-table]", "Vorname").await;
    assert!(mapping.contains("Erstellt am"), "{mapping}");
    // The preview shows values as they will be stored: the German date as an ISO timestamp.
    wait_text(&client, "[data-testid=import-preview]", "T").await;
    let selects = client.find_all(Locator::Css("[data-testid=mapping-select]")).await.unwrap();
    let first_target = selects[1].prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(first_target, "firstName", "Vorname maps to first name without help");
    screenshot(&client, &desktop, "08-import-mapping").await;
    client.execute("document.querySelector('[data-testid=import-preview]').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&client, &desktop, "08-import-preview").await;

    step("import in the background and see the summary");
    wait_for(&client, "[data-testid=import-start]").await.click().await.unwrap();
    let summary = wait_text(&client, "[data-testid=import-summary]", "").await;
    let inserted_text = wait_for(&client, "[data-testid=import-inserted]").await.text().await.unwrap();
    let inserted: i64 = inserted_text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(-1);
    let in_store = lead_count(&db).await;
    assert_eq!(inserted, in_store, "summary {summary:?} vs {in_store} leads in the store");
    assert!(in_store > 350, "{in_store}");
    screenshot(&client, &desktop, "09-import-summary").await;

    step("the leads are in the table and searchable");
    wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
    let store = Store::open(&db).await.unwrap();
    let (last,): (String,) = sqlx::query_as("SELECT last_name FROM leads WHERE last_name GLOB '[A-Z][a-z]*' LIMIT 1").fetch_one(store.reader()).await.unwrap();
    store.close().await;
    search_for(&client, &last, &last).await;

    step("undo the import from its history");
    wait_for(&client, "[data-testid=nav-import]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=history-row]").await;
    click_and_confirm(&client, "[data-testid=history-undo]").await;
    let t = Instant::now();
    while lead_count(&db).await != 0 {
        assert!(t.elapsed() < Duration::from_secs(15), "undo left {} leads", lead_count(&db).await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_text(&client, "[data-testid=import-history]", "ndone").await;
    client.close().await.unwrap();
}

/// Drops `file` on the app's window as a file manager does (XDND): the app may then read it.
fn drop_on_window(desktop: &Desktop, file: &Path) {
    let x = X11::open(&desktop.display);
    let window = x.find_titled("Leadbook").expect("the app's window is on screen");
    x.drop_files(window, &[file]).expect("the window takes the drop");
}

/// A German export in `dir`: semicolons, DD.MM.YYYY dates, German headers (gen_leads.py --dialect semicolon).
fn german_export(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/tests/fixtures/gen_leads_semicolon.csv"), &file).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_file_dropped_on_the_window_from_another_program_is_read_for_import_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(async {
        let Some(desktop) = Desktop::start() else { return };
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("drop.db");
        let file = german_export(dir.path(), "messe-kontakte.csv");
        let client = desktop.launch(&db).await;
        wait_for(&client, "[data-testid=nav-leads]").await;
        step("drop the file on the leads view, as a file manager does (XDND)");
        let x = X11::open(&desktop.display);
        let window = x.find_titled("Leadbook").expect("the app's window is on screen");
        x.drop_files(window, &[&file]).expect("the window takes the drop");
        step("the import view opens with the dropped file read");
        let mapping = wait_text(&client, "[data-testid=mapping-table]", "Vorname").await;
        assert!(mapping.contains("Erstellt am"), "{mapping}");
        wait_text(&client, "[data-testid=import-view] .view-title", "messe-kontakte.csv").await;
        step("a path the user never chose or dropped is refused, as a compromised window would send it");
        let secret = dir.path().join("not-given.csv");
        std::fs::write(&secret, "First Name\nSecret\n").unwrap();
        for (command, args) in [
            ("import_preview", serde_json::json!({ "req": { "path": secret, "dialect": {}, "mapping": null } })),
            ("import_preview", serde_json::json!({ "req": { "path": "/etc/passwd", "dialect": {}, "mapping": null } })),
            ("lead_export", serde_json::json!({ "req": { "path": dir.path().join("stolen.csv"), "request": {} } })),
        ] {
            let outcome = client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done('allowed'), (e) => done(e && e.code ? e.code : String(e)));",
                    vec![command.into(), args],
                )
                .await
                .unwrap();
            assert_eq!(outcome, "file_not_chosen", "{command}");
        }
        assert!(!dir.path().join("stolen.csv").exists());
        client.close().await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_is_built_counted_saved_refreshed_and_its_history_shown_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(a_segment_is_built_counted_saved_refreshed_and_its_history_shown_in_the_real_app_body()).await;
}

/// Digits of a formatted count ("1,234" / "1.234" → 1234).
fn digits(text: &str) -> i64 {
    text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(-1)
}

async fn a_segment_is_built_counted_saved_refreshed_and_its_history_shown_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("segments.db");
    let store = Store::open(&db).await.unwrap();
    store.load_sample_data(2_000, Some(5)).await.unwrap();
    const QUERY: &str = "score >= 30 and stage in (Qualified, Proposal)";
    let expected = store.check_segment_query(QUERY, true).await.unwrap().count.unwrap();
    assert!(expected > 20, "{expected}");
    store.close().await;
    let client = desktop.launch(&db).await;

    step("type a query: live count and the builder follow");
    wait_for(&client, "[data-testid=nav-segments]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=new-segment]").await.click().await.unwrap();
    type_into(&client, "[data-testid=segment-name]", "Warm pipeline").await;
    type_into(&client, "[data-testid=segment-query]", QUERY).await;
    let t = Instant::now();
    loop {
        let text = wait_for(&client, "[data-testid=segment-live-count]").await.text().await.unwrap_or_default();
        if digits(text.split_whitespace().next().unwrap_or("")) == expected {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "live count shows {text:?}, expected {expected}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let t = Instant::now();
    while client.find_all(Locator::Css("[data-testid=qb-condition]")).await.map(|r| r.len()).unwrap_or(0) != 2 {
        assert!(t.elapsed() < Duration::from_secs(10), "the builder never showed the two conditions");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&client, &desktop, "10-segment-editor").await;

    step("a mistake is pointed at");
    type_into(&client, "[data-testid=segment-query]", "score >= and stage = New").await;
    wait_text(&client, "[data-testid=segment-query-error]", "col 10").await;

    step("builder → text: switch the group to 'any of'");
    type_into(&client, "[data-testid=segment-query]", QUERY).await;
    wait_for(&client, "[data-testid=qb-condition]").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    wait_for(&client, "[data-testid=qb-any]").await.click().await.unwrap();
    let t = Instant::now();
    loop {
        let value = wait_for(&client, "[data-testid=segment-query]").await.prop("value").await.ok().flatten().unwrap_or_default();
        if value == "score >= 30 or stage in (Qualified, Proposal)" {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "the text never followed the builder: {value:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for(&client, "[data-testid=qb-all]").await.click().await.unwrap();
    let t = Instant::now();
    loop {
        let value = wait_for(&client, "[data-testid=segment-query]").await.prop("value").await.ok().flatten().unwrap_or_default();
        if value == QUERY {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "the text never came back: {value:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    step("save: the segment is refreshed and its members listed");
    tokio::time::sleep(Duration::from_millis(600)).await;
    wait_for(&client, "[data-testid=segment-save]").await.click().await.unwrap();
    let count = wait_text(&client, "[data-testid=segment-member-count]", "").await;
    assert_eq!(digits(&count), expected, "member count {count:?}");
    wait_for(&client, "[data-testid=segment-members-table] [data-testid=lead-row]").await;
    screenshot(&client, &desktop, "11-segment-members").await;

    step("a lead drops out; refresh now; the history shows who left");
    let store = Store::open(&db).await.unwrap();
    let gone: (String, String) = sqlx::query_as(
        "SELECT l.id, l.last_name FROM segment_members m JOIN leads l ON l.num = m.lead_num ORDER BY l.num LIMIT 1",
    )
    .fetch_one(store.reader())
    .await
    .unwrap();
    store.delete_lead(&gone.0).await.unwrap();
    store.close().await;
    wait_for(&client, "[data-testid=refresh-segment]").await.click().await.unwrap();
    let t = Instant::now();
    while digits(&wait_text(&client, "[data-testid=segment-member-count]", "").await) != expected - 1 {
        assert!(t.elapsed() < Duration::from_secs(10), "the count never dropped by one");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for(&client, "[data-testid=tab-history]").await.click().await.unwrap();
    let t = Instant::now();
    while client.find_all(Locator::Css("[data-testid=segment-refresh]")).await.map(|r| r.len()).unwrap_or(0) != 2 {
        assert!(t.elapsed() < Duration::from_secs(10), "history never showed two refreshes");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_text(&client, "[data-testid=segment-changes]", &gone.1).await;
    screenshot(&client, &desktop, "12-segment-history").await;
    client.close().await.unwrap();

    let store = Store::open(&db).await.unwrap();
    let segment = store.get_segment("warm pipeline").await.unwrap();
    assert_eq!((segment.refresh_counter, segment.member_count, segment.query.as_deref()), (2, expected - 1, Some(QUERY)));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scoring_rule_is_previewed_saved_and_explained_on_the_lead_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(a_scoring_rule_is_previewed_saved_and_explained_on_the_lead_in_the_real_app_body()).await;
}

async fn a_scoring_rule_is_previewed_saved_and_explained_on_the_lead_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scoring.db");
    let store = Store::open(&db).await.unwrap();
    store.load_sample_data(2_000, Some(5)).await.unwrap();
    let rule = leadbook_core::RuleInput {
        name: "Managers".into(),
        criteria: leadbook_core::Criteria {
            kind: leadbook_core::CriteriaKind::Field,
            field: Some("job_title".into()),
            condition: leadbook_core::RuleCondition::Contains,
            values: vec!["manager".into()],
            of_type: None,
            window_days: None,
        },
        points: 10,
        per_match: false,
        active: true,
        valid_from: None,
        valid_until: None,
    };
    let expected = store.preview_rule_change(&leadbook_core::RuleChange { id: None, input: Some(rule) }).await.unwrap().raised as i64;
    assert!(expected > 20, "{expected}");
    // An email nobody else has, so the search finds exactly this lead.
    let (lead_id, email, score): (String, String, i64) = sqlx::query_as(
        "SELECT id, email, score FROM leads l JOIN scores s ON s.lead_num = l.num WHERE instr(lower(job_title), 'manager') > 0 AND score < 90
           AND email IS NOT NULL AND (SELECT count(*) FROM leads o WHERE o.email = l.email) = 1 ORDER BY num LIMIT 1",
    )
    .fetch_one(store.reader())
    .await
    .unwrap();
    store.close().await;
    let client = desktop.launch(&db).await;

    step("build a rule: the preview counts the leads it would raise");
    wait_for(&client, "[data-testid=nav-scoring]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=new-rule]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=rule-editor]").await;
    type_into(&client, "[data-testid=rule-name]", "Managers").await;
    wait_for(&client, "[data-testid=rule-kind]").await.select_by_value("field").await.unwrap();
    wait_for(&client, "[data-testid=rule-field]").await.select_by_value("job_title").await.unwrap();
    wait_for(&client, "[data-testid=rule-condition]").await.select_by_value("contains").await.unwrap();
    type_into(&client, "[data-testid=rule-value]", "manager").await;
    type_into(&client, "[data-testid=rule-points]", "10").await;
    let t = Instant::now();
    loop {
        let text = wait_text(&client, "[data-testid=rule-preview]", "").await;
        if text.contains("raise") && digits(text.split("raise").nth(1).unwrap_or("").split("lead").next().unwrap_or("")) == expected {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(15), "preview shows {text:?}, expected {expected} raised");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    screenshot(&client, &desktop, "13-rule-editor").await;

    step("save: every lead is re-scored in the background");
    wait_for(&client, "[data-testid=rule-save]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=rule-list]", "manager").await;
    let store = Store::open(&db).await.unwrap();
    let t = Instant::now();
    loop {
        let e = store.explain_score(&lead_id).await.unwrap();
        if e.parts.iter().any(|p| p.label == "Managers") {
            assert_eq!(e.score, score + 10);
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "the lead was never re-scored: {e:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    store.close().await;
    wait_for(&client, "[data-testid=score-histogram]").await;

    step("the lead panel explains the score, and an inquiry lands on the timeline");
    wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
    search_for(&client, &email, &email).await;
    wait_for(&client, "[data-testid=lead-row]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=score-breakdown]", "Managers").await;
    let total = wait_text(&client, "[data-testid=score-total]", "").await;
    assert_eq!(digits(&total), score + 10, "total {total:?}");
    type_into(&client, "[data-testid=inquiry-message]", "Can we get a pilot licence?").await;
    wait_for(&client, "[data-testid=add-inquiry]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=timeline]", "pilot licence").await;
    screenshot(&client, &desktop, "14-score-breakdown").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_is_set_up_in_settings_and_a_lead_written_on_the_server_appears_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(sync_is_set_up_in_settings_and_a_lead_written_on_the_server_appears_in_the_real_app_body()).await;
}

async fn sync_is_set_up_in_settings_and_a_lead_written_on_the_server_appears_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let Some(keychain) = leadbook_testkit::keyring::SecretService::start(&desktop.bus) else { return };
    let Some(pg) = leadbook_testkit::postgres::Postgres::start() else { return };
    const PASSWORD: &str = "e2e-sync-password";
    leadbook_core::sync::server::init(&pg.admin_url(), None).await.unwrap();
    leadbook_core::sync::server::add_user(&pg.admin_url(), None, "ann", "Sales", Some(PASSWORD)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sync.db");
    let client = desktop.launch(&db).await;

    step("Settings → Team sync: a wrong password is refused next to the field, nothing changes");
    wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=sync-form]").await;
    type_into(&client, "[data-testid=sync-url]", &pg.url_for("ann")).await;
    type_into(&client, "[data-testid=sync-password]", "not-the-password").await;
    wait_for(&client, "[data-testid=sync-connect]").await.click().await.unwrap();
    let refused = wait_text(&client, "[data-testid=sync-card]", "refused").await;
    assert!(!refused.contains("not-the-password"), "{refused}");

    step("connect: the password goes to the keychain, the first sync runs in the background");
    type_into(&client, "[data-testid=sync-password]", PASSWORD).await;
    wait_for(&client, "[data-testid=sync-connect]").await.click().await.unwrap();
    let t = Instant::now();
    loop {
        let state = client.find(Locator::Css("[data-testid=sync-state]")).await.ok();
        let state = match state {
            Some(e) => e.attr("data-state").await.unwrap_or_default(),
            None => None,
        };
        if state.as_deref() == Some("synced") {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "sync never reached synced: {state:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_text(&client, "[data-testid=sync-indicator]", "Synced").await;
    let lookup = Command::new("secret-tool")
        .args(["lookup", "service", "Leadbook sync", "username", &format!("ann@127.0.0.1:{}/postgres", pg.port)])
        .envs(keychain.env(&desktop.bus))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&lookup.stdout), PASSWORD, "the keychain holds the password");
    // The sync card sits below General in Settings: bring it to the top for the screenshot.
    client
        .execute(
            "const pane = document.querySelector('.settings-scroll'); const card = document.querySelector('[data-testid=sync-card]');
             if (pane && card) pane.scrollTop = card.offsetTop - pane.offsetTop - 20; return null;",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&client, &desktop, "15-sync-settings").await;

    step("a website inserts a lead with plain SQL: LISTEN/NOTIFY brings it into the open app");
    let sales: String = {
        let (ok, out, err) = pg.psql("ann", PASSWORD, "SELECT id FROM leadbook.spaces WHERE kind = 'team'");
        assert!(ok, "{err}");
        out
    };
    let (ok, _, err) = pg.psql("ann", PASSWORD, &format!(
        "INSERT INTO leadbook.leads (space_id, first_name, last_name, email) VALUES ('{sales}', 'Wanda', 'Webform', 'wanda@webform.test')"
    ));
    assert!(ok, "{err}");
    wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
    search_for(&client, "webform", "wanda@webform.test").await;
    client.close().await.unwrap();
    drop(keychain);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_are_taken_listed_and_restored_in_the_real_app() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(backups_are_taken_listed_and_restored_in_the_real_app_body()).await;
}

/// The file names in Settings → Backups, top to bottom.
async fn backup_rows(client: &Client) -> Vec<String> {
    let names = client
        .execute("return [...document.querySelectorAll('[data-testid=backup-row]')].map(r => r.getAttribute('data-file'));", vec![])
        .await
        .unwrap();
    serde_json::from_value(names).unwrap()
}

async fn backups_are_taken_listed_and_restored_in_the_real_app_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("backups.db");
    let store = Store::open(&db).await.unwrap();
    for (first, last) in [("Anna", "Alt"), ("Bernd", "Bauer"), ("Clara", "Conti")] {
        store.create_lead(&leadbook_core::LeadInput { first_name: first.into(), last_name: last.into(), ..Default::default() }).await.unwrap();
    }
    store.close().await;
    let client = desktop.launch(&db).await;

    step("the daily backup is taken at start, in the background; Settings → Backups lists it");
    wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=backups-card]").await;
    let t = Instant::now();
    while !backup_rows(&client).await.iter().any(|n| n.ends_with("-daily.db")) {
        assert!(t.elapsed() < Duration::from_secs(20), "no daily backup was listed");
        // The list is read when Settings opens: open it again.
        wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
        wait_for(&client, "[data-testid=backups-card]").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    step("back up now: a second one, taken by hand, on top");
    click_centered(&client, "[data-testid=backup-now]").await;
    let t = Instant::now();
    let manual = loop {
        let rows = backup_rows(&client).await;
        if let Some(first) = rows.first().filter(|n| n.ends_with("-manual.db")) {
            break first.clone();
        }
        assert!(t.elapsed() < Duration::from_secs(20), "the manual backup never showed: {rows:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let on_disk: Vec<String> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(on_disk.contains(&manual), "{on_disk:?}");
    screenshot(&client, &desktop, "16-backups").await;

    step("a lead added after the backup; restoring says what it replaces, then brings the store back");
    let store = Store::open(&db).await.unwrap();
    store.create_lead(&leadbook_core::LeadInput { first_name: "Dora".into(), last_name: "Later".into(), ..Default::default() }).await.unwrap();
    store.close().await;
    assert_eq!(lead_count(&db).await, 4);
    click_centered(&client, &format!("[data-file='{manual}'] [data-testid=backup-restore]")).await;
    let summary = wait_text(&client, "[data-testid=backup-restore-summary]", "3").await;
    assert!(summary.contains("replaced by the backup of") && summary.contains("backed up first"), "{summary}");
    assert_eq!(wait_text(&client, "[data-testid=backup-restore-leads]", "3").await, "3");
    screenshot(&client, &desktop, "17-backup-restore").await;
    wait_for(&client, "[data-testid=backup-restore-confirm]").await.click().await.unwrap();
    let t = Instant::now();
    while lead_count(&db).await != 3 {
        assert!(t.elapsed() < Duration::from_secs(10), "the store was not restored");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The window reloads on the restored store (the dialog goes with it): the table shows the
    // three, not Dora.
    let t = Instant::now();
    while client.find(Locator::Css("[data-testid=backup-restore-dialog]")).await.is_ok() {
        assert!(t.elapsed() < Duration::from_secs(10), "the restore dialog stayed open");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    click_centered(&client, "[data-testid=nav-leads]").await;
    wait_text(&client, "[data-testid=leads-table]", "Conti").await;
    search_for(&client, "anna", "Alt").await;
    let table = wait_text(&client, "[data-testid=leads-table]", "Alt").await;
    assert!(!table.contains("Later"), "{table}");
    // The store as it was before is kept, to go back.
    assert!(std::fs::read_dir(dir.path().join("backups")).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with("-pre-restore.db")));
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_shows_the_recovery_screen_and_a_backup_brings_it_back() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(a_database_that_cannot_be_opened_shows_the_recovery_screen_and_a_backup_brings_it_back_body()).await;
}

async fn a_database_that_cannot_be_opened_shows_the_recovery_screen_and_a_backup_brings_it_back_body() {
    let Some(desktop) = Desktop::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("damaged.db");
    let store = Store::open(&db).await.unwrap();
    store.create_lead(&leadbook_core::LeadInput { first_name: "Rescued".into(), last_name: "Lead".into(), ..Default::default() }).await.unwrap();
    store.create_backup(leadbook_core::BackupKind::Daily).await.unwrap();
    store.close().await;
    for side in ["damaged.db-wal", "damaged.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(side));
    }
    std::fs::write(&db, vec![0x42u8; 64 * 1024]).unwrap();

    step("start on a file that is not a database: the recovery screen, not a blank window");
    let client = desktop.launch_until(&db, "[data-testid=recovery-screen]").await;
    let reason = wait_text(&client, "[data-testid=recovery-reason]", "damaged or is not a Leadbook database").await;
    assert!(reason.contains("damaged.db"), "{reason}");
    wait_text(&client, "[data-testid=recovery-newest-good]", "1 lead").await;
    assert!(client.find(Locator::Css("[data-testid=nav-leads]")).await.is_err(), "nothing of the app is shown");
    screenshot(&client, &desktop, "18-recovery").await;

    step("restore the newest good backup: the app starts on it, the damaged file is kept");
    wait_for(&client, "[data-testid=recovery-restore]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=recovery-restore-confirm]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=nav-leads]").await;
    wait_text(&client, "[data-testid=leads-table]", "Rescued").await;
    let kept = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().contains("damaged.db.damaged-"));
    assert!(kept, "the damaged file is kept beside the restored one");
    step("the app works on the restored store: a new lead is saved");
    wait_for(&client, "[data-testid=new-lead-button]").await.click().await.unwrap();
    fill(&client, "firstName", "After").await;
    fill(&client, "lastName", "Recovery").await;
    wait_for(&client, "[data-testid=save-lead]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=lead-detail]", "Recovery").await;
    assert_eq!(lead_count(&db).await, 2);
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes docs/screenshots; run with `make screenshots`"]
async fn readme_screenshots() {
    let _turn = ONE_AT_A_TIME.lock().await;
    watchdog(readme_screenshots_body()).await;
}

async fn readme_screenshots_body() {
    let Some(desktop) = Desktop::start() else { return };
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shots.db");
    let store = Store::open(&db).await.unwrap();
    store.set_default_region("DE").await.unwrap();
    store.load_sample_data(2_000, Some(11)).await.unwrap();
    let leads: Vec<(String,)> = sqlx::query_as("SELECT id FROM leads ORDER BY num LIMIT 6").fetch_all(store.reader()).await.unwrap();
    let now = chrono::Utc::now();
    let plan: [(i64, &str, Option<&str>); 6] = [
        (-26 * 60, "Send the revised proposal", None),
        (-90, "Call back about the pilot", None),
        (45, "Demo for the purchasing team", None),
        (60 * 20, "Check in after the trade fair", Some("weekly")),
        (60 * 24 * 3, "Follow up on the security review", None),
        (60 * 24 * 9, "Quarterly review", Some("monthly")),
    ];
    for ((lead,), (minutes, message, repeat)) in leads.iter().zip(plan) {
        let due = now + chrono::Duration::minutes(minutes);
        store
            .create_reminder(&leadbook_core::ReminderInput {
                lead_id: lead.clone(),
                message: message.into(),
                due_at: due.to_rfc3339(),
                remind_at: None,
                recurrence: repeat.map(Into::into),
            })
            .await
            .unwrap();
    }
    // Past ones were already notified (no popups during the screenshots).
    sqlx::query("UPDATE reminders SET fire_at = NULL, notified_at = due_at WHERE due_at < ?").bind(now.to_rfc3339()).execute(store.reader()).await.unwrap();
    store.close().await;
    let save = |name: &'static str, client: Client| {
        let path = out.join(name);
        let desktop = &desktop;
        async move {
            screenshot_to(desktop, &path).await;
            client
        }
    };
    let client = desktop.launch(&db).await;
    wait_for(&client, "[data-testid=lead-row]").await;
    let rows = client.find_all(Locator::Css("[data-testid=lead-row]")).await.unwrap();
    rows[2].click().await.unwrap();
    wait_for(&client, "[data-testid=activity-item]").await;
    let client = save("leads.png", client).await;
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=new-lead-button]").await.click().await.unwrap();
    fill(&client, "firstName", "Jonas").await;
    fill(&client, "lastName", "Weber").await;
    fill(&client, "email", "jonas.weber@").await;
    fill(&client, "phone", "030 12").await;
    wait_for(&client, "[data-testid=save-lead]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=error-email]").await;
    let client = save("new-lead-error.png", client).await;
    client.find(Locator::Css("[data-testid=cancel-lead]")).await.unwrap().click().await.unwrap();
    search_for(&client, "030", "+49 30").await;
    let client = save("search.png", client).await;
    wait_for(&client, "[data-testid=nav-companies]").await.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let client = save("companies.png", client).await;
    wait_for(&client, "[data-testid=nav-reminders]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=reminder-row]").await;
    let client = save("reminders.png", client).await;
    wait_for(&client, "[data-testid=reminder-lead]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=add-reminder]").await.click().await.unwrap();
    type_into(&client, "[data-testid=reminder-message]", "Send the case study").await;
    wait_for(&client, "[data-testid=reminder-quick-tomorrow]").await.click().await.unwrap();
    let client = save("reminder-form.png", client).await;
    wait_for(&client, "[data-testid=cancel-reminder]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    // The import wizard on a German semicolon export, then its summary.
    let csv = german_export(dir.path(), "kontakte.csv");
    wait_for(&client, "[data-testid=nav-import]").await.click().await.unwrap();
    drop_on_window(&desktop, &csv);
    wait_text(&client, "[data-testid=mapping-table]", "Vorname").await;
    let client = save("import-mapping.png", client).await;
    wait_for(&client, "[data-testid=import-start]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=import-summary]").await;
    let client = save("import-summary.png", client).await;
    // A segment: the editor with builder, text and live count, then its history.
    wait_for(&client, "[data-testid=nav-segments]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=new-segment]").await.click().await.unwrap();
    type_into(&client, "[data-testid=segment-name]", "Hot leads in Germany").await;
    type_into(&client, "[data-testid=segment-query]", "score >= 40 and stage in (Qualified, Proposal) and email ends_with \".de\" and created > -365d").await;
    wait_for(&client, "[data-testid=segment-preview] .seg-preview-row").await;
    let client = save("segment-editor.png", client).await;
    wait_for(&client, "[data-testid=segment-save]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=segment-members-table] [data-testid=lead-row]").await;
    // Some leads warm up and some leave between refreshes, so the history has something to tell.
    let store = Store::open(&db).await.unwrap();
    for round in 0..3i64 {
        let warming: Vec<i64> = sqlx::query_scalar(
            "SELECT l.num FROM leads l JOIN scores s ON s.lead_num = l.num WHERE l.email LIKE '%.de' AND s.score < 40 AND l.deleted_at IS NULL
             ORDER BY l.num LIMIT ?",
        )
        .bind(3 + round * 4)
        .fetch_all(store.reader())
        .await
        .unwrap();
        let warming = serde_json::to_string(&warming).unwrap();
        for update in [
            "UPDATE leads SET stage_id = (SELECT id FROM lead_stages WHERE name = 'Qualified') WHERE num IN (SELECT value FROM json_each(?))",
            "UPDATE scores SET score = 90 WHERE lead_num IN (SELECT value FROM json_each(?))",
        ] {
            sqlx::query(update).bind(&warming).execute(store.reader()).await.unwrap();
        }
        let leaving: Vec<(String,)> = sqlx::query_as("SELECT l.id FROM segment_members m JOIN leads l ON l.num = m.lead_num WHERE m.left_refresh IS NULL ORDER BY l.num DESC LIMIT ?")
            .bind(round + 1)
            .fetch_all(store.reader())
            .await
            .unwrap();
        for (id,) in leaving {
            store.delete_lead(&id).await.unwrap();
        }
        wait_for(&client, "[data-testid=refresh-segment]").await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    store.close().await;
    // The toasts of the refreshes above are not part of the picture.
    tokio::time::sleep(Duration::from_secs(4)).await;
    wait_for(&client, "[data-testid=tab-history]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=segment-refresh]").await;
    let client = save("segment-history.png", client).await;

    // Scoring: a few rules, some engagement on the newest lead, everyone re-scored.
    let store = Store::open(&db).await.unwrap();
    use leadbook_core::{Criteria, CriteriaKind as K, RuleCondition as C, RuleInput};
    let rule = |name: &str, kind: K, field: Option<&str>, condition: C, values: &[&str], points: i32, of_type: Option<&str>, per_match: bool| RuleInput {
        name: name.into(),
        criteria: Criteria { kind, field: field.map(Into::into), condition, values: values.iter().map(|v| v.to_string()).collect(), of_type: of_type.map(Into::into), window_days: None },
        points,
        per_match,
        active: true,
        valid_from: None,
        valid_until: None,
    };
    for r in [
        rule("Decision makers", K::Field, Some("job_title"), C::In, &["CEO", "CTO", "Founder"], 15, None, false),
        rule("Managers", K::Field, Some("job_title"), C::Contains, &["manager"], 10, None, false),
        rule("Pricing interest", K::Event, Some("value"), C::Contains, &["/pricing"], 5, Some("page_view"), true),
        rule("Asked us directly", K::Inquiry, Some("channel"), C::Exists, &[], 10, None, true),
        rule("Big companies", K::Field, Some("company.size"), C::GreaterThan, &["500"], 10, None, false),
        rule("Lost deals", K::Field, Some("status"), C::Equals, &["lost"], -20, None, false),
    ] {
        store.add_rule(&r).await.unwrap();
    }
    store.set_scoring_settings(&leadbook_core::ScoringSettings { decay_half_life_days: Some(30.0), thresholds: vec![leadbook_core::Threshold { score: 70, label: "hot".into() }] }).await.unwrap();
    let (newest,): (String,) = sqlx::query_as("SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1").fetch_one(store.reader()).await.unwrap();
    for days in [40, 9, 2] {
        let at = (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
        store.add_event(&leadbook_core::EventInput { lead_id: newest.clone(), event_type: "page_view".into(), event_value: Some("/pricing".into()), occurred_at: Some(at) }).await.unwrap();
    }
    store.add_inquiry(&leadbook_core::InquiryInput { lead_id: newest.clone(), message: "Can we get a quote for 40 seats?".into(), channel: Some("email".into()) }).await.unwrap();
    store.recompute_scores("rule", "Rules set up", |_| {}).await.unwrap();
    store.close().await;
    wait_for(&client, "[data-testid=nav-scoring]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=rule-row]").await;
    wait_for(&client, "[data-testid=histogram-bar]").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let client = save("scoring.png", client).await;
    wait_for(&client, "[data-testid=nav-leads]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=lead-row]").await.click().await.unwrap();
    wait_text(&client, "[data-testid=score-breakdown]", "Pricing interest").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let client = save("score-breakdown.png", client).await;
    wait_for(&client, "[data-testid=log-activity]").await.click().await.unwrap();
    type_into(&client, "[data-testid=activity-outcome]", "Booked a demo").await;
    type_into(&client, "[data-testid=activity-duration]", "12").await;
    type_into(&client, "[data-testid=activity-message]", "Wants the 40-seat quote walked through with their CFO on Thursday").await;
    let client = save("log-activity.png", client).await;
    wait_for(&client, "[data-testid=save-activity]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=timeline] [data-type=call_made]").await;
    wait_for(&client, "[data-testid=close-detail]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=nav-settings]").await.click().await.unwrap();
    wait_for(&client, "[data-testid=settings-region]").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let client = save("settings.png", client).await;
    client.close().await.unwrap();
    // Dark theme: the OS preference reaches WebKit through the GTK theme.
    let mut dark = spawn_group(
        Command::new(APP)
            .arg("--db")
            .arg(&db)
            .env("DISPLAY", &desktop.display)
            .env("GTK_THEME", "Adwaita:dark")
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus.address)
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    tokio::time::sleep(Duration::from_secs(6)).await;
    screenshot_to(&desktop, &out.join("dark.png")).await;
    let _ = dark.0.kill();
}
