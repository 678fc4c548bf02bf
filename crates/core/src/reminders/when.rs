//! Reading a reminder time as people type it: `2026-12-01T09:00:00+01:00`, `+10m`, `+2h`, `+3d`,
//! `+1w`, `tomorrow 09:00`, `today 17:30`, `monday 9:00` (the next Monday), or a bare `09:00`
//! (today, or tomorrow when that has passed). Local times are read in the given zone.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};

/// How far ahead a reminder can be set: ten years. Further is a typo, and far enough out that
/// adding it to now would leave chrono's range.
pub const MAX_AHEAD_DAYS: i64 = 3650;
/// The earliest time a reminder can have (older ones are typos too).
const EARLIEST_YEAR: i32 = 1970;

fn max_ahead() -> Duration {
    Duration::days(MAX_AHEAD_DAYS)
}

fn too_far() -> AppError {
    AppError::field(ErrorCode::InvalidTime, "dueAt", format!("A reminder can be set at most {} years ahead", MAX_AHEAD_DAYS / 365))
}

enum DurationError {
    Malformed,
    TooLong,
}

fn duration(text: &str) -> std::result::Result<Duration, DurationError> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    if digits.is_empty() {
        return Err(DurationError::Malformed);
    }
    let seconds_per: i64 = match unit.trim() {
        "s" => 1,
        "m" | "min" | "" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(DurationError::Malformed),
    };
    // Too many digits for an i64 is too long as well, not malformed.
    let n: i64 = digits.parse().map_err(|_| DurationError::TooLong)?;
    n.checked_mul(seconds_per).filter(|s| *s <= MAX_AHEAD_DAYS * 86_400).map(Duration::seconds).ok_or(DurationError::TooLong)
}

/// A length of time as people type it: `30s`, `10m` (or `10min`, or a bare `10`: minutes),
/// `2h`, `3d`, `1w`. At most ten years; anything longer is refused, never overflowed.
pub fn parse_duration(text: &str) -> Result<Duration> {
    let t = text.trim();
    duration(t).map_err(|e| match e {
        DurationError::Malformed => AppError::field(ErrorCode::InvalidDuration, "duration", format!("“{t}” is not a duration: use 30s, 10m, 2h, 1d or 1w")),
        DurationError::TooLong => AppError::field(ErrorCode::InvalidDuration, "duration", format!("“{t}” is longer than {} years", MAX_AHEAD_DAYS / 365)),
    })
}

