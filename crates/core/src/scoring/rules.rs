//! Scoring rules (seed 001: a criteria type, a condition, a value and points −100..100) and
//! their compiled form.
//!
//! Conditions on the lead's own fields (and its company's and custom fields) are lowered through
//! the segment query language, so "job title contains ceo" means exactly what it means in a
//! segment and runs as SQL. Conditions on inquiries and analytics events are tested in Rust
//! against the lead's rows, because a rule can earn points per matching row and those points
//! decay with the row's age.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use crate::segments::fields::{self, FieldKind};
use crate::segments::lower::{self, fold, is_blank, parse_number, Cmp, LowerContext, Pred};
use crate::segments::query::{Condition as SegmentCondition, Expr, Op, Unit, Value, Window};
use crate::segments::sql::{self, Compiled, Mode};
use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CriteriaKind {
    /// A field of the lead, its company (`company.industry`) or a custom field (`custom.Region`):
    /// any field a segment can test.
    Field,
    /// The part of the email address after `@`.
    EmailDomain,
    /// How many inquiries the lead made (of a channel, in the last N days).
    InquiryCount,
    /// How many analytics events the lead has (of a type, in the last N days).
    EventCount,
    /// Days since the lead's last activity (an edit, inquiry, reminder or event).
    DaysSinceActivity,
    /// Each inquiry whose channel or message matches.
    Inquiry,
    /// Each analytics event whose type or value matches.
    Event,
}

/// The seed's condition vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RuleCondition")]
pub enum Condition {
    Equals,
    NotEquals,
    Contains,
    NotContains,
    GreaterThan,
    LessThan,
    In,
    Exists,
    NotExists,
}

