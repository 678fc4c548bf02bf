//! Pull: server rows newer than the cursor, page by page, each page applied in one SQLite
//! transaction that also saves the cursor (a kill -9 replays the page, never half of it).
//!
//! Gap-free cursor: a row's `_xid` is the id of the transaction that wrote it, and a page only
//! reads below `leadbook.pull_bound()` — the oldest transaction still running — in the same
//! statement. A transaction that took its id before ours but commits after our read is above
//! the bound, so it is read next time instead of being skipped.

use super::capture;
use super::server::server_error;
use super::tables::{Kind, Table, TABLES};
use super::values::{to_local, SqlVal};
use super::SyncReport;
use crate::clock::now;
use crate::error::Result;
use crate::Store;
use serde_json::{Map, Value as Json};
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Sqlite, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Small enough that a page's write transaction holds the store for about a second at most,
/// so the user's own writes interleave with a big first pull.
pub(crate) const PAGE_ROWS: i64 = 1_000;

/// What applying pulled rows touched, for the work that follows (search index, scores, segments).
#[derive(Default)]
pub(crate) struct Touched {
    pub lead_nums: BTreeSet<i64>,
}

pub(crate) async fn pull(store: &Store, pg: &mut PgConnection, server_id: &str, report: &mut SyncReport, touched: &mut Touched) -> Result<()> {
    pull_directory(store, pg).await?;
    // A page must be read in index order so LIMIT stops after it. Right after a bulk push the
    // planner's row estimates are stale (no ANALYZE yet) and it would rather sort everything past
    // the cursor for every page: quadratic in the rows to pull. (This connection is the run's own.)
    sqlx::query("SET enable_sort = off").execute(&mut *pg).await.map_err(server_error)?;
    for t in TABLES {
        loop {
            let (xid, after) = cursor(store, t, server_id).await?;
            let page: Vec<(String, Json)> = sqlx::query_as(&format!(
                "SELECT s._xid::text, to_jsonb(s) - '_xid' FROM leadbook.{name} s
                 WHERE (s._xid, s.id) > ($1::xid8, $2) AND s._xid < leadbook.pull_bound()
                 ORDER BY s._xid, s.id LIMIT $3",
                name = t.name
            ))
            .bind(&xid)
            .bind(&after)
            .bind(PAGE_ROWS)
            .fetch_all(&mut *pg)
            .await
            .map_err(server_error)?;
            let Some((last_xid, last_row)) = page.last() else { break };
            let last = (last_xid.clone(), last_row["id"].as_str().unwrap_or_default().to_owned());
            let full = page.len() as i64 == PAGE_ROWS;
            apply_page(store, t, server_id, page.into_iter().map(|(_, r)| r), &last, report, touched).await?;
            if !full {
                break;
            }
        }
    }
    sqlx::query("RESET enable_sort").execute(&mut *pg).await.map_err(server_error)?;
    Ok(())
}

async fn cursor(store: &Store, t: &Table, server_id: &str) -> Result<(String, String)> {
    let c: Option<(String, String)> = sqlx::query_as("SELECT xid, row_id FROM sync_cursors WHERE tbl = ? AND server_id = ?")
        .bind(t.name)
        .bind(server_id)
        .fetch_optional(&store.read)
        .await?;
    Ok(c.unwrap_or_else(|| ("0".into(), String::new())))
}

