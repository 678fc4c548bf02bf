//! Compiles a lowered query ([`Pred`]) to a SQLite predicate over `leads l`.
//!
//! User text only ever becomes a bound parameter; the SQL text is built from this file's
//! literals and column names from the field table. Every test is two-valued (`ifnull(…, 0)`
//! where a value can be missing), so `not` means what it says.

use super::lower::{Cmp, NumberField, Pred, TextField, TextTest};
use std::fmt::Write;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    Int(i64),
    Real(f64),
}

/// How the predicate will run: over every lead (refresh, count) or for one lead at a time
/// (incremental re-evaluation), which decides between materialized sets and correlated lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Set,
    Row,
}

#[derive(Debug, Clone, Default)]
pub struct Compiled {
    /// A boolean SQL expression over the alias `l` (a row of `leads`).
    pub sql: String,
    pub params: Vec<Param>,
}

pub fn compile(pred: &Pred, mode: Mode) -> Compiled {
    let mut out = Compiled::default();
    emit(pred, mode, &mut out);
    out
}

fn number(n: f64) -> Param {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Param::Int(n as i64)
    } else {
        Param::Real(n)
    }
}

/// `?, ?, ?` for a list, pushing the values.
fn list(out: &mut Compiled, values: impl IntoIterator<Item = Param>) -> String {
    let mut marks = Vec::new();
    for v in values {
        out.params.push(v);
        marks.push("?");
    }
    marks.join(", ")
}

fn emit(pred: &Pred, mode: Mode, out: &mut Compiled) {
    match pred {
        Pred::Const(b) => out.sql.push_str(if *b { "1" } else { "0" }),
        Pred::And(items) | Pred::Or(items) if items.is_empty() => out.sql.push_str(if matches!(pred, Pred::And(_)) { "1" } else { "0" }),
        Pred::And(items) | Pred::Or(items) => {
            let joiner = if matches!(pred, Pred::And(_)) { " AND " } else { " OR " };
            out.sql.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.sql.push_str(joiner);
                }
                emit(item, mode, out);
            }
            out.sql.push(')');
        }
        Pred::Not(item) => {
            out.sql.push_str("NOT ");
            emit(item, mode, out);
        }
        Pred::Text(field, test) => emit_text(field, test, mode, out),
        Pred::Number(field, ..) | Pred::NumberIn(field, _) => emit_number(field, mode, out, |out, column| number_test(pred, out, column)),
        Pred::Time { column, lo, hi } => {
            let mut parts = Vec::new();
            if let Some((t, inclusive)) = lo {
                out.params.push(Param::Text(t.clone()));
                parts.push(format!("l.{column} {} ?", if *inclusive { ">=" } else { ">" }));
            }
            if let Some((t, inclusive)) = hi {
                out.params.push(Param::Text(t.clone()));
                parts.push(format!("l.{column} {} ?", if *inclusive { "<=" } else { "<" }));
            }
            if parts.is_empty() {
                parts.push(format!("l.{column} IS NOT NULL"));
            }
            write!(out.sql, "({})", parts.join(" AND ")).expect("write to String");
        }
        Pred::TimeSet(column) => write!(out.sql, "(l.{column} IS NOT NULL)").expect("write to String"),
        Pred::Bool(column, b) => {
            out.params.push(Param::Int(i64::from(*b)));
            write!(out.sql, "(l.{column} = ?)").expect("write to String");
        }
        Pred::Count { table, time_column, of_type, since, cmp, n } => emit_count(table, time_column, *of_type, since.as_deref(), *cmp, *n, mode, out),
        Pred::InSegment(id) => {
            out.params.push(Param::Text(id.clone()));
            out.sql.push_str(match mode {
                Mode::Set => "(l.num IN (SELECT lead_num FROM segment_members WHERE segment_id = ? AND left_refresh IS NULL))",
                Mode::Row => "EXISTS (SELECT 1 FROM segment_members WHERE segment_id = ? AND lead_num = l.num AND left_refresh IS NULL)",
            });
        }
    }
}

