//! The reference semantics: a lowered query evaluated on one lead held in memory, written as
//! plainly as possible. The property test checks that the compiled SQL returns exactly the leads
//! this returns.

use super::lower::{fold, is_blank, number_text, parse_number, NumberField, Pred, TextField, TextTest};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// A lead with everything a query can look at.
#[derive(Debug, Clone, Default)]
pub struct LeadFacts {
    pub num: i64,
    /// Text and number columns of `leads` by column name (None = NULL).
    pub columns: HashMap<&'static str, Option<String>>,
    pub score: i64,
    pub converted: bool,
    pub created_at: String,
    pub updated_at: String,
    pub stage_name: Option<String>,
    pub source_name: Option<String>,
    pub company: Option<CompanyFacts>,
    pub custom_fields: serde_json::Map<String, Json>,
    /// Timestamps of related rows by table name (`inquiries`, `lead_activities`), and of the
    /// activity log's rows of one type by that type (`call_made`).
    pub related: HashMap<&'static str, Vec<String>>,
    /// Ids of the segments the lead is a member of.
    pub segments: HashSet<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CompanyFacts {
    pub columns: HashMap<&'static str, Option<String>>,
    pub size: Option<i64>,
}

pub fn matches(pred: &Pred, lead: &LeadFacts) -> bool {
    match pred {
        Pred::Const(b) => *b,
        Pred::And(items) => items.iter().all(|p| matches(p, lead)),
        Pred::Or(items) => items.iter().any(|p| matches(p, lead)),
        Pred::Not(item) => !matches(item, lead),
        Pred::Text(field, test) => text_value(field, lead).is_some_and(|v| text_holds(&v, test)),
        Pred::Number(field, cmp, n) => number_value(field, lead).is_some_and(|v| cmp.holds(v, *n)),
        Pred::NumberIn(field, values) => number_value(field, lead).is_some_and(|v| values.contains(&v)),
        Pred::Time { column, lo, hi } => {
            let t = if *column == "created_at" { &lead.created_at } else { &lead.updated_at };
            let above = lo.as_ref().is_none_or(|(b, inclusive)| if *inclusive { t >= b } else { t > b });
            let below = hi.as_ref().is_none_or(|(b, inclusive)| if *inclusive { t <= b } else { t < b });
            above && below
        }
        Pred::TimeSet(_) => true,
        Pred::Bool(_, b) => lead.converted == *b,
        Pred::Count { table, of_type, since, cmp, n, .. } => {
            let rows = lead.related.get(of_type.unwrap_or(table)).map(Vec::as_slice).unwrap_or_default();
            let count = rows.iter().filter(|t| since.as_ref().is_none_or(|s| *t >= s)).count();
            cmp.holds(count as f64, *n)
        }
        Pred::InSegment(id) => lead.segments.contains(id),
    }
}

/// A custom field as SQLite's json_extract + lb_text sees it.
fn json_text(value: &Json) -> Option<String> {
    match value {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(if *b { "1" } else { "0" }.into()),
        Json::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => number_text(n.as_f64().unwrap_or(0.0)),
        }),
        other => Some(other.to_string()),
    }
}

fn text_value(field: &TextField, lead: &LeadFacts) -> Option<String> {
    match field {
        TextField::Lead(column) => lead.columns.get(column).cloned().flatten(),
        TextField::FullName => {
            let part = |c| lead.columns.get(c).cloned().flatten().unwrap_or_default();
            Some(format!("{} {}", part("first_name"), part("last_name")).trim_matches(' ').to_string())
        }
        TextField::StageName => lead.stage_name.clone(),
        TextField::SourceName => lead.source_name.clone(),
        TextField::Company(column) => lead.company.as_ref()?.columns.get(column).cloned().flatten(),
        TextField::Custom(key) => json_text(lead.custom_fields.get(key)?),
    }
}

fn number_value(field: &NumberField, lead: &LeadFacts) -> Option<f64> {
    match field {
        NumberField::Lead(_) => Some(lead.score as f64),
        NumberField::Company(_) => lead.company.as_ref()?.size.map(|s| s as f64),
    }
}

fn text_holds(value: &str, test: &TextTest) -> bool {
    let folded = fold(value);
    match test {
        TextTest::Equals(n) => folded == *n,
        TextTest::Contains(n) => folded.contains(n.as_str()),
        TextTest::StartsWith(n) => folded.starts_with(n.as_str()),
        TextTest::EndsWith(n) => folded.ends_with(n.as_str()),
        TextTest::OneOf(ns) => ns.contains(&folded),
        TextTest::NotEmpty => !is_blank(value),
        TextTest::Number(cmp, n) => parse_number(value).is_some_and(|v| cmp.holds(v, *n)),
        TextTest::NumberIn(ns) => parse_number(value).is_some_and(|v| ns.contains(&v)),
    }
}
