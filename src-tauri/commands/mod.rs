//! The IPC surface: thin Tauri commands over `leadbook_core::Store`, one file per domain.
//! Each command is declared once, in its domain's `app_commands!` table: its request type (one
//! struct with named fields), what it returns, which data it reads and which it makes stale.
//! The table produces the `#[tauri::command]` function, its part of the invoke handler and its
//! TypeScript wrapper in `ui/src/bindings.ts` (see `bindings.rs`).
//!
//! Adding a command: one entry in the domain's file here. Adding a domain: a file here and one
//! line in [`DOMAINS`].

pub mod app;
pub mod backups;
pub mod companies;
pub mod files;
pub mod imports;
pub mod leads;
pub mod recovery;
pub mod reminders;
pub mod scoring;
pub mod segments;
pub mod settings;
pub mod sync;

use leadbook_core::ErrorCode;
use crate::bindings::TypeCollector;
use crate::data::DataTag;
use leadbook_core::{AppError, Store};
use leadbook_core::reminders::scheduler::NotifierStatus;
use std::sync::OnceLock;
use std::time::Instant;

/// When the process started, for the cold-start benchmark.
pub static STARTED: OnceLock<Instant> = OnceLock::new();
/// The reminder scheduler's notification status (set once the scheduler runs).
pub static NOTIFIER_STATUS: OnceLock<tokio::sync::watch::Receiver<NotifierStatus>> = OnceLock::new();

/// The store the commands work on. Empty while the app shows the recovery screen (the database
/// could not be opened); filled when a backup has been restored.
pub struct StoreSlot {
    store: std::sync::RwLock<Option<Store>>,
    /// Why the store could not be opened (None when it is open).
    damaged: std::sync::RwLock<Option<AppError>>,
    pub db_path: std::path::PathBuf,
}

impl StoreSlot {
    pub fn new(db_path: std::path::PathBuf, opened: Result<Store, AppError>) -> Self {
        let (store, damaged) = match opened {
            Ok(store) => (Some(store), None),
            Err(e) => (None, Some(e)),
        };
        Self { store: std::sync::RwLock::new(store), damaged: std::sync::RwLock::new(damaged), db_path }
    }

    /// The open store (cheap: a clone of its handles), or the reason there is none.
    pub fn get(&self) -> Result<Store, AppError> {
        if let Some(store) = self.store.read().map_err(|_| lock_error())?.as_ref() {
            return Ok(store.clone());
        }
        let why = self.damaged.read().map_err(|_| lock_error())?.clone();
        Err(AppError::new(ErrorCode::StoreUnavailable, format!("The database cannot be used: {}", why.map(|e| e.message).unwrap_or_default())))
    }

    pub fn damaged(&self) -> Option<AppError> {
        self.damaged.read().ok().and_then(|d| d.clone())
    }

    pub fn set(&self, store: Store) {
        if let Ok(mut slot) = self.store.write() {
            *slot = Some(store);
        }
        if let Ok(mut damaged) = self.damaged.write() {
            *damaged = None;
        }
    }
}

/// The files the user picked or dropped (see `crate::files`).
fn grants(app: &tauri::AppHandle) -> tauri::State<'_, crate::files::FileGrants> {
    tauri::Manager::state::<crate::files::FileGrants>(app)
}

fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "Leadbook's state is unusable after an earlier error; restart Leadbook")
}

/// A command that panicked (a bug): the window gets an error it can show instead of a promise
/// that never settles, and the store is as before (an open transaction rolls back when dropped).
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> AppError {
    let message = leadbook_core::error::panic_message(&*payload);
    tracing::error!(panic = %message, "a command failed with a bug");
    AppError::new(
        ErrorCode::Internal,
        format!("Leadbook hit a bug and did not finish this ({message}). Nothing was half-saved; try again, and if it happens again restart Leadbook"),
    )
}

/// Calls a domain's generated handler (a function, so the closure's argument type is known).
pub fn dispatch(handler: impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool, invoke: tauri::ipc::Invoke<tauri::Wry>) -> bool {
    handler(invoke)
}

