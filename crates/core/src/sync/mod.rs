//! Optional sync with a team's PostgreSQL (issue 7). Offline first: the desktop store is the
//! truth the user works on; sync exchanges rows with the server when it can.
//!
//! * Capture (`capture`): triggers note each written column with a hybrid-logical-clock reading.
//! * Push (`push`): pending columns go up in batches, merged per column by clock on the server.
//! * Pull (`pull`): server rows come down above a gap-free cursor, merged the same way.
//! * Server (`server`): connection, schema version, the administrator's init and add-user.
//! * Keychain (`keychain`): the password, only ever in the OS keychain.
//!
//! docs/SYNC.md has the design and the server schema for programs that write to it directly.

mod capture;
pub mod keychain;
mod pull;
pub use pull::{check_pulled_row, synced_tables};
mod push;
pub mod server;
mod tables;
mod values;

use crate::error::ErrorCode;
use crate::clock::now;
use crate::db::bootstrap;
use crate::error::{AppError, Result};
use crate::settings;
use crate::Store;
use serde::{Deserialize, Serialize};
pub use server::Transport;
use server::{connect, server_error, ServerUrl};
use sqlx::postgres::PgConnection;
use ts_rs::TS;

const URL: &str = "sync.url";
const ACCOUNT: &str = "sync.account";
const SERVER_ID: &str = "sync.server_id";
const LAST_OK: &str = "sync.last_ok_at";
const LAST_ERROR: &str = "sync.last_error";
const OFFLINE_SINCE: &str = "sync.offline_since";

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// Rows sent to the server.
    #[ts(type = "number")]
    pub pushed: u64,
    /// Rows received from the server.
    #[ts(type = "number")]
    pub pulled: u64,
    /// Rows set aside (refused by the server or by this desktop), with reasons in `sync status`.
    #[ts(type = "number")]
    pub rejected: u64,
    /// Columns where a write made here lost to a newer write made elsewhere.
    #[ts(type = "number")]
    pub conflicts: u64,
}

/// Which halves of a sync run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncSteps {
    Push,
    Pull,
    Both,
}

/// The sync state as the status bar, Settings and `sync status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// off | synced | pending | offline | error
    pub state: String,
    /// The server address (never with a password).
    pub url: Option<String>,
    pub space_name: Option<String>,
    /// Rows written here and not yet on the server.
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    /// Pulled rows waiting for a row they reference.
    #[ts(type = "number")]
    pub waiting: i64,
    pub last_sync_at: Option<String>,
    pub offline_since: Option<String>,
    pub last_error: Option<AppError>,
    /// The most recent set-aside rows: table, id, reason.
    pub recent_rejections: Vec<Rejection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub table: String,
    pub row_id: String,
    pub direction: String,
    pub reason: String,
    pub at: String,
}

/// What `sync setup` found and chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncSetup {
    pub url: String,
    pub user_name: String,
    pub space_name: String,
    /// Rows already here that the first push will send.
    #[ts(type = "number")]
    pub rows_to_push: i64,
}

impl Store {
    /// Connects with `password`, checks the server, stores the password in the OS keychain and
    /// turns sync on for this store (see [`Store::sync_setup_with`]).
    pub async fn sync_setup(&self, url: &str, password: &str, space: Option<&str>, transport: Transport) -> Result<SyncSetup> {
        self.setup(url, password, space, transport, true).await
    }

    /// Sync setup without the keychain (the caller keeps the password; tests and tools).
    pub async fn sync_setup_with(&self, url: &str, password: &str, space: Option<&str>, transport: Transport) -> Result<SyncSetup> {
        self.setup(url, password, space, transport, false).await
    }