impl Condition {
    pub fn label(self) -> &'static str {
        match self {
            Condition::Equals => "is",
            Condition::NotEquals => "is not",
            Condition::Contains => "contains",
            Condition::NotContains => "does not contain",
            Condition::GreaterThan => "is more than",
            Condition::LessThan => "is less than",
            Condition::In => "is one of",
            Condition::Exists => "is set",
            Condition::NotExists => "is not set",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Criteria {
    pub kind: CriteriaKind,
    /// `field`: the field's name (`job_title`, `company.industry`, `custom.Region`).
    /// `inquiry`: `channel` or `message`; `event`: `type` or `value`. Unused otherwise.
    #[serde(default)]
    pub field: Option<String>,
    pub condition: Condition,
    /// One value; several for `in`; none for `exists`/`not_exists`. Numbers are written as text.
    #[serde(default)]
    pub values: Vec<String>,
    /// Counts and per-row rules: only inquiries of this channel / events of this type.
    #[serde(default)]
    pub of_type: Option<String>,
    /// Counts and per-row rules: only rows of the last N days.
    #[serde(default)]
    pub window_days: Option<u32>,
}

impl Criteria {
    /// What an unreadable stored rule shows as its criteria (it is marked broken and skipped).
    pub(crate) fn unreadable() -> Self {
        Self { kind: CriteriaKind::Field, field: None, condition: Condition::Exists, values: vec![], of_type: None, window_days: None }
    }
}

/// A rule as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoringRule {
    pub id: String,
    pub name: String,
    pub criteria: Criteria,
    pub points: i32,
    /// Points for every matching inquiry or event instead of once per lead.
    pub per_match: bool,
    pub active: bool,
    /// Local days (YYYY-MM-DD), inclusive. A per-match rule counts rows of those days; any other
    /// rule applies while today is inside them.
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// One line saying what the rule does: "job title contains “ceo”: +15".
    pub summary: String,
    /// Why the rule is skipped when scores are computed (it cannot be read or compiled: it came
    /// from an older version or was written on the server by hand). None when it works.
    pub broken: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleInput {
    pub name: String,
    pub criteria: Criteria,
    pub points: i32,
    #[serde(default)]
    pub per_match: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_until: Option<String>,
}

fn yes() -> bool {
    true
}

/// The longest time window a count or per-row rule can look back: 100 years. Anything longer
/// means "all time" (leave the window out), and a moment that far back is outside chrono's range.
pub const MAX_WINDOW_DAYS: u32 = 36_500;

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::field(ErrorCode::InvalidRule, field, message)
}

/// Checks a rule and returns it cleaned up (trimmed name, canonical field name). Typed rules,
/// pulled rules and stored rules all go through it.
pub fn validate(input: &RuleInput) -> Result<RuleInput> {
    let rule = check(input)?;
    // Compile once now so every mistake surfaces when the rule is saved, not at scoring time.
    compile_rule(0, &rule, Local::now(), &HashMap::new())?;
    Ok(rule)
}

/// [`validate`] without compiling (the caller compiles it next).
fn check(input: &RuleInput) -> Result<RuleInput> {
    let mut rule = input.clone();
    rule.name = rule.name.trim().to_string();
    if rule.name.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "name", "A rule needs a name"));
    }
    if rule.name.chars().count() > 200 {
        return Err(AppError::field(ErrorCode::TooLong, "name", "A rule name can have at most 200 characters"));
    }
    if !(-100..=100).contains(&rule.points) {
        return Err(invalid("points", format!("Points must be between -100 and 100, not {}", rule.points)));
    }
    let c = &mut rule.criteria;
    c.values = c.values.iter().map(|v| v.trim().to_string()).collect();
    c.of_type = c.of_type.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let needs = match c.condition {
        Condition::Exists | Condition::NotExists => 0..=0,
        Condition::In => 1..=1000,
        _ => 1..=1,
    };
    if !needs.contains(&c.values.len()) {
        let want = match c.condition {
            Condition::Exists | Condition::NotExists => "no value".to_string(),
            Condition::In => "at least one value".to_string(),
            _ => "exactly one value".to_string(),
        };
        return Err(invalid("values", format!("“{}” takes {want}, not {}", c.condition.label(), c.values.len())));
    }
    if let Some(days) = c.window_days {
        if !(1..=MAX_WINDOW_DAYS).contains(&days) {
            return Err(invalid("windowDays", format!("A time window is 1 to {MAX_WINDOW_DAYS} days (100 years), not {days}")));
        }
    }
    let per_row = matches!(c.kind, CriteriaKind::Inquiry | CriteriaKind::Event);
    if rule.per_match && !per_row {
        return Err(invalid("perMatch", "Only inquiry and event rules can give points per match"));
    }
    match c.kind {
        CriteriaKind::Field => {
            let name = c.field.as_deref().map(str::trim).unwrap_or_default();
            let spec = fields::lookup(name).ok_or_else(|| invalid("field", fields::unknown_field_message(name)))?;
            // A count (logged calls, meetings…) is tested as a number, in an optional window.
            if spec.kind == FieldKind::Count {
                if matches!(c.condition, Condition::Contains | Condition::NotContains | Condition::In) {
                    return Err(invalid("condition", format!("A number cannot be tested with “{}”", c.condition.label())));
                }
                if let Some(v) = c.values.first() {
                    parse_number(v).ok_or_else(|| invalid("values", format!("“{v}” is not a number")))?;
                }
            } else {
                // Only a count has a time window.
                c.window_days = None;
            }
            c.field = Some(spec.canonical_name(name));
        }
        CriteriaKind::Inquiry | CriteriaKind::Event => {
            let allowed: &[&str] = if c.kind == CriteriaKind::Inquiry { &["channel", "message"] } else { &["type", "value"] };
            let name = c.field.as_deref().map(|f| f.trim().to_lowercase()).unwrap_or_else(|| allowed[0].to_string());
            if !allowed.contains(&name.as_str()) {
                return Err(invalid("field", format!("An {} rule tests {}, not “{name}”", kind_noun(c.kind), allowed.join(" or "))));
            }
            c.field = Some(name);
        }
        _ => c.field = None,
    }
    if matches!(c.kind, CriteriaKind::InquiryCount | CriteriaKind::EventCount | CriteriaKind::DaysSinceActivity) {
        if matches!(c.condition, Condition::Contains | Condition::NotContains | Condition::In) {
            return Err(invalid("condition", format!("A number cannot be tested with “{}”", c.condition.label())));
        }
        if let Some(v) = c.values.first() {
            parse_number(v).ok_or_else(|| invalid("values", format!("“{v}” is not a number")))?;
        }
    }
    for (field, day) in [("validFrom", &rule.valid_from), ("validUntil", &rule.valid_until)] {
        if let Some(d) = day {
            let day = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| invalid(field, format!("“{d}” is not a date like 2026-11-01")))?;
            if !(1900..=9999).contains(&day.year()) {
                return Err(invalid(field, format!("“{d}” is outside the years 1900 to 9999")));
            }
        }
    }
    if let (Some(a), Some(b)) = (&rule.valid_from, &rule.valid_until) {
        if a > b {
            return Err(invalid("validUntil", format!("The rule would end ({b}) before it starts ({a})")));
        }
    }
    Ok(rule)
}

