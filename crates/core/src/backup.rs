//! Snapshots of the store and restoring one.
//!
//! A snapshot is a complete, compact SQLite file written by `VACUUM INTO` on a reader: the app
//! keeps working while it is taken (WAL: readers never block the writer). It is written under a
//! temporary name, integrity-checked, and only then given its final name, so a file with a
//! snapshot's name is always a good one. Snapshots live in `backups/` next to the database and
//! are named by when they were taken and why: `leadbook-20261205-075318-daily.db`.
//!
//! Automatic ones: one a day (the last 7 kept, and the newest of each of the last 4 weeks),
//! one before every migration, before an import is undone and before a restore (the newest 5
//! of each kind kept). Snapshots made by hand are never removed automatically.
//!
//! A restore copies the snapshot into the open store with SQLite's backup API on the writer
//! connection, in one write transaction (a kill -9 leaves the store as it was), then migrates
//! it forward. With sync on, the clock is carried forward and the snapshot's own pull cursor
//! is kept, so the next pull brings back everything the server has that is newer (see
//! docs/SYNC.md, "Restoring a backup").

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use crate::Store;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BackupKind {
    Daily,
    Manual,
    PreMigration,
    PreUndo,
    PreRestore,
}

impl BackupKind {
    const ALL: [BackupKind; 5] = [Self::Daily, Self::Manual, Self::PreMigration, Self::PreUndo, Self::PreRestore];

    fn tag(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Manual => "manual",
            Self::PreMigration => "pre-migration",
            Self::PreUndo => "pre-undo",
            Self::PreRestore => "pre-restore",
        }
    }
}

/// One snapshot in the backups folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub file_name: String,
    pub path: String,
    pub kind: BackupKind,
    /// When it was taken (UTC, RFC 3339).
    pub created_at: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// What a snapshot holds, read before it is restored (the confirmation says what comes back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupCheck {
    pub backup: Backup,
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub companies: u64,
    /// The newest migration it has (older ones are migrated forward after a restore).
    #[ts(type = "number")]
    pub schema_version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreSummary {
    pub restored: BackupCheck,
    /// The snapshot of the store as it was just before (to undo the restore).
    pub previous: Backup,
}

const PREFIX: &str = "leadbook-";
const STAMP: &str = "%Y%m%d-%H%M%S";
/// Automatic daily snapshots kept: the newest this many, ...
const KEEP_DAILY: usize = 7;
/// ... and the newest one of each of this many most recent weeks.
const KEEP_WEEKLY: usize = 4;
/// Snapshots taken before a migration, an undo or a restore: the newest this many of each kind.
const KEEP_EVENT: usize = 5;

/// The folder snapshots of the database at `db` go to.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
}

/// Snapshots of the database at `db`, newest first. Needs no open store: the recovery screen
/// lists them when the store cannot open.
pub fn list_backups_of(db: &Path) -> Result<Vec<Backup>> {
    let dir = backups_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(AppError::new(ErrorCode::BackupUnreadable, format!("Cannot read the backups folder {}: {e}", dir.display()))),
    };
    let mut found: Vec<Backup> = entries.filter_map(|e| e.ok()).filter_map(|e| describe(&e.path())).collect();
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| sequence(&b.file_name).cmp(&sequence(&a.file_name))));
    Ok(found)
}

/// The number a snapshot's name carries when several were taken in one second (1 without).
fn sequence(name: &str) -> u32 {
    name.get(PREFIX.len() + 16..).and_then(|tail| tail.split_once('-')).and_then(|(n, _)| n.parse().ok()).unwrap_or(1)
}

/// A snapshot's details from its name and size; None for any other file (temporary ones too).
fn describe(path: &Path) -> Option<Backup> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    // leadbook-YYYYMMDD-HHMMSS[-N]-kind.db
    let stamp = rest.get(..15)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    let tail = rest.get(16..)?;
    let tail = tail.split_once('-').filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit())).map_or(tail, |(_, k)| k);
    let kind = BackupKind::ALL.into_iter().find(|k| k.tag() == tail)?;
    let size_bytes = std::fs::metadata(path).ok()?.len();
    Some(Backup { file_name: name.to_owned(), path: path.display().to_string(), kind, created_at: crate::clock::format_time(at), size_bytes })
}

