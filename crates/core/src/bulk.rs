//! Bulk writes: the writer connection's own SQLite handle, driven through rusqlite's prepared
//! statements. sqlx sends every statement to a worker thread, and at a million rows that hop
//! costs more than the insert itself; here one prepared statement is bound and stepped per row
//! on the calling thread, inside the same single-writer discipline as every other write.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use crate::Store;

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, message) = &err {
            let detail = message.clone().unwrap_or_else(|| code.to_string());
            return match code.code {
                rusqlite::ErrorCode::ConstraintViolation => Self::new(ErrorCode::Constraint, format!("The store refused the write: {detail}")),
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    Self::new(ErrorCode::Busy, "The database is busy (another Leadbook process is writing); try again")
                }
                rusqlite::ErrorCode::DiskFull => Self::disk_full(),
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase => Self::corrupt(&detail),
                _ => Self::new(ErrorCode::Storage, format!("Database error: {detail}")),
            };
        }
        Self::new(ErrorCode::Storage, format!("Database error: {err}"))
    }
}

impl Store {
    /// Runs `work` on the writer connection with exclusive use of it. Nothing else can write
    /// meanwhile (they queue on the pool), readers carry on. `work` manages its own transactions;
    /// one left open by an error is rolled back when rusqlite's `Transaction` drops.
    pub(crate) async fn with_bulk_writer<T: Send>(
        &self,
        work: impl FnOnce(&mut rusqlite::Connection) -> Result<T> + Send,
    ) -> Result<T> {
        let mut pooled = self.write.acquire().await?;
        with_raw(&mut pooled, |conn| blocking(|| work(conn))).await
    }
}

/// Runs `work` on the SQLite handle of a connection sqlx holds — inside its open transaction, if
/// any — through rusqlite.
pub(crate) async fn with_raw<T>(conn: &mut sqlx::SqliteConnection, work: impl FnOnce(&mut rusqlite::Connection) -> Result<T>) -> Result<T> {
    let mut locked = conn.lock_handle().await?;
    let raw = locked.as_raw_handle().as_ptr();
    // SAFETY: `locked` keeps sqlx's worker off this connection until it drops, after `raw_conn`;
    // a connection made by `from_handle` does not close the handle when dropped.
    let mut raw_conn = unsafe { rusqlite::Connection::from_handle(raw) }?;
    let result = work(&mut raw_conn);
    drop(raw_conn);
    drop(locked);
    result
}

/// Long synchronous work inside async code: on a multi-threaded runtime (the app, the CLI) tell
/// tokio so other tasks move to another worker; on a current-thread runtime (tests) just run it.
pub(crate) fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// The search index of a bulk load, built on another core while the writer inserts rows.
///
/// FTS5 tokenizing costs more than inserting the rows themselves, and a write transaction can
/// only use one thread. So a second connection builds the same FTS5 table (same CREATE
/// statement, hence the same format) in a scratch file, and the writer then copies its shadow
/// tables into the store inside its own transaction: the index arrives with the rows or not at
/// all. Used only when the store's index is empty, so there is nothing to merge.
pub(crate) struct SideFtsBuild {
    /// Some until dropped: the connection closes before the scratch file is removed.
    conn: Option<rusqlite::Connection>,
    path: std::path::PathBuf,
    table: &'static str,
}

/// FTS5 keeps everything but its config in these shadow tables (`content=''` has no content table).
const FTS_SHADOW_TABLES: [&str; 3] = ["data", "idx", "docsize"];

impl SideFtsBuild {
    /// Creates the scratch file next to the store (same disk, removed when done or at the next
    /// bulk load after a crash) holding an empty copy of `table`.
    pub(crate) fn create(main: &rusqlite::Connection, store_path: &std::path::Path, table: &'static str) -> Result<Self> {
        let create_sql: String =
            main.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |row| row.get(0))?;
        let mut path = store_path.as_os_str().to_owned();
        path.push(format!("-{table}-build"));
        let path = std::path::PathBuf::from(path);
        remove_scratch(&path)?;
        let conn = rusqlite::Connection::open(&path)?;
        // A scratch file: no journal, no fsync. A crash just leaves a file the next load deletes.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;")?;
        conn.execute_batch(&create_sql)?;
        // A 64 MB in-memory term hash and lazier merging: fewer, larger segments to write.
        conn.execute_batch(&format!(
            "INSERT INTO {table}({table}, rank) VALUES ('hashsize', 67108864); INSERT INTO {table}({table}, rank) VALUES ('automerge', 16); BEGIN;"
        ))?;
        Ok(Self { conn: Some(conn), path, table })
    }

    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        self.conn.as_ref().expect("open until dropped")
    }

    /// Finishes the side build and copies it into the store's (empty) index inside `tx`.
    pub(crate) fn copy_into(self, tx: &rusqlite::Transaction) -> Result<()> {
        let side = self.connection();
        // One segment, on the top level. Left as the build made them (up to 15 large segments
        // per level, merged lazily), the store's own merge rules later merged them all inside
        // some user's small write: the 10th lead added to a fresh 1M store took 3.8 s, and a
        // synced edit 7.4 s.
        side.execute_batch(&format!("INSERT INTO {t}({t}) VALUES ('optimize'); COMMIT", t = self.table))?;
        for suffix in FTS_SHADOW_TABLES {
            let shadow = format!("{}_{suffix}", self.table);
            tx.execute(&format!("DELETE FROM {shadow}"), [])?;
            let mut read = side.prepare(&format!("SELECT * FROM {shadow}"))?;
            let columns = read.column_count();
            let placeholders = vec!["?"; columns].join(", ");
            let mut write = tx.prepare(&format!("INSERT INTO {shadow} VALUES ({placeholders})"))?;
            let mut rows = read.query([])?;
            while let Some(row) = rows.next()? {
                write.execute(rusqlite::params_from_iter((0..columns).map(|i| row.get_ref(i).map(rusqlite::types::ToSqlOutput::Borrowed)).collect::<Result<Vec<_>, _>>()?))?;
            }
        }
        Ok(())
    }
}

impl Drop for SideFtsBuild {
    fn drop(&mut self) {
        drop(self.conn.take());
        if let Err(e) = remove_scratch(&self.path) {
            tracing::warn!("{e}");
        }
    }
}

fn remove_scratch(path: &std::path::Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(AppError::new(ErrorCode::Storage, format!("Cannot remove the scratch file {}: {e}", path.display())))
        }
        _ => Ok(()),
    }
}
