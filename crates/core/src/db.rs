//! Opening the store: connection settings, migrations, and first-start bootstrap.

use crate::error::ErrorCode;
use crate::clock::{new_id, now};
use crate::error::{AppError, Result};
use crate::settings;
use crate::validate::parse_region;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Migrations shared by the app and the CLI (the top-level `migrations/` folder).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Who this desktop acts as, loaded once at open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: String,
    pub user_name: String,
    pub space_id: String,
    pub space_name: String,
}

/// Handle to the local store. Cheap to clone; all domain services hang off it.
#[derive(Clone)]
pub struct Store {
    /// Readers run concurrently (WAL).
    pub(crate) read: SqlitePool,
    /// A single writer connection: writes queue here instead of fighting over SQLite's lock.
    pub(crate) write: SqlitePool,
    /// Who this desktop acts as; replaced once when sync setup adopts the server's ids.
    identity: Arc<RwLock<Arc<Identity>>>,
    pub(crate) region: Arc<RwLock<phonenumber::country::Id>>,
    /// Signalled after every reminder write so this process's scheduler re-reads the next time.
    pub(crate) reminder_wake: Arc<tokio::sync::Notify>,
    /// How many times the writer connection went back to its pool: every write of this process
    /// ends with one, so a job that precomputes on a snapshot can tell whether anyone else wrote.
    pub(crate) writer_releases: Arc<AtomicU64>,
    /// What runs after every lead write, in order (see `changes`).
    pub(crate) followers: Arc<RwLock<Vec<crate::changes::Follower>>>,
    path: PathBuf,
}

/// Page cache per connection, in KiB (negative: SQLite's "in KiB" form).
const CACHE_SIZE_KIB: &str = "-16384";
/// The same, as a statement, for restoring it after a bulk job raised it.
pub(crate) const CACHE_SIZE_PRAGMA: &str = "PRAGMA cache_size = -16384";

fn connect_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL in WAL mode is durable against application crashes (kill -9), which is what we promise.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // 16 MB page cache per connection and no mmap: the app's memory stays small and flat
        // however large the store (mapped pages would count against the app; the OS caches the file anyway).
        .pragma("cache_size", CACHE_SIZE_KIB)
        .pragma("temp_store", "memory")
        .pragma("mmap_size", "0")
}

/// The SQL functions segment queries use (`lb_fold`, …), on every connection.
async fn register_functions(conn: &mut sqlx::SqliteConnection) -> std::result::Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is open and locked for us; the functions live as long as the connection.
    unsafe { crate::segments::functions::register(handle.as_raw_handle().as_ptr()) }
        .map_err(|e| sqlx::Error::Configuration(format!("cannot register Leadbook's SQL functions: {e}").into()))
}

