//! The shared PostgreSQL: connecting as the desktop's user, checking the schema version, and the
//! administrator's side (`sync server init`, `sync server add-user`).

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

/// The server schema this Leadbook speaks. Bumped with every file in migrations/postgres/.
pub const SCHEMA_VERSION: i32 = 1;

const MIGRATIONS: &[(i32, &str)] = &[(1, include_str!("../../../../migrations/postgres/0001_leadbook.sql"))];

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A server address as the user gives it, with the password split off (it goes to the keychain,
/// never into the store or a log line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    /// postgres://USER@HOST:PORT/DB?sslmode=…, no password.
    pub url: String,
    pub user: String,
    /// The keychain account for this server and user: `USER@HOST:PORT/DB`.
    pub account: String,
    /// A password that was written into the URL, taken out of it.
    pub inline_password: Option<String>,
}

/// Whether a sync connection may travel unencrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// TLS for any host that is not this computer (the default).
    #[default]
    TlsRequired,
    /// The user said so explicitly (`--allow-plaintext`, the UI's checkbox): a trusted network.
    PlaintextAllowed,
}

/// sslmode values that encrypt; `verify-*` also check the server's certificate.
const ENCRYPTED_MODES: [&str; 3] = ["require", "verify-ca", "verify-full"];

impl ServerUrl {
    pub fn parse(text: &str, transport: Transport) -> Result<Self> {
        let bad = |why: String| AppError::field(ErrorCode::InvalidUrl, "url", why);
        // Never echo the text: it may hold a password.
        let mut url = url::Url::parse(text.trim())
            .map_err(|e| bad(format!("The server address is not valid ({e}); expected postgres://USER@HOST:PORT/DATABASE")))?;
        if url.query_pairs().any(|(k, _)| k == "password" || k == "sslpassword") {
            return Err(bad("Put the password in the password field, not in the address".into()));
        }
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(bad(format!("“{}” is not a PostgreSQL address; it must start with postgres://", url.scheme())));
        }
        if url.username().is_empty() {
            return Err(bad("The address names no user: postgres://USER@HOST:PORT/DATABASE".into()));
        }
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| bad("The address names no host".into()))?.to_owned();
        let inline_password = url.password().map(percent_decode).transpose().map_err(|_| bad("The password in the address is not valid UTF-8 once decoded".into()))?;
        let _ = url.set_password(None);
        let user = percent_decode(url.username()).map_err(|_| bad("The user name is not valid UTF-8 once decoded".into()))?;
        let port = url.port().unwrap_or(5432);
        let db = url.path().trim_start_matches('/').to_owned();
        let db = if db.is_empty() { user.clone() } else { db };
        require_tls(&mut url, transport)?;
        // The address must also be one sqlx accepts (sslmode and friends).
        PgConnectOptions::from_str(url.as_str()).map_err(|e| bad(format!("The server address is not usable: {e}")))?;
        Ok(Self { account: format!("{user}@{host}:{port}/{db}"), url: url.to_string(), user, inline_password })
    }
}

/// A server that is not on this computer gets TLS: `sslmode=require` when none is written,
/// `verify-full` when a CA certificate is given (`sslrootcert`), and an address that turns TLS
/// off is refused unless the user allowed plaintext explicitly.
fn require_tls(url: &mut url::Url, transport: Transport) -> Result<()> {
    // postgres:// is not a scheme the url crate knows, so an address arrives as a name.
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        // A Unix socket path (host in the query): this computer.
        None => true,
    };
    if loopback || transport == Transport::PlaintextAllowed {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mode = pairs.iter().rev().find(|(k, _)| k == "sslmode").map(|(_, v)| v.to_ascii_lowercase());
    let has_ca = pairs.iter().any(|(k, v)| k == "sslrootcert" && !v.is_empty());
    let wanted = match mode.as_deref() {
        Some(m) if !ENCRYPTED_MODES.contains(&m) => {
            return Err(AppError::field(
                ErrorCode::PlaintextRefused,
                "url",
                format!(
                    "sslmode={m} would send your leads and password unencrypted to {}: use sslmode=require (or verify-full with a CA), or allow an unencrypted connection explicitly (--allow-plaintext)",
                    url.host_str().unwrap_or("the server")
                ),
            ))
        }
        Some("require") | None if has_ca => "verify-full",
        Some(_) => return Ok(()),
        None => "require",
    };
    let kept: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "sslmode").collect();
    url.query_pairs_mut().clear().extend_pairs(kept).append_pair("sslmode", wanted);
    Ok(())
}

/// `%XX` escapes as written in a URL's user and password (not form encoding: `+` stays `+`).
fn percent_decode(s: &str) -> std::result::Result<String, std::str::Utf8Error> {
    percent_encoding::percent_decode_str(s).decode_utf8().map(|c| c.into_owned())
}

