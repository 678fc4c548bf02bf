//! The fields a segment query can test, with their types and the operators each type takes.
//! One table for the parser, the SQL compiler, the in-memory evaluator and the visual builder.

use super::query::Op;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    Text,
    /// One of a known list: stage, status, source.
    Choice,
    Number,
    Date,
    Bool,
    /// How many related rows (inquiries, activities) a lead has, optionally in a time window.
    Count,
    /// `custom.x`: text, or a number when compared with one.
    Custom,
}

impl FieldKind {
    pub fn operators(self) -> &'static [Op] {
        use Op::*;
        match self {
            FieldKind::Text => &[Eq, Ne, Contains, StartsWith, EndsWith, In, IsEmpty, IsNotEmpty],
            FieldKind::Choice => &[Eq, Ne, In, IsEmpty, IsNotEmpty],
            FieldKind::Number => &[Eq, Ne, Gt, Ge, Lt, Le, In],
            FieldKind::Date => &[Eq, Ne, Gt, Ge, Lt, Le, IsEmpty, IsNotEmpty],
            FieldKind::Bool => &[Eq, Ne],
            FieldKind::Count => &[Eq, Ne, Gt, Ge, Lt, Le],
            FieldKind::Custom => &[Eq, Ne, Gt, Ge, Lt, Le, Contains, StartsWith, EndsWith, In, IsEmpty, IsNotEmpty],
        }
    }

    pub fn allows(self, op: Op) -> bool {
        self.operators().contains(&op)
    }

    pub(crate) fn article(self) -> &'static str {
        match self {
            FieldKind::Text => "a text",
            FieldKind::Choice => "a choice",
            FieldKind::Number => "a number",
            FieldKind::Date => "a date",
            FieldKind::Bool => "yes/no",
            FieldKind::Count => "a count",
            FieldKind::Custom => "a custom field",
        }
    }

    pub(crate) fn operator_list(self) -> String {
        self.operators().iter().map(|op| op.symbol()).collect::<Vec<_>>().join(", ")
    }

    pub(crate) fn value_hint(self) -> &'static str {
        match self {
            FieldKind::Text | FieldKind::Choice => "a word or \"quoted text\"",
            FieldKind::Number | FieldKind::Count => "a number",
            FieldKind::Date => "a date (2026-11-01, -30d, today, this_month)",
            FieldKind::Bool => "true or false",
            FieldKind::Custom => "a number or text",
        }
    }
}

/// Where a field's value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column of `leads` (text or number as the kind says).
    LeadColumn(&'static str),
    /// `first_name || ' ' || last_name`.
    FullName,
    Stage,
    Source,
    /// A column of the lead's company.
    CompanyColumn(&'static str),
    /// A key of `leads.custom_fields`.
    Custom,
    /// Rows of a related table per lead, in a time column; `of_type` keeps only the activity
    /// log's rows of one `activity_type` (logged calls, emails, meetings, notes).
    Related { table: &'static str, time_column: &'static str, of_type: Option<&'static str> },
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub source: Source,
}

impl FieldSpec {
    /// `custom.Region` keeps the user's key; every other field prints by its canonical name.
    pub(crate) fn canonical_name(&self, written: &str) -> String {
        if self.source == Source::Custom {
            format!("custom.{}", &written["custom.".len()..])
        } else {
            self.name.to_string()
        }
    }
}

pub const STATUSES: [&str; 6] = ["open", "working", "qualified", "unqualified", "converted", "lost"];

const FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "name", label: "Name", kind: FieldKind::Text, source: Source::FullName },
    FieldSpec { name: "first_name", label: "First name", kind: FieldKind::Text, source: Source::LeadColumn("first_name") },
    FieldSpec { name: "last_name", label: "Last name", kind: FieldKind::Text, source: Source::LeadColumn("last_name") },
    FieldSpec { name: "email", label: "Email", kind: FieldKind::Text, source: Source::LeadColumn("email") },
    FieldSpec { name: "email2", label: "Email 2", kind: FieldKind::Text, source: Source::LeadColumn("email2") },
    FieldSpec { name: "phone", label: "Phone", kind: FieldKind::Text, source: Source::LeadColumn("phone") },
    FieldSpec { name: "phone2", label: "Phone 2", kind: FieldKind::Text, source: Source::LeadColumn("phone2") },
    FieldSpec { name: "job_title", label: "Job title", kind: FieldKind::Text, source: Source::LeadColumn("job_title") },
    FieldSpec { name: "company", label: "Company", kind: FieldKind::Text, source: Source::CompanyColumn("name") },
    FieldSpec { name: "website", label: "Website", kind: FieldKind::Text, source: Source::LeadColumn("website") },
    FieldSpec { name: "external_id", label: "External id", kind: FieldKind::Text, source: Source::LeadColumn("external_id") },
    FieldSpec { name: "stage", label: "Stage", kind: FieldKind::Choice, source: Source::Stage },
    FieldSpec { name: "status", label: "Status", kind: FieldKind::Choice, source: Source::LeadColumn("status") },
    FieldSpec { name: "source", label: "Source", kind: FieldKind::Choice, source: Source::Source },
    FieldSpec { name: "score", label: "Score", kind: FieldKind::Number, source: Source::LeadColumn("score") },
    FieldSpec { name: "budget", label: "Budget", kind: FieldKind::Text, source: Source::LeadColumn("budget") },
    FieldSpec { name: "authority", label: "Authority", kind: FieldKind::Text, source: Source::LeadColumn("authority") },
    FieldSpec { name: "need", label: "Need", kind: FieldKind::Text, source: Source::LeadColumn("need") },
    FieldSpec { name: "timeline", label: "Timeline", kind: FieldKind::Text, source: Source::LeadColumn("timeline") },
    FieldSpec { name: "notes", label: "Notes", kind: FieldKind::Text, source: Source::LeadColumn("notes") },
    FieldSpec { name: "converted", label: "Converted", kind: FieldKind::Bool, source: Source::LeadColumn("converted_to_customer") },
    FieldSpec { name: "created", label: "Created", kind: FieldKind::Date, source: Source::LeadColumn("created_at") },
    FieldSpec { name: "updated", label: "Updated", kind: FieldKind::Date, source: Source::LeadColumn("updated_at") },
    FieldSpec { name: "company.name", label: "Company name", kind: FieldKind::Text, source: Source::CompanyColumn("name") },
    FieldSpec { name: "company.website", label: "Company website", kind: FieldKind::Text, source: Source::CompanyColumn("website") },
    FieldSpec { name: "company.industry", label: "Company industry", kind: FieldKind::Text, source: Source::CompanyColumn("industry") },
    FieldSpec { name: "company.size", label: "Company size", kind: FieldKind::Number, source: Source::CompanyColumn("company_size") },
    FieldSpec { name: "inquiries", label: "Inquiries", kind: FieldKind::Count, source: Source::Related { table: "inquiries", time_column: "created_at", of_type: None } },
    FieldSpec { name: "activities", label: "Activities", kind: FieldKind::Count, source: Source::Related { table: "lead_activities", time_column: "created_at", of_type: None } },
    FieldSpec { name: "calls", label: "Calls logged", kind: FieldKind::Count, source: Source::Related { table: "lead_activities", time_column: "created_at", of_type: Some("call_made") } },
    FieldSpec { name: "emails", label: "Emails logged", kind: FieldKind::Count, source: Source::Related { table: "lead_activities", time_column: "created_at", of_type: Some("email_sent") } },
    FieldSpec { name: "meetings", label: "Meetings logged", kind: FieldKind::Count, source: Source::Related { table: "lead_activities", time_column: "created_at", of_type: Some("meeting_held") } },
    FieldSpec { name: "logged_notes", label: "Notes logged", kind: FieldKind::Count, source: Source::Related { table: "lead_activities", time_column: "created_at", of_type: Some("note_added") } },
];