/// Whether a connection going back to its pool can serve the next caller. SQLite ends a
/// transaction by itself on some errors (a full disk, an I/O error); the ROLLBACK that sqlx sends
/// when the transaction is dropped then fails, and sqlx goes on counting a transaction that no
/// longer exists: every later BEGIN on that connection would fail, and with one writer the
/// store could take no write until a restart. Such a connection is closed and replaced.
async fn still_usable(conn: &mut sqlx::SqliteConnection) -> std::result::Result<bool, sqlx::Error> {
    use sqlx::Connection;
    // The ping runs after the rollback a dropped transaction queued.
    conn.ping().await?;
    Ok(!conn.is_in_transaction())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applies migrations and makes sure the
    /// local user, personal space, default stages and sources exist.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(ErrorCode::Storage, format!("Cannot create the folder {} for the database: {e}", dir.display()))
            })?;
        }
        let options = connect_options(&path);
        let writer_releases = Arc::new(AtomicU64::new(0));
        let releases = writer_releases.clone();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| Box::pin(register_functions(conn)))
            .after_release(move |conn, _| {
                releases.fetch_add(1, Ordering::SeqCst);
                Box::pin(still_usable(conn))
            })
            // The writer gets a larger cache and checkpoints less often: bulk writes touch many
            // index pages, and each checkpoint costs an fsync.
            .connect_with(options.clone().pragma("cache_size", "-262144").pragma("wal_autocheckpoint", "8192"))
            .await
            .map_err(|e| open_error(&path, e))?;
        migrate(&write, &path).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _| Box::pin(register_functions(conn)))
            .after_release(|conn, _| Box::pin(still_usable(conn)))
            .connect_with(options)
            .await?;
        let identity = bootstrap(&write).await?;
        let region_code = settings::get(&read, settings::DEFAULT_REGION).await?.unwrap_or_else(|| "US".into());
        let region = parse_region(&region_code).unwrap_or(phonenumber::country::Id::US);
        Ok(Self { read, write, identity: Arc::new(RwLock::new(Arc::new(identity))), region: Arc::new(RwLock::new(region)), reminder_wake: Default::default(), writer_releases, followers: Arc::new(RwLock::new(crate::changes::standard_followers())), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error for people: a full disk is named by the folder that holds the database.
    pub fn explain(&self, e: AppError) -> AppError {
        if e.code != "disk_full" || e.message.contains(std::path::MAIN_SEPARATOR) {
            return e;
        }
        let folder = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(&self.path);
        AppError { message: format!("The disk holding {} is full. Free some space and try again; nothing was changed", folder.display()), ..e }
    }

    /// After a restore replaced the file's contents: what the store read at open is read again.
    pub(crate) async fn reload_after_restore(&self) -> Result<()> {
        let identity = bootstrap(&self.write).await?;
        self.set_identity(identity);
        let region_code = settings::get(&self.read, settings::DEFAULT_REGION).await?.unwrap_or_else(|| "US".into());
        *self.region.write().expect("region lock") = parse_region(&region_code).unwrap_or(phonenumber::country::Id::US);
        self.reminder_wake.notify_waiters();
        Ok(())
    }

    /// Who this desktop acts as (user and current space).
    pub fn identity(&self) -> Arc<Identity> {
        self.identity.read().expect("identity lock").clone()
    }

    pub(crate) fn set_identity(&self, identity: Identity) {
        *self.identity.write().expect("identity lock") = Arc::new(identity);
    }

    /// Starts a write transaction that takes SQLite's write lock up front, so a transaction
    /// that reads before it writes cannot fail to upgrade when another process wrote meanwhile.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Read-only pool, for the benchmark harness and diagnostics.
    pub fn reader(&self) -> &SqlitePool {
        &self.read
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Why the database file could not be opened, for people: damage is named as such.
fn open_error(path: &Path, e: sqlx::Error) -> AppError {
    if let sqlx::Error::Database(db) = &e {
        // SQLITE_CORRUPT, SQLITE_NOTADB (primary codes: the extended code's low byte).
        if matches!(db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff), Some(11 | 26)) {
            return AppError::new(ErrorCode::CorruptStore, format!("The database {} is damaged or is not a Leadbook database ({})", path.display(), db.message()));
        }
    }
    AppError::new(ErrorCode::Storage, format!("Cannot open the database {}: {}", path.display(), AppError::from(e).message))
}

/// Brings the database up to this version's schema. A store written by a newer Leadbook is
/// refused (its schema cannot be read safely by an older one), and before an existing store is
/// migrated a snapshot of it is taken, so a migration that fails can be undone by a restore.
async fn migrate(write: &SqlitePool, path: &Path) -> Result<()> {
    let mut conn = write.acquire().await?;
    let has_table: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')")
        .fetch_one(&mut *conn)
        .await?;
    if has_table {
        let applied: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(&mut *conn).await?;
        let newest = crate::backup::latest_migration();
        match applied {
            Some(v) if v > newest => {
                return Err(AppError::new(
                    ErrorCode::NewerStore,
                    format!(
                        "{} was written by a newer version of Leadbook (database version {v}; this one knows {newest}). Install the newer version; this one will not change the file",
                        path.display()
                    ),
                ))
            }
            Some(v) if v < newest => {
                let made = crate::backup::snapshot(&mut conn, path, crate::backup::BackupKind::PreMigration).await?;
                tracing::info!(backup = %made.path, from = v, to = newest, "snapshot taken before migrating the store");
            }
            _ => {}
        }
    }
    drop(conn);
    MIGRATOR.run(write).await?;
    Ok(())
}

const DEFAULT_STAGES: [(&str, &str); 6] = [
    ("New", "#64748b"),
    ("Contacted", "#0ea5e9"),
    ("Qualified", "#6366f1"),
    ("Proposal", "#f59e0b"),
    ("Won", "#16a34a"),
    ("Lost", "#dc2626"),
];

const DEFAULT_SOURCES: [(&str, &str); 7] = [
    ("Website", "website"),
    ("LinkedIn", "linkedin"),
    ("Referral", "referral"),
    ("Email campaign", "email"),
    ("Event", "event"),
    ("Cold call", "phone"),
    ("Import", "import"),
];

/// Guesses the user's region from the locale (de_DE.UTF-8 → DE) for parsing local phone numbers.
fn region_from_locale() -> String {
    ["LC_ALL", "LC_TELEPHONE", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| {
            let territory = v.split(['.', '@']).next()?.split('_').nth(1)?.to_ascii_uppercase();
            parse_region(&territory).ok().map(|_| territory)
        })
        .unwrap_or_else(|| "US".into())
}

pub(crate) async fn bootstrap(pool: &SqlitePool) -> Result<Identity> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let existing = settings::get(&mut *tx, settings::LOCAL_USER_ID).await?;
    if existing.is_none() {
        let ts = now();
        let user_id = new_id();
        let space_id = new_id();
        let user_name = std::env::var("USER").ok().filter(|u| !u.is_empty() && u != "root").unwrap_or_else(|| "Me".into());
        sqlx::query("INSERT INTO users (id, username, is_local, created_at, updated_at) VALUES (?, ?, 1, ?, ?)")
            .bind(&user_id).bind(&user_name).bind(&ts).bind(&ts)
            .execute(&mut *tx).await?;
        sqlx::query("INSERT INTO spaces (id, name, kind, owner_id, created_at, updated_at) VALUES (?, 'Personal', 'personal', ?, ?, ?)")
            .bind(&space_id).bind(&user_id).bind(&ts).bind(&ts)
            .execute(&mut *tx).await?;
        sqlx::query("INSERT INTO space_members (space_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")
            .bind(&space_id).bind(&user_id).bind(&ts)
            .execute(&mut *tx).await?;
        for (order, (name, color)) in DEFAULT_STAGES.iter().enumerate() {
            sqlx::query("INSERT INTO lead_stages (id, space_id, user_id, name, stage_order, color, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(new_id()).bind(&space_id).bind(&user_id).bind(name).bind(order as i64).bind(color).bind(order == 0).bind(&ts).bind(&ts)
                .execute(&mut *tx).await?;
        }
        for (name, kind) in DEFAULT_SOURCES {
            sqlx::query("INSERT INTO lead_sources (id, space_id, user_id, name, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(new_id()).bind(&space_id).bind(&user_id).bind(name).bind(kind).bind(&ts).bind(&ts)
                .execute(&mut *tx).await?;
        }
        settings::set(&mut *tx, settings::LOCAL_USER_ID, &user_id).await?;
        settings::set(&mut *tx, settings::CURRENT_SPACE_ID, &space_id).await?;
        settings::set(&mut *tx, settings::DEFAULT_REGION, &region_from_locale()).await?;
        // A new store's index entries are all written by this version.
        settings::set(&mut *tx, crate::search::INDEX_VERSION_KEY, &crate::search::INDEX_VERSION.to_string()).await?;
    }
    let user_id = settings::get(&mut *tx, settings::LOCAL_USER_ID).await?.expect("set above");
    let space_id = settings::get(&mut *tx, settings::CURRENT_SPACE_ID).await?
        .ok_or_else(|| AppError::new(ErrorCode::CorruptStore, "The store has a local user but no current space"))?;
    let (user_name,): (String,) = sqlx::query_as("SELECT username FROM users WHERE id = ?").bind(&user_id).fetch_one(&mut *tx).await?;
    let (space_name,): (String,) = sqlx::query_as("SELECT name FROM spaces WHERE id = ?").bind(&space_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(Identity { user_id, user_name, space_id, space_name })
}
