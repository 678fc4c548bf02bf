//! `leadbook import` / `export` as a user runs them, including a kill -9 in the middle of an
//! import: the store keeps whole rows only, says the import was interrupted, and resumes or undoes it.

use crate::support::leadbook;
use crate::support::json;
use crate::support::scalar;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};



fn big_file(path: &Path, rows: usize) {
    let mut csv = String::from("Vorname;Nachname;E-Mail;Telefon;Firma;Notizen\n");
    for i in 0..rows {
        csv.push_str(&format!("Person{i};Família{i};p{i}@example.com;+49 30 {:07};Firma {} GmbH;\"Notiz {i}; mit Semikolon\"\n", 1_000_000 + i, i % 97));
    }
    std::fs::write(path, csv).unwrap();
}


/// After a crash the store must hold whole leads only: each with its search entry and its
/// import record, and counters that agree with the rows.
async fn assert_consistent(db: &Path) -> (i64, i64) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let leads = scalar(&pool, "SELECT count(*) FROM leads WHERE deleted_at IS NULL").await;
    assert_eq!(scalar(&pool, "SELECT count(*) FROM leads_fts_docsize").await, leads, "search index and leads agree");
    let recorded = scalar(&pool, "SELECT count(*) FROM import_changes c JOIN leads l ON l.id = c.lead_id WHERE l.deleted_at IS NULL AND c.action = 'inserted'").await;
    assert_eq!(recorded, leads, "every lead belongs to the batch that wrote it");
    let counted = scalar(&pool, "SELECT ifnull(sum(inserted), 0) FROM import_batches WHERE status <> 'undone'").await;
    assert_eq!(counted, leads, "the batch counters were committed with the rows");
    let half = scalar(&pool, "SELECT count(*) FROM leads WHERE deleted_at IS NULL AND (email IS NULL OR phone IS NULL OR company_id IS NULL OR notes IS NULL)").await;
    assert_eq!(half, 0, "no half-written lead");
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(ok, "ok");
    let rows_read = scalar(&pool, "SELECT ifnull(max(rows_read), 0) FROM import_batches").await;
    pool.close().await;
    (leads, rows_read)
}

/// Starts an import and kills it (SIGKILL) once a few commits have landed.
async fn start_and_kill(db: &Path, file: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
        .arg("--db")
        .arg(db)
        .args(["import", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // Until the import has created the file and its tables, reading fails: poll again, but
    // keep the last failure to show if it never gets going.
    let mut last_error = None;
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import finished ({status}) before it could be killed: make the file bigger");
        }
        let read = async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display())).await?;
            let done: Result<Option<i64>, sqlx::Error> =
                sqlx::query_scalar("SELECT rows_read FROM import_batches WHERE status = 'running' ORDER BY id DESC LIMIT 1").fetch_optional(&pool).await;
            pool.close().await;
            done
        };
        match read.await {
            Ok(done) if done.unwrap_or(0) >= 10_000 => break,
            Ok(_) => {}
            Err(e) => last_error = Some(e.to_string()),
        }
        assert!(Instant::now() < deadline, "the import made no progress (last read failed with {last_error:?})");
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback handler runs
    child.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_in_the_middle_leaves_whole_rows_and_the_import_resumes_or_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    let file = dir.path().join("big.csv");
    big_file(&file, 150_000);

    start_and_kill(&db, &file).await;
    let (leads, rows_read) = assert_consistent(&db).await;
    assert!(leads >= 10_000 && leads < 150_000, "{leads}");
    assert_eq!(leads, rows_read);
    let list = json(&leadbook(&db, &["import", "list", "--json"]));
    assert_eq!(list[0]["status"], "interrupted", "{list}");
    assert!(list[0]["message"].as_str().unwrap().contains("resume"));
    let batch = list[0]["batchId"].as_str().unwrap().to_owned();

    let resumed = json(&leadbook(&db, &["import", "resume", &batch, "--json"]));
    assert_eq!(resumed["status"], "completed");
    assert_eq!(resumed["rows"], 150_000);
    assert_eq!(resumed["inserted"], 150_000);
    let (leads, _) = assert_consistent(&db).await;
    assert_eq!(leads, 150_000);

    // Killed again in a second import of the same people (all updates), then undone: back to
    // exactly the state after the first import.
    let file2 = dir.path().join("big2.csv");
    big_file(&file2, 150_000);
    let changed = std::fs::read_to_string(&file2).unwrap().replace("GmbH", "AG");
    std::fs::write(&file2, changed).unwrap();
    let before = json(&leadbook(&db, &["export", "--out", dir.path().join("before.csv").to_str().unwrap(), "--json"]));
    start_and_kill(&db, &file2).await;
    let list = json(&leadbook(&db, &["import", "list", "--json"]));
    assert_eq!(list[0]["status"], "interrupted");
    let second = list[0]["batchId"].as_str().unwrap().to_owned();
    let undo = json(&leadbook(&db, &["import", "undo", &second, "--json"]));
    assert!(undo["restored"].as_u64().unwrap() >= 10_000, "{undo}");
    assert_eq!(undo["removed"], 0);
    json(&leadbook(&db, &["export", "--out", dir.path().join("after.csv").to_str().unwrap(), "--json"]));
    assert_eq!(before["rows"], 150_000);
    assert_eq!(std::fs::read(dir.path().join("before.csv")).unwrap(), std::fs::read(dir.path().join("after.csv")).unwrap());
    assert_consistent(&db).await;
}

