//! App settings that live with the operating system rather than the store: start at login.

use leadbook_core::ErrorCode;
use super::app_commands;
use leadbook_core::AppError;
use tauri_plugin_autostart::ManagerExt;

fn autostart_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Autostart, format!("Cannot change start at login: {e}"))
}

app_commands! {
    settings_start_at_login(store & app) -> bool, reads [Settings], stales [] { app.autolaunch().is_enabled().map_err(autostart_error) }
    settings_set_start_at_login(store & app, req: SettingsSetStartAtLogin { enabled: bool }) -> bool, reads [], stales [Settings] {
        let launcher = app.autolaunch();
        if req.enabled { launcher.enable() } else { launcher.disable() }.map_err(autostart_error)?;
        launcher.is_enabled().map_err(autostart_error)
    }
}