/// `test` renders the positive, two-valued test of a value expression (pushing its parameters).
fn emit_text(field: &TextField, test: &TextTest, mode: Mode, out: &mut Compiled) {
    match field {
        TextField::Lead("status") if !matches!(test, TextTest::Contains(_) | TextTest::StartsWith(_) | TextTest::EndsWith(_)) => {
            // Statuses are lower-case by constraint, so the indexable plain comparison means the same.
            let sql = text_test("l.status", test, out);
            out.sql.push_str(&sql);
        }
        TextField::Lead(column) => {
            let sql = text_test(&format!("l.{column}"), test, out);
            out.sql.push_str(&sql);
        }
        TextField::FullName => {
            let sql = text_test("trim(l.first_name || ' ' || l.last_name, ' ')", test, out);
            out.sql.push_str(&sql);
        }
        TextField::Custom(key) => {
            out.params.push(Param::Text(json_path(key)));
            let sql = text_test("json_extract(l.custom_fields, ?)", test, out);
            out.sql.push_str(&sql);
        }
        TextField::StageName | TextField::SourceName => {
            let (table, column) = if *field == TextField::StageName { ("lead_stages", "stage_id") } else { ("lead_sources", "source_id") };
            if *test == TextTest::NotEmpty {
                write!(out.sql, "(l.{column} IS NOT NULL)").expect("write to String");
                return;
            }
            // A handful of rows: materialize the matching ids once, whatever the mode.
            let inner = text_test("name", test, out);
            write!(out.sql, "(l.{column} IS NOT NULL AND l.{column} IN (SELECT id FROM {table} WHERE {inner}))").expect("write to String");
        }
        TextField::Company(column) => {
            let inner = text_test(&format!("c.{column}"), test, out);
            emit_company(mode, &inner, out);
        }
    }
}

fn emit_company(mode: Mode, inner: &str, out: &mut Compiled) {
    match mode {
        Mode::Set => write!(out.sql, "(l.company_id IS NOT NULL AND l.company_id IN (SELECT c.id FROM companies c WHERE {inner}))"),
        Mode::Row => write!(out.sql, "EXISTS (SELECT 1 FROM companies c WHERE c.id = l.company_id AND {inner})"),
    }
    .expect("write to String");
}

/// A lead's score: its own table keeps it out of the wide lead row (see migration 0010).
const SCORE_OF_LEAD: &str = "(SELECT score FROM scores WHERE lead_num = l.num)";
/// The index of live scores, (score, lead_num).
const SCORE_INDEX: &str = "scores_by_score";

fn emit_number(field: &NumberField, mode: Mode, out: &mut Compiled, test: impl FnOnce(&mut Compiled, &str) -> String) {
    match field {
        // Every lead has a score row, and the score is NOT NULL: the test is two-valued.
        NumberField::Lead("score") => {
            let sql = test(out, SCORE_OF_LEAD);
            write!(out.sql, "({sql})").expect("write to String");
        }
        // Lead number columns are NOT NULL: a plain comparison is two-valued and can use the index.
        NumberField::Lead(column) => {
            let sql = test(out, &format!("l.{column}"));
            write!(out.sql, "({sql})").expect("write to String");
        }
        NumberField::Company(column) => {
            let sql = test(out, &format!("c.{column}"));
            emit_company(mode, &format!("ifnull({sql}, 0)"), out);
        }
    }
}

/// The positive test of a text-valued SQL expression that may be NULL.
fn text_test(value: &str, test: &TextTest, out: &mut Compiled) -> String {
    let folded = format!("lb_fold({value})");
    let sql = match test {
        TextTest::Equals(needle) => {
            out.params.push(Param::Text(needle.clone()));
            format!("{folded} = ?")
        }
        TextTest::Contains(needle) => {
            out.params.push(Param::Text(needle.clone()));
            format!("instr({folded}, ?) > 0")
        }
        TextTest::StartsWith(needle) => {
            out.params.push(Param::Int(needle.chars().count() as i64));
            out.params.push(Param::Text(needle.clone()));
            format!("substr({folded}, 1, ?) = ?")
        }
        TextTest::EndsWith(needle) => {
            out.params.push(Param::Int(-(needle.chars().count() as i64)));
            out.params.push(Param::Text(needle.clone()));
            format!("substr({folded}, ?) = ?")
        }
        TextTest::OneOf(needles) => {
            let marks = list(out, needles.iter().cloned().map(Param::Text));
            format!("{folded} IN ({marks})")
        }
        TextTest::NotEmpty => format!("trim(lb_text({value}), ' ') != ''"),
        TextTest::Number(cmp, n) => {
            out.params.push(number(*n));
            format!("lb_num({value}) {} ?", cmp.sql())
        }
        TextTest::NumberIn(values) => {
            let marks = list(out, values.iter().map(|n| number(*n)));
            format!("lb_num({value}) IN ({marks})")
        }
    };
    // lb_fold(NULL) is NULL: make the test false rather than unknown.
    let sql = if value == "l.status" { sql.replace("lb_fold(l.status)", "l.status") } else { sql };
    format!("ifnull({sql}, 0)")
}