#[test]
fn import_prints_one_json_summary_writes_the_error_file_and_exports_what_it_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let file = dir.path().join("leads.csv");
    // The second row has no name, no phone and no valid email: nothing to make a lead of.
    std::fs::write(&file, "Name,Email,Phone\nAda Lovelace,ada@example.com,+44 20 7946 0958\n,not-an-email,\nAda Lovelace,ADA@example.com,\n").unwrap();
    let errors = dir.path().join("errors.csv");
    let out = leadbook(&db, &["import", file.to_str().unwrap(), "--json", "--errors", errors.to_str().unwrap()]);
    let summary = json(&out);
    for key in ["batch_id", "rows", "inserted", "updated", "skipped", "failed"] {
        assert!(summary.get(key).is_some(), "{key} in {summary}");
    }
    // The third row is Ada again (email in another case): matched, nothing new, so skipped.
    assert_eq!(
        (summary["rows"].as_u64(), summary["inserted"].as_u64(), summary["skipped"].as_u64(), summary["failed"].as_u64()),
        (Some(3), Some(1), Some(1), Some(1))
    );
    let errors = std::fs::read_to_string(&errors).unwrap();
    assert!(errors.starts_with("line,status,reason,original row\n"), "{errors}");
    assert!(errors.contains("3,failed,") && errors.contains("not-an-email"), "{errors}");

    let exported = leadbook(&db, &["export"]);
    assert!(exported.status.success());
    let text = String::from_utf8(exported.stdout).unwrap();
    assert!(text.starts_with("First Name,Last Name,Email"), "{text}");
    assert!(text.contains("Ada,Lovelace,ada@example.com"), "{text}");

    // Errors name the problem; nothing is written.
    let missing = leadbook(&db, &["import", dir.path().join("nope.csv").to_str().unwrap(), "--json"]);
    assert!(!missing.status.success());
    let err: Value = serde_json::from_slice(&missing.stderr).unwrap();
    assert_eq!(err["error"]["code"], "unreadable_file");
    let bad_undo = leadbook(&db, &["import", "undo", "no-such-batch"]);
    assert!(String::from_utf8_lossy(&bad_undo.stderr).contains("No import with id no-such-batch"));
}

#[test]
fn preview_shows_the_skipped_preamble_and_why_columns_are_mapped_and_import_asks_for_the_date_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let file = dir.path().join("export.csv");
    std::fs::write(
        &file,
        "Contacts export\n\nName,EmailID,Kontakt,Created\nAda Lovelace,ada@example.com,+44 20 7946 0958,03/04/2021\nAlan Turing,alan@example.com,+44 20 7946 0959,01/02/2021\n",
    )
    .unwrap();
    let out = leadbook(&db, &["import", "preview", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in ["header on line 3", "skipped line 1: Contacts export", "by name (100% emails)", "by content: 100% phone numbers", "read both ways (03/04/2021, 01/02/2021)"] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    // A guessed date is never stored: the import asks, and goes through once told.
    let refused = leadbook(&db, &["import", file.to_str().unwrap(), "--json"]);
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["error"]["code"], "ambiguous_dates", "{err}");
    let summary = json(&leadbook(&db, &["import", file.to_str().unwrap(), "--json", "--date-order", "dmy"]));
    assert_eq!((summary["rows"].as_u64(), summary["inserted"].as_u64(), summary["failed"].as_u64()), (Some(2), Some(2), Some(0)));
    // Another header line can be given.
    let moved = json(&leadbook(&db, &["import", "preview", file.to_str().unwrap(), "--header-line", "4", "--json"]));
    assert_eq!(moved["headers"][0], "Ada Lovelace");
    assert_eq!(moved["dialect"]["headerLine"], 4);
}