    /// The desktop adopts the server's ids for its user and current space (rewriting its rows),
    /// so that rows made here and rows made elsewhere name the same user and space; stages and
    /// sources get ids derived from the space and their name, so every desktop's "Qualified" is
    /// one stage. Then capture starts and every existing row is queued for the first push.
    /// The password is proven, and (`keep_password`) in the keychain, before this store changes:
    /// a locked or missing keychain leaves sync off, not on without a password.
    async fn setup(&self, url: &str, password: &str, space: Option<&str>, transport: Transport, keep_password: bool) -> Result<SyncSetup> {
        let parsed = ServerUrl::parse(url, transport)?;
        let password = parsed.inline_password.as_deref().unwrap_or(password);
        let mut pg = connect(&parsed.url, Some(password)).await?;
        server::check_schema(&mut pg).await?;
        let server_id: String = sqlx::query_scalar("SELECT id::text FROM leadbook.server_info LIMIT 1")
            .fetch_one(&mut pg).await.map_err(server_error)?;
        let me: Option<(String, String)> = sqlx::query_as("SELECT id, username FROM leadbook.users WHERE role_name = session_user")
            .fetch_optional(&mut pg).await.map_err(server_error)?;
        let Some((user_id, user_name)) = me else {
            return Err(AppError::new(
                ErrorCode::NotASyncUser,
                format!("“{}” can log in but is not a Leadbook user on this server; an administrator adds it with `leadbook sync server add-user {} --space TEAM`", parsed.user, parsed.user),
            ));
        };
        let spaces: Vec<(String, String, String)> = sqlx::query_as("SELECT id, name, kind FROM leadbook.spaces WHERE deleted_at IS NULL ORDER BY kind DESC, name")
            .fetch_all(&mut pg).await.map_err(server_error)?;
        let chosen = match space {
            Some(name) => spaces.iter().find(|(_, n, _)| n.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
                let names: Vec<&str> = spaces.iter().map(|(_, n, _)| n.as_str()).collect();
                AppError::field(ErrorCode::UnknownSpace, "space", format!("“{name}” is not a space of {user_name} on this server (spaces: {})", names.join(", ")))
            })?,
            None => spaces
                .iter()
                .find(|(_, _, k)| k == "team")
                .or_else(|| spaces.first())
                .ok_or_else(|| AppError::new(ErrorCode::UnknownSpace, format!("{user_name} belongs to no space on this server")))?,
        };
        let (space_id, space_name, space_kind) = chosen.clone();

        if let Some(existing) = settings::get(&self.read, SERVER_ID).await? {
            if existing != server_id {
                return Err(AppError::new(ErrorCode::SyncConfigured, "This store already syncs with another server; `leadbook sync forget` first"));
            }
        }

        self.measure_clock_offset(&mut pg).await?;
        if keep_password {
            keychain::store_password(&parsed.account, password).await?;
        }
        let identity = self.identity();
        let mut tx = self.begin_write().await?;
        sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
        adopt(&mut tx, "user", &identity.user_id, &user_id).await?;
        adopt(&mut tx, "space", &identity.space_id, &space_id).await?;
        sqlx::query("UPDATE users SET username = ? WHERE id = ?").bind(&user_name).bind(&user_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE spaces SET name = ?, kind = ? WHERE id = ?").bind(&space_name).bind(&space_kind).bind(&space_id).execute(&mut *tx).await?;
        name_based_ids(&mut tx, &space_id).await?;
        settings::set(&mut *tx, settings::LOCAL_USER_ID, &user_id).await?;
        settings::set(&mut *tx, settings::CURRENT_SPACE_ID, &space_id).await?;
        capture::install(&mut tx).await?;
        settings::set(&mut *tx, URL, &parsed.url).await?;
        settings::set(&mut *tx, ACCOUNT, &parsed.account).await?;
        settings::set(&mut *tx, SERVER_ID, &server_id).await?;
        let rows_to_push: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_pending").fetch_one(&mut *tx).await?;
        tx.commit().await?;
        self.set_identity(bootstrap(&self.write).await?);
        Ok(SyncSetup { url: parsed.url, user_name, space_name, rows_to_push })
    }

