//! Ids and timestamps. One format everywhere so timestamps sort as text.

use chrono::{DateTime, SecondsFormat, Utc};

/// UUIDv7: time-ordered, generated on the client, safe to merge across replicas.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Current UTC time as RFC 3339 with milliseconds, e.g. `2026-11-23T14:05:00.123Z`.
pub fn now() -> String {
    format_time(Utc::now())
}

pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation_time() {
        let ids: Vec<String> = (0..1000).map(|_| new_id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn timestamps_have_fixed_width_so_text_order_is_time_order() {
        let a = format_time("2026-01-02T03:04:05Z".parse().unwrap());
        assert_eq!(a, "2026-01-02T03:04:05.000Z");
        assert!(format_time("2026-01-02T03:04:05.9Z".parse().unwrap()) > a);
    }
}
