//! The score of one lead from its facts: pure arithmetic, no I/O, so it is the same for an
//! incremental re-score, a full recompute and a preview, and the property test can drive it.
//!
//! The breakdown is integer points per rule, then the decay, the points set by hand and the
//! clamp to 0..100, and it always adds up to the score: rounding of decayed points is carried by
//! the decay line and the clamp line says how much was cut off.

use super::rules::{CompiledRule, RuleSet, Rows, Test};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// An inquiry or an analytics event as rules see it: a view into text the caller owns (a full
/// recompute reads millions of them, and three allocations each cost more than the scoring).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row<'a> {
    /// Channel / event type, folded (lower case).
    pub kind: &'a str,
    /// Message / event value.
    pub value: Option<&'a str>,
    /// When it happened, UTC RFC 3339 (sorts as text).
    pub at: &'a str,
}

/// What the rules can see of one lead.
#[derive(Debug, Clone, Default)]
pub(crate) struct LeadFacts<'a> {
    /// Results of the SQL-tested rules, by rule index (other entries unused).
    pub sql_hits: &'a [bool],
    pub email: Option<&'a str>,
    /// The latest of the lead's own edits and activities (events are added from `events`).
    pub last_activity: Option<&'a str>,
    pub inquiries: &'a [Row<'a>],
    pub events: &'a [Row<'a>],
}

/// (Deserialized only from breakdowns in the format before rule numbers.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PartKind {
    Rule,
    Decay,
    Manual,
    Clamp,
}

/// One line of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub kind: PartKind,
    /// The rule's number (`scoring_rules.num`), for rule lines.
    pub rule: Option<i64>,
    /// Matching inquiries/events of a per-match rule (1 for other rules).
    pub matches: u32,
    pub points: i64,
}

/// A breakdown as `lead_scores.parts` stores it: one array per line, `[rule number, matches,
/// points]` for a rule and `["d"|"m"|"c", points]` for decay, manual points and the clamp — a
/// recompute writes one for every lead whose score changes, so every byte counts a million times.
pub(crate) fn encode_parts(parts: &[Part]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(2 + parts.len() * 12);
    out.push('[');
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let tag = match p.kind {
            PartKind::Rule => {
                write!(out, "[{},{},{}]", p.rule.unwrap_or(0), p.matches, p.points).expect("write to String");
                continue;
            }
            PartKind::Decay => "d",
            PartKind::Manual => "m",
            PartKind::Clamp => "c",
        };
        write!(out, "[\"{tag}\",{}]", p.points).expect("write to String");
    }
    out.push(']');
    out
}

/// The breakdown format before rule numbers (objects naming the rule by id), still read from
/// stores that have not been re-scored since.
#[derive(Deserialize)]
struct LegacyPart {
    k: PartKind,
    #[serde(default)]
    r: Option<String>,
    #[serde(default)]
    n: u32,
    p: i64,
}

