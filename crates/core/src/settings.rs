//! Local, never-synced settings (key/value).

use crate::error::Result;
use crate::validate::parse_region;
use crate::Store;
use sqlx::{Executor, Sqlite};

pub const LOCAL_USER_ID: &str = "local_user_id";
pub const CURRENT_SPACE_ID: &str = "current_space_id";
pub const DEFAULT_REGION: &str = "default_region";

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
}
