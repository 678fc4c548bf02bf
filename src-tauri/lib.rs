//! Leadbook desktop shell: opens the store, registers the IPC commands, shows the window.
//! Domain logic lives in `leadbook_core`; nothing here decides anything about leads.

pub mod bindings;
pub mod commands;
pub mod data;
pub mod events;
pub mod files;
pub mod imports;
pub mod recovery;

use leadbook_core::ErrorCode;
use leadbook_core::{paths, Store};
use std::path::PathBuf;
use std::time::Instant;

/// `--db PATH` or `--db=PATH` from the command line (the app takes no other arguments).
fn db_arg() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--db=") {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// Linux tray icons and notifications live on the D-Bus session bus. Without
/// DBUS_SESSION_BUS_ADDRESS, use the systemd user bus if there is one; with no bus at all the tray
/// library would try to autolaunch one and block the window, so the app goes without a tray.
#[cfg(target_os = "linux")]
fn find_session_bus() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return true;
    }
    let user_bus = std::env::var_os("XDG_RUNTIME_DIR").map(|dir| std::path::Path::new(&dir).join("bus"));
    match user_bus.filter(|bus| bus.exists()) {
        Some(bus) => {
            // Still single-threaded here: nothing else reads the environment yet.
            std::env::set_var("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", bus.display()));
            true
        }
        None => {
            tracing::warn!("no D-Bus session bus: no tray icon, and reminders cannot pop up as notifications");
            false
        }
    }
}

/// Whether closing the window hides it (a tray icon is there to bring it back) or quits.
static KEEP_RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The tray icon, handed to the reminder scheduler when the store is open (at start, or after
/// the recovery screen restored a backup).
static TRAY: std::sync::OnceLock<std::sync::Mutex<Option<events::Tray>>> = std::sync::OnceLock::new();

/// Everything that runs in the background on an open store: reminders (with the tray), segment
/// and score refreshes, sync, the search index upgrade, daily backups, and a quick integrity check.
pub fn start_background_work(app: &tauri::AppHandle, store: Store) {
    let tray = TRAY.get().and_then(|t| t.lock().ok()).and_then(|mut t| t.take());
    events::start_reminders(app, store.clone(), tray);
    events::start_segment_refresher(app, store.clone());
    events::start_score_refresher(app, store.clone());
    events::start_sync(app, store.clone());
    events::start_search_upgrade(app, store.clone());
    events::start_backups(app, store);
}

/// A panic anywhere (a bug) is logged with where it happened and told to the window, which says
/// what the user can do; the store stays consistent (an open transaction rolls back when its
/// task unwinds). Commands also turn their own panics into errors (`commands::panic_error`).
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = leadbook_core::error::panic_message(info.payload());
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        tracing::error!(panic = %message, at = %place, "Leadbook hit a bug");
        if let Some(app) = events::APP.get() {
            let _ = tauri::Emitter::emit(
                app,
                events::APP_ERROR,
                leadbook_core::AppError::new(ErrorCode::Internal, format!("Leadbook hit a bug ({message}). Your data is safe; if something looks wrong, restart Leadbook")),
            );
        }
        default(info);
    }));
}

pub fn run() {
    commands::STARTED.get_or_init(Instant::now);
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("LEADBOOK_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    // Some Linux desktops render a blank window with WebKit's DMA-BUF renderer; respect a user's own choice.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }

    #[cfg(target_os = "linux")]
    let session_bus = find_session_bus();
    #[cfg(not(target_os = "linux"))]
    let session_bus = true;

    let db_path = paths::resolve_db_path(db_arg());
    // A database that cannot be opened is not a reason to crash or show a blank window: the
    // window opens on the recovery screen (the reason, and the newest good backup to restore).
    let opened = tauri::async_runtime::block_on(Store::open(&db_path));
    match &opened {
        Ok(_) => tracing::info!(db = %db_path.display(), "store open"),
        Err(err) => tracing::error!(db = %db_path.display(), code = %err.code, "the store cannot be opened: {}", err.message),
    }
    let store = opened.as_ref().ok().cloned();
    install_panic_hook();

    tauri::Builder::default()
        // A second launch brings the running window forward instead of opening the store twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| events::show_main_window(app)))
        // Native open/save dialogs for CSV import and export, shown by the app (files.rs): the
        // window has no dialog permission and names only files the user chose.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, None))
        // "Show in folder" for backups, called from Rust only (the window has no opener permission).
        .plugin(tauri_plugin_opener::init())
        .manage(commands::StoreSlot::new(db_path, opened))
        .manage(imports::ImportJobs::default())
        .manage(files::FileGrants::default())

        .invoke_handler(commands::handler())
        .setup(move |app| {
            // Without a tray (no status-notifier host, or LEADBOOK_NO_TRAY) closing the window quits;
            // with one, Leadbook keeps running there so reminders still pop up.
            let tray = if std::env::var_os("LEADBOOK_NO_TRAY").is_some() || !session_bus {
                None
            } else {
                events::build_tray(app.handle()).map_err(|e| tracing::warn!("no tray icon: {e}")).ok()
            };
            KEEP_RUNNING.store(tray.is_some(), std::sync::atomic::Ordering::Relaxed);
            TRAY.get_or_init(|| std::sync::Mutex::new(tray));
            if let Some(store) = store {
                start_background_work(app.handle(), store);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // A file dropped on the window may then be read (the window gets its path to import).
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let grants = tauri::Manager::state::<files::FileGrants>(window);
                for path in paths {
                    grants.grant_read(path);
                }
            }
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if KEEP_RUNNING.load(std::sync::atomic::Ordering::Relaxed) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .build(tauri::generate_context!())
        .map(|app| {
            let _ = events::APP.set(app.handle().clone());
            app.run(|_, _| {})
        })
        .unwrap_or_else(|e| {
            eprintln!("Leadbook could not start its window: {e}");
            std::process::exit(1);
        });
}
