//! Change capture: triggers that note every synced column a write changes in `sync_pending`,
//! stamped with the store's hybrid logical clock.
//!
//! The clock lives in `sync_state` and ticks inside the writing transaction, so the app and the
//! CLI writing the same file share one monotonic clock (an in-memory HLC, such as the uhlc
//! crate's, cannot see the other process). A reading is `(ms << 16) | counter` as 16 hex digits,
//! then `-` and the 16-hex-digit node id: plain byte order is clock order, node id breaks ties.

use super::tables::{Table, TABLES};
use crate::error::Result;
use sqlx::SqliteConnection;

/// Advances the clock: wall time (corrected by the offset measured against the server), never
/// behind the last reading.
const TICK: &str = "UPDATE sync_state SET hlc = max(hlc + 1, \
    (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) * 65536) WHERE id = 1;";

/// The current reading as text.
pub(crate) const READING: &str = "(SELECT printf('%016x', hlc) || '-' || node FROM sync_state WHERE id = 1)";

const CAPTURING: &str = "(SELECT capture FROM sync_state WHERE id = 1) = 1";

fn trigger_names(t: &Table) -> [String; 2] {
    [format!("sync_capture_insert_{}", t.name), format!("sync_capture_update_{}", t.name)]
}

fn create_triggers(t: &Table) -> Vec<String> {
    let [ins, upd] = trigger_names(t);
    let name = t.name;
    let mut sql = vec![format!(
        "CREATE TRIGGER IF NOT EXISTS {ins} AFTER INSERT ON {name} WHEN {CAPTURING} BEGIN {TICK} \
         INSERT INTO sync_pending (tbl, row_id, col, hlc) VALUES ('{name}', NEW.id, '*', {READING}) \
         ON CONFLICT DO UPDATE SET hlc = excluded.hlc; END"
    )];
    if !t.append_only {
        let cols: Vec<&str> = t.columns.iter().filter(|c| c.name != "id").map(|c| c.local()).collect();
        let any_changed = cols.iter().map(|c| format!("NEW.{c} IS NOT OLD.{c}")).collect::<Vec<_>>().join(" OR ");
        let changed = cols
            .iter()
            .map(|c| format!("SELECT '{c}' AS col WHERE NEW.{c} IS NOT OLD.{c}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        sql.push(format!(
            "CREATE TRIGGER IF NOT EXISTS {upd} AFTER UPDATE ON {name} WHEN {CAPTURING} AND ({any_changed}) BEGIN {TICK} \
             INSERT INTO sync_pending (tbl, row_id, col, hlc) SELECT '{name}', NEW.id, col, {READING} FROM ({changed}) WHERE true \
             ON CONFLICT DO UPDATE SET hlc = excluded.hlc; END"
        ));
    }
    sql
}

/// Creates the capture triggers and queues every existing row for the first push. Table and
/// column names come from [`TABLES`], never from input.
///
/// Queued rows carry the lowest clock (''), not a fresh reading: a row the server lacks is
/// inserted whole, but a row it has keeps every value it has. So setting up again after days
/// offline, or a second desktop joining with the same name-derived stages, never overwrites what
/// others wrote meanwhile; writes queued by the triggers keep their real clocks.
pub(crate) async fn install(conn: &mut SqliteConnection) -> Result<()> {
    for t in TABLES {
        for stmt in create_triggers(t) {
            sqlx::query(&stmt).execute(&mut *conn).await?;
        }
    }
    for t in TABLES {
        sqlx::query(&format!(
            "INSERT INTO sync_pending (tbl, row_id, col, hlc) SELECT '{0}', id, '*', '' FROM {0} WHERE true \
             ON CONFLICT DO NOTHING",
            t.name
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Drops the triggers and the queue (`sync forget`).
pub(crate) async fn uninstall(conn: &mut SqliteConnection) -> Result<()> {
    for t in TABLES {
        for name in trigger_names(t) {
            sqlx::query(&format!("DROP TRIGGER IF EXISTS {name}")).execute(&mut *conn).await?;
        }
    }
    sqlx::query("DELETE FROM sync_pending").execute(&mut *conn).await?;
    Ok(())
}

/// Switches capture off for the rest of the transaction (pulled rows are not local changes).
/// Committed or rolled back, the transaction ends with capture on again: see `resume`.
pub(crate) async fn pause(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE sync_state SET capture = 0 WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

pub(crate) async fn resume(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE sync_state SET capture = 1 WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

/// Moves the clock past a reading received from elsewhere (the HLC receive rule: a write made
/// after seeing another gets a later reading, however far this machine's clock is behind), unless
/// the reading is more than `MAX_AHEAD_MS` ahead of our corrected wall clock: a replica with a
/// wildly wrong clock (a year ahead) must not drag everyone's clock into the future.
pub(crate) async fn observe(conn: &mut SqliteConnection, reading: &str) -> Result<()> {
    let Some(value) = parse_reading(reading) else { return Ok(()) };
    sqlx::query(
        "UPDATE sync_state SET hlc = ?1 WHERE id = 1 AND ?1 > hlc AND (?1 >> 16) <= \
         CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms + ?2",
    )
    .bind(value)
    .bind(MAX_AHEAD_MS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) const MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// The clock part of a reading, or None for an empty or foreign string.
pub(crate) fn parse_reading(reading: &str) -> Option<i64> {
    let hex = reading.get(..16)?;
    u64::from_str_radix(hex, 16).ok().and_then(|v| i64::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_compare_as_text_in_clock_order() {
        let a = format!("{:016x}-{}", (1_764_730_000_000i64 << 16) + 1, "aaaa");
        let b = format!("{:016x}-{}", (1_764_730_000_001i64 << 16), "0000");
        assert!(a < b);
        assert_eq!(parse_reading(&a), Some((1_764_730_000_000i64 << 16) + 1));
        assert_eq!(parse_reading(""), None);
    }

    #[test]
    fn append_only_tables_have_no_update_capture() {
        let events = super::super::tables::table("analytics_events").unwrap();
        assert_eq!(create_triggers(events).len(), 1);
        let leads = super::super::tables::table("leads").unwrap();
        let sql = create_triggers(leads);
        assert!(sql[1].contains("NEW.first_name IS NOT OLD.first_name"));
        assert!(!sql[1].contains("NEW.score"), "the computed score is not synced");
    }
}
