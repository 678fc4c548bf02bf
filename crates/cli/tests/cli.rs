//! The `leadbook` binary end to end: arguments in, JSON or errors out, on real databases.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn leadbook(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadbook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "de_DE.UTF-8")
        .output()
        .expect("run leadbook")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

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

/// kill -9 in the middle of a bulk write: every lead that exists is whole (row, index entry,
/// activity), the file passes SQLite's integrity check, and the store keeps working.
#[test]
fn kill_9_during_writes_leaves_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    // Create the schema first so the child only writes leads.
    json(&leadbook(&db, &["info", "--json"]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
        .arg("--db").arg(&db).args(["demo", "--leads", "2000000"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill without warning.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let conn = Command::new("sqlite3").arg(&db).arg("SELECT count(*) FROM leads").output();
        let committed: u64 = match conn {
            Ok(o) => String::from_utf8_lossy(&o.stdout).trim().parse().unwrap_or(0),
            Err(_) => 0,
        };
        if committed >= 20_000 || started.elapsed().as_secs() > 60 {
            break;
        }
        if committed == 0 && started.elapsed().as_secs() > 3 && Command::new("sqlite3").arg("-version").output().is_err() {
            std::thread::sleep(std::time::Duration::from_secs(3)); // no sqlite3 shell: kill after a fixed time
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let info = json(&leadbook(&db, &["info", "--json"]));
    let leads = info["leadCount"].as_u64().unwrap();
    assert!(leads > 0 && leads < 2_000_000, "killed mid-way: {leads}");
    assert_eq!(leads % 500, 0, "whole batches only: {leads}");
    let check = Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(&db).args(["leads", "search", "anna", "--json"]).output().unwrap();
    assert!(check.status.success());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = leadbook_core::Store::open(&db).await.unwrap();
        let one = |sql: &'static str| {
            let pool = store.reader().clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
        };
        assert_eq!(one("SELECT count(*) FROM leads_fts").await as u64, leads, "every lead indexed");
        assert_eq!(one("SELECT count(*) FROM lead_activities").await as u64, leads, "every lead logged");
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.reader()).await.unwrap();
        assert_eq!(integrity, "ok");
        store.create_lead(&leadbook_core::LeadInput { first_name: "After".into(), ..Default::default() }).await.unwrap();
    });
}