/// Opens a snapshot read-only and checks it: a SQLite file that passes `PRAGMA quick_check`
/// and is a Leadbook store no newer than this version.
pub fn check_backup(path: &Path) -> Result<BackupCheck> {
    let backup = describe(path).or_else(|| {
        let size_bytes = std::fs::metadata(path).ok()?.len();
        Some(Backup {
            file_name: path.file_name()?.to_string_lossy().into_owned(),
            path: path.display().to_string(),
            kind: BackupKind::Manual,
            created_at: std::fs::metadata(path).ok()?.modified().ok().map(|t| crate::clock::format_time(DateTime::<Utc>::from(t)))?,
            size_bytes,
        })
    });
    let backup = backup.ok_or_else(|| AppError::field(ErrorCode::BackupMissing, "file", format!("There is no backup file {}", path.display())))?;
    let bad = |why: String| AppError::field(ErrorCode::BackupDamaged, "file", format!("{} cannot be restored: {why}", path.display()));
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(e.to_string()))?;
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
    if verdict != "ok" {
        return Err(bad(format!("it is damaged ({verdict})")));
    }
    let schema_version: i64 = conn
        .query_row("SELECT max(version) FROM _sqlx_migrations WHERE success", [], |r| r.get::<_, Option<i64>>(0))
        .map_err(|_| bad("it is not a Leadbook database".into()))?
        .ok_or_else(|| bad("it is not a Leadbook database".into()))?;
    let newest = latest_migration();
    if schema_version > newest {
        return Err(bad(format!("it was written by a newer Leadbook (database version {schema_version}; this one knows {newest})")));
    }
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n.max(0) as u64).map_err(|e| bad(e.to_string()));
    let leads = count("SELECT count(*) FROM leads WHERE deleted_at IS NULL")?;
    let companies = count("SELECT count(*) FROM companies WHERE deleted_at IS NULL")?;
    Ok(BackupCheck { backup, leads, companies, schema_version })
}

/// The newest migration this version of Leadbook has.
pub fn latest_migration() -> i64 {
    crate::db::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The first snapshot, newest first, that passes its check: what the recovery screen offers.
pub fn newest_good_backup(db: &Path) -> Result<Option<BackupCheck>> {
    for backup in list_backups_of(db)? {
        match check_backup(Path::new(&backup.path)) {
            Ok(check) => return Ok(Some(check)),
            Err(e) => tracing::warn!(file = %backup.path, error = %e.message, "backup skipped"),
        }
    }
    Ok(None)
}

/// Restores a snapshot over a database that cannot be opened (the recovery screen, `leadbook
/// backup restore` on a damaged store): the damaged file is kept beside it, renamed, and the
/// snapshot is copied in under a temporary name and renamed over the database.
pub fn restore_offline(db: &Path, snapshot: &Path) -> Result<BackupCheck> {
    let check = check_backup(snapshot)?;
    let io = |what: &str, e: std::io::Error| disk_error(e, db, &format!("Cannot {what}"));
    let incoming = db.with_extension("db.restoring");
    std::fs::copy(snapshot, &incoming).map_err(|e| {
        let _ = std::fs::remove_file(&incoming);
        io("copy the backup next to the database", e)
    })?;
    std::fs::File::open(&incoming).and_then(|f| f.sync_all()).map_err(|e| io("write the restored database", e))?;
    if db.exists() {
        let kept = db.with_extension(format!("db.damaged-{}", Utc::now().format(STAMP)));
        std::fs::rename(db, &kept).map_err(|e| io("move the damaged database aside", e))?;
        tracing::warn!(kept = %kept.display(), "the damaged database was kept beside the restored one");
    }
    // The damaged file's journal must not be replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    std::fs::rename(&incoming, db).map_err(|e| io("put the restored database in place", e))?;
    Ok(check)
}

/// An I/O or SQLite failure while writing near `path`: a full disk is named as such.
pub(crate) fn disk_error(e: impl std::fmt::Display, path: &Path, what: &str) -> AppError {
    let text = e.to_string();
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(path);
    if text.contains("No space left") || text.contains("database or disk is full") || text.contains("disk is full") {
        AppError::new(ErrorCode::DiskFull, format!("{what}: the disk holding {} is full. Free some space and try again; nothing was changed", folder.display()))
    } else {
        AppError::new(ErrorCode::Storage, format!("{what} in {}: {text}", folder.display()))
    }
}

/// The name a new snapshot gets. Snapshots taken in the same second, of any kind, are numbered
/// in the order they were taken (the daily one at start-up and "Back up now" a moment later),
/// so the list's newest-first order never depends on the kinds' names.
fn new_name(dir: &Path, kind: BackupKind, at: DateTime<Utc>) -> PathBuf {
    let stamp = at.format(STAMP).to_string();
    let same_second = |n: Option<u32>| -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else { return false };
        entries.flatten().any(|e| {
            let name = e.file_name();
            let Some(name) = name.to_str() else { return false };
            describe(&e.path()).is_some() && name.get(PREFIX.len()..PREFIX.len() + 15) == Some(stamp.as_str()) && n.is_none_or(|n| sequence(name) == n)
        })
    };
    if !same_second(None) {
        return dir.join(format!("{PREFIX}{stamp}-{}.db", kind.tag()));
    }
    let next = (2..).find(|&n| !same_second(Some(n))).unwrap_or(2);
    dir.join(format!("{PREFIX}{stamp}-{next}-{}.db", kind.tag()))
}

