//! Times as the pages show them (server side: the browser gets text).

use chrono::{DateTime, Utc};

/// `Nov 25, 08:34` (UTC).
pub fn short(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %H:%M").to_string()
}

/// `Nov 25, 08:34 UTC`.
pub fn short_utc(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %H:%M UTC").to_string()
}

/// A live case's SLA as the pages show it: the due time, and whether it has
/// run out. An ended case has no SLA to show.
pub fn sla(due: Option<DateTime<Utc>>, live: bool) -> (Option<String>, bool) {
    match due {
        Some(due) if live => (Some(short_utc(due)), due < Utc::now()),
        _ => (None, false),
    }
}

/// `Nov 25, 08:34:05`, for timelines.
pub fn precise(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %H:%M:%S").to_string()
}

/// How long ago, roughly: `just now`, `12 min`, `3 h 5 min`, `2 d 4 h`.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => "just now".into(),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A duration as people say it: `7 days`, `1 day`, `4 hours`, `90 min`.
pub fn span(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s >= 86_400 && s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s >= 3600 && s % 3600 == 0 => plural(s / 3600, "hour"),
        s => format!("{} min", (s + 59) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn spans_read_in_the_largest_whole_unit() {
        assert_eq!(span(7 * 86_400), "7 days");
        assert_eq!(span(86_400), "1 day");
        assert_eq!(span(4 * 3600), "4 hours");
        assert_eq!(span(5400), "90 min");
    }

    #[test]
    fn only_a_live_case_shows_its_sla_and_whether_it_ran_out() {
        let past = Utc::now() - Duration::minutes(1);
        assert_eq!(sla(Some(past), true), (Some(short_utc(past)), true));
        assert_eq!(sla(Some(past), false), (None, false));
        assert_eq!(sla(None, true), (None, false));
    }

    #[test]
    fn ages_read_naturally() {
        let now = Utc::now();
        assert_eq!(age(now, now), "just now");
        assert_eq!(age(now - Duration::minutes(12), now), "12 min");
        assert_eq!(age(now - Duration::minutes(185), now), "3 h 5 min");
        assert_eq!(age(now - Duration::hours(52), now), "2 d 4 h");
    }
}
