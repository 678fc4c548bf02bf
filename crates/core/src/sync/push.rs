//! Push: pending local columns go to the server in batches, one server transaction each, merged
//! per column by clock. State-based and idempotent: pushing the same batch twice (an
//! acknowledgement lost to a crash) wins no column the second time, so it writes nothing.

use crate::error::ErrorCode;
use super::server::server_error;
use super::tables::{Table, TABLES};
use super::values::to_server;
use super::SyncReport;
use crate::clock::now;
use crate::error::Result;
use crate::Store;
use serde_json::{Map, Value as Json};
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};
use std::collections::BTreeMap;

const BATCH_ROWS: i64 = 2_000;

/// The merging upsert for one table. Identifiers come from [`TABLES`]; the rows are one bound
/// jsonb parameter. A tombstone absorbs: once deleted on the server, a row stays deleted.
fn upsert_sql(t: &Table) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
    let list = cols.join(", ");
    let sets = t
        .columns
        .iter()
        .filter(|c| c.name != "id")
        .map(|c| match c.name {
            "deleted_at" => "deleted_at = coalesce(t.deleted_at, excluded.deleted_at)".to_owned(),
            n => format!("{n} = CASE WHEN leadbook.wins(excluded._clocks, t._clocks, '{n}') THEN excluded.{n} ELSE t.{n} END"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let tombstone = if cols.contains(&"deleted_at") { " OR (t.deleted_at IS NULL AND excluded.deleted_at IS NOT NULL)" } else { "" };
    format!(
        "INSERT INTO leadbook.{name} AS t ({list}, _clocks) \
         SELECT {list}, _clocks FROM jsonb_populate_recordset(NULL::leadbook.{name}, $1::jsonb) \
         ON CONFLICT (id) DO UPDATE SET {sets}, _clocks = leadbook.merge_clocks(t._clocks, excluded._clocks) \
         WHERE leadbook.wins_any(excluded._clocks, t._clocks){tombstone}",
        name = t.name
    )
}

/// One pending row as sent: its values, its clocks, and the pending entries it acknowledges.
struct Outgoing {
    id: String,
    row: Json,
    entries: Vec<(String, String)>,
}

pub(crate) async fn push(store: &Store, pg: &mut PgConnection, report: &mut SyncReport) -> Result<()> {
    for t in TABLES {
        let mut after = String::new();
        loop {
            let batch = read_batch(store, t, &after).await?;
            let Some(last) = batch.last() else { break };
            after = last.id.clone();
            let rejected = send(pg, t, &batch).await?;
            acknowledge(store, t, &batch, &rejected).await?;
            report.pushed += (batch.len() - rejected.len()) as u64;
            report.rejected += rejected.len() as u64;
        }
    }
    Ok(())
}

/// The next pending rows of a table (by id), read with their values in one snapshot.
async fn read_batch(store: &Store, t: &Table, after: &str) -> Result<Vec<Outgoing>> {
    let mut tx = store.read.begin().await?;
    let entries: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT row_id, col, hlc FROM sync_pending WHERE tbl = ?1 AND row_id IN
           (SELECT DISTINCT row_id FROM sync_pending WHERE tbl = ?1 AND row_id > ?2 ORDER BY row_id LIMIT ?3)
         ORDER BY row_id",
    )
    .bind(t.name)
    .bind(after)
    .bind(BATCH_ROWS)
    .fetch_all(&mut *tx)
    .await?;
    let mut by_row: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (row_id, col, hlc) in entries {
        by_row.entry(row_id).or_default().push((col, hlc));
    }
    if by_row.is_empty() {
        return Ok(vec![]);
    }
    let ids = serde_json::to_string(&by_row.keys().collect::<Vec<_>>())?;
    let select = t.columns.iter().map(|c| c.local_select()).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&format!("SELECT {select} FROM {} t WHERE t.id IN (SELECT value FROM json_each(?))", t.name))
        .bind(ids)
        .fetch_all(&mut *tx)
        .await?;
    let mut values: BTreeMap<String, Map<String, Json>> = BTreeMap::new();
    for row in &rows {
        let mut obj = Map::new();
        for (i, col) in t.columns.iter().enumerate() {
            let v = to_server(row, i, col).map_err(|e| crate::AppError::new(ErrorCode::CorruptStore, format!("{}: {e}", t.name)))?;
            obj.insert(col.name.to_owned(), v);
        }
        let id: String = row.try_get(0)?;
        values.insert(id, obj);
    }
    tx.commit().await?;
    let mut out = vec![];
    for (id, entries) in by_row {
        // A pending row that no longer exists here (cannot happen through the store) just leaves the queue.
        let mut obj = values.remove(&id).unwrap_or_default();
        if !obj.is_empty() {
            let clocks: Map<String, Json> = entries.iter().map(|(c, h)| (server_col(t, c), Json::String(h.clone()))).collect();
            obj.insert("_clocks".into(), Json::Object(clocks));
        }
        out.push(Outgoing { id, row: Json::Object(obj), entries });
    }
    Ok(out)
}

