//! Settings → General: what the store keeps (phone region, theme, desktop notifications) and
//! what lives with the operating system (start at login).

use leadbook_core::ErrorCode;
use super::app_commands;
use leadbook_core::AppError;
use leadbook_core::settings::{phone_regions, GeneralSettings, PhoneRegion, Theme};
use tauri_plugin_autostart::ManagerExt;

fn autostart_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Autostart, format!("Cannot change start at login: {e}"))
}

app_commands! {
    settings_general(store) -> GeneralSettings, reads [Settings], stales [] { store.general_settings().await }
    /// Regions the phone library knows, for the region picker.
    settings_phone_regions(store) -> Vec<PhoneRegion>, reads [], stales [] { Ok(phone_regions()) }
    /// Region for phone numbers written without a country code (ISO 3166 code, e.g. DE).
    settings_set_default_region(store, req: SettingsSetDefaultRegion { region: String }) -> String, reads [], stales [Settings] {
        store.set_default_region(&req.region).await
    }
    settings_set_theme(store, req: SettingsSetTheme { theme: Theme }) -> Theme, reads [], stales [Settings] { store.set_theme(req.theme).await }
    settings_set_desktop_notifications(store, req: SettingsSetDesktopNotifications { enabled: bool }) -> bool, reads [], stales [Settings] {
        store.set_desktop_notifications(req.enabled).await
    }
    /// Shows a sample notification the way reminders pop up; the error says why it could not.
    settings_test_notification(store) -> (), reads [], stales [] {
        tauri::async_runtime::spawn_blocking(leadbook_core::reminders::scheduler::show_test_notification)
            .await
            .map_err(|e| AppError::new(ErrorCode::Notifications, format!("The notifier crashed: {e}")))?
            .map_err(|reason| AppError::new(ErrorCode::Notifications, reason))
    }
    settings_start_at_login(store & app) -> bool, reads [Settings], stales [] { app.autolaunch().is_enabled().map_err(autostart_error) }
    settings_set_start_at_login(store & app, req: SettingsSetStartAtLogin { enabled: bool }) -> bool, reads [], stales [Settings] {
        let launcher = app.autolaunch();
        if req.enabled { launcher.enable() } else { launcher.disable() }.map_err(autostart_error)?;
        launcher.is_enabled().map_err(autostart_error)
    }
}