/// Which automatic snapshots to delete: beyond the newest [`KEEP_DAILY`] dailies and the newest
/// daily of each of the last [`KEEP_WEEKLY`] weeks; beyond the newest [`KEEP_EVENT`] of each
/// event kind. Manual snapshots are never pruned. `backups` is newest first.
pub(crate) fn to_prune(backups: &[Backup]) -> Vec<&Backup> {
    let mut keep = std::collections::HashSet::new();
    let dailies: Vec<&Backup> = backups.iter().filter(|b| b.kind == BackupKind::Daily).collect();
    keep.extend(dailies.iter().take(KEEP_DAILY).map(|b| b.file_name.as_str()));
    let mut weeks = Vec::new();
    for b in &dailies {
        let Ok(at) = DateTime::parse_from_rfc3339(&b.created_at) else { continue };
        let week = (at.iso_week().year(), at.iso_week().week());
        if !weeks.contains(&week) {
            if weeks.len() == KEEP_WEEKLY {
                break;
            }
            weeks.push(week);
            keep.insert(b.file_name.as_str());
        }
    }
    for kind in [BackupKind::PreMigration, BackupKind::PreUndo, BackupKind::PreRestore] {
        keep.extend(backups.iter().filter(|b| b.kind == kind).take(KEEP_EVENT).map(|b| b.file_name.as_str()));
    }
    backups.iter().filter(|b| b.kind != BackupKind::Manual && !keep.contains(b.file_name.as_str())).collect()
}

/// Writes a snapshot of the database behind `conn` (any connection to it, a reader is enough)
/// into the backups folder, checks it, and names it. Used by the store and, before the store's
/// migrations run, by `Store::open`.
pub(crate) async fn snapshot(conn: &mut sqlx::SqliteConnection, db: &Path, kind: BackupKind) -> Result<Backup> {
    let dir = backups_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| disk_error(e, &dir.join("x"), "Cannot create the backups folder"))?;
    let at = Utc::now();
    let target = new_name(&dir, kind, at);
    let partial = target.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial);
    let cannot = |e: &dyn std::fmt::Display| disk_error(e, &partial, "Cannot write the backup");
    // The target is a bound value, never part of the SQL text.
    let written = sqlx::query("VACUUM INTO ?").bind(partial.to_string_lossy().into_owned()).execute(&mut *conn).await;
    let checked = match written {
        Err(e) => Err(cannot(&e)),
        Ok(_) => crate::bulk::blocking(|| {
            std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| cannot(&e))?;
            check_backup(&partial).map_err(|e| AppError::new(ErrorCode::BackupDamaged, format!("The backup just written did not pass its check: {}", e.message)))
        }),
    };
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &target).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        cannot(&e)
    })?;
    let made = describe(&target).ok_or_else(|| AppError::new(ErrorCode::BackupUnreadable, format!("The backup {} cannot be listed", target.display())))?;
    prune(db);
    Ok(made)
}

/// Deletes automatic snapshots the retention rules no longer keep (failures are only logged:
/// an extra old snapshot never fails anything).
fn prune(db: &Path) {
    let Ok(all) = list_backups_of(db) else { return };
    for old in to_prune(&all) {
        if let Err(e) = std::fs::remove_file(&old.path) {
            tracing::warn!(file = %old.path, error = %e, "an old backup could not be removed");
        }
    }
}