/// `$."key"`: the key quoted so dots and spaces in it are part of the name.
pub fn json_path(key: &str) -> String {
    format!("$.\"{key}\"")
}

#[allow(clippy::too_many_arguments)]
fn emit_count(table: &str, time_column: &str, of_type: Option<&str>, since: Option<&str>, cmp: Cmp, n: f64, mode: Mode, out: &mut Compiled) {
    // The row filter: the activity type (a constant from the field table, bound all the same),
    // then the time window.
    let window = |out: &mut Compiled| {
        let mut w = String::new();
        if let Some(kind) = of_type {
            out.params.push(Param::Text(kind.to_string()));
            w.push_str(" AND activity_type = ?");
        }
        if let Some(t) = since {
            out.params.push(Param::Text(t.to_string()));
            w.push_str(&format!(" AND {time_column} >= ?"));
        }
        w
    };
    match mode {
        Mode::Row => {
            let w = window(out);
            out.params.push(number(n));
            write!(out.sql, "((SELECT count(*) FROM {table} WHERE lead_id = l.id AND deleted_at IS NULL{w}) {} ?)", cmp.sql())
        }
        Mode::Set => {
            // Leads without rows have count 0 and are not in the grouped set: if 0 satisfies the
            // comparison, the answer is "not among the leads whose count fails it".
            let zero_passes = cmp.holds(0.0, n);
            let w = window(out);
            out.params.push(number(n));
            let (keyword, having) = if zero_passes { ("NOT IN", format!("NOT (count(*) {} ?)", cmp.sql())) } else { ("IN", format!("count(*) {} ?", cmp.sql())) };
            write!(
                out.sql,
                "(l.id {keyword} (SELECT lead_id FROM {table} WHERE deleted_at IS NULL{w} GROUP BY lead_id HAVING {having}))"
            )
        }
    }
    .expect("write to String");
}

/// An indexed test among the top-level conditions, which a refresh may drive from its index.
#[derive(Debug, Clone)]
pub struct Probe {
    pub index: &'static str,
    /// Over `leads l`, or over `scores s` for the score index.
    pub compiled: Compiled,
}

impl Probe {
    /// Counts the live leads the test keeps, reading its index alone; a row limit is bound last.
    pub fn count_sql(&self) -> String {
        if self.index == SCORE_INDEX {
            format!("SELECT count(*) FROM (SELECT 1 FROM scores s INDEXED BY {SCORE_INDEX} WHERE s.live = 1 AND {} LIMIT ?)", self.compiled.sql)
        } else {
            format!("SELECT count(*) FROM (SELECT 1 FROM leads l INDEXED BY {} WHERE l.deleted_at IS NULL AND {} LIMIT ?)", self.index, self.compiled.sql)
        }
    }
}

/// The positive test of a number condition on the SQL expression `column`, pushing its parameters.
fn number_test(pred: &Pred, out: &mut Compiled, column: &str) -> String {
    match pred {
        Pred::Number(_, cmp, n) => {
            out.params.push(number(*n));
            format!("{column} {} ?", cmp.sql())
        }
        Pred::NumberIn(_, values) => {
            let marks = list(out, values.iter().map(|n| number(*n)));
            format!("{column} IN ({marks})")
        }
        _ => unreachable!("only number conditions have a number test"),
    }
}

/// The test of a score condition over `scores s`.
fn score_test(pred: &Pred) -> Compiled {
    let mut out = Compiled::default();
    let sql = number_test(pred, &mut out, "s.score");
    out.sql = format!("({sql})");
    out
}

