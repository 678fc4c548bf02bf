//! The `leadbook` binary end to end: arguments in, JSON or errors out, on real databases.

use crate::support::leadbook_de as leadbook;
use crate::support::json;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};



#[test]
fn add_show_list_search_round_trip_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let added = json(&leadbook(&db, &["leads", "add", "--first-name", "Anna", "--last-name", "Müller", "--email", "Anna@Nordwind.DE",
        "--phone", "030 1234567", "--company", "Nordwind GmbH", "--json"]));
    let id = added["id"].as_str().unwrap();
    assert_eq!(added["email"], "Anna@nordwind.de");
    assert_eq!(added["phone"], "+49301234567", "region comes from the locale (de_DE)");
    let shown = json(&leadbook(&db, &["leads", "show", id, "--json"]));
    assert_eq!(shown, added);
    let list = json(&leadbook(&db, &["leads", "list", "--limit", "5", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1);
    let found = json(&leadbook(&db, &["leads", "search", "0301234", "--json"]));
    assert_eq!(found[0]["id"], id);
    // The local number alone finds it too (its last digits).
    let by_end = json(&leadbook(&db, &["leads", "search", "1234567", "--json"]));
    assert_eq!(by_end[0]["id"], id);
    let plain = leadbook(&db, &["leads", "list"]);
    assert!(String::from_utf8_lossy(&plain.stdout).contains("Nordwind GmbH"));
}

#[test]
fn bad_input_fails_on_stderr_with_nonzero_exit_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = leadbook(&db, &["leads", "add", "--first-name", "Bo", "--email", "bo@", "--json"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "invalid_email");
    assert_eq!(err["error"]["field"], "email");
    let out = leadbook(&db, &["leads", "add", "--first-name", "Bo", "--phone", "12"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_phone"));
    let out = leadbook(&db, &["leads", "show", "no-such-id"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No lead with id no-such-id"));
    assert_eq!(json(&leadbook(&db, &["info", "--json"]))["leadCount"], 0);
}

#[test]
fn unopenable_database_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("garbage.db");
    std::fs::write(&not_a_db, vec![0x42u8; 8192]).unwrap();
    let out = leadbook(&not_a_db, &["info"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("garbage.db") || stderr.contains("not a database"), "{stderr}");
}

#[test]
fn demo_fills_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let result = json(&leadbook(&db, &["demo", "--leads", "3000", "--seed", "3", "--json"]));
    assert_eq!(result["leads"], 3000);
    assert_eq!(json(&leadbook(&db, &["info", "--json"]))["leadCount"], 3000);
}

/// A count read on a fresh read-only connection through the same SQLite build as the store. A
/// query that fails panics with its SQL: read as 0, a broken query would pass every "no rows"
/// assertion.
fn sqlite_count(db: &Path, sql: &str) -> u64 {
    try_sqlite_count(db, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The same count while `leadbook demo` writes to the file: SQLite busy or locked for a moment
/// reads as "nothing yet" (the caller polls again); any other failure panics.
fn sqlite_count_while_written(db: &Path, sql: &str) -> u64 {
    match try_sqlite_count(db, sql) {
        Ok(n) => n,
        // Primary result codes 5 (SQLITE_BUSY) and 6 (SQLITE_LOCKED), extended codes included.
        Err(sqlx::Error::Database(e)) if e.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| matches!(c & 0xff, 5 | 6)) => 0,
        Err(e) => panic!("{sql}: {e}"),
    }
}

fn try_sqlite_count(db: &Path, sql: &str) -> Result<u64, sqlx::Error> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db).read_only(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await?;
        let n: Result<i64, _> = sqlx::query_scalar(sql).fetch_one(&pool).await;
        pool.close().await;
        Ok(n? as u64)
    })
}

/// The helper behind the "no rows" assertions here: a broken query fails, it never reads as 0.
#[test]
#[should_panic(expected = "no such table: no_such_table")]
fn sqlite_count_fails_on_a_broken_query() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("count.db");
    json(&leadbook(&db, &["info", "--json"]));
    sqlite_count(&db, "SELECT count(*) FROM no_such_table");
}

/// Starts `leadbook demo`, kills it with SIGKILL once `ready` holds (or after a time limit).
fn kill_demo_midway(db: &Path, leads: &str, ready: impl Fn() -> bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
        .arg("--db").arg(db).args(["demo", "--leads", leads])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !ready() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(child.try_wait().unwrap().is_none(), "demo finished before it could be killed");
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
}

/// After the kill: SQLite's integrity check passes, every lead has its index entry, no log entry
/// points at a lead that is not there, every index of the schema exists, and the store accepts
/// new writes.
fn assert_consistent(db: &Path, indexes_before: u64) -> u64 {
    let leads = json(&leadbook(db, &["info", "--json"]))["leadCount"].as_u64().unwrap();
    assert_eq!(sqlite_count(db, "SELECT count(*) FROM leads_fts"), leads, "every lead indexed");
    assert_eq!(
        sqlite_count(db, "SELECT count(*) FROM lead_activities a LEFT JOIN leads l ON l.id = a.lead_id WHERE l.id IS NULL"),
        0,
        "no log entry without its lead"
    );
    assert_eq!(sqlite_count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"), indexes_before, "no index lost");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = leadbook_core::Store::open(db).await.unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.reader()).await.unwrap();
        assert_eq!(integrity, "ok");
        store.create_lead(&leadbook_core::LeadInput { first_name: "After".into(), ..Default::default() }).await.unwrap();
        store.close().await;
    });
    assert!(leadbook(db, &["leads", "search", "after", "--json"]).status.success());
    leads
}

