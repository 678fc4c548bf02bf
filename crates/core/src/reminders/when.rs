//! Reading a reminder time as people type it: `2026-12-01T09:00:00+01:00`, `+10m`, `+2h`, `+3d`,
//! `+1w`, `tomorrow 09:00`, `today 17:30`, `monday 9:00` (the next Monday), or a bare `09:00`
//! (today, or tomorrow when that has passed). Local times are read in the given zone.

use crate::error::{AppError, Result};
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};

pub fn parse_when(text: &str, now: DateTime<Utc>, zone: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let t = text.trim();
    let bad = || {
        AppError::field(
            "invalid_time",
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
        let (digits, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: i64 = digits.parse().map_err(|_| bad())?;
        let step = match unit.trim() {
            "s" => Duration::seconds(n),
            "m" | "min" => Duration::minutes(n),
            "h" => Duration::hours(n),
            "d" => Duration::days(n),
            "w" => Duration::weeks(n),
            _ => return Err(bad()),
        };
        return Ok(now + step);
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
        Some("tomorrow") => today + Duration::days(1),
        Some(name) => {
            let weekday: Weekday = name.trim_start_matches("next ").parse().map_err(|_| bad())?;
            let ahead = (weekday.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64 + 7) % 7;
            today + Duration::days(if ahead == 0 { 7 } else { ahead })
        }
    };
    // A wall-clock time skipped by a DST change resolves to the moment after the gap.
    let local = zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .or_else(|| zone.from_local_datetime(&(date.and_time(time) + Duration::hours(1))).earliest())
        .ok_or_else(bad)?;
    let mut at = local.with_timezone(&Utc);
    if day.is_none() && at <= now {
        at += Duration::days(1);
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
        for bad in ["soon", "+10x", "tomorrow", "25:00", ""] {
            assert_eq!(parse_when(bad, now, berlin).unwrap_err().code, "invalid_time", "{bad}");
        }
    }
}