    /// Turns sync off: drops capture and the queue, the configuration and cursors, and the
    /// keychain entry. The local rows stay.
    pub async fn sync_forget(&self) -> Result<bool> {
        let account = settings::get(&self.read, ACCOUNT).await?;
        let mut tx = self.begin_write().await?;
        capture::uninstall(&mut tx).await?;
        sqlx::query("DELETE FROM sync_cursors").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sync_parked").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM app_settings WHERE key LIKE 'sync.%'").execute(&mut *tx).await?;
        tx.commit().await?;
        if let Some(account) = &account {
            keychain::delete_password(account).await?;
        }
        Ok(account.is_some())
    }


    /// One sync run with the password from the OS keychain.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        let account = settings::get(&self.read, ACCOUNT).await?.ok_or_else(not_configured)?;
        let password = match keychain::password(&account).await {
            Ok(p) => p,
            Err(e) => {
                self.record_failure(&e).await?;
                return Err(e);
            }
        };
        self.sync_now_with(&password).await
    }

    /// One sync run: push everything pending, then pull everything new. Outcomes (success, the
    /// error, since when the server is unreachable) are recorded for [`Store::sync_status`].
    pub async fn sync_now_with(&self, password: &str) -> Result<SyncReport> {
        self.sync_steps_with(password, SyncSteps::Both).await
    }

    /// A sync run limited to pushing or to pulling (tests interleave them at random).
    pub async fn sync_steps_with(&self, password: &str, steps: SyncSteps) -> Result<SyncReport> {
        let url = settings::get(&self.read, URL).await?.ok_or_else(not_configured)?;
        let server_id = settings::get(&self.read, SERVER_ID).await?.ok_or_else(not_configured)?;
        let result = async {
            let mut pg = connect(&url, Some(password)).await?;
            self.sync_over(&mut pg, &server_id, steps).await
        }
        .await;
        match &result {
            Ok(_) => {
                let mut tx = self.begin_write().await?;
                settings::set(&mut *tx, LAST_OK, &now()).await?;
                sqlx::query("DELETE FROM app_settings WHERE key IN (?, ?)").bind(LAST_ERROR).bind(OFFLINE_SINCE).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            Err(e) => self.record_failure(e).await?,
        }
        result
    }

    async fn record_failure(&self, e: &AppError) -> Result<()> {
        let mut tx = self.begin_write().await?;
        settings::set(&mut *tx, LAST_ERROR, &serde_json::to_string(e)?).await?;
        if e.code == "server_unreachable" && settings::get(&mut *tx, OFFLINE_SINCE).await?.is_none() {
            settings::set(&mut *tx, OFFLINE_SINCE, &now()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Push, then pull, over an open connection.
    pub(crate) async fn sync_over(&self, pg: &mut PgConnection, server_id: &str, steps: SyncSteps) -> Result<SyncReport> {
        server::check_schema(pg).await?;
        let current: String = sqlx::query_scalar("SELECT id::text FROM leadbook.server_info LIMIT 1")
            .fetch_one(&mut *pg).await.map_err(server_error)?;
        if current != server_id {
            return Err(AppError::new(
                ErrorCode::ServerReplaced,
                "The server is not the one this store synced with (it was re-created); `leadbook sync forget` and set up again",
            ));
        }
        self.measure_clock_offset(pg).await?;
        let mut report = SyncReport::default();
        if steps != SyncSteps::Pull {
            push::push(self, pg, &mut report).await?;
        }
        let mut touched = pull::Touched::default();
        if steps != SyncSteps::Push {
            pull::pull(self, pg, server_id, &mut report, &mut touched).await?;
        }
        if !touched.lead_nums.is_empty() {
            self.follow_lead_changes(&touched.lead_nums, "Synced from the server").await;
        }
        Ok(report)
    }

    /// Corrects this desktop's clock readings by the server's time, so a wrong system clock does
    /// not win (or lose) every conflict.
    async fn measure_clock_offset(&self, pg: &mut PgConnection) -> Result<()> {
        let before = chrono::Utc::now();
        let server_ms: i64 = sqlx::query_scalar("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")
            .fetch_one(&mut *pg).await.map_err(server_error)?;
        let after = chrono::Utc::now();
        let local_ms = (before.timestamp_millis() + after.timestamp_millis()) / 2;
        sqlx::query("UPDATE sync_state SET clock_offset_ms = ? WHERE id = 1")
            .bind(server_ms - local_ms)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn sync_status(&self) -> Result<SyncStatus> {
        let url = settings::get(&self.read, URL).await?;
        let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM sync_pending)").fetch_one(&self.read).await?;
        let rejected: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_rejected").fetch_one(&self.read).await?;
        let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_parked").fetch_one(&self.read).await?;
        let last_sync_at = settings::get(&self.read, LAST_OK).await?;
        let offline_since = settings::get(&self.read, OFFLINE_SINCE).await?;
        let last_error: Option<AppError> = settings::get(&self.read, LAST_ERROR).await?.and_then(|s| serde_json::from_str(&s).ok());
        let recent_rejections = sqlx::query_as::<_, (String, String, String, String, String)>(
            "SELECT tbl, row_id, direction, reason, created_at FROM sync_rejected ORDER BY num DESC LIMIT 20",
        )
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(table, row_id, direction, reason, at)| Rejection { table, row_id, direction, reason, at })
        .collect();
        let state = match (&url, &last_error) {
            (None, _) => "off",
            (Some(_), Some(e)) if e.code == "server_unreachable" => "offline",
            (Some(_), Some(_)) => "error",
            (Some(_), None) if pending > 0 => "pending",
            (Some(_), None) => "synced",
        };
        let space_name = url.as_ref().map(|_| self.identity().space_name.clone());
        Ok(SyncStatus {
            state: state.into(),
            url,
            space_name,
            pending,
            rejected,
            waiting,
            last_sync_at,
            offline_since,
            last_error,
            recent_rejections,
        })
    }
}

fn not_configured() -> AppError {
    AppError::new(ErrorCode::SyncOff, "Sync is not set up for this store; run `leadbook sync setup --url postgres://USER@HOST:PORT/DB`")
}

/// Rewrites one id (the local user's or space's) to the server's, in every column that holds it.
/// Column names come from the schema itself, not from input.
async fn adopt(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>, what: &str, old: &str, new: &str) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let (table, columns): (&str, &[&str]) = match what {
        "user" => ("users", &["user_id", "assigned_to", "owner_id"]),
        _ => ("spaces", &["space_id"]),
    };
    sqlx::query(&format!("UPDATE {table} SET id = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))
        .bind(new).bind(old).execute(&mut **tx).await?;
    let holders: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%_fts%'",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (t, c) in holders.into_iter().filter(|(_, c)| columns.contains(&c.as_str())) {
        sqlx::query(&format!("UPDATE \"{t}\" SET \"{c}\" = ?1 WHERE \"{c}\" = ?2")).bind(new).bind(old).execute(&mut **tx).await?;
    }
    sqlx::query(&format!("DELETE FROM {table} WHERE id = ?")).bind(old).execute(&mut **tx).await?;
    Ok(())
}

/// Stages and sources of the space get ids derived from the space and their name: two desktops
/// joining one team space then share "New", "Qualified", … instead of showing each twice.
async fn name_based_ids(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>, space_id: &str) -> Result<()> {
    for (table, reference) in [("lead_stages", "stage_id"), ("lead_sources", "source_id")] {
        let rows: Vec<(String, String)> = sqlx::query_as(&format!("SELECT id, name FROM {table} WHERE space_id = ?"))
            .bind(space_id).fetch_all(&mut **tx).await?;
        for (old, name) in rows {
            let key = format!("leadbook:{space_id}:{table}:{}", name.trim().to_lowercase());
            let new = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes()).to_string();
            if new == old {
                continue;
            }
            let taken: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?)")).bind(&new).fetch_one(&mut **tx).await?;
            if taken {
                // Two local stages with one name: the second keeps its id.
                continue;
            }
            sqlx::query(&format!("UPDATE {table} SET id = ? WHERE id = ?")).bind(&new).bind(&old).execute(&mut **tx).await?;
            sqlx::query(&format!("UPDATE leads SET {reference} = ? WHERE {reference} = ?")).bind(&new).bind(&old).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// How long the background sync waits between runs when nothing happens; a change on either side
/// wakes it at once (local writes are seen within `LOCAL_POLL`, server writes by LISTEN/NOTIFY).
const IDLE_RESYNC: std::time::Duration = std::time::Duration::from_secs(60);
const LOCAL_POLL: std::time::Duration = std::time::Duration::from_millis(300);
const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(60);

impl Store {
    /// Syncs in the background for as long as the future runs (the app spawns it at start;
    /// `leadbook sync watch` runs it in the foreground): a run at start, then whenever this store
    /// has pending writes or the server announces a change (LISTEN leadbook_changes), and once a
    /// minute regardless. Errors back off up to a minute; every outcome goes to `on_status`, with
    /// the run's report when it ran (what it pushed and pulled) and None when it failed.
    /// Never blocks the store: writes carry on while the network is slow or gone.
    pub async fn sync_watch(&self, on_status: impl FnMut(&SyncStatus, Option<&SyncReport>) + Send) -> Result<()> {
        self.sync_watch_with(None, on_status).await
    }

    /// [`Store::sync_watch`] with the password given instead of read from the keychain.
    pub async fn sync_watch_with(&self, password: Option<&str>, mut on_status: impl FnMut(&SyncStatus, Option<&SyncReport>) + Send) -> Result<()> {
        let mut backoff = std::time::Duration::from_secs(2);
        loop {
            let Some(account) = settings::get(&self.read, ACCOUNT).await? else {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                continue;
            };
            // Setup may have happened in another process (the CLI): take on the adopted ids.
            let current = bootstrap(&self.write).await?;
            if current != *self.identity() {
                self.set_identity(current);
            }
            let outcome = async {
                let password = match password {
                    Some(p) => p.to_owned(),
                    None => keychain::password(&account).await?,
                };
                let url = settings::get(&self.read, URL).await?.ok_or_else(not_configured)?;
                let mut listener = listen(&url, &password).await?;
                loop {
                    let report = self.sync_now_with(&password).await?;
                    on_status(&self.sync_status().await?, Some(&report));
                    self.wait_for_change(&mut listener).await?;
                    if settings::get(&self.read, ACCOUNT).await?.as_deref() != Some(account.as_str()) {
                        return Ok::<(), AppError>(()); // forgotten or set up anew: start over
                    }
                }
            }
            .await;
            match outcome {
                Ok(()) => backoff = std::time::Duration::from_secs(2),
                Err(e) => {
                    if e.code != "sync_off" {
                        self.record_failure(&e).await.ok();
                    }
                    on_status(&self.sync_status().await?, None);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    async fn wait_for_change(&self, listener: &mut sqlx::postgres::PgListener) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            let has_pending: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sync_pending)").fetch_one(&self.read).await?;
            if has_pending || started.elapsed() >= IDLE_RESYNC {
                return Ok(());
            }
            match tokio::time::timeout(LOCAL_POLL, listener.recv()).await {
                Ok(Ok(_)) => {
                    // Drain what already arrived (a burst of statements), then pull once.
                    // (`try_recv` would wait for the next one.)
                    while listener.next_buffered().is_some() {}
                    return Ok(());
                }
                Ok(Err(e)) => return Err(server_error(e)),
                Err(_) => {}
            }
        }
    }
}

async fn listen(url: &str, password: &str) -> Result<sqlx::postgres::PgListener> {
    use std::str::FromStr;
    server::ensure_tls_provider();
    let options = sqlx::postgres::PgConnectOptions::from_str(url)
        .map_err(|e| AppError::field(ErrorCode::InvalidUrl, "url", format!("The server address is not usable: {e}")))?
        .password(password)
        .application_name("leadbook-listen");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_lazy_with(options);
    let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await.map_err(server_error)?;
    listener.listen("leadbook_changes").await.map_err(server_error)?;
    Ok(listener)
}

/// The sync clock before a restore: a restored snapshot's clock is older, and a write made after
/// the restore must still be newer than anything this desktop already sent.
pub(crate) async fn carry_clock(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT hlc FROM sync_state WHERE id = 1").fetch_optional(&store.read).await?.unwrap_or(0))
}

/// Puts the carried clock back after a restore (never moving it backwards).
pub(crate) async fn restore_clock(store: &Store, hlc: i64) -> Result<()> {
    sqlx::query("UPDATE sync_state SET hlc = max(hlc, ?) WHERE id = 1").bind(hlc).execute(&store.write).await?;
    Ok(())
}
