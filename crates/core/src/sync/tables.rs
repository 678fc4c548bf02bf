//! Which tables sync, and how each column travels. A new table opts in with one entry here, a
//! mirror table in the server migration and (when it has desktop-only derived state, like the
//! leads' search index) a line in `pull::after_apply`.

/// How a value is written on the server; the desktop stores all of them as SQLite text/integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    /// SQLite 0/1, PostgreSQL boolean.
    Bool,
    /// SQLite RFC 3339 text with milliseconds, PostgreSQL timestamptz.
    Time,
    /// SQLite JSON text, PostgreSQL jsonb.
    Json,
    /// The desktop keeps `leads.num` (its local row number); the server keeps the lead's id.
    LeadNum,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// The server's column name (and the desktop's, except for `LeadNum`).
    pub name: &'static str,
    pub kind: Kind,
}

impl Column {
    /// The desktop column this one is stored in.
    pub fn local(&self) -> &'static str {
        match self.kind {
            Kind::LeadNum => "lead_num",
            _ => self.name,
        }
    }

    /// SQL reading the value in the form the server takes it.
    pub fn local_select(&self) -> String {
        match self.kind {
            Kind::LeadNum => "(SELECT l.id FROM leads l WHERE l.num = t.lead_num)".into(),
            _ => format!("t.{}", self.name),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    /// Every synced column, `id` first; desktop-only columns (sort keys, row numbers, the computed
    /// score) are left out and rebuilt locally.
    pub columns: &'static [Column],
    /// Rows are never updated after the insert (analytics events): no update capture.
    pub append_only: bool,
    /// Desktop-only NOT NULL columns without a default, and the placeholder SQL a pulled insert
    /// gives them before `pull::apply_row` rebuilds them.
    pub local_only: &'static [(&'static str, &'static str)],
    /// What a pulled row must mean beyond its column types, checked as a typed one is; a row
    /// that fails is set aside with the reason, never applied.
    pub check: fn(&Map<String, Json>) -> Result<(), String>,
}

fn any_row(_: &Map<String, Json>) -> Result<(), String> {
    Ok(())
}

/// A pulled scoring rule is validated and compiled exactly like one typed into the rule
/// editor: a rule that cannot be evaluated would otherwise reach every lead write on this
/// desktop. Deleting a rule (a tombstone) is always taken.
fn scoring_rule(row: &Map<String, Json>) -> Result<(), String> {
    if !row.get("deleted_at").is_none_or(Json::is_null) {
        return Ok(());
    }
    let text = |col: &str| row.get(col).and_then(Json::as_str).map(str::to_owned);
    let flag = |col: &str| row.get(col).and_then(Json::as_bool).unwrap_or(false);
    let criteria = row.get("criteria").cloned().unwrap_or(Json::Null);
    let criteria: crate::scoring::rules::Criteria =
        serde_json::from_value(criteria).map_err(|e| format!("the rule's criteria cannot be read: {e}"))?;
    let points = row.get("points").and_then(Json::as_i64).unwrap_or(i64::MAX);
    let points = i32::try_from(points).map_err(|_| format!("the rule's points ({points}) are not between -100 and 100"))?;
    let input = crate::scoring::rules::RuleInput {
        name: text("name").unwrap_or_default(),
        criteria,
        points,
        per_match: flag("per_match"),
        active: flag("active"),
        valid_from: text("valid_from"),
        valid_until: text("valid_until"),
    };
    crate::scoring::rules::validate(&input).map(|_| ()).map_err(|e| format!("the rule is not valid: {}", e.message))
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

use serde_json::{Map, Value as Json};
use Kind::*;

/// Parents before children: a pulled page applies in this order, and so does a push.
pub(crate) static TABLES: &[Table] = &[
    Table {
        name: "companies",
        columns: &[
            c("id", Text), c("space_id", Text), c("user_id", Text), c("name", Text), c("website", Text),
            c("industry", Text), c("company_size", Int), c("company_data", Json), c("is_active", Bool),
            c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[("name_key", "''")],
        check: any_row,
    },
    Table {
        name: "lead_stages",
        columns: &[
            c("id", Text), c("space_id", Text), c("user_id", Text), c("name", Text), c("stage_order", Int),
            c("color", Text), c("is_default", Bool), c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "lead_sources",
        columns: &[
            c("id", Text), c("space_id", Text), c("user_id", Text), c("name", Text), c("type", Text),
            c("utm_source", Text), c("utm_medium", Text), c("utm_campaign", Text),
            c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "leads",
        columns: &[
            c("id", Text), c("space_id", Text), c("user_id", Text), c("company_id", Text), c("assigned_to", Text),
            c("first_name", Text), c("last_name", Text), c("email", Text), c("phone", Text), c("phone_raw", Text),
            c("phone_display", Text), c("job_title", Text), c("stage_id", Text), c("source_id", Text),
            c("status", Text), c("form_id", Text), c("form_submission_data", Json), c("custom_fields", Json),
            c("budget", Text), c("authority", Text), c("need", Text), c("timeline", Text),
            c("enriched_data", Json), c("notes", Text), c("converted_to_customer", Bool), c("customer_id", Text),
            c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "lead_activities",
        columns: &[
            c("id", Text), c("space_id", Text), c("lead_id", Text), c("user_id", Text), c("activity_type", Text),
            c("description", Text), c("activity_data", Json), c("created_at", Time), c("updated_at", Time),
            c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "inquiries",
        columns: &[
            c("id", Text), c("space_id", Text), c("lead_id", Text), c("user_id", Text), c("message", Text),
            c("channel", Text), c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "analytics_events",
        columns: &[
            c("id", Text), c("space_id", Text), c("lead_id", LeadNum), c("occurred_at", Time),
            c("event_type", Text), c("event_value", Text), c("created_at", Time),
        ],
        append_only: true,
        local_only: &[],
        check: any_row,
    },
    Table {
        name: "scoring_rules",
        columns: &[
            c("id", Text), c("space_id", Text), c("name", Text), c("criteria", Json), c("points", Int),
            c("per_match", Bool), c("active", Bool), c("valid_from", Text), c("valid_until", Text),
            c("created_at", Time), c("updated_at", Time), c("deleted_at", Time),
        ],
        append_only: false,
        local_only: &[],
        check: scoring_rule,
    },
];

#[cfg(test)]
pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
