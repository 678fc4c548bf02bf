//! What the CLI's test modules share: running the real `leadbook` binary and reading its output.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `leadbook --db DB ARGS…` and waits for it.
pub fn leadbook(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(db).args(args).output().expect("run leadbook")
}

/// [`leadbook`] in a German locale: phone numbers without a country code are German.
pub fn leadbook_de(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadbook")).arg("--db").arg(db).args(args).env("LANG", "de_DE.UTF-8").output().expect("run leadbook")
}

/// The one JSON document a successful `--json` run printed.
pub fn json(out: &Output) -> Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// One number from the database, read beside the CLI.
pub async fn scalar(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}