/// The latest moment a reminder can have when it is set at `now`.
fn latest(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_add_signed(max_ahead()).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub fn parse_when(text: &str, now: DateTime<Utc>, zone: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let at = parse_when_unchecked(text, now, zone)?;
    check_range("dueAt", at, now)?;
    Ok(at)
}

/// Every reminder time, typed or sent over IPC: from 1970 to ten years ahead of `now`.
pub fn check_range(field: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if at.year() < EARLIEST_YEAR {
        return Err(AppError::field(ErrorCode::InvalidTime, field, format!("{} is before {EARLIEST_YEAR}", at.format("%Y-%m-%d"))));
    }
    if at > latest(now) {
        return Err(AppError { field: Some(field.into()), ..too_far() });
    }
    Ok(())
}

fn parse_when_unchecked(text: &str, now: DateTime<Utc>, zone: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let t = text.trim();
    let bad = || {
        AppError::field(
            ErrorCode::InvalidTime,
            "dueAt",
            format!("“{t}” is not a time: use RFC 3339 (2026-12-01T09:00:00Z), +10m, +2h, +1d, tomorrow 09:00 or monday 09:00"),
        )
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    // A local date and time as date pickers and people write it: 2026-12-01 09:00 / 2026-12-01T09:00.
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(local) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return zone.from_local_datetime(&local).earliest().map(|l| l.with_timezone(&Utc)).ok_or_else(bad);
        }
    }
    if let Some(rest) = t.strip_prefix('+') {
        let step = duration(rest).map_err(|e| match e {
            DurationError::Malformed => bad(),
            DurationError::TooLong => too_far(),
        })?;
        return now.checked_add_signed(step).ok_or_else(too_far);
    }
    let lower = t.to_ascii_lowercase();
    let (day, time) = match lower.rsplit_once(' ') {
        Some((day, time)) => (Some(day.trim()), time),
        None => (None, lower.as_str()),
    };
    let time = NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| bad())?;
    let today = now.with_timezone(&zone).date_naive();
    let date = match day {
        None => today,
        Some("today") => today,
        Some("tomorrow") => today.succ_opt().ok_or_else(bad)?,
        Some(name) => {
            let weekday: Weekday = name.trim_start_matches("next ").parse().map_err(|_| bad())?;
            let ahead = (weekday.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64 + 7) % 7;
            today.checked_add_signed(Duration::days(if ahead == 0 { 7 } else { ahead })).ok_or_else(bad)?
        }
    };
    // A wall-clock time skipped by a DST change resolves to the moment after the gap.
    let local = zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .or_else(|| zone.from_local_datetime(&date.and_time(time).checked_add_signed(Duration::hours(1))?).earliest())
        .ok_or_else(bad)?;
    let mut at = local.with_timezone(&Utc);
    if day.is_none() && at <= now {
        at = at.checked_add_signed(Duration::days(1)).ok_or_else(bad)?;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_wall_clock_times() {
        let now: DateTime<Utc> = "2026-11-23T17:00:00Z".parse().unwrap(); // a Monday, 18:00 in Berlin
        let berlin = chrono_tz::Europe::Berlin;
        let at = |s: &str| parse_when(s, now, berlin).unwrap().to_rfc3339();
        assert_eq!(at("+10m"), "2026-11-23T17:10:00+00:00");
        assert_eq!(at("+2h"), "2026-11-23T19:00:00+00:00");
        assert_eq!(at("tomorrow 09:00"), "2026-11-24T08:00:00+00:00");
        assert_eq!(at("today 19:30"), "2026-11-23T18:30:00+00:00");
        assert_eq!(at("09:00"), "2026-11-24T08:00:00+00:00");
        assert_eq!(at("monday 9:00"), "2026-11-30T08:00:00+00:00");
        assert_eq!(at("next friday 09:00"), "2026-11-27T08:00:00+00:00");
        assert_eq!(at("2026-12-01T09:00:00+01:00"), "2026-12-01T08:00:00+00:00");
        assert_eq!(at("2026-12-01 09:00"), "2026-12-01T08:00:00+00:00");
        assert_eq!(at("2026-07-01T09:00"), "2026-07-01T07:00:00+00:00");
        for bad in ["soon", "+10x", "tomorrow", "25:00", "", "+", "+d", "+-5m"] {
            assert_eq!(parse_when(bad, now, berlin).unwrap_err().code, "invalid_time", "{bad}");
        }
    }

    #[test]
    fn huge_amounts_are_refused_not_overflowed() {
        let now: DateTime<Utc> = "2026-11-23T17:00:00Z".parse().unwrap();
        let berlin = chrono_tz::Europe::Berlin;
        for huge in ["+999999999d", "+99999999999999999s", "+99999999999999999999999999w", "+3651d", "9999-12-31T23:59:59Z", "2100-01-01 09:00"] {
            let err = parse_when(huge, now, berlin).unwrap_err();
            assert_eq!((err.code.as_str(), err.field.as_deref()), ("invalid_time", Some("dueAt")), "{huge}");
            assert!(err.message.contains("10 years"), "{huge}: {}", err.message);
        }
        assert!(parse_when("+3650d", now, berlin).is_ok(), "ten years is allowed");
        assert_eq!(parse_when("1969-12-31T00:00:00Z", now, berlin).unwrap_err().code, "invalid_time");
        for huge in ["999999999d", "99999999999999999s", "99999999999999999999", "3651d"] {
            assert_eq!(parse_duration(huge).unwrap_err().code, "invalid_duration", "{huge}");
        }
        assert_eq!(parse_duration("10").unwrap(), Duration::minutes(10));
        assert_eq!(parse_duration("1w").unwrap(), Duration::weeks(1));
        for bad in ["", "m", "-5m", "5 parsecs"] {
            assert!(parse_duration(bad).unwrap_err().message.contains("not a duration"), "{bad}");
        }
    }
}
