//! SQL functions segment queries need, registered on every connection of the store. They are the
//! same Rust functions the in-memory evaluator uses, so SQL and reference agree by construction
//! (SQLite's own `lower()` folds ASCII only: "ÄRZTE" would not match "ärzte").

use super::lower::{fold, number_text, parse_number};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;

/// A value as text the way a custom field is compared: numbers in their shortest form.
fn as_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(number_text(f)),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// Registers `lb_fold(x)`, `lb_text(x)` and `lb_num(x)` on a raw SQLite handle.
///
/// # Safety
/// `db` must be a valid, open SQLite handle that outlives no registration (SQLite frees the
/// closures when the handle closes).
pub unsafe fn register(db: *mut rusqlite::ffi::sqlite3) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::from_handle(db)?;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("lb_fold", 1, flags, |ctx| Ok(as_text(ctx.get_raw(0)).map(|t| fold(&t))))?;
    conn.create_scalar_function("lb_text", 1, flags, |ctx| Ok(as_text(ctx.get_raw(0))))?;
    conn.create_scalar_function("lb_num", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Integer(i) => Some(i as f64),
            ValueRef::Real(f) => Some(f),
            ValueRef::Text(t) => parse_number(&String::from_utf8_lossy(t)),
            ValueRef::Null | ValueRef::Blob(_) => None,
        })
    })?;
    Ok(())
}