/// Users, spaces and memberships the server lets this user see: small, read whole every time.
async fn pull_directory(store: &Store, pg: &mut PgConnection) -> Result<()> {
    let users: Vec<(String, String, Option<String>)> = sqlx::query_as("SELECT id, username, email FROM leadbook.users")
        .fetch_all(&mut *pg).await.map_err(server_error)?;
    let spaces: Vec<(String, String, String, String)> = sqlx::query_as("SELECT id, name, kind, owner_id FROM leadbook.spaces WHERE deleted_at IS NULL")
        .fetch_all(&mut *pg).await.map_err(server_error)?;
    let members: Vec<(String, String, String)> = sqlx::query_as("SELECT space_id, user_id, role FROM leadbook.space_members")
        .fetch_all(&mut *pg).await.map_err(server_error)?;
    let mut tx = store.begin_write().await?;
    capture::pause(&mut tx).await?;
    let ts = now();
    for (id, name, email) in &users {
        sqlx::query(
            "INSERT INTO users (id, username, email, is_local, created_at, updated_at) VALUES (?1, ?2, ?3, 0, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET username = excluded.username, email = excluded.email",
        )
        .bind(id).bind(name).bind(email).bind(&ts).execute(&mut *tx).await?;
    }
    for (id, name, kind, owner) in &spaces {
        let mut sp = (&mut *tx).begin().await?;
        let ok = sqlx::query(
            "INSERT INTO spaces (id, name, kind, owner_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, owner_id = excluded.owner_id",
        )
        .bind(id).bind(name).bind(kind).bind(owner).bind(&ts).execute(&mut *sp).await;
        // A space whose owner this user cannot see keeps its old owner here; nothing else depends on it.
        if ok.is_ok() { sp.commit().await? } else { sp.rollback().await? }
    }
    for (space, user, role) in &members {
        sqlx::query("INSERT INTO space_members (space_id, user_id, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role")
            .bind(space).bind(user).bind(role).bind(&ts).execute(&mut *tx).await.ok();
    }
    // A space this user just joined: its rows are older than the cursors, so pull everything again
    // (rows that change nothing are skipped, so this costs reading, not rewriting).
    let visible: Vec<&str> = {
        let mut ids: Vec<&str> = spaces.iter().map(|(id, ..)| id.as_str()).collect();
        ids.sort_unstable();
        ids
    };
    let visible = visible.join(",");
    let known = crate::settings::get(&mut *tx, SPACES_SEEN).await?;
    if let Some(known) = known {
        if visible.split(',').any(|id| !known.split(',').any(|k| k == id)) {
            sqlx::query("DELETE FROM sync_cursors").execute(&mut *tx).await?;
        }
    }
    crate::settings::set(&mut *tx, SPACES_SEEN, &visible).await?;
    capture::resume(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The spaces the last pull could see (comma-separated ids).
const SPACES_SEEN: &str = "sync.spaces_seen";

/// How a pulled row fared.
enum Outcome {
    Applied,
    /// It references a row that is not here yet: held in sync_parked, retried after every page.
    Parked(String),
    /// It can never be applied (a value the desktop refuses): set aside in sync_rejected.
    Rejected(String),
}

async fn apply_page(
    store: &Store,
    t: &Table,
    server_id: &str,
    rows: impl Iterator<Item = Json>,
    last: &(String, String),
    report: &mut SyncReport,
    touched: &mut Touched,
) -> Result<()> {
    let rows: Vec<Json> = rows.collect();
    let mut tx = store.begin_write().await?;
    // Another process (the app beside `leadbook sync now`) may have applied this page meanwhile:
    // never apply an older page over a newer one, nor move the cursor back.
    let saved: Option<(String, String)> = sqlx::query_as("SELECT xid, row_id FROM sync_cursors WHERE tbl = ? AND server_id = ?")
        .bind(t.name).bind(server_id).fetch_optional(&mut *tx).await?;
    if let Some((xid, row_id)) = saved {
        let key = |x: &str| x.parse::<u64>().unwrap_or(0);
        if (key(&xid), row_id.as_str()) >= (key(&last.0), last.1.as_str()) {
            tx.rollback().await?;
            return Ok(());
        }
    }
    capture::pause(&mut tx).await?;
    observe_page(&mut tx, &rows).await?;
    // The rows go in through the writer's own handle, inside this transaction: through sqlx,
    // each of a row's statements would be a round trip to its worker thread.
    crate::bulk::with_raw(&mut tx, |conn| crate::bulk::blocking(|| apply_rows(conn, t, server_id, &rows, last, report, touched))).await?;
    capture::resume(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a row pulled for `table` could be applied as far as the row itself goes: every
/// value of the column's type and in range, and what it means valid (a scoring rule compiles).
/// What `apply_row` checks before it writes, without a store (the fuzz target calls it).
pub fn check_pulled_row(table: &str, row: &Json) -> std::result::Result<(), String> {
    let t = TABLES.iter().find(|t| t.name == table).ok_or_else(|| format!("{table} is not a synced table"))?;
    let obj = row.as_object().ok_or("not a row object")?;
    obj.get("id").and_then(Json::as_str).ok_or("the row has no id")?;
    (t.check)(obj)?;
    for col in t.columns {
        let v = obj.get(col.name).unwrap_or(&Json::Null);
        match col.kind {
            Kind::LeadNum => {
                v.as_str().ok_or_else(|| format!("{} is missing", col.name))?;
            }
            _ => {
                to_local(v, col)?;
            }
        }
    }
    Ok(())
}

/// Every synced table's name, parents first.
pub fn synced_tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.name)
}

/// A page's rows, the parked rows they may release, and the new cursor (the caller's transaction).
fn apply_rows(
    conn: &rusqlite::Connection,
    t: &Table,
    server_id: &str,
    rows: &[Json],
    last: &(String, String),
    report: &mut SyncReport,
    touched: &mut Touched,
) -> Result<()> {
    let known = Known::load(conn, t, rows.iter().filter_map(|r| r["id"].as_str()))?;
    let mut reindex = BTreeMap::new();
    let parked_before: bool = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_parked WHERE tbl = ?1)")?.query_row([t.name], |r| r.get(0))?;
    for row in rows {
        report.pulled += 1;
        let id = row["id"].as_str().unwrap_or_default();
        match apply_row(conn, t, row, &known, report, touched, &mut reindex)? {
            Outcome::Applied => {
                if parked_before {
                    unpark(conn, t, id)?;
                }
            }
            Outcome::Parked(reason) => park(conn, t, id, &row.to_string(), &reason)?,
            Outcome::Rejected(reason) => {
                report.rejected += 1;
                set_aside(conn, t, id, &row.to_string(), &reason)?;
            }
        }
    }
    retry_parked(conn, report, touched, &mut reindex)?;
    crate::leads::reindex_synced_leads(conn, &reindex)?;
    conn.prepare_cached(
        "INSERT INTO sync_cursors (tbl, server_id, xid, row_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tbl) DO UPDATE SET server_id = excluded.server_id, xid = excluded.xid, row_id = excluded.row_id",
    )?
    .execute([t.name, server_id, &last.0, &last.1])?;
    Ok(())
}

/// What applying a page needs to know about its rows here, read once per page, not per row.
struct Known {
    /// row id → (desktop column or '*' → clock of the pending write)
    pending: HashMap<String, HashMap<String, String>>,
    /// The desktop's current values of the rows it has, in `Table::columns` order: a pulled row
    /// that changes nothing (the echo of this desktop's own push) is not written again.
    existing: HashMap<String, Vec<SqlVal>>,
}

impl Known {
    fn load<'a>(conn: &rusqlite::Connection, t: &Table, ids: impl Iterator<Item = &'a str>) -> Result<Self> {
        let ids = serde_json::to_string(&ids.collect::<Vec<_>>())?;
        let mut pending: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT row_id, col, hlc FROM sync_pending WHERE tbl = ?1 AND row_id IN (SELECT value FROM json_each(?2))")?;
        let mut rs = stmt.query([t.name, ids.as_str()])?;
        while let Some(r) = rs.next()? {
            pending.entry(r.get(0)?).or_default().insert(r.get(1)?, r.get(2)?);
        }
        let cols = t.columns.iter().map(|c| format!("t.{}", c.local())).collect::<Vec<_>>().join(", ");
        let mut stmt = conn.prepare_cached(&format!("SELECT {cols} FROM {} t WHERE t.id IN (SELECT value FROM json_each(?1))", t.name))?;
        let mut rs = stmt.query([ids.as_str()])?;
        let mut existing = HashMap::new();
        while let Some(r) = rs.next()? {
            let values: Vec<SqlVal> = t.columns.iter().enumerate().map(|(i, c)| local_value(r, i, c.kind)).collect::<Result<_>>()?;
            if let SqlVal::Text(id) = &values[0] {
                existing.insert(id.clone(), values);
            }
        }
        Ok(Self { pending, existing })
    }
}