fn kind_noun(kind: CriteriaKind) -> &'static str {
    match kind {
        CriteriaKind::Inquiry | CriteriaKind::InquiryCount => "inquiry",
        _ => "event",
    }
}

/// "job title contains “ceo”", "each page_view event whose value contains “/pricing”".
pub fn describe(input: &RuleInput) -> String {
    let c = &input.criteria;
    let values = match c.values.as_slice() {
        [] => String::new(),
        [one] => format!(" “{one}”"),
        many => format!(" {}", many.iter().map(|v| format!("“{v}”")).collect::<Vec<_>>().join(", ")),
    };
    let window = c.window_days.map(|d| format!(" in the last {d} days")).unwrap_or_default();
    let of_type = c.of_type.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
    let test = format!("{}{values}", c.condition.label());
    let what = match c.kind {
        CriteriaKind::Field => format!("{}{window} {test}", c.field.as_deref().unwrap_or("?").replace('_', " ")),
        CriteriaKind::EmailDomain => format!("email domain {test}"),
        CriteriaKind::InquiryCount => format!("number of{of_type} inquiries{window} {test}"),
        CriteriaKind::EventCount => format!("number of{of_type} events{window} {test}"),
        CriteriaKind::DaysSinceActivity => format!("days since last activity {test}"),
        CriteriaKind::Inquiry | CriteriaKind::Event => {
            let each = if input.per_match { "each" } else { "any" };
            format!("{each}{of_type} {}{window} whose {} {test}", kind_noun(c.kind), c.field.as_deref().unwrap_or("?"))
        }
    };
    let sign = if input.points >= 0 { "+" } else { "" };
    format!("{what}: {sign}{}{}", input.points, if input.per_match { " each" } else { "" })
}

/// A text test evaluated in Rust, with the segment language's folding and blank rules.
#[derive(Debug, Clone)]
pub(crate) enum TextMatch {
    Equals(String),
    Contains(String),
    OneOf(Vec<String>),
    Present,
    Number(Cmp, f64),
    Not(Box<TextMatch>),
}

impl TextMatch {
    fn new(condition: Condition, values: &[String]) -> Result<Self> {
        let first = values.first().map(|v| fold(v)).unwrap_or_default();
        let number = |v: Option<&String>| {
            let v = v.map(String::as_str).unwrap_or_default();
            parse_number(v).ok_or_else(|| invalid("values", format!("“{v}” is not a number")))
        };
        Ok(match condition {
            Condition::Equals => TextMatch::Equals(first),
            Condition::NotEquals => TextMatch::Not(Box::new(TextMatch::Equals(first))),
            Condition::Contains => TextMatch::Contains(first),
            Condition::NotContains => TextMatch::Not(Box::new(TextMatch::Contains(first))),
            Condition::In => TextMatch::OneOf(values.iter().map(|v| fold(v)).collect()),
            Condition::Exists => TextMatch::Present,
            Condition::NotExists => TextMatch::Not(Box::new(TextMatch::Present)),
            Condition::GreaterThan => TextMatch::Number(Cmp::Gt, number(values.first())?),
            Condition::LessThan => TextMatch::Number(Cmp::Lt, number(values.first())?),
        })
    }

