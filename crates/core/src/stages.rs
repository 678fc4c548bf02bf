//! Pipeline stages and lead sources: the reference lists a lead points at.

use crate::error::Result;
use crate::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub color: String,
    pub stage_order: i32,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub id: String,
    pub name: String,
    pub source_type: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
}

impl Store {
    pub async fn list_stages(&self) -> Result<Vec<Stage>> {
        Ok(sqlx::query_as(
            "SELECT id, name, color, stage_order, is_default FROM lead_stages WHERE deleted_at IS NULL ORDER BY stage_order, name",
        )
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn list_sources(&self) -> Result<Vec<Source>> {
        Ok(sqlx::query_as(
            "SELECT id, name, type AS source_type, utm_source, utm_medium, utm_campaign FROM lead_sources
             WHERE deleted_at IS NULL ORDER BY name",
        )
        .fetch_all(&self.read)
        .await?)
    }
}