impl Store {
    /// Takes a snapshot now (the app keeps working meanwhile).
    pub async fn create_backup(&self, kind: BackupKind) -> Result<Backup> {
        let mut conn = self.read.acquire().await?;
        snapshot(&mut conn, self.path(), kind).await
    }

    /// SQLite's `quick_check` of the open database on a reader (the app runs it once after
    /// start, in the background: on a million leads it reads the whole file).
    pub async fn quick_check(&self) -> Result<()> {
        let verdict: String = sqlx::query_scalar("PRAGMA quick_check(1)").fetch_one(&self.read).await?;
        if verdict == "ok" {
            return Ok(());
        }
        Err(AppError::new(
            ErrorCode::CorruptStore,
            format!("The database {} is damaged ({verdict}). Restore a backup (Settings → Backups, or `leadbook backup restore`)", self.path().display()),
        ))
    }

    /// This store's snapshots, newest first.
    pub async fn list_backups(&self) -> Result<Vec<Backup>> {
        list_backups_of(self.path())
    }

    /// Takes the daily snapshot when the newest one is a day old (or there is none). The app
    /// calls this at start and every hour.
    pub async fn backup_if_due(&self) -> Result<Option<Backup>> {
        let newest = list_backups_of(self.path())?.into_iter().find(|b| b.kind == BackupKind::Daily);
        let due = newest.and_then(|b| DateTime::parse_from_rfc3339(&b.created_at).ok()).is_none_or(|t| Utc::now().signed_duration_since(t) >= chrono::Duration::hours(24));
        if !due {
            return Ok(None);
        }
        self.create_backup(BackupKind::Daily).await.map(Some)
    }

