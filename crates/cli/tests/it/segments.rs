//! `leadbook segments …` as a user runs it, including a kill -9 in the middle of a refresh.

use crate::support::leadbook_de as leadbook;
use crate::support::json;
use crate::support::scalar;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};



#[test]
fn create_refresh_members_history_count_and_check_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    json(&leadbook(&db, &["demo", "--leads", "300", "--seed", "7", "--json"]));
    let expected = json(&leadbook(&db, &["segments", "count", "--query", "score >= 50 and stage in (Qualified, Proposal)", "--json"]))["count"].as_i64().unwrap();
    assert!(expected > 0, "the demo data has qualified leads with a score");

    let created = json(&leadbook(&db, &["segments", "create", "Hot", "--query", "score>=50 and stage in (qualified, PROPOSAL)", "--json"]));
    assert_eq!(created["segment"]["query"], "score >= 50 and stage in (qualified, PROPOSAL)");
    assert_eq!(created["refresh"]["members"], expected);

    let refreshed = json(&leadbook(&db, &["segments", "refresh", "hot", "--json"]));
    for key in ["segment", "refresh_counter", "members", "entered", "left"] {
        assert!(refreshed.get(key).is_some(), "{key} in {refreshed}");
    }
    assert_eq!((refreshed["refresh_counter"].as_i64(), refreshed["members"].as_i64(), refreshed["entered"].as_i64()), (Some(2), Some(expected), Some(0)));

    let members = json(&leadbook(&db, &["segments", "members", "Hot", "--json"]));
    let members = members.as_array().unwrap();
    assert_eq!(members.len() as i64, expected);
    assert!(members.iter().all(|m| m["score"].as_i64().unwrap() >= 50));

    // A lead dropping out shows up as "left" at the next refresh, with its id in the history.
    let gone = members[0]["id"].as_str().unwrap().to_owned();
    let out = leadbook(&db, &["leads", "delete", &gone]);
    assert!(out.status.success());
    let third = json(&leadbook(&db, &["segments", "refresh", "Hot", "--json"]));
    assert_eq!((third["left"].as_i64(), third["members"].as_i64()), (Some(1), Some(expected - 1)));
    let history = json(&leadbook(&db, &["segments", "history", "Hot", "--changes", "10", "--json"]));
    assert_eq!(history["refresh_counter"], 3);
    let refreshes = history["refreshes"].as_array().unwrap();
    assert_eq!(refreshes.len(), 3);
    assert_eq!(refreshes[0]["left_ids"], serde_json::json!([gone]));

    let list = json(&leadbook(&db, &["segments", "list", "--json"]));
    assert_eq!(list[0]["name"], "Hot");
    assert_eq!(list[0]["memberCount"], expected - 1);
    let plain = String::from_utf8_lossy(&leadbook(&db, &["segments", "list"]).stdout).into_owned();
    assert!(plain.contains("Hot") && plain.contains("manual"), "{plain}");

    let ok = json(&leadbook(&db, &["segments", "check", "--query", "created > -30d and not (status = lost or phone is empty)", "--json"]));
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["ast"]["kind"], "and");
}

#[test]
fn a_bad_query_exits_non_zero_with_the_position_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = leadbook(&db, &["segments", "check", "--query", "score >= and stage = New"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 1, col 10: expected a value after '>=', found 'and'"), "{stderr}");
    assert!(stderr.contains("score >= and stage = New\n         ^"), "a caret under the place: {stderr}");

    let out = leadbook(&db, &["segments", "create", "Bad", "--query", "scroe > 5", "--json"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "invalid_query");
    assert_eq!(err["error"]["message"], "line 1, col 1: there is no field 'scroe'; did you mean 'score'?");
    assert_eq!(json(&leadbook(&db, &["segments", "list", "--json"])), serde_json::json!([]));

    let out = leadbook(&db, &["segments", "refresh", "Nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("There is no segment “Nope”"));
}


/// A refresh is one transaction: killed at any moment, the segment is at its old refresh or its
/// new one, never between, and the next refresh picks up cleanly.
#[tokio::test]
async fn kill_9_during_a_refresh_leaves_the_old_or_the_new_membership() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    json(&leadbook(&db, &["demo", "--leads", "60000", "--seed", "3", "--json"]));
    const ONE: &str = "score >= 20 or name contains a";
    const OTHER: &str = "score < 20 and not name contains a"; // the complement: a refresh rewrites every row
    json(&leadbook(&db, &["segments", "create", "Wide", "--query", ONE, "--json"]));
    let mut killed_mid_write = 0;
    for delay_ms in [30u64, 80, 150, 250, 400] {
        json(&leadbook(&db, &["segments", "update", "Wide", "--query", ONE, "--json"]));
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadbook"))
            .arg("--db")
            .arg(&db)
            .args(["segments", "update", "Wide", "--query", OTHER, "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(delay_ms) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().unwrap().is_none() {
            killed_mid_write += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let counter = scalar(&pool, "SELECT refresh_counter FROM segments WHERE name = 'Wide'").await;
        let recorded = scalar(&pool, "SELECT max(refresh_counter) FROM segment_refreshes").await;
        let stored = scalar(&pool, "SELECT member_count FROM segments WHERE name = 'Wide'").await;
        let open = scalar(&pool, "SELECT count(*) FROM segment_members WHERE left_refresh IS NULL").await;
        let last_size = scalar(&pool, "SELECT members FROM segment_refreshes ORDER BY refresh_counter DESC LIMIT 1").await;
        let beyond = scalar(&pool, &format!("SELECT count(*) FROM segment_members WHERE entered_refresh > {counter} OR left_refresh > {counter}")).await;
        assert_eq!((counter, stored, last_size, beyond), (recorded, open, open, 0), "killed after {delay_ms} ms");
        pool.close().await;
    }
    assert!(killed_mid_write > 0, "at least one kill must land while the refresh runs");
    let after = json(&leadbook(&db, &["segments", "refresh", "Wide", "--json"]));
    let expected = json(&leadbook(&db, &["segments", "count", "--query", &after_query(&db), "--json"]))["count"].clone();
    assert_eq!(after["members"], expected);
}

fn after_query(db: &Path) -> String {
    json(&leadbook(db, &["segments", "list", "--json"]))[0]["query"].as_str().unwrap().to_owned()
}
