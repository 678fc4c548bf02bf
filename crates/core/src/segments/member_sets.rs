//! The full refresh of one segment, on the writer's own SQLite handle: the query's matches are
//! collected into a compressed bitmap of lead numbers, diffed against the stored member set
//! (`segment_member_sets`), and only the difference is written to `segment_members`. Reading a
//! few hundred thousand lead numbers through sqlx would cost a thread hand-off per row, and
//! diffing them in SQL would read every open membership row; here a refresh that changes nothing
//! costs the query's own scan and one blob.

use crate::error::ErrorCode;
use super::sql::{Compiled, Param};
use super::SegmentRow;
use crate::error::{AppError, Result};
use roaring::RoaringTreemap;
use rusqlite::types::ToSqlOutput;
use rusqlite::{params, OptionalExtension};

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Text(s) => ToSqlOutput::from(s.as_str()),
            Param::Int(i) => ToSqlOutput::from(*i),
            Param::Real(f) => ToSqlOutput::from(*f),
        })
    }
}

/// What a refresh changed.
pub(super) struct Diff {
    pub members: i64,
    pub entered: i64,
    pub left: i64,
}

/// Evaluates `select` (a query yielding `leads.num`; None for a static segment), applies the
/// segment's include/exclude overrides, and writes the difference to the stored membership at
/// refresh `counter`.
pub(super) fn refresh(conn: &rusqlite::Connection, segment: &SegmentRow, select: Option<&Compiled>, counter: i64, ts: &str) -> Result<Diff> {
    let mut members = RoaringTreemap::new();
    if let Some(select) = select {
        let mut stmt = conn.prepare(&select.sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(select.params.iter()))?;
        while let Some(row) = rows.next()? {
            members.insert(lead_num(row.get(0)?)?);
        }
    }
    let mut overrides = conn.prepare_cached(
        "SELECT o.lead_num, o.kind = 'include' AND l.deleted_at IS NULL FROM segment_overrides o JOIN leads l ON l.num = o.lead_num
         WHERE o.segment_id = ?1",
    )?;
    let mut rows = overrides.query([&segment.id])?;
    while let Some(row) = rows.next()? {
        // An included lead is a member while it lives; an excluded one never is.
        let (num, include): (i64, bool) = (row.get(0)?, row.get(1)?);
        if include {
            members.insert(lead_num(num)?);
        } else {
            members.remove(lead_num(num)?);
        }
    }
    let before = stored(conn, segment)?;
    // The counts are what the statements changed, and an interval opens only where none is
    // open: a stored set that were ever wrong could not duplicate or miscount membership.
    let mut close = conn.prepare_cached(
        "UPDATE segment_members SET left_refresh = ?1, left_at = ?2 WHERE segment_id = ?3 AND lead_num = ?4 AND left_refresh IS NULL",
    )?;
    let mut left = 0;
    for num in &before - &members {
        left += close.execute(params![counter, ts, segment.id, num as i64])? as i64;
    }
    // A probe, then a plain insert: one `INSERT … SELECT … WHERE NOT EXISTS` reading the table it
    // writes made SQLite copy each row through a temporary table (3× slower at 350k members).
    let mut is_open = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM segment_members WHERE segment_id = ?1 AND lead_num = ?2 AND left_refresh IS NULL)")?;
    let mut open = conn.prepare_cached("INSERT INTO segment_members (segment_id, lead_num, entered_refresh, entered_at) VALUES (?1, ?2, ?3, ?4)")?;
    let mut entered = 0;
    for num in &members - &before {
        if !is_open.query_row(params![segment.id, num as i64], |r| r.get::<_, bool>(0))? {
            entered += open.execute(params![segment.id, num as i64, counter, ts])? as i64;
        }
    }
    let mut blob = Vec::with_capacity(members.serialized_size());
    members.serialize_into(&mut blob).expect("writing into memory cannot fail");
    conn.prepare_cached("INSERT OR REPLACE INTO segment_member_sets (segment_id, refresh_counter, members) VALUES (?1, ?2, ?3)")?
        .execute(params![segment.id, counter, blob])?;
    Ok(Diff { members: members.len() as i64, entered, left })
}

/// The current members: the stored set if it is the one of the segment's current refresh (and
/// as large as the segment says), otherwise (stale, unreadable, never written) the open
/// intervals of `segment_members`.
fn stored(conn: &rusqlite::Connection, segment: &SegmentRow) -> Result<RoaringTreemap> {
    let cached = conn
        .prepare_cached("SELECT members FROM segment_member_sets WHERE segment_id = ?1 AND refresh_counter = ?2")?
        .query_row(params![segment.id, segment.refresh_counter], |row| {
            Ok(row.get_ref(0)?.as_blob().ok().and_then(|blob| RoaringTreemap::deserialize_from(blob).ok()))
        })
        .optional()?
        .flatten()
        .filter(|set| set.len() == segment.member_count as u64);
    if let Some(set) = cached {
        return Ok(set);
    }
    let mut open = conn.prepare_cached("SELECT lead_num FROM segment_members WHERE segment_id = ?1 AND left_refresh IS NULL")?;
    let mut rows = open.query([&segment.id])?;
    let mut set = RoaringTreemap::new();
    while let Some(row) = rows.next()? {
        set.insert(lead_num(row.get(0)?)?);
    }
    Ok(set)
}

/// `leads.num` is an INTEGER PRIMARY KEY SQLite assigns from 1 upwards; only a hand-edited
/// store could hold another.
fn lead_num(num: i64) -> Result<u64> {
    u64::try_from(num).map_err(|_| AppError::new(ErrorCode::CorruptStore, format!("A lead has the row number {num}; Leadbook only assigns positive ones")))
}
