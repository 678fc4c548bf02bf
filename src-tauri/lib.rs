//! Leadbook desktop shell: opens the store, registers the IPC commands, shows the window.
//! Domain logic lives in `leadbook_core`; nothing here decides anything about leads.

pub mod bindings;
pub mod commands;

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

    let db_path = paths::resolve_db_path(db_arg());
    let store = match tauri::async_runtime::block_on(Store::open(&db_path)) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("Leadbook cannot open its database {}: {} [{}]", db_path.display(), err.message, err.code);
            std::process::exit(1);
        }
    };
    tracing::info!(db = %db_path.display(), "store open");

    tauri::Builder::default()
        .manage(store)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running Leadbook");
}