/// Reads a stored breakdown in either format; `rule_num` turns a legacy rule id into its number.
pub(crate) fn decode_parts(text: &str, rule_num: impl Fn(&str) -> Option<i64>) -> Result<Vec<Part>, String> {
    let lines: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    lines
        .into_iter()
        .map(|line| {
            let bad = || format!("unreadable breakdown line {line}");
            match &line {
                serde_json::Value::Array(items) => match items.as_slice() {
                    [rule, matches, points] => Ok(Part {
                        kind: PartKind::Rule,
                        rule: Some(rule.as_i64().ok_or_else(bad)?),
                        matches: matches.as_u64().ok_or_else(bad)? as u32,
                        points: points.as_i64().ok_or_else(bad)?,
                    }),
                    [tag, points] => {
                        let kind = match tag.as_str() {
                            Some("d") => PartKind::Decay,
                            Some("m") => PartKind::Manual,
                            Some("c") => PartKind::Clamp,
                            _ => return Err(bad()),
                        };
                        Ok(Part { kind, rule: None, matches: 0, points: points.as_i64().ok_or_else(bad)? })
                    }
                    _ => Err(bad()),
                },
                serde_json::Value::Object(_) => {
                    let legacy: LegacyPart = serde_json::from_value(line.clone()).map_err(|e| e.to_string())?;
                    Ok(Part { kind: legacy.k, rule: legacy.r.as_deref().and_then(&rule_num), matches: legacy.n, points: legacy.p })
                }
                _ => Err(bad()),
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Breakdown {
    pub parts: Vec<Part>,
    pub score: i64,
}

/// The points the rules give (decay applied, not rounded) and the rule lines.
pub(crate) fn rule_points(set: &RuleSet, facts: &LeadFacts) -> (f64, Vec<Part>) {
    let mut total = 0.0;
    let mut parts = Vec::new();
    for (i, rule) in set.rules.iter().enumerate() {
        let (matches, weight) = evaluate(set, rule, i, facts);
        if matches == 0 {
            continue;
        }
        let points = rule.points * if rule.per_match { matches as i64 } else { 1 };
        total += rule.points as f64 * weight;
        parts.push(Part { kind: PartKind::Rule, rule: Some(rule.num), matches, points });
    }
    (total, parts)
}

/// The whole breakdown given the lead's manual points.
pub(crate) fn breakdown(rule_total: f64, mut parts: Vec<Part>, manual: i64) -> Breakdown {
    let undecayed: i64 = parts.iter().map(|p| p.points).sum();
    let earned = rule_total.round() as i64;
    let decay = earned - undecayed;
    let unclamped = earned + manual;
    let score = unclamped.clamp(0, 100);
    for (kind, points) in [(PartKind::Decay, decay), (PartKind::Manual, manual), (PartKind::Clamp, score - unclamped)] {
        if points != 0 {
            parts.push(Part { kind, rule: None, matches: 0, points });
        }
    }
    Breakdown { parts, score }
}

/// How many times a rule matches the lead, and the total weight of those matches (the number
/// of matches, less what decay took off per-match rules).
fn evaluate(set: &RuleSet, rule: &CompiledRule, index: usize, facts: &LeadFacts) -> (u32, f64) {
    let once = |hit: bool| if hit { (1, 1.0) } else { (0, 0.0) };
    match &rule.test {
        Test::Sql { .. } => once(facts.sql_hits.get(index).copied().unwrap_or(false)),
        Test::EmailDomain(test) => once(test.holds(facts.email.and_then(|e| e.rsplit_once('@')).map(|(_, domain)| domain))),
        Test::Count { rows, of_type, since, cmp } => {
            let n = rows_of(facts, *rows)
                .iter()
                .filter(|r| of_type.as_ref().is_none_or(|t| r.kind == t) && since.as_ref().is_none_or(|s| r.at >= s.as_str()))
                .count();
            once(cmp.holds(n as f64))
        }
        Test::DaysSinceActivity(cmp) => {
            let last = facts.events.iter().map(|r| r.at).chain(facts.inquiries.iter().map(|r| r.at)).chain(facts.last_activity).max();
            let days = last.and_then(parse_time).map(|t| (set.now - t).num_seconds().max(0) / 86_400);
            // A lead with no activity at all has been quiet forever.
            once(cmp.holds(days.map_or(f64::INFINITY, |d| d as f64)))
        }
        Test::PerRow { rows, of_type, on_kind, test, since } => {
            let mut matches = 0u32;
            let mut weight = 0.0;
            for r in rows_of(facts, *rows) {
                let in_time = since.as_ref().is_none_or(|s| r.at >= s.as_str())
                    && rule.rows_from.as_ref().is_none_or(|f| r.at >= f.as_str())
                    && rule.rows_until.as_ref().is_none_or(|u| r.at < u.as_str());
                let typed = of_type.as_ref().is_none_or(|t| r.kind == t);
                let hit = in_time && typed && if *on_kind { test.holds(Some(r.kind)) } else { test.holds(r.value) };
                if hit {
                    matches += 1;
                    weight += if rule.per_match { decay_weight(set, r.at) } else { 0.0 };
                }
            }
            match (rule.per_match, matches) {
                (_, 0) => (0, 0.0),
                (true, n) => (n, weight),
                (false, _) => (1, 1.0),
            }
        }
    }
}

fn rows_of<'a>(facts: &LeadFacts<'a>, rows: Rows) -> &'a [Row<'a>] {
    match rows {
        Rows::Inquiries => facts.inquiries,
        Rows::Events => facts.events,
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// What one engagement point is worth after `age`: half every `half_life_days` (1 without decay).
fn decay_weight(set: &RuleSet, at: &str) -> f64 {
    let Some(half_life) = set.half_life_days else { return 1.0 };
    let Some(t) = parse_time(at) else { return 1.0 };
    let age_days = (set.now - t).num_seconds().max(0) as f64 / 86_400.0;
    0.5f64.powf(age_days / half_life)
}

#[cfg(test)]
mod tests {
    use super::super::rules::{compile_set, Condition, Criteria, CriteriaKind, RuleInput};
    use super::*;
    use chrono::{Duration, Local};

    /// An event whose text lives as long as the test (leaked: a handful of short strings).
    fn event(kind: &'static str, value: &'static str, at: DateTime<Utc>) -> Row<'static> {
        Row { kind, value: Some(value), at: crate::clock::format_time(at).leak() }
    }

    fn per_event(points: i32, of_type: &str) -> RuleInput {
        RuleInput {
            name: format!("{of_type} {points}"),
            criteria: Criteria { kind: CriteriaKind::Event, field: Some("type".into()), condition: Condition::Equals, values: vec![of_type.into()], of_type: None, window_days: None },
            points,
            per_match: true,
            active: true,
            valid_from: None,
            valid_until: None,
        }
    }

    #[test]
    fn engagement_points_halve_every_half_life_and_the_breakdown_still_adds_up() {
        let now = Local::now();
        let set = compile_set(&[(1, per_event(10, "download"))], now, Some(7.0)).0;
        let utc = now.with_timezone(&Utc);
        let events = [event("download", "a.pdf", utc), event("download", "b.pdf", utc - Duration::days(7)), event("download", "c.pdf", utc - Duration::days(14))];
        let facts = LeadFacts { events: &events, ..Default::default() };
        let (total, parts) = rule_points(&set, &facts);
        assert!((total - 17.5).abs() < 1e-6, "10 + 5 + 2.5, got {total}");
        let b = breakdown(total, parts, 0);
        assert_eq!(b.parts[0].points, 30, "the rule line shows the points before decay");
        assert_eq!(b.parts[1], Part { kind: PartKind::Decay, rule: None, matches: 0, points: -12 });
        assert_eq!(b.score, 18);
        assert_eq!(b.parts.iter().map(|p| p.points).sum::<i64>(), b.score);
    }

    #[test]
    fn the_clamp_line_says_what_was_cut_off() {
        let set = compile_set(&[(1, per_event(40, "demo"))], Local::now(), None).0;
        let t = Utc::now();
        let events = [event("demo", "", t), event("demo", "", t), event("demo", "", t)];
        let (total, parts) = rule_points(&set, &LeadFacts { events: &events, ..Default::default() });
        let b = breakdown(total, parts, 5);
        assert_eq!(b.score, 100);
        assert_eq!(b.parts.iter().map(|p| (p.kind, p.points)).collect::<Vec<_>>(), vec![(PartKind::Rule, 120), (PartKind::Manual, 5), (PartKind::Clamp, -25)]);
        let b = breakdown(-30.0, vec![Part { kind: PartKind::Rule, rule: Some(1), matches: 1, points: -30 }], 10);
        assert_eq!((b.score, b.parts.last().unwrap().points), (0, 20), "clamped up from -20");
    }
    #[test]
    fn breakdowns_are_stored_compactly_and_old_ones_still_read() {
        let parts = vec![
            Part { kind: PartKind::Rule, rule: Some(3), matches: 1, points: 10 },
            Part { kind: PartKind::Rule, rule: Some(12), matches: 4, points: -12 },
            Part { kind: PartKind::Decay, rule: None, matches: 0, points: -3 },
            Part { kind: PartKind::Manual, rule: None, matches: 0, points: 40 },
            Part { kind: PartKind::Clamp, rule: None, matches: 0, points: -5 },
        ];
        let text = encode_parts(&parts);
        assert_eq!(text, r#"[[3,1,10],[12,4,-12],["d",-3],["m",40],["c",-5]]"#);
        assert_eq!(decode_parts(&text, |_| None).unwrap(), parts);
        let legacy = r#"[{"k":"rule","r":"0193a4c2-0000-7000-8000-000000000001","n":2,"p":8},{"k":"manual","n":0,"p":5}]"#;
        let read = decode_parts(legacy, |id| (id == "0193a4c2-0000-7000-8000-000000000001").then_some(7)).unwrap();
        assert_eq!(read, vec![Part { kind: PartKind::Rule, rule: Some(7), matches: 2, points: 8 }, Part { kind: PartKind::Manual, rule: None, matches: 0, points: 5 }]);
        assert!(decode_parts(r#"[["x",1]]"#, |_| None).unwrap_err().contains("unreadable breakdown line"));
    }
}
