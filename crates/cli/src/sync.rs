//! `leadbook sync …`: set up, run and inspect sync with a team's PostgreSQL; and, for
//! administrators, `sync server init` / `sync server add-user`.

use leadbook_core::ErrorCode;
use crate::print_json;
use clap::Subcommand;
use leadbook_core::sync::{server, Transport};
use leadbook_core::{AppError, Store};
use std::io::Read;

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Connect this store to a server; the password goes to the OS keychain
    Setup {
        /// postgres://USER@HOST:PORT/DATABASE (TLS is used for any server not on this computer)
        #[arg(long)]
        url: String,
        /// Read the password from standard input (else PGPASSWORD)
        #[arg(long)]
        password_stdin: bool,
        /// The server space this desktop's leads go to (default: your team space)
        #[arg(long)]
        space: Option<String>,
        /// Allow an unencrypted connection to a server on another computer (a trusted network only)
        #[arg(long)]
        allow_plaintext: bool,
        #[arg(long)]
        json: bool,
    },
    /// Push local changes and pull the server's, now
    Now {
        #[arg(long)]
        json: bool,
    },
    /// Keep syncing in the foreground until Ctrl-C (what the app does in the background):
    /// at once after a local write or a server change (LISTEN/NOTIFY)
    Watch {
        /// One JSON status line per run
        #[arg(long)]
        json: bool,
    },
    /// Show whether this store syncs, what is pending, set aside, and the last error
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Stop syncing: remove the configuration and the keychain entry (local data stays)
    Forget,
    /// Administer the server (run with an administrator's address)
    #[command(subcommand)]
    Server(ServerCommand),
}

#[derive(Subcommand)]
pub enum ServerCommand {
    /// Create or upgrade the Leadbook schema: tables, roles, row-level security
    Init {
        /// postgres://ADMIN@HOST:PORT/DATABASE (password inline, or PGPASSWORD, or --password-stdin)
        #[arg(long)]
        url: String,
        #[arg(long)]
        password_stdin: bool,
        /// Allow an unencrypted connection to a server on another computer
        #[arg(long)]
        allow_plaintext: bool,
    },
    /// Create a desktop user (a login role), its personal space and its membership in SPACE
    AddUser {
        name: String,
        #[arg(long)]
        space: String,
        /// The administrator's address
        #[arg(long)]
        url: String,
        /// Allow an unencrypted connection to a server on another computer
        #[arg(long)]
        allow_plaintext: bool,
        /// Read the user's password from standard input (else a new role gets a generated one, printed once; an existing role keeps its own)
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        json: bool,
    },
}

impl SyncCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            SyncCommand::Setup { json, .. } | SyncCommand::Now { json } | SyncCommand::Status { json } | SyncCommand::Watch { json } => *json,
            SyncCommand::Server(ServerCommand::AddUser { json, .. }) => *json,
            _ => false,
        }
    }

    /// Server administration needs no local store.
    pub fn is_server(&self) -> bool {
        matches!(self, SyncCommand::Server(_))
    }
}

fn transport(allow_plaintext: bool) -> Transport {
    if allow_plaintext {
        Transport::PlaintextAllowed
    } else {
        Transport::TlsRequired
    }
}

fn read_stdin_password() -> Result<String, AppError> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| AppError::new(ErrorCode::Io, format!("Cannot read the password from standard input: {e}")))?;
    let p = s.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        return Err(AppError::field(ErrorCode::MissingPassword, "password", "Standard input held no password"));
    }
    Ok(p)
}

fn password(from_stdin: bool) -> Result<Option<String>, AppError> {
    if from_stdin {
        return read_stdin_password().map(Some);
    }
    Ok(std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()))
}