/// Makes ring the process's TLS crypto provider unless one is set: with two providers compiled
/// in (sqlx's ring, another crate's aws-lc-rs) rustls refuses to pick and panics on first use.
pub fn ensure_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Opens a connection, with errors that name the problem (unreachable, wrong password, …).
pub async fn connect(url: &str, password: Option<&str>) -> Result<PgConnection> {
    ensure_tls_provider();
    let mut options = PgConnectOptions::from_str(url)
        .map_err(|e| AppError::field(ErrorCode::InvalidUrl, "url", format!("The server address is not usable: {e}")))?
        .application_name("leadbook")
        // add-user sends a password inside DDL text: statements are never logged.
        .disable_statement_logging();
    if let Some(p) = password {
        options = options.password(p);
    }
    let target = format!("{}:{}", options.get_host(), options.get_port());
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => Err(AppError::new(ErrorCode::ServerUnreachable, format!("The sync server {target} did not answer within {} s", CONNECT_TIMEOUT.as_secs()))),
        Ok(Err(e)) => Err(connect_error(&target, options.get_username(), e)),
        Ok(Ok(conn)) => Ok(conn),
    }
}

fn connect_error(target: &str, user: &str, e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Io(io) => AppError::new(ErrorCode::ServerUnreachable, format!("Cannot reach the sync server {target}: {io}")),
        sqlx::Error::Tls(tls) => AppError::new(ErrorCode::ServerTls, format!("TLS with the sync server {target} failed: {tls}")),
        sqlx::Error::Database(db) if db.code().as_deref() == Some("28P01") || db.code().as_deref() == Some("28000") => {
            AppError::new(ErrorCode::ServerAuth, format!("The sync server {target} refused user “{user}”: {}", db.message()))
        }
        sqlx::Error::Database(db) if db.code().as_deref() == Some("3D000") => {
            AppError::new(ErrorCode::ServerDatabase, format!("The sync server {target} has no such database: {}", db.message()))
        }
        _ => server_error(e),
    }
}

/// Any other server error, named as such (not as a local store error).
pub(crate) fn server_error(e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Io(io) => AppError::new(ErrorCode::ServerUnreachable, format!("Lost the connection to the sync server: {io}")),
        sqlx::Error::Database(db) => AppError::new(ErrorCode::ServerError, format!("The sync server refused: {}", db.message())),
        sqlx::Error::PoolTimedOut | sqlx::Error::Protocol(_) => {
            AppError::new(ErrorCode::ServerUnreachable, format!("The sync server stopped answering: {e}"))
        }
        _ => AppError::new(ErrorCode::ServerError, format!("Sync server error: {e}")),
    }
}

/// The version of the Leadbook schema on the server; None when there is none.
pub async fn schema_version(conn: &mut PgConnection) -> Result<Option<i32>> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('leadbook.schema_migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .map_err(server_error)?;
    if !exists {
        return Ok(None);
    }
    let v: Option<i32> = sqlx::query_scalar("SELECT max(version) FROM leadbook.schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(server_error)?;
    Ok(v)
}

/// Refuses a server whose schema this Leadbook does not speak, before anything is exchanged.
pub async fn check_schema(conn: &mut PgConnection) -> Result<()> {
    match schema_version(conn).await? {
        None => Err(AppError::new(
            ErrorCode::ServerSchema,
            "The server has no Leadbook schema yet; an administrator sets it up with `leadbook sync server init --url …`",
        )),
        Some(v) if v == SCHEMA_VERSION => Ok(()),
        Some(v) if v > SCHEMA_VERSION => Err(AppError::new(
            ErrorCode::ServerSchema,
            format!("The server's Leadbook schema is version {v}, newer than this Leadbook understands ({SCHEMA_VERSION}); update Leadbook before syncing"),
        )),
        Some(v) => Err(AppError::new(
            ErrorCode::ServerSchema,
            format!("The server's Leadbook schema is version {v}, older than this Leadbook needs ({SCHEMA_VERSION}); an administrator upgrades it with `leadbook sync server init`"),
        )),
    }
}

/// Creates or upgrades the server schema (migrations, the group role, policies). Idempotent.
/// Returns the versions applied.
pub async fn init(url: &str, password: Option<&str>) -> Result<Vec<i32>> {
    let mut conn = connect(url, password).await?;
    let current = schema_version(&mut conn).await?.unwrap_or(0);
    if current > SCHEMA_VERSION {
        return Err(AppError::new(
            ErrorCode::ServerSchema,
            format!("The server's Leadbook schema is version {current}, newer than this Leadbook ({SCHEMA_VERSION}); use a newer Leadbook to administer it"),
        ));
    }
    let mut applied = vec![];
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let mut tx = conn.begin().await.map_err(server_error)?;
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| {
            AppError::new(ErrorCode::ServerMigration, format!("Server migration {version} failed (nothing was changed): {}", server_error(e).message))
        })?;
        tx.commit().await.map_err(server_error)?;
        applied.push(*version);
    }
    Ok(applied)
}