    /// Replaces everything in the store with the snapshot at `file`, after taking a snapshot of
    /// the store as it is. One write transaction: a failure or a kill leaves the store as it was.
    pub async fn restore_backup(&self, file: &Path) -> Result<RestoreSummary> {
        let check = crate::bulk::blocking(|| check_backup(file))?;
        let previous = self.create_backup(BackupKind::PreRestore).await?;
        let clock = crate::sync::carry_clock(self).await?;
        let source = file.to_path_buf();
        let db = self.path().to_path_buf();
        self.with_bulk_writer(move |conn| {
            let from = rusqlite::Connection::open_with_flags(&source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| AppError::field(ErrorCode::BackupDamaged, "file", format!("Cannot open {}: {e}", source.display())))?;
            let backup = rusqlite::backup::Backup::new(&from, conn).map_err(|e| disk_error(e, &db, "Cannot restore the backup"))?;
            // All pages in one step (-1): one write transaction on the store, so a failure or a
            // kill leaves it as it was. Another process holding the lock: wait a little.
            use rusqlite::backup::StepResult;
            for _ in 0..200 {
                match backup.step(-1).map_err(|e| disk_error(e, &db, "Cannot restore the backup"))? {
                    StepResult::Done => return Ok(()),
                    StepResult::More | StepResult::Busy | StepResult::Locked => std::thread::sleep(std::time::Duration::from_millis(50)),
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
            Err(AppError::new(ErrorCode::Busy, "The database stayed busy (another Leadbook process is writing); try the restore again"))
        })
        .await?;
        // A snapshot from before a migration is brought up to this version.
        crate::db::MIGRATOR.run(&self.write).await?;
        crate::sync::restore_clock(self, clock).await?;
        self.reload_after_restore().await?;
        Ok(RestoreSummary { restored: check, previous })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(name: &str) -> Backup {
        let path = Path::new("/b").join(name);
        let rest = name.strip_prefix(PREFIX).unwrap().strip_suffix(".db").unwrap();
        let at = NaiveDateTime::parse_from_str(&rest[..15], STAMP).unwrap().and_utc();
        let tail = &rest[16..];
        let kind = BackupKind::ALL.into_iter().find(|k| k.tag() == tail).unwrap();
        Backup { file_name: name.into(), path: path.display().to_string(), kind, created_at: crate::clock::format_time(at), size_bytes: 1 }
    }

    #[test]
    fn retention_keeps_seven_days_four_weeks_five_of_each_event_and_every_manual_one() {
        // Sixty days of dailies (newest first), eight pre-undo snapshots, three manual ones.
        let start = NaiveDateTime::parse_from_str("20261205-030000", STAMP).unwrap();
        let mut all: Vec<Backup> = (0..60).map(|d| backup(&format!("leadbook-{}-daily.db", (start - chrono::Duration::days(d)).format(STAMP)))).collect();
        all.extend((0..8).map(|d| backup(&format!("leadbook-{}-pre-undo.db", (start - chrono::Duration::hours(d)).format(STAMP)))));
        all.extend((0..3).map(|d| backup(&format!("leadbook-{}-manual.db", (start - chrono::Duration::days(100 + d)).format(STAMP)))));
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        let pruned: Vec<&str> = to_prune(&all).into_iter().map(|b| b.file_name.as_str()).collect();
        let kept: Vec<&Backup> = all.iter().filter(|b| !pruned.contains(&b.file_name.as_str())).collect();
        let dailies: Vec<&str> = kept.iter().filter(|b| b.kind == BackupKind::Daily).map(|b| &b.file_name[9..17]).collect();
        // 2026-12-05 is a Saturday: the last 7 days, then the newest day of the earlier weeks.
        assert_eq!(dailies, ["20261205", "20261204", "20261203", "20261202", "20261201", "20261130", "20261129", "20261122", "20261115"]);
        assert_eq!(kept.iter().filter(|b| b.kind == BackupKind::PreUndo).count(), 5);
        assert_eq!(kept.iter().filter(|b| b.kind == BackupKind::Manual).count(), 3, "manual backups are never removed");
    }

    #[test]
    fn names_are_read_back_and_other_files_ignored() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["leadbook-20261205-075318-daily.db", "leadbook-20261205-075318-2-manual.db", "leadbook-20261205-075318-daily.db.partial", "notes.txt", "leadbook-x-daily.db"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let db = dir.path().join("store.db");
        std::fs::rename(dir.path().join("leadbook-20261205-075318-daily.db"), dir.path().join("x")).unwrap();
        std::fs::create_dir(dir.path().join("backups")).unwrap();
        std::fs::rename(dir.path().join("x"), dir.path().join("backups/leadbook-20261205-075318-daily.db")).unwrap();
        std::fs::rename(dir.path().join("leadbook-20261205-075318-2-manual.db"), dir.path().join("backups/leadbook-20261205-075318-2-manual.db")).unwrap();
        std::fs::rename(dir.path().join("leadbook-20261205-075318-daily.db.partial"), dir.path().join("backups/leadbook-20261205-075318-daily.db.partial")).unwrap();
        let listed = list_backups_of(&db).unwrap();
        let kinds: Vec<BackupKind> = listed.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [BackupKind::Manual, BackupKind::Daily]);
        assert_eq!(listed[1].created_at, "2026-12-05T07:53:18.000Z");
        assert_eq!(new_name(&dir.path().join("backups"), BackupKind::Daily, "2026-12-05T07:53:18Z".parse().unwrap()).file_name().unwrap(), "leadbook-20261205-075318-3-daily.db");
    }

    #[test]
    fn snapshots_of_different_kinds_in_one_second_are_numbered_in_the_order_taken() {
        let dir = tempfile::tempdir().unwrap();
        let at = Utc::now();
        let daily = new_name(dir.path(), BackupKind::Daily, at);
        std::fs::write(&daily, b"x").unwrap();
        let manual = new_name(dir.path(), BackupKind::Manual, at);
        std::fs::write(&manual, b"x").unwrap();
        let third = new_name(dir.path(), BackupKind::Manual, at);
        std::fs::write(&third, b"x").unwrap();
        assert!(daily.to_str().unwrap().ends_with("-daily.db"));
        assert!(manual.to_str().unwrap().ends_with("-2-manual.db"), "{manual:?}");
        assert!(third.to_str().unwrap().ends_with("-3-manual.db"), "{third:?}");
        let mut listed: Vec<_> = [&daily, &manual, &third].iter().filter_map(|p| describe(p)).collect();
        listed.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| sequence(&b.file_name).cmp(&sequence(&a.file_name))));
        assert_eq!(listed[0].file_name, third.file_name().unwrap().to_str().unwrap());
        assert_eq!(listed[2].file_name, daily.file_name().unwrap().to_str().unwrap());
    }
}