    pub(crate) fn holds(&self, value: Option<&str>) -> bool {
        match self {
            TextMatch::Not(inner) => !inner.holds(value),
            TextMatch::Present => value.is_some_and(|v| !is_blank(v)),
            TextMatch::Number(cmp, n) => value.and_then(parse_number).is_some_and(|v| cmp.holds(v, *n)),
            _ => {
                let Some(v) = value else { return false };
                let v = fold(v);
                match self {
                    TextMatch::Equals(needle) => v.trim() == needle.trim(),
                    TextMatch::Contains(needle) => v.contains(needle.as_str()),
                    TextMatch::OneOf(needles) => needles.iter().any(|n| v.trim() == n.trim()),
                    _ => unreachable!("handled above"),
                }
            }
        }
    }
}

/// Inquiries or events of a lead, as a per-row rule reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    Inquiries,
    Events,
}

/// How one rule is tested on a lead.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// A column of the lead row the runner selects: the predicate compiled for a range of leads
    /// (related sets materialized once per query) and for one lead (correlated lookups).
    Sql { range: Compiled, one: Compiled },
    EmailDomain(TextMatch),
    /// Count rows (of a type, since a moment) and compare.
    Count { rows: Rows, of_type: Option<String>, since: Option<String>, cmp: CountCmp },
    DaysSinceActivity(CountCmp),
    /// Rows whose `channel`/`type` (`kind = true`) or `message`/`value` match.
    PerRow { rows: Rows, of_type: Option<String>, on_kind: bool, test: TextMatch, since: Option<String> },
}

/// A number compared as the seed's conditions do; `exists` = more than zero.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CountCmp {
    pub cmp: Cmp,
    pub n: f64,
    pub negate: bool,
}

impl CountCmp {
    fn new(condition: Condition, values: &[String]) -> Result<Self> {
        let n = values.first().map(|v| parse_number(v).unwrap_or(0.0)).unwrap_or(0.0);
        let (cmp, n, negate) = match condition {
            Condition::Equals => (Cmp::Eq, n, false),
            Condition::NotEquals => (Cmp::Eq, n, true),
            Condition::GreaterThan => (Cmp::Gt, n, false),
            Condition::LessThan => (Cmp::Lt, n, false),
            Condition::Exists => (Cmp::Gt, 0.0, false),
            Condition::NotExists => (Cmp::Eq, 0.0, false),
            other => return Err(invalid("condition", format!("A number cannot be tested with “{}”", other.label()))),
        };
        Ok(Self { cmp, n, negate })
    }

    pub(crate) fn holds(&self, value: f64) -> bool {
        self.cmp.holds(value, self.n) != self.negate
    }
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    /// The rule's local number (`scoring_rules.num`): how stored breakdowns name it.
    pub num: i64,
    pub points: i64,
    pub per_match: bool,
    pub test: Test,
    /// Per-row rules: rows from this moment (UTC stamp) ...
    pub rows_from: Option<String>,
    /// ... and before this one.
    pub rows_until: Option<String>,
}

/// All active rules that apply now, and the moment they were compiled for.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    pub rules: Vec<CompiledRule>,
    pub now: DateTime<Utc>,
    pub half_life_days: Option<f64>,
}