/// kill -9 during a bulk load into an empty store (one transaction, indexes rebuilt at the
/// end): the store is left exactly as before — no lead, and no index missing.
#[test]
fn kill_9_during_a_bulk_load_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bulk.db");
    json(&leadbook(&db, &["info", "--json"]));
    let indexes = sqlite_count(&db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'");
    // Nothing is visible before the single commit, so kill after a few seconds of loading.
    let start = std::time::Instant::now();
    kill_demo_midway(&db, "3000000", || start.elapsed().as_secs() >= 5);
    assert_eq!(assert_consistent(&db, indexes), 0);
}

/// kill -9 during incremental writes into a store that already has leads: only whole
/// transactions of 10,000 leads exist afterwards.
#[test]
fn kill_9_during_incremental_writes_keeps_only_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inc.db");
    json(&leadbook(&db, &["leads", "add", "--first-name", "First", "--json"]));
    let indexes = sqlite_count(&db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'");
    kill_demo_midway(&db, "3000000", || sqlite_count_while_written(&db, "SELECT count(*) FROM leads") >= 30_001);
    let leads = assert_consistent(&db, indexes);
    assert!(leads > 1 && leads < 3_000_001, "killed mid-way: {leads}");
    assert_eq!((leads - 1) % 10_000, 0, "whole transactions only: {leads}");
}

#[test]
fn reminders_add_list_snooze_done_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let lead = json(&leadbook(&db, &["leads", "add", "--first-name", "Ada", "--last-name", "Byron", "--json"]));
    let lead_id = lead["id"].as_str().unwrap();
    let with_tz = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(&db).args(args).env("TZ", "Europe/Berlin").output().unwrap()
    };
    let added = json(&with_tz(&["reminders", "add", "--lead", lead_id, "--at", "tomorrow 09:00", "--message", "Send the proposal", "--repeat", "weekdays", "--json"]));
    assert_eq!(added["status"], "pending");
    assert_eq!(added["recurrence"], "weekdays");
    assert_eq!(added["timeZone"], "Europe/Berlin");
    let due: chrono::DateTime<chrono::Utc> = added["dueAt"].as_str().unwrap().parse().unwrap();
    let local = due.with_timezone(&chrono_tz::Europe::Berlin);
    assert_eq!(local.format("%H:%M").to_string(), "09:00", "09:00 in the user's zone");
    let id = added["id"].as_str().unwrap();

    let soon = json(&with_tz(&["reminders", "add", "--lead", lead_id, "--at", "+10m", "--message", "Quick call", "--json"]));
    let listed = json(&with_tz(&["reminders", "list", "--json"]));
    let messages: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["Quick call", "Send the proposal"], "earliest due first");
    assert_eq!(json(&with_tz(&["reminders", "list", "--due", "--json"])).as_array().unwrap().len(), 0);

    let snoozed = json(&with_tz(&["reminders", "snooze", soon["id"].as_str().unwrap(), "--for", "2h", "--json"]));
    assert_eq!(snoozed["status"], "snoozed");
    let done = json(&with_tz(&["reminders", "done", id, "--json"]));
    assert_eq!(done["status"], "pending", "a weekday series moves on");
    assert!(done["dueAt"].as_str().unwrap() > added["dueAt"].as_str().unwrap());

    // Bad input: the problem named on stderr, non-zero exit, nothing written.
    for (args, needle) in [
        (vec!["reminders", "add", "--lead", lead_id, "--at", "soonish", "--message", "x", "--json"], "invalid_time"),
        (vec!["reminders", "add", "--lead", lead_id, "--at", "+1h", "--message", "x", "--repeat", "FREQ=SOMETIMES", "--json"], "invalid_recurrence"),
        (vec!["reminders", "add", "--lead", "nope", "--at", "+1h", "--message", "x", "--json"], "not_found"),
        (vec!["reminders", "snooze", id, "--for", "a while", "--json"], "invalid_duration"),
    ] {
        let out = with_tz(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], needle, "{args:?}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(json(&with_tz(&["reminders", "list", "--all", "--json"])).as_array().unwrap().len(), 2);
}

/// An error on stderr as JSON, with the exit code of a refusal (1), never a panic's (101).
fn refused(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused cleanly, not a panic: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice::<Value>(&out.stderr).unwrap_or_else(|e| panic!("stderr is one JSON error ({e}): {stderr}"))["error"].clone()
}

