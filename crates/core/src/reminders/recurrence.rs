//! Recurring reminders: the named repeats and RFC 5545 RRULEs, evaluated by the `rrule` crate in
//! the reminder's own time zone so "daily at 09:00" stays at 09:00 local across DST changes.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use chrono::{DateTime, Timelike, Utc};
use rrule::{RRuleSet, Tz};

/// The zone reminders follow: `TZ` when it names an IANA zone, else the system's, else UTC.
pub fn local_time_zone() -> String {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_owned())
        .filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok())
        .or_else(|| iana_time_zone::get_timezone().ok().filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok()))
        .unwrap_or_else(|| "UTC".into())
}

pub(crate) fn parse_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.parse().map_err(|_| AppError::field(ErrorCode::InvalidTimeZone, "timeZone", format!("“{name}” is not an IANA time zone")))
}

/// Checks a recurrence as typed and returns the stored form: None for no repeat, a named repeat
/// in lower case, or an RRULE starting with `RRULE:`.
pub fn normalize(recurrence: Option<&str>) -> Result<Option<String>> {
    let Some(text) = recurrence.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let lower = text.to_ascii_lowercase();
    if lower == "none" {
        return Ok(None);
    }
    if named_rule(&lower).is_some() {
        return Ok(Some(lower));
    }
    let rule = if text.to_ascii_uppercase().starts_with("RRULE:") { text.to_owned() } else { format!("RRULE:{text}") };
    // Parse once against a fixed start to report a bad rule now rather than at firing time.
    rule_set(&rule, chrono_tz::UTC, "2026-01-01T09:00:00Z".parse().expect("constant"))?;
    Ok(Some(rule))
}

fn named_rule(name: &str) -> Option<&'static str> {
    Some(match name {
        "daily" => "RRULE:FREQ=DAILY",
        "weekdays" => "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekly" => "RRULE:FREQ=WEEKLY",
        "monthly" => "RRULE:FREQ=MONTHLY",
        _ => return None,
    })
}

fn rule_set(rule: &str, zone: chrono_tz::Tz, start: DateTime<Utc>) -> Result<RRuleSet> {
    let rule = named_rule(rule).unwrap_or(rule);
    let local = start.with_timezone(&zone);
    // DTSTART in local wall-clock time with its zone: occurrences keep the local time of day.
    let text = format!("DTSTART;TZID={}:{}\n{}", zone.name(), local.format("%Y%m%dT%H%M%S"), rule);
    text.parse::<RRuleSet>().map_err(|e| AppError::field(ErrorCode::InvalidRecurrence, "recurrence", format!("Cannot repeat by “{rule}”: {e}")))
}

/// The first occurrence of the series that starts at `start` and is strictly later than `after`.
pub fn next_occurrence(rule: &str, zone_name: &str, start: DateTime<Utc>, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let zone = parse_zone(zone_name)?;
    let set = rule_set(rule, zone, start)?;
    // RRULEs count in whole seconds: compute on the whole-second series and add the start's
    // fraction back, so every occurrence is exactly one period after the previous one.
    let fraction = start - start.with_nanosecond(0).expect("valid");
    // rrule's `after` is inclusive; occurrences fall on whole seconds, so 1 ms later is "strictly after".
    let after = (after - fraction + chrono::Duration::milliseconds(1)).with_timezone(&Tz::Tz(zone));
    let found = set.after(after).all(1);
    Ok(found.dates.first().map(|d| d.with_timezone(&Utc) + fraction))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn daily_at_nine_stays_at_nine_local_across_the_spring_and_autumn_changes() {
        // Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2) until 2026-10-25.
        let start = utc("2026-03-27T08:00:00Z"); // 09:00 CET
        let next = next_occurrence("daily", "Europe/Berlin", start, start).unwrap().unwrap();
        assert_eq!(next, utc("2026-03-28T08:00:00Z"));
        let next = next_occurrence("daily", "Europe/Berlin", start, next).unwrap().unwrap();
        assert_eq!(next, utc("2026-03-29T07:00:00Z"), "09:00 CEST");
        let autumn = utc("2026-10-24T07:00:00Z"); // 09:00 CEST
        assert_eq!(next_occurrence("daily", "Europe/Berlin", autumn, autumn).unwrap().unwrap(), utc("2026-10-25T08:00:00Z"));
    }

    #[test]
    fn named_repeats() {
        let friday = utc("2026-11-27T09:00:00Z");
        assert_eq!(next_occurrence("weekdays", "UTC", friday, friday).unwrap().unwrap(), utc("2026-11-30T09:00:00Z"));
        assert_eq!(next_occurrence("weekly", "UTC", friday, friday).unwrap().unwrap(), utc("2026-12-04T09:00:00Z"));
        assert_eq!(next_occurrence("monthly", "UTC", friday, friday).unwrap().unwrap(), utc("2026-12-27T09:00:00Z"));
        // Missed occurrences are skipped, not replayed one by one.
        assert_eq!(next_occurrence("daily", "UTC", friday, utc("2026-12-10T12:00:00Z")).unwrap().unwrap(), utc("2026-12-11T09:00:00Z"));
    }

    #[test]
    fn rrules_are_accepted_with_or_without_prefix_and_bad_ones_name_the_rule() {
        assert_eq!(normalize(Some("FREQ=DAILY;INTERVAL=2")).unwrap().unwrap(), "RRULE:FREQ=DAILY;INTERVAL=2");
        assert_eq!(normalize(Some(" Weekly ")).unwrap().unwrap(), "weekly");
        assert_eq!(normalize(Some("none")).unwrap(), None);
        assert_eq!(normalize(None).unwrap(), None);
        let err = normalize(Some("FREQ=SOMETIMES")).unwrap_err();
        assert_eq!(err.code, "invalid_recurrence");
        assert!(err.message.contains("FREQ=SOMETIMES"), "{}", err.message);
        let start = utc("2026-01-01T00:00:00Z");
        let every_two_seconds = normalize(Some("FREQ=SECONDLY;INTERVAL=2")).unwrap().unwrap();
        assert_eq!(next_occurrence(&every_two_seconds, "UTC", start, start).unwrap().unwrap(), utc("2026-01-01T00:00:02Z"));
        let odd = utc("2026-01-01T00:00:00.600Z");
        assert_eq!(next_occurrence(&every_two_seconds, "UTC", odd, odd).unwrap().unwrap(), utc("2026-01-01T00:00:02.600Z"));
        assert_eq!(next_occurrence(&every_two_seconds, "UTC", odd, utc("2026-01-01T00:00:02.700Z")).unwrap().unwrap(), utc("2026-01-01T00:00:04.600Z"));
    }
}