/// A desktop value as the comparison with a pulled row needs it (other storage classes never
/// equal a pulled value, so they read as NULL and the row is written).
fn local_value(row: &rusqlite::Row, i: usize, kind: Kind) -> Result<SqlVal> {
    use rusqlite::types::ValueRef;
    Ok(match (kind, row.get_ref(i)?) {
        (Kind::Int | Kind::Bool | Kind::LeadNum, ValueRef::Integer(v)) => SqlVal::Int(v),
        (Kind::Int | Kind::Bool | Kind::LeadNum, _) => SqlVal::Null,
        (_, ValueRef::Text(t)) => SqlVal::Text(String::from_utf8_lossy(t).into_owned()),
        _ => SqlVal::Null,
    })
}

/// The HLC receive rule, once per page with the page's newest reading.
async fn observe_page(tx: &mut Transaction<'static, Sqlite>, rows: &[Json]) -> Result<()> {
    let newest = rows
        .iter()
        .filter_map(|r| r.get("_clocks").and_then(Json::as_object))
        .flat_map(|c| c.values().filter_map(Json::as_str))
        .max();
    if let Some(reading) = newest {
        capture::observe(tx, reading).await?;
    }
    Ok(())
}

fn park(conn: &rusqlite::Connection, t: &Table, id: &str, row: &str, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_parked (tbl, row_id, row_json, reason) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET row_json = excluded.row_json, reason = excluded.reason",
    )?
    .execute([t.name, id, row, reason])?;
    Ok(())
}

