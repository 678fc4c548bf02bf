//! Values between the two stores: SQLite text/integers on the desktop, typed columns (jsonb,
//! timestamptz, boolean) on the server, JSON on the wire.

use super::tables::{Column, Kind};
use crate::clock::format_time;
use serde_json::Value as Json;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// A value to bind into a SQLite statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlVal {
    Null,
    Text(String),
    Int(i64),
}

impl rusqlite::ToSql for SqlVal {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            SqlVal::Null => ToSqlOutput::Owned(Value::Null),
            SqlVal::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            SqlVal::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
        })
    }
}

/// Reads column `i` of a local row (selected with `Column::local_select`) as the server's JSON.
pub(crate) fn to_server(row: &SqliteRow, i: usize, col: &Column) -> Result<Json, String> {
    let text = || row.try_get::<Option<String>, _>(i).map_err(|e| e.to_string());
    let int = || row.try_get::<Option<i64>, _>(i).map_err(|e| e.to_string());
    Ok(match col.kind {
        Kind::Text | Kind::Time | Kind::LeadNum => text()?.map(Json::String).unwrap_or(Json::Null),
        Kind::Int => int()?.map(Json::from).unwrap_or(Json::Null),
        Kind::Bool => int()?.map(|v| Json::Bool(v != 0)).unwrap_or(Json::Null),
        Kind::Json => match text()? {
            None => Json::Null,
            Some(s) => serde_json::from_str(&s).map_err(|e| format!("{} holds invalid JSON: {e}", col.name))?,
        },
    })
}

/// Converts a server value for the desktop column; Err names what is wrong with it.
/// `LeadNum` is resolved by the caller (it needs the store).
pub(crate) fn to_local(value: &Json, col: &Column) -> Result<SqlVal, String> {
    if value.is_null() {
        return Ok(SqlVal::Null);
    }
    let wrong = |want: &str| format!("{} is {value}, not {want}", col.name);
    Ok(match col.kind {
        Kind::Text | Kind::LeadNum => match value {
            Json::String(s) => SqlVal::Text(s.clone()),
            other => SqlVal::Text(other.to_string()),
        },
        Kind::Int => SqlVal::Int(value.as_i64().ok_or_else(|| wrong("a whole number"))?),
        Kind::Bool => SqlVal::Int(match value {
            Json::Bool(b) => *b as i64,
            Json::Number(n) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => n.as_i64().unwrap_or(0),
            _ => return Err(wrong("true or false")),
        }),
        Kind::Time => {
            let s = value.as_str().ok_or_else(|| wrong("a timestamp"))?;
            let t = chrono::DateTime::parse_from_rfc3339(s).map_err(|_| wrong("an RFC 3339 timestamp"))?;
            SqlVal::Text(format_time(t.with_timezone(&chrono::Utc)))
        }
        Kind::Json => SqlVal::Text(value.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_timestamps_come_back_in_the_desktop_format() {
        let col = Column { name: "created_at", kind: Kind::Time };
        let v = to_local(&Json::String("2026-12-03T02:40:00.123456+01:00".into()), &col).unwrap();
        assert_eq!(v, SqlVal::Text("2026-12-03T01:40:00.123Z".into()));
        assert!(to_local(&Json::String("yesterday".into()), &col).unwrap_err().contains("created_at"));
    }

    #[test]
    fn booleans_and_json_travel_as_the_desktop_stores_them() {
        let b = Column { name: "is_active", kind: Kind::Bool };
        assert_eq!(to_local(&Json::Bool(true), &b).unwrap(), SqlVal::Int(1));
        assert!(to_local(&Json::String("yes".into()), &b).is_err());
        let j = Column { name: "custom_fields", kind: Kind::Json };
        assert_eq!(to_local(&serde_json::json!({"a": 1}), &j).unwrap(), SqlVal::Text("{\"a\":1}".into()));
    }
}