#[test]
fn huge_numbers_are_refused_with_the_field_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let id = json(&leadbook(&db, &["leads", "add", "--first-name", "Ann", "--json"]))["id"].as_str().unwrap().to_owned();
    // A scoring rule whose window no date can reach (it panicked while validating).
    let err = refused(&leadbook(&db, &["rules", "add", "--name", "big", "--criteria", "inquiry_count", "--condition", "greater_than",
        "--value", "0", "--points", "5", "--window-days", "999999999", "--json"]));
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_rule"), Some("windowDays")), "{err}");
    assert!(json(&leadbook(&db, &["rules", "list", "--json"])).as_array().unwrap().is_empty(), "nothing saved");
    // Reminder times and snoozes of that size.
    for at in ["+999999999d", "+99999999999999999s", "+99999999999999999999999999w"] {
        let err = refused(&leadbook(&db, &["reminders", "add", "--lead", &id, "--at", at, "--message", "call", "--json"]));
        assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_time"), Some("dueAt")), "{at}: {err}");
    }
    let reminder = json(&leadbook(&db, &["reminders", "add", "--lead", &id, "--at", "+1h", "--message", "call", "--json"]));
    let rid = reminder["id"].as_str().unwrap();
    for duration in ["999999999d", "99999999999999999s", "99999999999999999999m"] {
        let err = refused(&leadbook(&db, &["reminders", "snooze", rid, "--for", duration, "--json"]));
        assert_eq!(err["code"].as_str(), Some("invalid_duration"), "{duration}: {err}");
    }
    // A sample-data count past what a disk holds.
    let err = refused(&leadbook(&db, &["demo", "--leads", "10000000000000000000", "--json"]));
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_count"), Some("leads")), "{err}");
    assert_eq!(json(&leadbook(&db, &["info", "--json"]))["leadCount"], 1, "nothing was added");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    json(&leadbook(&db, &["demo", "--leads", "600", "--seed", "1", "--json"]));
    // `leadbook … | head -c 10`: the reader closes the pipe after ten bytes.
    for args in [&["leads", "list", "--limit", "500", "--json"][..], &["export"][..], &["leads", "list", "--limit", "500"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
            .arg("--db").arg(&db).args(args)
            .stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped())
            .spawn().unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // dropped here: the pipe closes
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn export_to_standard_output_streams_without_staging_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    json(&leadbook(&db, &["demo", "--leads", "300", "--seed", "2", "--json"]));
    let out = Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(&db).arg("export").env("TMPDIR", &tmp).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = csv::Reader::from_reader(&out.stdout[..]).records().count();
    assert_eq!(rows, 300);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "nothing was written to the temp folder");
}

#[test]
fn a_file_that_is_not_a_table_is_refused_by_name_without_eating_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    // A binary file picked by mistake: 6 MiB of NUL bytes, no line break.
    let binary = dir.path().join("photo.csv");
    std::fs::write(&binary, vec![0u8; 6 * 1024 * 1024]).unwrap();
    let mut files = vec![binary.to_str().unwrap().to_owned()];
    // An endless one (once took every byte of memory until the OOM killer came).
    if Path::new("/dev/zero").exists() {
        files.push("/dev/zero".into());
    }
    for file in &files {
        for args in [vec!["import", "preview", file.as_str()], vec!["import", file.as_str()]] {
            let out = leadbook(&db, &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(stderr.contains("longer than 4 MiB: this is not a CSV file"), "{args:?}: {stderr}");
        }
    }
    assert_eq!(sqlite_count(&db, "SELECT count(*) FROM leads"), 0);
}

#[test]
fn a_call_is_logged_from_the_terminal_and_bad_durations_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let added = json(&leadbook(&db, &["leads", "add", "--first-name", "Ada", "--json"]));
    let id = added["id"].as_str().unwrap();
    let call = json(&leadbook(&db, &["activities", "log", id, "--type", "call", "--outcome", "Talked", "--duration", "15m", "--message", "Wants a demo", "--json"]));
    assert_eq!((call["activityType"].as_str(), call["durationMinutes"].as_u64(), call["outcome"].as_str()), (Some("call_made"), Some(15), Some("Talked")));
    for (duration, why) in [("0", "minutes"), ("2 days", "minutes"), ("soon", "duration"), ("90s", "minutes")] {
        let err = refused(&leadbook(&db, &["activities", "log", id, "--type", "call", "--duration", duration, "--message", "x", "--json"]));
        assert!(err["field"] == "duration" || err["field"] == "durationMinutes", "{duration}: {err}");
        assert!(err["message"].as_str().unwrap().contains(why) || err["code"] == "invalid_duration", "{duration}: {err}");
    }
    let err = refused(&leadbook(&db, &["activities", "log", id, "--type", "note", "--json"]));
    assert_eq!(err["field"], "message");
    let timeline = sqlite_count(&db, "SELECT count(*) FROM lead_activities WHERE activity_type = 'call_made'");
    assert_eq!(timeline, 1, "only the good call was written");
}
