//! Local, never-synced settings (key/value).

use crate::error::Result;
use crate::validate::parse_region;
use crate::Store;
use serde::{Deserialize, Serialize};
use sqlx::{Executor, Sqlite};
use ts_rs::TS;

pub const LOCAL_USER_ID: &str = "local_user_id";
pub const CURRENT_SPACE_ID: &str = "current_space_id";
pub const DEFAULT_REGION: &str = "default_region";
pub const THEME: &str = "theme";
pub const DESKTOP_NOTIFICATIONS: &str = "desktop_notifications";

/// Light or dark: follow the operating system unless the user chose one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// A stored value this build does not know (written by a newer one) reads as the default.
    fn parse(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// Settings → General.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeneralSettings {
    /// ISO 3166 code used to read phone numbers written without a country code.
    pub default_region: String,
    pub theme: Theme,
    /// Reminders pop up as OS notifications (off: they still show in the window and the list).
    pub desktop_notifications: bool,
}

/// A region the phone library knows, for the region picker (the UI names it in the user's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhoneRegion {
    pub code: String,
    pub calling_code: u16,
}

/// Every region with phone metadata, sorted by code (non-geographic entities such as "001" left out).
pub fn phone_regions() -> Vec<PhoneRegion> {
    let mut regions: Vec<PhoneRegion> = phonenumber::metadata::DATABASE
        .iter()
        .filter(|m| m.id().len() == 2 && parse_region(m.id()).is_ok())
        .map(|m| PhoneRegion { code: m.id().to_owned(), calling_code: m.country_code() })
        .collect();
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    regions.dedup_by(|a, b| a.code == b.code);
    regions
}

pub async fn get<'e>(db: impl Executor<'e, Database = Sqlite>, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM app_settings WHERE key = ?").bind(key).fetch_optional(db).await?)
}

pub async fn set<'e>(db: impl Executor<'e, Database = Sqlite>, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key).bind(value).execute(db).await?;
    Ok(())
}

impl Store {
    /// Region used to read phone numbers written without a country code (ISO 3166 alpha-2).
    pub fn default_region(&self) -> String {
        format!("{:?}", *self.region.read().expect("region lock"))
    }

    pub async fn set_default_region(&self, code: &str) -> Result<String> {
        let id = parse_region(code)?;
        let canonical = format!("{id:?}");
        set(&self.write, DEFAULT_REGION, &canonical).await?;
        *self.region.write().expect("region lock") = id;
        Ok(canonical)
    }

    pub async fn general_settings(&self) -> Result<GeneralSettings> {
        Ok(GeneralSettings {
            default_region: self.default_region(),
            theme: get(&self.read, THEME).await?.map(|v| Theme::parse(&v)).unwrap_or_default(),
            desktop_notifications: self.desktop_notifications().await?,
        })
    }

    pub async fn set_theme(&self, theme: Theme) -> Result<Theme> {
        set(&self.write, THEME, theme.as_str()).await?;
        Ok(theme)
    }

    /// Whether due reminders pop up as OS notifications (on unless the user turned them off).
    pub async fn desktop_notifications(&self) -> Result<bool> {
        Ok(get(&self.read, DESKTOP_NOTIFICATIONS).await?.as_deref() != Some("off"))
    }

    pub async fn set_desktop_notifications(&self, enabled: bool) -> Result<bool> {
        set(&self.write, DESKTOP_NOTIFICATIONS, if enabled { "on" } else { "off" }).await?;
        // The scheduler re-reads it on its next round; wake it so a due reminder follows at once.
        self.reminder_wake.notify_one();
        Ok(enabled)
    }
}