fn unpark(conn: &rusqlite::Connection, t: &Table, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_parked WHERE tbl = ?1 AND row_id = ?2")?.execute([t.name, id])?;
    Ok(())
}

/// A pulled row this desktop can never take: kept with the reason for `sync status`.
fn set_aside(conn: &rusqlite::Connection, t: &Table, id: &str, row: &str, reason: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO sync_rejected (tbl, row_id, direction, reason, row_json, created_at) VALUES (?1, ?2, 'pull', ?3, ?4, ?5)")?
        .execute([t.name, id, reason, row, &now()])?;
    Ok(())
}

/// Parked rows whose parent may have arrived: applied now if possible.
fn retry_parked(conn: &rusqlite::Connection, report: &mut SyncReport, touched: &mut Touched, reindex: &mut BTreeMap<i64, bool>) -> Result<()> {
    // Parents first, so a chain (company → lead → activity) resolves in one pass.
    for t in TABLES {
        let parked: Vec<(String, String)> = conn
            .prepare_cached("SELECT row_id, row_json FROM sync_parked WHERE tbl = ?1")?
            .query_map([t.name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if parked.is_empty() {
            continue;
        }
        let known = Known::load(conn, t, parked.iter().map(|(id, _)| id.as_str()))?;
        for (id, json) in parked {
            let row: Json = serde_json::from_str(&json)?;
            match apply_row(conn, t, &row, &known, report, touched, reindex)? {
                Outcome::Applied => unpark(conn, t, &id)?,
                Outcome::Parked(_) => {}
                Outcome::Rejected(reason) => {
                    report.rejected += 1;
                    unpark(conn, t, &id)?;
                    set_aside(conn, t, &id, &json, &reason)?;
                }
            }
        }
    }
    Ok(())
}

/// Desktop-only columns a pulled row is written with, so it is written once: the leads' sort
/// keys (their company's key is already on the desktop: companies are pulled before leads).
fn derived_columns(conn: &rusqlite::Connection, t: &Table, values: &[(&'static str, SqlVal)]) -> Result<Vec<(&'static str, SqlVal)>> {
    use rusqlite::OptionalExtension;
    if t.name != "leads" {
        return Ok(vec![]);
    }
    let text = |name: &str| {
        values.iter().find(|(c, _)| *c == name).and_then(|(_, v)| match v {
            SqlVal::Text(s) => Some(s.as_str()),
            _ => None,
        })
    };
    let name_key = crate::lead_rows::name_key(text("first_name").unwrap_or_default(), text("last_name").unwrap_or_default());
    let company_key: Option<String> = match text("company_id") {
        Some(company) => conn.prepare_cached("SELECT name_key FROM companies WHERE id = ?1")?.query_row([company], |r| r.get(0)).optional()?,
        None => None,
    };
    Ok(vec![("name_key", SqlVal::Text(name_key)), ("company_key", SqlVal::Text(company_key.unwrap_or_default()))])
}

fn clock_of<'a>(clocks: &'a Map<String, Json>, col: &str) -> &'a str {
    clocks.get(col).or_else(|| clocks.get("*")).and_then(Json::as_str).unwrap_or("")
}

/// A statement SQLite refused because of the row itself: the outcome for that row, or None for
/// any other error (which fails the page).
fn refusal(err: &rusqlite::Error) -> Option<Outcome> {
    use rusqlite::ffi;
    let rusqlite::Error::SqliteFailure(e, message) = err else { return None };
    let message = message.clone().unwrap_or_else(|| e.to_string());
    match e.extended_code {
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some(Outcome::Parked("waits for a row it references".into())),
        ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_NOTNULL | ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            Some(Outcome::Rejected(format!("this desktop refuses the row: {message}")))
        }
        _ => None,
    }
}

/// Merges one server row into the desktop row, column by column: the server's value unless this
/// desktop holds a pending write of that column with a newer clock (it will be pushed and win on
/// the server too). Pending writes the server has caught up with leave the queue. Leads whose
/// search entry must be rewritten go into `reindex` (row number → just inserted).
fn apply_row(
    conn: &rusqlite::Connection,
    t: &Table,
    row: &Json,
    known: &Known,
    report: &mut SyncReport,
    touched: &mut Touched,
    reindex: &mut BTreeMap<i64, bool>,
) -> Result<Outcome> {
    use rusqlite::OptionalExtension;
    let Some(obj) = row.as_object() else { return Ok(Outcome::Rejected("not a row object".into())) };
    let Some(id) = obj.get("id").and_then(Json::as_str) else { return Ok(Outcome::Rejected("the row has no id".into())) };
    if let Err(why) = (t.check)(obj) {
        return Ok(Outcome::Rejected(why));
    }
    let empty = Map::new();
    let clocks = obj.get("_clocks").and_then(Json::as_object).unwrap_or(&empty);

    // Values for the desktop, each checked; one bad value sets the whole row aside.
    let mut values: Vec<(&'static str, SqlVal)> = vec![];
    for col in t.columns {
        let v = obj.get(col.name).unwrap_or(&Json::Null);
        let local = match col.kind {
            Kind::LeadNum => {
                let Some(lead_id) = v.as_str() else { return Ok(Outcome::Rejected(format!("{} is missing", col.name))) };
                let num: Option<i64> = conn.prepare_cached("SELECT num FROM leads WHERE id = ?1")?.query_row([lead_id], |r| r.get(0)).optional()?;
                match num {
                    Some(n) => SqlVal::Int(n),
                    None => return Ok(Outcome::Parked(format!("waits for lead {lead_id}"))),
                }
            }
            _ => match to_local(v, col) {
                Ok(v) => v,
                Err(why) => return Ok(Outcome::Rejected(why)),
            },
        };
        values.push((col.local(), local));
    }

    let no_pending = HashMap::new();
    let pending = known.pending.get(id).unwrap_or(&no_pending);
    let mut keep_local: BTreeSet<&str> = BTreeSet::new();
    for col in t.columns.iter().filter(|c| c.name != "id") {
        let mine = pending.get(col.local()).or_else(|| pending.get("*"));
        if let Some(mine) = mine {
            if mine.as_str() > clock_of(clocks, col.name) {
                keep_local.insert(col.local());
            }
        }
    }
    // One statement per row and no savepoint: a statement SQLite refuses changes nothing, and the
    // transaction goes on. (`known` was read inside this write transaction; ids are unique per page.)
    let current = known.existing.get(id);
    let fresh = current.is_none();
    let derived = derived_columns(conn, t, &values)?;
    let mut unchanged = false;
    let result = match current {
        None => {
            let values: Vec<&(&str, SqlVal)> = values.iter().chain(&derived).collect();
            let mut cols = values.iter().map(|(c, _)| *c).collect::<Vec<_>>();
            let mut marks = vec!["?"; values.len()];
            // Desktop-only columns without a default get a placeholder, rebuilt just below.
            for (col, placeholder) in t.local_only {
                cols.push(col);
                marks.push(placeholder);
            }
            let sql = format!("INSERT INTO {} ({}) VALUES ({})", t.name, cols.join(", "), marks.join(", "));
            conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter().map(|(_, v)| v))).map(|_| ())
        }
        Some(current) => {
            let mut changed: Vec<&(&str, SqlVal)> = values
                .iter()
                .enumerate()
                .filter(|(i, (c, v))| *c != "id" && !keep_local.contains(c) && current.get(*i) != Some(v))
                .map(|(_, cv)| cv)
                .collect();
            unchanged = changed.is_empty();
            if !unchanged {
                changed.extend(&derived);
            }
            if changed.is_empty() {
                Ok(())
            } else {
                let sets = changed.iter().map(|(c, _)| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
                let sql = format!("UPDATE {} SET {sets} WHERE id = ?", t.name);
                let id_val = SqlVal::Text(id.to_owned());
                conn.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(changed.iter().map(|(_, v)| v).chain(std::iter::once(&id_val))))
                    .map(|_| ())
            }
        }
    };
    if let Err(e) = result {
        return match refusal(&e) {
            Some(outcome) => Ok(outcome),
            None => Err(e.into()),
        };
    }
    // Pending writes the server has caught up with (ours, echoed back, or beaten by a newer one).
    for (col, mine) in pending.iter() {
        let caught_up = if col == "*" {
            t.columns.iter().all(|c| clock_of(clocks, c.name) >= mine.as_str())
        } else {
            let name = t.columns.iter().find(|c| c.local() == col).map(|c| c.name).unwrap_or(col);
            clock_of(clocks, name) >= mine.as_str()
        };
        if caught_up {
            if col != "*" && clock_of(clocks, col) > mine.as_str() {
                report.conflicts += 1; // our write lost to a newer one
            }
            conn.prepare_cached("DELETE FROM sync_pending WHERE tbl = ?1 AND row_id = ?2 AND col = ?3 AND hlc = ?4")?
                .execute([t.name, id, col.as_str(), mine.as_str()])?;
        }
    }
    if unchanged {
        return Ok(Outcome::Applied);
    }
    match t.name {
        "leads" => {
            // `num` is the rowid; the score trigger's insert does not change what this returns.
            let num = if fresh {
                conn.last_insert_rowid()
            } else {
                conn.prepare_cached("SELECT num FROM leads WHERE id = ?1")?.query_row([id], |r| r.get(0))?
            };
            touched.lead_nums.insert(num);
            let just_inserted = reindex.entry(num).or_insert(fresh);
            *just_inserted &= fresh;
        }
        "companies" => {
            for num in crate::companies::refresh_sort_keys(conn, id)? {
                reindex.entry(num).or_insert(false);
            }
            // Rules and segments test company fields: its leads follow any change, as they do a
            // company edit made here.
            let mut leads = conn.prepare_cached("SELECT num FROM leads WHERE company_id = ?1 AND deleted_at IS NULL")?;
            for num in leads.query_map([id], |r| r.get(0))? {
                touched.lead_nums.insert(num?);
            }
        }
        "inquiries" | "analytics_events" => {
            // They move scores: re-score the lead they belong to.
            let sql = format!(
                "SELECT l.num FROM {} x JOIN leads l ON l.{} WHERE x.id = ?1",
                t.name,
                if t.name == "inquiries" { "id = x.lead_id" } else { "num = x.lead_num" }
            );
            let num: Option<i64> = conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).optional()?;
            touched.lead_nums.extend(num);
        }
        _ => {}
    }
    Ok(Outcome::Applied)
}