impl RuleSet {
    pub(crate) fn needs(&self, rows: Rows) -> bool {
        self.rules.iter().any(|r| match &r.test {
            Test::Count { rows: x, .. } | Test::PerRow { rows: x, .. } => *x == rows,
            Test::DaysSinceActivity(_) => rows == Rows::Events,
            _ => false,
        })
    }

    pub(crate) fn needs_activity(&self) -> bool {
        self.rules.iter().any(|r| matches!(r.test, Test::DaysSinceActivity(_)))
    }

    /// The SQL predicates, in rule order, each with its rule's index: for one lead or a range.
    pub(crate) fn sql_tests(&self, one: bool) -> impl Iterator<Item = (usize, &Compiled)> {
        self.rules.iter().enumerate().filter_map(move |(i, r)| match &r.test {
            Test::Sql { range, one: single } => Some((i, if one { single } else { range })),
            _ => None,
        })
    }
}

fn local_day_start(day: &str) -> Option<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Local.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc))
}

/// A stored rule that cannot take part in scoring, and why (it is skipped, never the reason a
/// write fails).
#[derive(Debug, Clone)]
pub(crate) struct BrokenRule {
    /// Its position in the list given to [`compile_set`].
    pub index: usize,
    pub error: AppError,
}

/// Compiles the rules that take part in scoring at `now`: active ones; a once-per-lead rule only
/// while today is inside its validity dates. Every rule is checked as a typed one is (it may
/// come from a teammate or from plain SQL on the server); one that fails is left out and named.
/// `rules`: each rule's number and definition.
pub(crate) fn compile_set(rules: &[(i64, RuleInput)], now: DateTime<Local>, half_life_days: Option<f64>) -> (RuleSet, Vec<BrokenRule>) {
    let segment_ids = HashMap::new();
    let mut compiled = Vec::new();
    let mut broken = Vec::new();
    for (index, (num, rule)) in rules.iter().enumerate().filter(|(_, (_, r))| r.active) {
        let c = match check(rule).and_then(|rule| compile_rule(*num, &rule, now, &segment_ids)) {
            Ok(c) => c,
            Err(error) => {
                broken.push(BrokenRule { index, error });
                continue;
            }
        };
        if !c.per_match && !matches!(c.test, Test::PerRow { .. }) {
            let now_utc = now.with_timezone(&Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let started = c.rows_from.as_ref().is_none_or(|f| *f <= now_utc);
            let ended = c.rows_until.as_ref().is_some_and(|u| *u <= now_utc);
            if !started || ended {
                continue;
            }
        }
        compiled.push(c);
    }
    let half_life_days = half_life_days.filter(|d| d.is_finite() && *d > 0.0);
    (RuleSet { rules: compiled, now: now.with_timezone(&Utc), half_life_days }, broken)
}

fn stamp(t: DateTime<Utc>) -> String {
    crate::clock::format_time(t)
}

fn compile_rule(num: i64, rule: &RuleInput, now: DateTime<Local>, segment_ids: &HashMap<String, String>) -> Result<CompiledRule> {
    let c = &rule.criteria;
    // Checked: a rule may come from a teammate's desktop or plain SQL on the server, so its
    // window is not trusted to be in range even though `validate` refuses longer ones.
    let since = match c.window_days {
        None => None,
        Some(d) => Some(stamp(
            Duration::try_days(d.into())
                .filter(|_| (1..=MAX_WINDOW_DAYS).contains(&d))
                .and_then(|w| now.with_timezone(&Utc).checked_sub_signed(w))
                .ok_or_else(|| invalid("windowDays", format!("A time window is 1 to {MAX_WINDOW_DAYS} days (100 years), not {d}")))?,
        )),
    };
    let rows_of = |kind| if kind == CriteriaKind::Inquiry || kind == CriteriaKind::InquiryCount { Rows::Inquiries } else { Rows::Events };
    let test = match c.kind {
        CriteriaKind::Field => {
            let field = c.field.clone().unwrap_or_default();
            let spec = fields::lookup(&field).ok_or_else(|| invalid("field", fields::unknown_field_message(&field)))?;
            let (op, negate) = match c.condition {
                Condition::Equals => (Op::Eq, false),
                Condition::NotEquals => (Op::Ne, false),
                Condition::Contains => (Op::Contains, false),
                Condition::NotContains => (Op::Contains, true),
                Condition::GreaterThan => (Op::Gt, false),
                Condition::LessThan => (Op::Lt, false),
                Condition::In => (Op::In, false),
                Condition::Exists => (Op::IsNotEmpty, false),
                Condition::NotExists => (Op::IsEmpty, false),
            };
            let (op, values, window) = if spec.kind == FieldKind::Count {
                // "calls in the last 30 days is more than 0": the segment language's `calls(30d) > 0`.
                let n = c.values.first().and_then(|v| parse_number(v)).unwrap_or(0.0);
                let (op, n) = match c.condition {
                    Condition::Exists => (Op::Gt, 0.0),
                    Condition::NotExists => (Op::Eq, 0.0),
                    _ => (op, n),
                };
                (op, vec![Value::Number(n)], c.window_days.map(|d| Window { amount: d, unit: Unit::Days }))
            } else {
                (op, c.values.iter().map(|v| field_value(spec.kind, v)).collect::<Result<Vec<_>>>()?, None)
            };
            let cond = Expr::Cond(SegmentCondition { field, window, op, values });
            let expr = if negate { Expr::Not { item: Box::new(cond) } } else { cond };
            let pred: Pred = lower::lower(&expr, &LowerContext { now, segment_ids }).map_err(|m| invalid("condition", m))?;
            Test::Sql { range: sql::compile(&pred, Mode::Set), one: sql::compile(&pred, Mode::Row) }
        }
        CriteriaKind::EmailDomain => Test::EmailDomain(TextMatch::new(c.condition, &c.values)?),
        CriteriaKind::InquiryCount | CriteriaKind::EventCount => Test::Count {
            rows: rows_of(c.kind),
            of_type: c.of_type.as_deref().map(fold),
            since,
            cmp: CountCmp::new(c.condition, &c.values)?,
        },
        CriteriaKind::DaysSinceActivity => Test::DaysSinceActivity(CountCmp::new(c.condition, &c.values)?),
        CriteriaKind::Inquiry | CriteriaKind::Event => Test::PerRow {
            rows: rows_of(c.kind),
            of_type: c.of_type.as_deref().map(fold),
            on_kind: matches!(c.field.as_deref(), Some("channel" | "type") | None),
            test: TextMatch::new(c.condition, &c.values)?,
            since,
        },
    };
    let from = rule.valid_from.as_deref().and_then(local_day_start).map(stamp);
    let until = rule
        .valid_until
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| d.succ_opt())
        .and_then(|d| local_day_start(&d.format("%Y-%m-%d").to_string()))
        .map(stamp);
    Ok(CompiledRule { num, points: rule.points as i64, per_match: rule.per_match, test, rows_from: from, rows_until: until })
}