/// The top-level AND conditions that an index can answer (score, created, updated).
pub fn probes(pred: &Pred) -> Vec<Probe> {
    fn conjuncts<'a>(pred: &'a Pred, out: &mut Vec<&'a Pred>) {
        match pred {
            Pred::And(items) => items.iter().for_each(|p| conjuncts(p, out)),
            other => out.push(other),
        }
    }
    let mut all = Vec::new();
    conjuncts(pred, &mut all);
    all.into_iter()
        .filter_map(|p| {
            let index = match p {
                Pred::Number(NumberField::Lead("score"), ..) | Pred::NumberIn(NumberField::Lead("score"), _) => {
                    return Some(Probe { index: SCORE_INDEX, compiled: score_test(p) });
                }
                Pred::Time { column: "created_at", .. } => "leads_by_created",
                Pred::Time { column: "updated_at", .. } => "leads_by_updated",
                _ => return None,
            };
            Some(Probe { index, compiled: compile(p, Mode::Set) })
        })
        .collect()
}

/// How a query over every lead reads the store.
#[derive(Debug, Clone)]
pub enum Access {
    /// `leads` through this index hint: `NOT INDEXED` (one sequential scan) or `INDEXED BY …`.
    Leads(String),
    /// Only the leads a score test keeps, found in the score index; `alone` when that test is
    /// the whole query (then nothing else is read).
    Scores { test: Compiled, alone: bool },
}

/// How a query over every lead should read the store: one sequential scan unless one indexed
/// condition keeps few enough rows. Measured on a million leads: fetching a row through an
/// index costs about six sequential-scan rows, and SQLite's planner, which does not know that
/// for our wide rows, picked index plans three times slower than a scan.
pub fn access_path(pred: &Pred, counts: &[(usize, i64)], total: i64) -> Access {
    let probes = probes(pred);
    let through = |probe: &Probe, alone: bool| {
        if probe.index == SCORE_INDEX {
            Access::Scores { test: probe.compiled.clone(), alone }
        } else {
            Access::Leads(format!("INDEXED BY {}", probe.index))
        }
    };
    if !matches!(pred, Pred::And(_)) && probes.len() == 1 {
        // The whole query is one indexed test: an index-only scan beats everything.
        return through(&probes[0], true);
    }
    let threshold = selective_limit(total);
    match counts.iter().filter(|(_, n)| *n < threshold).min_by_key(|(_, n)| *n) {
        Some((i, _)) => through(&probes[*i], false),
        None => Access::Leads("NOT INDEXED".into()),
    }
}

/// What a query over every lead returns.
#[derive(Debug, Clone, Copy)]
pub enum Select {
    Nums,
    Count,
}

/// The query of the live leads matching `compiled` (a predicate over `leads l`), read as
/// `access` says.
pub fn select_matching(select: Select, access: &Access, compiled: &Compiled) -> Compiled {
    let what = |num: &str| match select {
        Select::Nums => num.to_owned(),
        Select::Count => "count(*)".to_owned(),
    };
    match access {
        Access::Leads(hint) => Compiled {
            sql: format!("SELECT {} FROM leads l {hint} WHERE l.deleted_at IS NULL AND {}", what("l.num"), compiled.sql),
            params: compiled.params.clone(),
        },
        Access::Scores { test, alone: true } => Compiled {
            sql: format!("SELECT {} FROM scores s INDEXED BY {SCORE_INDEX} WHERE s.live = 1 AND {}", what("s.lead_num"), test.sql),
            params: test.params.clone(),
        },
        // The matching numbers, in order, drive rowid lookups of the leads they name.
        Access::Scores { test, alone: false } => Compiled {
            sql: format!(
                "SELECT {} FROM leads l NOT INDEXED WHERE l.num IN (SELECT s.lead_num FROM scores s INDEXED BY {SCORE_INDEX} WHERE s.live = 1 AND {})
                 AND l.deleted_at IS NULL AND {}",
                what("l.num"),
                test.sql,
                compiled.sql
            ),
            params: test.params.iter().chain(&compiled.params).cloned().collect(),
        },
    }
}

/// Rows below which driving a query from an index beats one scan of the table.
pub fn selective_limit(total: i64) -> i64 {
    (total / 8).max(2_000)
}
