//! What a lead row is, below every module that reads or pages leads: the table's row type, its
//! columns and joins, the paging cursor, the statuses and the name sort key. `leads`,
//! `companies`, `segments`, `import` and `sync` all use these; none of them imports another for it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const STATUSES: [&str; 6] = ["open", "working", "qualified", "unqualified", "converted", "lost"];

/// A lead row as the table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct LeadRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub phone_display: Option<String>,
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    pub stage_color: Option<String>,
    pub score: i32,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Position after the last row of a page: its sort key and id (ties broken by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadCursor {
    pub key: String,
    pub id: String,
}

pub(crate) const ROW_COLUMNS: &str = "l.id, l.first_name, l.last_name, l.email, l.phone, l.phone_display, l.company_id, \
     c.name AS company_name, l.job_title, l.stage_id, st.name AS stage_name, st.color AS stage_color, \
     s.score, l.status, l.created_at, l.updated_at";
/// Joins behind `ROW_COLUMNS` (every lead has a `scores` row: triggers keep it).
pub(crate) const ROW_JOINS: &str =
    "JOIN scores s ON s.lead_num = l.num LEFT JOIN companies c ON c.id = l.company_id LEFT JOIN lead_stages st ON st.id = l.stage_id";

/// The lowercase key the Name column sorts by: last name first, like a phone book.
pub(crate) fn name_key(first: &str, last: &str) -> String {
    format!("{} {}", last.trim(), first.trim()).trim().to_lowercase()
}