/// One command as the TypeScript side sees it.
pub struct CommandInfo {
    /// The IPC name, `domain_verb` (`lead_create`).
    pub name: &'static str,
    pub docs: &'static str,
    /// The one argument's name and TypeScript type, if the command takes one.
    pub request: Option<(&'static str, String)>,
    /// A progress channel's argument name and TypeScript message type.
    pub stream: Option<(&'static str, String)>,
    pub returns: String,
    pub reads: &'static [DataTag],
    pub stales: &'static [DataTag],
}

/// A domain's commands: which names it handles, the handler, and their descriptions.
pub struct Domain {
    pub handles: fn(&str) -> bool,
    pub handle: fn(tauri::ipc::Invoke<tauri::Wry>) -> bool,
    pub describe: fn(&mut TypeCollector) -> Vec<CommandInfo>,
}

macro_rules! domain {
    ($module:ident) => {
        Domain { handles: $module::handles, handle: $module::handle, describe: $module::describe }
    };
}

/// Every domain's commands; a new domain is one line here.
pub const DOMAINS: &[Domain] = &[
    domain!(app),
    domain!(leads),
    domain!(companies),
    domain!(reminders),
    domain!(imports),
    domain!(files),
    domain!(segments),
    domain!(scoring),
    domain!(sync),
    domain!(backups),
    domain!(settings),
    domain!(recovery),
];

/// The invoke handler: each call goes to the domain that declares it.
pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    |invoke| match DOMAINS.iter().find(|d| (d.handles)(invoke.message.command())) {
        Some(domain) => (domain.handle)(invoke),
        None => {
            let name = invoke.message.command().to_owned();
            invoke.resolver.reject(AppError::new(ErrorCode::UnknownCommand, format!("Leadbook has no command “{name}”")));
            true
        }
    }
}

/// Every command of every domain, for the bindings.
pub fn describe(types: &mut TypeCollector) -> Vec<CommandInfo> {
    DOMAINS.iter().flat_map(|d| (d.describe)(types)).collect()
}

/// Runs a command body with what its declaration asked for: `store` (the open store; the body
/// is panic-safe and a full disk is named) or `slot` (the store slot itself, for the recovery
/// screen, which works without a store).
macro_rules! run_command {
    (store $ctx:ident, $app_handle:ident, $slot:ident, [$($app:ident)?], $ret:ty, $body:block) => {{
        use futures_util::FutureExt;
        let owned = $slot.get()?;
        let run = async {
            let $ctx: &leadbook_core::Store = &owned;
            $(let $app = $app_handle.clone();)?
            let result: Result<$ret, leadbook_core::AppError> = async { $body }.await;
            result
        };
        match std::panic::AssertUnwindSafe(run).catch_unwind().await {
            Ok(result) => result.map_err(|e| owned.explain(e)),
            Err(payload) => Err($crate::commands::panic_error(payload)),
        }
    }};
    (slot $ctx:ident, $app_handle:ident, $slot:ident, [$($app:ident)?], $ret:ty, $body:block) => {{
        use futures_util::FutureExt;
        let run = async {
            let $ctx: &$crate::commands::StoreSlot = &$slot;
            $(let $app = $app_handle.clone();)?
            let result: Result<$ret, leadbook_core::AppError> = async { $body }.await;
            result
        };
        match std::panic::AssertUnwindSafe(run).catch_unwind().await {
            Ok(result) => result,
            Err(payload) => Err($crate::commands::panic_error(payload)),
        }
    }};
}

/// Declares a domain's commands, each as
///
/// ```text
/// /// What it does (becomes the TypeScript doc comment).
/// name(store [& app] [, req: Request { field: Type, … } | , req: ExistingType] [, stream on_progress: Message])
///     -> Returns, reads [Tag, …], stales [Tag, …] { body }
/// ```
///
/// `store` hands the body the open store (`slot` the store slot, for commands that work without
/// one); `& app` the `AppHandle`. A request written with braces is declared here as a struct
/// (camelCase in TypeScript); `stream` adds a `tauri::ipc::Channel` for progress. `reads` and
/// `stales` are the data tags the window caches the result under and refetches after it.
macro_rules! app_commands {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident ( $ctx:ident $(& $app:ident)? $(, $req:ident : $Req:ident $({ $($field:ident : $fty:ty),* $(,)? })? )? $(, stream $ch:ident : $Ch:ty)? )
            -> $ret:ty, reads [$($read:ident),*], stales [$($stale:ident), *] $body:block
    )*) => {
        $($($(
            #[doc = concat!("The request of `", stringify!($name), "`.")]
            #[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
            #[serde(rename_all = "camelCase")]
            pub struct $Req {
                $(pub $field: $fty,)*
            }
        )?)?)*

        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[allow(unused_braces, unused_variables, clippy::unused_unit)]
            pub async fn $name(
                app_handle: tauri::AppHandle,
                slot: tauri::State<'_, $crate::commands::StoreSlot>
                $(, $req: $Req)?
                $(, $ch: tauri::ipc::Channel<$Ch>)?
            ) -> Result<$ret, leadbook_core::AppError> {
                $crate::commands::run_command!($ctx $ctx, app_handle, slot, [$($app)?], $ret, $body)
            }
        )*

        /// Whether this domain declares the command `name`.
        pub fn handles(name: &str) -> bool {
            matches!(name, $(stringify!($name))|*)
        }

        pub fn handle(invoke: tauri::ipc::Invoke<tauri::Wry>) -> bool {
            $crate::commands::dispatch(tauri::generate_handler![$($name),*], invoke)
        }

        pub fn describe(types: &mut $crate::bindings::TypeCollector) -> Vec<$crate::commands::CommandInfo> {
            vec![$(
                $crate::commands::CommandInfo {
                    name: stringify!($name),
                    docs: concat!($($doc, "\n"),*),
                    request: None $(.or(Some((stringify!($req), types.name::<$Req>()))))?,
                    stream: None $(.or(Some((stringify!($ch), types.name::<$Ch>()))))?,
                    returns: types.name::<$ret>(),
                    reads: &[$($crate::data::DataTag::$read),*],
                    stales: &[$($crate::data::DataTag::$stale),*],
                },
            )*]
        }
    };
}

pub(crate) use app_commands;
pub(crate) use run_command;
