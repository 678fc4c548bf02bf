//! The meaning of a query, fixed once for every back end.
//!
//! A parsed [`Expr`] is lowered against a moment in time to a [`Pred`]: relative dates become
//! timestamps, text is case-folded, `!=`, `is empty` and `not contains` become negations of positive
//! tests, and every test is two-valued (a missing value makes a positive test false, never
//! "unknown"). The SQL compiler and the in-memory evaluator both consume `Pred`, so they can only
//! differ in how they run a test, which the property test checks.

use super::fields::{self, FieldKind, Source};
use super::query::{Condition, Expr, Op, Period, Unit, Value};
use crate::clock::format_time;
use chrono::{DateTime, Datelike, Duration, Local, LocalResult, Months, NaiveDate, TimeZone, Utc};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    Const(bool),
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
    Text(TextField, TextTest),
    Number(NumberField, Cmp, f64),
    NumberIn(NumberField, Vec<f64>),
    /// A timestamp column against a bound: `lo <= x` / `lo < x` and `x < hi` / `x <= hi`.
    Time { column: &'static str, lo: Option<(String, bool)>, hi: Option<(String, bool)> },
    /// A timestamp column that is set (created/updated always are).
    TimeSet(&'static str),
    Bool(&'static str, bool),
    /// Number of related rows since a moment (None: ever) compared with a number.
    Count { table: &'static str, time_column: &'static str, of_type: Option<&'static str>, since: Option<String>, cmp: Cmp, n: f64 },
    /// Member of the segment with this id.
    InSegment(String),
}

/// Where a text value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TextField {
    Lead(&'static str),
    FullName,
    /// The name of the lead's stage / source.
    StageName,
    SourceName,
    Company(&'static str),
    Custom(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberField {
    Lead(&'static str),
    Company(&'static str),
}

/// Positive text tests; needles are already folded with [`fold`].
#[derive(Debug, Clone, PartialEq)]
pub enum TextTest {
    Equals(String),
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    OneOf(Vec<String>),
    NotEmpty,
    /// Custom fields compared with a number: the stored value read as a number.
    Number(Cmp, f64),
    NumberIn(Vec<f64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Cmp {
    pub fn sql(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
        }
    }
    pub fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
        }
    }
}

/// Case folding for case-insensitive matching: full Unicode lower case ("ÄRZTE" = "ärzte").
/// SQLite gets the same function as `lb_fold`.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// "Empty" means missing or only spaces, as SQLite's `trim()` sees it.
pub fn is_blank(text: &str) -> bool {
    text.trim_matches(' ').is_empty()
}

/// A custom field value as text (what `lb_text` returns in SQLite).
pub fn number_text(n: f64) -> String {
    super::query::format_number(n)
}

/// Text read as a number, for custom fields compared with numbers (`lb_num` in SQLite).
pub fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("nan") || trimmed.to_ascii_lowercase().contains("inf") {
        return None;
    }
    trimmed.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// What a query needs to be lowered: the moment "now" is, and segment ids by folded name.
pub struct LowerContext<'a> {
    pub now: DateTime<Local>,
    pub segment_ids: &'a HashMap<String, String>,
}

pub fn lower(expr: &Expr, cx: &LowerContext) -> Result<Pred, String> {
    Ok(match expr {
        Expr::And { items } => Pred::And(items.iter().map(|e| lower(e, cx)).collect::<Result<_, _>>()?),
        Expr::Or { items } => Pred::Or(items.iter().map(|e| lower(e, cx)).collect::<Result<_, _>>()?),
        Expr::Not { item } => Pred::Not(Box::new(lower(item, cx)?)),
        Expr::InSegment { name } => match cx.segment_ids.get(&fold(name.trim())) {
            Some(id) => Pred::InSegment(id.clone()),
            None => return Err(format!("there is no segment named \"{name}\"")),
        },
        Expr::Cond(c) => lower_condition(c, cx)?,
    })
}

fn not(p: Pred) -> Pred {
    Pred::Not(Box::new(p))
}

fn lower_condition(c: &Condition, cx: &LowerContext) -> Result<Pred, String> {
    let spec = fields::lookup(&c.field).ok_or_else(|| fields::unknown_field_message(&c.field))?;
    if !spec.kind.allows(c.op) {
        return Err(format!("'{}' is {}; it takes {}", c.field, spec.kind.article(), spec.kind.operator_list()));
    }
    let needs = match c.op {
        Op::IsEmpty | Op::IsNotEmpty => 0..=0,
        Op::In => 1..=usize::MAX,
        _ => 1..=1,
    };
    if !needs.contains(&c.values.len()) {
        return Err(format!("'{} {}' has {} values", c.field, c.op.symbol(), c.values.len()));
    }
    // Split off the negative operators: each is the negation of a positive test.
    let (positive, negate) = match c.op {
        Op::Ne => (Op::Eq, true),
        Op::IsEmpty => (Op::IsNotEmpty, true),
        other => (other, false),
    };
    let pred = match (spec.kind, spec.source) {
        (FieldKind::Text | FieldKind::Choice | FieldKind::Custom, source) => {
            let field = match source {
                Source::LeadColumn(col) => TextField::Lead(col),
                Source::FullName => TextField::FullName,
                Source::Stage => TextField::StageName,
                Source::Source => TextField::SourceName,
                Source::CompanyColumn(col) => TextField::Company(col),
                Source::Custom => TextField::Custom(c.field["custom.".len()..].to_string()),
                Source::Related { .. } => unreachable!("counts are not text"),
            };
            text_pred(field, positive, &c.values)?
        }
        (FieldKind::Number, source) => {
            let field = match source {
                Source::LeadColumn(col) => NumberField::Lead(col),
                Source::CompanyColumn(col) => NumberField::Company(col),
                _ => unreachable!("numbers are columns"),
            };
            let numbers = c.values.iter().map(number_value).collect::<Result<Vec<_>, _>>()?;
            match positive {
                Op::In => Pred::NumberIn(field, numbers),
                op => Pred::Number(field, cmp_of(op), numbers[0]),
            }
        }
        (FieldKind::Bool, Source::LeadColumn(col)) => match c.values.first() {
            Some(Value::Bool(b)) => Pred::Bool(col, *b),
            other => return Err(format!("'{}' takes true or false, not {other:?}", c.field)),
        },
        (FieldKind::Date, Source::LeadColumn(col)) => match positive {
            Op::IsNotEmpty => Pred::TimeSet(col),
            op => date_pred(col, op, &c.values[0], cx.now)?,
        },
        (FieldKind::Count, Source::Related { table, time_column, of_type }) => {
            let since = c.window.map(|w| format_time(shift(cx.now, -(w.amount as i32), w.unit).with_timezone(&Utc)));
            Pred::Count { table, time_column, of_type, since, cmp: cmp_of(positive), n: number_value(&c.values[0])? }
        }
        (kind, source) => return Err(format!("field '{}' ({kind:?}, {source:?}) cannot be queried", c.field)),
    };
    Ok(if negate { not(pred) } else { pred })
}

fn cmp_of(op: Op) -> Cmp {
    match op {
        Op::Gt => Cmp::Gt,
        Op::Ge => Cmp::Ge,
        Op::Lt => Cmp::Lt,
        Op::Le => Cmp::Le,
        _ => Cmp::Eq,
    }
}

fn number_value(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) if n.is_finite() => Ok(*n),
        other => Err(format!("expected a number, not {other}")),
    }
}

fn text_value(v: &Value) -> Result<String, String> {
    match v {
        Value::Text(s) => Ok(s.clone()),
        Value::Number(n) => Ok(number_text(*n)),
        other => Err(format!("expected text, not {other}")),
    }
}

fn text_pred(field: TextField, op: Op, values: &[Value]) -> Result<Pred, String> {
    let is_custom = matches!(field, TextField::Custom(_));
    // Custom fields compared with numbers compare as numbers.
    if is_custom && values.iter().all(|v| matches!(v, Value::Number(_))) && !values.is_empty() {
        let numbers: Vec<f64> = values.iter().map(number_value).collect::<Result<_, _>>()?;
        return Ok(match op {
            Op::Eq | Op::Gt | Op::Ge | Op::Lt | Op::Le => Pred::Text(field, TextTest::Number(cmp_of(op), numbers[0])),
            Op::In => Pred::Text(field, TextTest::NumberIn(numbers)),
            _ => Pred::Text(field, text_test(op, numbers.iter().map(|n| fold(&number_text(*n))).collect())?),
        });
    }
    if matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le) {
        return Err("text can only be compared with =, !=, contains, starts_with, ends_with and in".into());
    }
    let needles: Vec<String> = values.iter().map(|v| text_value(v).map(|s| fold(&s))).collect::<Result<_, _>>()?;
    // Comparing with empty text means "is empty": a blank needle tests presence, not content.
    let (blank, present): (Vec<String>, Vec<String>) = needles.into_iter().partition(|n| is_blank(n));
    if op == Op::IsNotEmpty {
        return Ok(Pred::Text(field, TextTest::NotEmpty));
    }
    if !blank.is_empty() {
        let empty = not(Pred::Text(field.clone(), TextTest::NotEmpty));
        return Ok(match op {
            Op::Eq => empty,
            // "contains ''" holds for every value that is there.
            Op::Contains | Op::StartsWith | Op::EndsWith => Pred::Text(field, TextTest::NotEmpty),
            _ if present.is_empty() => empty,
            _ => Pred::Or(vec![empty, Pred::Text(field, TextTest::OneOf(present))]),
        });
    }
    Ok(Pred::Text(field, text_test(op, present)?))
}

fn text_test(op: Op, mut needles: Vec<String>) -> Result<TextTest, String> {
    let first = needles.first().cloned().unwrap_or_default();
    Ok(match op {
        Op::Eq => TextTest::Equals(first),
        Op::Contains => TextTest::Contains(first),
        Op::StartsWith => TextTest::StartsWith(first),
        Op::EndsWith => TextTest::EndsWith(first),
        Op::In => {
            needles.dedup();
            TextTest::OneOf(needles)
        }
        Op::IsNotEmpty => TextTest::NotEmpty,
        other => return Err(format!("'{}' does not apply to text", other.symbol())),
    })
}

/// Lowers `created > -30d`, `created = this_month`, `updated < 2026-01-01`.
fn date_pred(column: &'static str, op: Op, value: &Value, now: DateTime<Local>) -> Result<Pred, String> {
    let stamp = |t: DateTime<Local>| format_time(t.with_timezone(&Utc));
    let (start, end) = match value {
        Value::Relative { amount, unit } => {
            // An instant: compare with it directly.
            let t = stamp(shift(now, *amount, *unit));
            let (lo, hi) = match op {
                Op::Eq => (Some((t.clone(), true)), Some((t, true))),
                Op::Gt => (Some((t, false)), None),
                Op::Ge => (Some((t, true)), None),
                Op::Lt => (None, Some((t, false))),
                Op::Le => (None, Some((t, true))),
                other => return Err(format!("'{}' does not apply to dates", other.symbol())),
            };
            return Ok(Pred::Time { column, lo, hi });
        }
        Value::Date(day) => {
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| format!("{day} is not a date"))?;
            (day, day + Duration::days(1))
        }
        Value::Period(period) => period_span(*period, now.date_naive()),
        other => return Err(format!("expected a date, not {other}")),
    };
    // A calendar span [start, end) in local time.
    let (s, e) = (stamp(local_midnight(start)), stamp(local_midnight(end)));
    let (lo, hi) = match op {
        Op::Eq => (Some((s, true)), Some((e, false))),
        Op::Gt => (Some((e, true)), None),
        Op::Ge => (Some((s, true)), None),
        Op::Lt => (None, Some((s, false))),
        Op::Le => (None, Some((e, false))),
        other => return Err(format!("'{}' does not apply to dates", other.symbol())),
    };
    Ok(Pred::Time { column, lo, hi })
}

fn period_span(period: Period, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let week_start = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let month_start = today.with_day(1).expect("day 1 exists");
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("January 1st exists");
    match period {
        Period::Today => (today, today + Duration::days(1)),
        Period::Yesterday => (today - Duration::days(1), today),
        Period::ThisWeek => (week_start, week_start + Duration::days(7)),
        Period::LastWeek => (week_start - Duration::days(7), week_start),
        Period::ThisMonth => (month_start, month_start + Months::new(1)),
        Period::LastMonth => (month_start - Months::new(1), month_start),
        Period::ThisYear => (year_start, year_start + Months::new(12)),
        Period::LastYear => (year_start - Months::new(12), year_start),
    }
}

/// Midnight at the start of a local day; on a day that starts inside a DST gap, the first valid moment.
fn local_midnight(day: NaiveDate) -> DateTime<Local> {
    let mut t = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..4 {
        match Local.from_local_datetime(&t) {
            LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => return x,
            LocalResult::None => t += Duration::minutes(30),
        }
    }
    Local.from_utc_datetime(&t)
}

fn shift(now: DateTime<Local>, amount: i32, unit: Unit) -> DateTime<Local> {
    let months = |m: i32| {
        let m = Months::new(m.unsigned_abs());
        if amount < 0 { now.checked_sub_months(m) } else { now.checked_add_months(m) }.unwrap_or(now)
    };
    match unit {
        Unit::Days => now + Duration::days(amount as i64),
        Unit::Weeks => now + Duration::weeks(amount as i64),
        Unit::Months => months(amount),
        Unit::Years => months(amount.saturating_mul(12)),
    }
}