/// A rule's value text as the segment language's value for a field of this kind.
fn field_value(kind: FieldKind, text: &str) -> Result<Value> {
    Ok(match kind {
        FieldKind::Number => Value::Number(parse_number(text).ok_or_else(|| invalid("values", format!("“{text}” is not a number")))?),
        FieldKind::Bool => match text.to_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(invalid("values", format!("“{text}” is not yes or no"))),
        },
        FieldKind::Date => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| invalid("values", format!("“{text}” is not a date like 2026-11-01")))?;
            Value::Date(text.to_string())
        }
        FieldKind::Custom => match parse_number(text) {
            Some(n) => Value::Number(n),
            None => Value::Text(text.to_string()),
        },
        _ => Value::Text(text.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: CriteriaKind, field: Option<&str>, condition: Condition, values: &[&str]) -> RuleInput {
        RuleInput {
            name: "r".into(),
            criteria: Criteria { kind, field: field.map(str::to_string), condition, values: values.iter().map(|v| v.to_string()).collect(), of_type: None, window_days: None },
            points: 10,
            per_match: false,
            active: true,
            valid_from: None,
            valid_until: None,
        }
    }

    #[test]
    fn mistakes_are_named_when_a_rule_is_saved() {
        let err = |r: RuleInput| validate(&r).unwrap_err().message;
        assert!(err(rule(CriteriaKind::Field, Some("jbo_title"), Condition::Equals, &["x"])).contains("job_title"), "did-you-mean");
        assert!(err(rule(CriteriaKind::Field, Some("score"), Condition::GreaterThan, &["lots"])).contains("“lots” is not a number"));
        assert!(err(rule(CriteriaKind::Field, Some("email"), Condition::Equals, &[])).contains("exactly one value"));
        assert!(err(rule(CriteriaKind::EventCount, None, Condition::Contains, &["3"])).contains("cannot be tested"));
        assert!(err(rule(CriteriaKind::Inquiry, Some("subject"), Condition::Equals, &["x"])).contains("channel or message"));
        let mut r = rule(CriteriaKind::Field, Some("email"), Condition::Exists, &[]);
        r.points = 101;
        assert!(err(r.clone()).contains("between -100 and 100"));
        r.points = 5;
        r.per_match = true;
        assert!(err(r.clone()).contains("per match"));
        r.per_match = false;
        r.valid_from = Some("2026-12-01".into());
        r.valid_until = Some("2026-11-01".into());
        assert!(err(r).contains("before it starts"));
    }

    #[test]
    fn text_tests_fold_case_and_treat_blank_as_missing() {
        let t = TextMatch::new(Condition::Contains, &["PRICING".into()]).unwrap();
        assert!(t.holds(Some("https://x.io/Pricing")));
        assert!(!t.holds(None));
        let t = TextMatch::new(Condition::NotContains, &["pricing".into()]).unwrap();
        assert!(t.holds(None) && t.holds(Some("/blog")));
        let t = TextMatch::new(Condition::Exists, &[]).unwrap();
        assert!(!t.holds(Some("  ")) && t.holds(Some("a")));
        let t = TextMatch::new(Condition::In, &["Email".into(), "chat".into()]).unwrap();
        assert!(t.holds(Some("email")) && !t.holds(Some("phone")));
        let t = TextMatch::new(Condition::GreaterThan, &["10".into()]).unwrap();
        assert!(t.holds(Some("10.5")) && !t.holds(Some("9")) && !t.holds(Some("x")));
    }

    #[test]
    fn counts_compare_like_the_seed_conditions() {
        let c = |cond, v: &[&str]| CountCmp::new(cond, &v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        assert!(c(Condition::Exists, &[]).holds(1.0) && !c(Condition::Exists, &[]).holds(0.0));
        assert!(c(Condition::NotExists, &[]).holds(0.0));
        assert!(c(Condition::NotEquals, &["2"]).holds(3.0) && !c(Condition::NotEquals, &["2"]).holds(2.0));
        assert!(c(Condition::GreaterThan, &["2"]).holds(3.0) && !c(Condition::LessThan, &["2"]).holds(2.0));
    }

    #[test]
    fn descriptions_read_as_sentences() {
        let mut r = rule(CriteriaKind::Event, Some("value"), Condition::Contains, &["/pricing"]);
        r.per_match = true;
        r.criteria.of_type = Some("page_view".into());
        r.criteria.window_days = Some(30);
        r.points = 3;
        assert_eq!(describe(&r), "each page_view event in the last 30 days whose value contains “/pricing”: +3 each");
        let r = rule(CriteriaKind::Field, Some("job_title"), Condition::In, &["CEO", "CTO"]);
        assert_eq!(describe(&r), "job title is one of “CEO”, “CTO”: +10");
    }
}