pub async fn run_server(command: SyncCommand) -> Result<(), AppError> {
    let SyncCommand::Server(command) = command else { unreachable!("checked by is_server") };
    match command {
        ServerCommand::Init { url, password_stdin, allow_plaintext } => {
            let parsed = server::ServerUrl::parse(&url, transport(allow_plaintext))?;
            let pw = parsed.inline_password.clone().or(password(password_stdin)?);
            let applied = server::init(&parsed.url, pw.as_deref()).await?;
            if applied.is_empty() {
                outln!("the server schema is up to date (version {})", server::SCHEMA_VERSION);
            } else {
                outln!("applied server schema version(s) {:?}", applied);
            }
        }
        ServerCommand::AddUser { name, space, url, password_stdin, allow_plaintext, json } => {
            let parsed = server::ServerUrl::parse(&url, transport(allow_plaintext))?;
            let admin = parsed.inline_password.clone().or(std::env::var("PGPASSWORD").ok());
            let user_password = if password_stdin { Some(read_stdin_password()?) } else { None };
            let added = server::add_user(&parsed.url, admin.as_deref(), &name, &space, user_password.as_deref()).await?;
            if json {
                print_json(&added);
            } else {
                outln!("{} {} (space {})", if added.created_role { "created" } else { "updated" }, added.role, space);
                if let Some(generated) = &added.generated_password {
                    outln!("password: {generated}\n(give it to {name} once; they run `leadbook sync setup --url postgres://{name}@HOST:PORT/DB --password-stdin`)");
                }
            }
        }
    }
    Ok(())
}

pub async fn run(store: &Store, command: SyncCommand) -> Result<(), AppError> {
    match command {
        SyncCommand::Setup { url, password_stdin, space, allow_plaintext, json } => {
            let parsed = server::ServerUrl::parse(&url, transport(allow_plaintext))?;
            let pw = match parsed.inline_password.clone().or(password(password_stdin)?) {
                Some(p) => p,
                None => return Err(AppError::field(ErrorCode::MissingPassword, "password", "Give the password with --password-stdin (or PGPASSWORD)")),
            };
            let setup = store.sync_setup(&url, &pw, space.as_deref(), transport(allow_plaintext)).await?;
            if json {
                print_json(&setup);
            } else {
                outln!(
                    "syncing with {} as {} in space “{}”; password saved in the OS keychain; {} rows to push (run `leadbook sync now`)",
                    setup.url, setup.user_name, setup.space_name, setup.rows_to_push
                );
            }
        }
        SyncCommand::Now { json } => {
            let report = store.sync_now().await?;
            if json {
                print_json(&report);
            } else {
                outln!("pushed {}, pulled {}, set aside {}, conflicts {}", report.pushed, report.pulled, report.rejected, report.conflicts);
            }
        }
        SyncCommand::Watch { json } => {
            let watch = store.sync_watch(|status, _| {
                if json {
                    outln!("{}", serde_json::to_string(status).expect("serializable"));
                } else {
                    let error = status.last_error.as_ref().map(|e| format!(" — {}", e.message)).unwrap_or_default();
                    outln!("{} ({} pending){error}", status.state, status.pending);
                }
            });
            tokio::select! {
                result = watch => result?,
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        SyncCommand::Status { json } => {
            let status = store.sync_status().await?;
            if json {
                print_json(&status);
            } else {
                outln!("state:    {}", status.state);
                if let Some(url) = &status.url {
                    outln!("server:   {url}\nspace:    {}", status.space_name.clone().unwrap_or_default());
                }
                outln!("pending:  {} rows\nset aside: {}\nwaiting:  {}", status.pending, status.rejected, status.waiting);
                if let Some(at) = &status.last_sync_at {
                    outln!("last sync: {at}");
                }
                if let Some(at) = &status.offline_since {
                    outln!("offline since: {at}");
                }
                if let Some(e) = &status.last_error {
                    outln!("last error: {} [{}]", e.message, e.code);
                }
                for r in &status.recent_rejections {
                    outln!("  set aside {} {} ({}): {}", r.table, r.row_id, r.direction, r.reason);
                }
            }
        }
        SyncCommand::Forget => {
            if store.sync_forget().await? {
                outln!("sync is off; the password was removed from the OS keychain");
            } else {
                outln!("sync was not set up");
            }
        }
        SyncCommand::Server(_) => unreachable!("handled before the store opens"),
    }
    Ok(())
}
