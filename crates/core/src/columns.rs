//! An entity's stored columns, declared once and used by both its INSERT and its UPDATE.
//!
//! Why: binding a row by hand means writing every column twice (the insert's list and the
//! update's `SET`) and keeping two runs of `.bind(..)` in the same order as their SQL text. An
//! entity instead declares its editable columns in one function that returns a [`Columns`]
//! built from its validated input; the insert adds what only an insert sets (id, owner,
//! timestamps), the update adds what only an update sets, and both statements and their
//! arguments come from that one list. A new column is one more `.set(..)` line there.
//!
//! Safe by construction: column names, table names and SQL tails are `&'static str` (written in
//! code, never taken from input) and every value is bound as a parameter.

use crate::error::Result;
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments;
use std::borrow::Cow;

/// One column's value, always bound as a parameter, never written into the SQL text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlValue<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
}

impl<'a> From<&'a str> for SqlValue<'a> {
    fn from(v: &'a str) -> Self {
        SqlValue::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for SqlValue<'a> {
    fn from(v: &'a String) -> Self {
        SqlValue::Text(Cow::Borrowed(v))
    }
}

impl From<String> for SqlValue<'_> {
    fn from(v: String) -> Self {
        SqlValue::Text(Cow::Owned(v))
    }
}

impl From<i64> for SqlValue<'_> {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}

impl From<i32> for SqlValue<'_> {
    fn from(v: i32) -> Self {
        SqlValue::Int(v.into())
    }
}

/// `None` is SQL `NULL`.
impl<'a, T: Into<SqlValue<'a>>> From<Option<T>> for SqlValue<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

/// A field as it sits in a struct: `&lead.email`.
impl<'a> From<&'a Option<String>> for SqlValue<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

/// Columns and the values one write gives them, in order.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Columns<'a>(Vec<(&'static str, SqlValue<'a>)>);

impl<'a> Columns<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column and its value. A column is set once per write.
    pub fn set(mut self, column: &'static str, value: impl Into<SqlValue<'a>>) -> Self {
        debug_assert!(!self.names().any(|c| c == column), "column {column} set twice");
        self.0.push((column, value.into()));
        self
    }

    /// Adds another list's columns after these (e.g. an entity's editable columns after the
    /// ones only an insert sets).
    pub fn extend(self, more: Columns<'a>) -> Self {
        more.0.into_iter().fold(self, |cols, (column, value)| cols.set(column, value))
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(name, _)| *name)
    }

    /// `INSERT INTO {table} (a, b) VALUES (?, ?) {tail}`; `tail` may be empty or e.g. `RETURNING num`.
    pub fn insert_sql(&self, table: &'static str, tail: &'static str) -> String {
        let names = self.names().collect::<Vec<_>>().join(", ");
        let marks = vec!["?"; self.0.len()].join(", ");
        format!("INSERT INTO {table} ({names}) VALUES ({marks}) {tail}").trim_end().to_owned()
    }

    /// `UPDATE {table} SET a = ?, b = ? {tail}`; the tail's own parameters (its `WHERE`, written as
    /// plain `?`) are bound after [`Columns::into_args`], in the order they appear.
    pub fn update_sql(&self, table: &'static str, tail: &'static str) -> String {
        let set = self.names().map(|name| format!("{name} = ?")).collect::<Vec<_>>().join(", ");
        format!("UPDATE {table} SET {set} {tail}").trim_end().to_owned()
    }

    /// The values as query arguments, in column order, for `sqlx::query_with` and friends; bind
    /// further parameters with `.bind(..)` on the query.
    pub fn into_args(self) -> Result<SqliteArguments<'a>> {
        let mut args = SqliteArguments::default();
        for (_, value) in self.0 {
            match value {
                SqlValue::Null => args.add(None::<String>),
                SqlValue::Text(Cow::Borrowed(s)) => args.add(s),
                SqlValue::Text(Cow::Owned(s)) => args.add(s),
                SqlValue::Int(n) => args.add(n),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(owned: &str) -> Columns<'_> {
        Columns::new().set("name", owned).set("email", None::<&str>).set("size", Some(12i64)).set("key", owned.to_lowercase())
    }

    #[test]
    fn insert_and_update_come_from_one_list() {
        let cols = Columns::new().set("id", "x1").extend(sample("Acme"));
        assert_eq!(cols.insert_sql("companies", ""), "INSERT INTO companies (id, name, email, size, key) VALUES (?, ?, ?, ?, ?)");
        assert_eq!(
            sample("Acme").update_sql("companies", "WHERE id = ? RETURNING num"),
            "UPDATE companies SET name = ?, email = ?, size = ?, key = ? WHERE id = ? RETURNING num"
        );
    }

    #[test]
    fn values_keep_their_order_and_type() {
        let cols = sample("Acme");
        let values: Vec<_> = cols.0.iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(
            values,
            [SqlValue::from("Acme"), SqlValue::Null, SqlValue::Int(12), SqlValue::Text(Cow::Owned("acme".into()))]
        );
        assert_eq!(cols.into_args().unwrap().len(), 4);
    }

    #[test]
    #[should_panic(expected = "column name set twice")]
    fn a_column_is_set_once() {
        let _ = Columns::new().set("name", "a").extend(Columns::new().set("name", "b"));
    }

    #[tokio::test]
    async fn binds_round_trip_through_sqlite() {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT, email TEXT, size INTEGER, key TEXT)").execute(&mut conn).await.unwrap();
        let insert = Columns::new().set("id", "x1").extend(sample("Acme"));
        let sql = insert.insert_sql("t", "");
        sqlx::query_with(&sql, insert.into_args().unwrap()).execute(&mut conn).await.unwrap();
        let update = Columns::new().set("name", "Bolt").set("email", Some("a@b.c")).set("key", "bolt");
        let sql = update.update_sql("t", "WHERE id = ?");
        sqlx::query_with(&sql, update.into_args().unwrap()).bind("x1").execute(&mut conn).await.unwrap();
        let row: (String, Option<String>, i64, String) =
            sqlx::query_as("SELECT name, email, size, key FROM t WHERE id = 'x1'").fetch_one(&mut conn).await.unwrap();
        assert_eq!(row, ("Bolt".into(), Some("a@b.c".into()), 12, "bolt".into()));
    }
}