/// Pending entries name desktop columns; the server's clocks name its own.
fn server_col(t: &Table, local: &str) -> String {
    t.columns.iter().find(|c| c.local() == local).map(|c| c.name.to_owned()).unwrap_or_else(|| local.to_owned())
}

/// Sends a batch in one server transaction. When the server refuses it, retries row by row so
/// one bad row (row-level security, a constraint) is set aside and the rest go through.
/// Returns the refused rows with the server's reason.
async fn send(pg: &mut PgConnection, t: &Table, batch: &[Outgoing]) -> Result<Vec<(usize, String)>> {
    let sql = upsert_sql(t);
    let rows: Vec<&Json> = batch.iter().filter(|o| o.row.as_object().is_some_and(|m| !m.is_empty())).map(|o| &o.row).collect();
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut tx = pg.begin().await.map_err(server_error)?;
    sqlx::query("SELECT set_config('leadbook.pushing', 'on', true)").execute(&mut *tx).await.map_err(server_error)?;
    match sqlx::query(&sql).bind(Json::Array(rows.into_iter().cloned().collect())).execute(&mut *tx).await {
        Ok(_) => {
            tx.commit().await.map_err(server_error)?;
            return Ok(vec![]);
        }
        Err(e) if !is_row_error(&e) => return Err(server_error(e)),
        Err(_) => tx.rollback().await.map_err(server_error)?,
    }
    let mut rejected = vec![];
    let mut tx = pg.begin().await.map_err(server_error)?;
    sqlx::query("SELECT set_config('leadbook.pushing', 'on', true)").execute(&mut *tx).await.map_err(server_error)?;
    for (i, o) in batch.iter().enumerate() {
        if o.row.as_object().is_none_or(|m| m.is_empty()) {
            continue;
        }
        let mut sp = (&mut *tx).begin().await.map_err(server_error)?;
        match sqlx::query(&sql).bind(Json::Array(vec![o.row.clone()])).execute(&mut *sp).await {
            Ok(_) => sp.commit().await.map_err(server_error)?,
            Err(e) if is_row_error(&e) => {
                sp.rollback().await.map_err(server_error)?;
                rejected.push((i, row_reason(&e)));
            }
            Err(e) => return Err(server_error(e)),
        }
    }
    tx.commit().await.map_err(server_error)?;
    Ok(rejected)
}

/// Errors that belong to the rows (a row-level-security refusal, a constraint, a bad value)
/// rather than to the connection or the role: only those set a row aside. A role that lost its
/// grants ("permission denied for table") fails the whole sync and keeps the queue.
fn is_row_error(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            (c == "42501" && db.message().contains("row-level security")) || c.starts_with("23") || c.starts_with("22")
        }),
        _ => false,
    }
}

fn row_reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("42501") => {
            format!("the server refused it: this user may not write that space ({})", db.message())
        }
        sqlx::Error::Database(db) => format!("the server refused it: {}", db.message()),
        other => other.to_string(),
    }
}

/// After the server committed: the pushed entries leave the queue unless the column was written
/// again meanwhile (then its clock differs and it stays for the next push). Refused rows are set
/// aside with the reason, so they never block the queue.
async fn acknowledge(store: &Store, t: &Table, batch: &[Outgoing], rejected: &[(usize, String)]) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let acked: Vec<(&str, &str, &str)> = batch
        .iter()
        .flat_map(|o| o.entries.iter().map(move |(c, h)| (o.id.as_str(), c.as_str(), h.as_str())))
        .collect();
    sqlx::query(
        "DELETE FROM sync_pending WHERE tbl = ?1 AND (row_id, col, hlc) IN
           (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?2))",
    )
    .bind(t.name)
    .bind(serde_json::to_string(&acked)?)
    .execute(&mut *tx)
    .await?;
    let ts = now();
    for (i, reason) in rejected {
        let o = &batch[*i];
        sqlx::query("INSERT INTO sync_rejected (tbl, row_id, direction, reason, row_json, created_at) VALUES (?, ?, 'push', ?, ?, ?)")
            .bind(t.name).bind(&o.id).bind(reason).bind(o.row.to_string()).bind(&ts)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upsert_merges_every_column_by_clock_and_keeps_tombstones() {
        let sql = upsert_sql(super::super::tables::table("leads").unwrap());
        assert!(sql.contains("first_name = CASE WHEN leadbook.wins(excluded._clocks, t._clocks, 'first_name')"));
        assert!(sql.contains("deleted_at = coalesce(t.deleted_at, excluded.deleted_at)"));
        assert!(sql.contains("WHERE leadbook.wins_any(excluded._clocks, t._clocks) OR"));
        assert!(!sql.contains("score"));
    }
}