const CUSTOM: FieldSpec = FieldSpec { name: "custom", label: "Custom field", kind: FieldKind::Custom, source: Source::Custom };

/// Alternative spellings people type.
const ALIASES: &[(&str, &str)] = &[
    ("firstname", "first_name"),
    ("lastname", "last_name"),
    ("title", "job_title"),
    ("jobtitle", "job_title"),
    ("created_at", "created"),
    ("updated_at", "updated"),
    ("company_name", "company.name"),
    ("company.size", "company.size"),
    ("company_size", "company.size"),
    ("industry", "company.industry"),
    ("lead_status", "status"),
    ("lead_source", "source"),
    ("converted_to_customer", "converted"),
];

/// Finds a field by name, case-insensitively; `custom.<key>` with any non-empty key.
pub fn lookup(name: &str) -> Option<FieldSpec> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("custom.") && name.len() > "custom.".len() {
        return Some(CUSTOM);
    }
    let canonical = ALIASES.iter().find(|(alias, _)| *alias == lower).map(|(_, to)| *to).unwrap_or(&lower);
    FIELDS.iter().find(|f| f.name == canonical).copied()
}

pub(crate) fn unknown_field_message(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let closest = FIELDS
        .iter()
        .map(|f| (edit_distance(&lower, f.name), f.name))
        .min()
        .filter(|(d, _)| *d <= 2);
    match closest {
        Some((_, suggestion)) => format!("there is no field '{name}'; did you mean '{suggestion}'?"),
        None => format!("there is no field '{name}' (custom fields are written custom.<name>)"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// A field as the visual builder lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    pub name: String,
    pub label: String,
    pub kind: FieldKind,
    pub operators: Vec<Op>,
    pub group: String,
}

/// Every field for the builder (custom fields come from the store, see `Store::segment_fields`).
pub fn catalog() -> Vec<FieldInfo> {
    FIELDS
        .iter()
        .filter(|f| f.name != "company")
        .map(|f| FieldInfo {
            name: f.name.to_string(),
            label: f.label.to_string(),
            kind: f.kind,
            operators: f.kind.operators().to_vec(),
            group: match f.source {
                Source::CompanyColumn(_) => "Company",
                Source::Related { .. } => "Engagement",
                _ => "Lead",
            }
            .to_string(),
        })
        .collect()
}

pub(crate) fn custom_info(key: &str) -> FieldInfo {
    FieldInfo {
        name: format!("custom.{key}"),
        label: key.to_string(),
        kind: FieldKind::Custom,
        operators: FieldKind::Custom.operators().to_vec(),
        group: "Custom fields".to_string(),
    }
}