/// What `add_user` did.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddedUser {
    pub role: String,
    pub user_id: String,
    pub personal_space_id: String,
    pub space_id: String,
    pub created_role: bool,
    /// The password made for a new role when none was given (shown once to the administrator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<String>,
}

/// Creates (or updates) a login role for a desktop user, its Leadbook user row, its personal
/// space and its membership in `space` (a team space, created when new). Run as an administrator.
pub async fn add_user(url: &str, admin_password: Option<&str>, name: &str, space: &str, password: Option<&str>) -> Result<AddedUser> {
    if name.is_empty() || name.len() > 63 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
        return Err(AppError::field(ErrorCode::InvalidUser, "name", format!("“{name}” is not a usable user name: 1–63 letters, digits, _ - .")));
    }
    if space.trim().is_empty() {
        return Err(AppError::field(ErrorCode::InvalidSpace, "space", "The space needs a name"));
    }
    if password.is_some_and(|p| p.len() < 8) {
        return Err(AppError::field(ErrorCode::WeakPassword, "password", "The password needs at least 8 characters"));
    }
    let mut conn = connect(url, admin_password).await?;
    check_schema(&mut conn).await?;
    let mut tx = conn.begin().await.map_err(server_error)?;
    let role: Option<(bool, bool)> = sqlx::query_as("SELECT rolsuper OR rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1")
        .bind(name).fetch_optional(&mut *tx).await.map_err(server_error)?;
    if role.is_some_and(|(privileged, _)| privileged) {
        return Err(AppError::field(ErrorCode::InvalidUser, "name", format!("“{name}” is a superuser or bypasses row-level security: not a desktop user")));
    }
    // An existing role keeps its password unless a new one is given (adding someone to a second
    // team must not lock out their desktops); a new role gets the given or a generated one.
    let exists = role.is_some();
    let generated = (!exists && password.is_none()).then(|| uuid::Uuid::new_v4().simple().to_string());
    if let Some(password) = password.or(generated.as_deref()) {
        // Role names and passwords cannot be bound parameters in DDL: PostgreSQL's own format()
        // quotes them (%I identifier, %L literal). The server gets the SCRAM-SHA-256 verifier
        // (salted, 4096 rounds), never the password: a server that logs statements logs no secret.
        let verb = if exists { "ALTER" } else { "CREATE" };
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        let ddl: String = sqlx::query_scalar(&format!("SELECT format('{verb} ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)"))
            .bind(name).bind(&verifier).fetch_one(&mut *tx).await.map_err(server_error)?;
        sqlx::raw_sql(&ddl).execute(&mut *tx).await.map_err(server_error)?;
    }
    let grant: String = sqlx::query_scalar("SELECT format('GRANT leadbook_user TO %I', $1::text)")
        .bind(name).fetch_one(&mut *tx).await.map_err(server_error)?;
    sqlx::raw_sql(&grant).execute(&mut *tx).await.map_err(server_error)?;
    let user_id: String = sqlx::query_scalar(
        "INSERT INTO leadbook.users (role_name, username) VALUES ($1, $1)
         ON CONFLICT (role_name) DO UPDATE SET updated_at = now() RETURNING id",
    )
    .bind(name).fetch_one(&mut *tx).await.map_err(server_error)?;
    let personal: Option<String> = sqlx::query_scalar(
        "SELECT s.id FROM leadbook.spaces s WHERE s.kind = 'personal' AND s.owner_id = $1 LIMIT 1",
    )
    .bind(&user_id).fetch_optional(&mut *tx).await.map_err(server_error)?;
    let personal = match personal {
        Some(id) => id,
        None => {
            let id: String = sqlx::query_scalar("INSERT INTO leadbook.spaces (name, kind, owner_id) VALUES ('Personal', 'personal', $1) RETURNING id")
                .bind(&user_id).fetch_one(&mut *tx).await.map_err(server_error)?;
            sqlx::query("INSERT INTO leadbook.space_members (space_id, user_id, role) VALUES ($1, $2, 'owner')")
                .bind(&id).bind(&user_id).execute(&mut *tx).await.map_err(server_error)?;
            id
        }
    };
    let space_id: String = sqlx::query_scalar(
        "INSERT INTO leadbook.spaces (name, kind, owner_id) VALUES ($1, 'team', $2)
         ON CONFLICT (name) WHERE kind = 'team' DO UPDATE SET updated_at = leadbook.spaces.updated_at RETURNING id",
    )
    .bind(space.trim()).bind(&user_id).fetch_one(&mut *tx).await.map_err(server_error)?;
    sqlx::query("INSERT INTO leadbook.space_members (space_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(&space_id).bind(&user_id).execute(&mut *tx).await.map_err(server_error)?;
    tx.commit().await.map_err(server_error)?;
    Ok(AddedUser { role: name.into(), user_id, personal_space_id: personal, space_id, created_role: !exists, generated_password: generated })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_split_off_the_address() {
        let u = ServerUrl::parse("postgres://ann:s%40cret@db.example.com:6543/crm?sslmode=require", Transport::TlsRequired).unwrap();
        assert_eq!(u.inline_password.as_deref(), Some("s@cret"));
        assert!(!u.url.contains("cret"), "{}", u.url);
        assert_eq!(u.account, "ann@db.example.com:6543/crm");
        assert!(u.url.contains("sslmode=require"));
    }

    #[test]
    fn a_password_with_plus_and_ampersand_is_percent_decoded_not_form_decoded() {
        let u = ServerUrl::parse("postgres://ann:a+b%26c%2Bd%20e@127.0.0.1/crm", Transport::TlsRequired).unwrap();
        assert_eq!(u.inline_password.as_deref(), Some("a+b&c+d e"));
        let u = ServerUrl::parse("postgres://j%C3%BCrgen+x:p@localhost/crm", Transport::TlsRequired).unwrap();
        assert_eq!(u.user, "jürgen+x");
        assert_eq!(ServerUrl::parse("postgres://ann:%FF%FE@localhost/crm", Transport::TlsRequired).unwrap_err().code, "invalid_url");
    }

    #[test]
    fn tls_is_required_for_a_server_that_is_not_this_computer() {
        let mode = |text: &str| {
            let u = ServerUrl::parse(text, Transport::TlsRequired).unwrap();
            url::Url::parse(&u.url).unwrap().query_pairs().find(|(k, _)| k == "sslmode").map(|(_, v)| v.into_owned())
        };
        assert_eq!(mode("postgres://ann@db.example.com/crm").as_deref(), Some("require"));
        assert_eq!(mode("postgres://ann@10.0.0.5/crm?application_name=x").as_deref(), Some("require"));
        assert_eq!(mode("postgres://ann@db.example.com/crm?sslrootcert=/etc/ca.pem").as_deref(), Some("verify-full"));
        assert_eq!(mode("postgres://ann@db.example.com/crm?sslmode=require&sslrootcert=/etc/ca.pem").as_deref(), Some("verify-full"));
        assert_eq!(mode("postgres://ann@db.example.com/crm?sslmode=verify-ca").as_deref(), Some("verify-ca"));
        // This computer: as written.
        assert_eq!(mode("postgres://ann@127.0.0.1:5433/crm"), None);
        assert_eq!(mode("postgres://ann@localhost/crm?sslmode=disable").as_deref(), Some("disable"));
        assert_eq!(mode("postgres://ann@[::1]/crm"), None);
        for plain in ["disable", "allow", "prefer"] {
            let text = format!("postgres://ann@db.example.com/crm?sslmode={plain}");
            let err = ServerUrl::parse(&text, Transport::TlsRequired).unwrap_err();
            assert_eq!((err.code.as_str(), err.field.as_deref()), ("plaintext_refused", Some("url")), "{plain}");
            assert!(err.message.contains("--allow-plaintext"), "{}", err.message);
            assert!(ServerUrl::parse(&text, Transport::PlaintextAllowed).is_ok(), "{plain} with the explicit flag");
        }
        assert_eq!(mode_allowed("postgres://ann@db.example.com/crm"), None, "plaintext allowed: nothing is added");
    }

    fn mode_allowed(text: &str) -> Option<String> {
        let u = ServerUrl::parse(text, Transport::PlaintextAllowed).unwrap();
        url::Url::parse(&u.url).unwrap().query_pairs().find(|(k, _)| k == "sslmode").map(|(_, v)| v.into_owned())
    }

    #[test]
    fn addresses_without_user_or_of_another_kind_are_refused() {
        let parse = |t: &str| ServerUrl::parse(t, Transport::TlsRequired);
        assert_eq!(parse("postgres://db.example.com/crm").unwrap_err().code, "invalid_url");
        assert_eq!(parse("mysql://ann@db/crm").unwrap_err().code, "invalid_url");
        assert_eq!(parse("not a url").unwrap_err().code, "invalid_url");
    }
}
