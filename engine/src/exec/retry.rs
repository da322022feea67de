//! Matching errors against `ErrorEquals`, and retry back-off.

use crate::clock::Millis;
use crate::definition::Retrier;
use crate::failure::{Failure, names};

/// Whether an `ErrorEquals` list applies to `error`, with AWS's wildcards:
/// `States.ALL` matches all but `States.Runtime` and `States.DataLimitExceeded`; `States.TaskFailed` all but
/// timeouts and `States.Runtime`; `States.Timeout` also heartbeat timeouts.
pub(crate) fn matches(error_equals: &[String], error: &str) -> bool {
    error_equals.iter().any(|e| match e.as_str() {
        names::ALL => error != names::RUNTIME && error != names::DATA_LIMIT_EXCEEDED,
        names::TASK_FAILED => {
            ![names::RUNTIME, names::TIMEOUT, names::HEARTBEAT_TIMEOUT].contains(&error)
        }
        names::TIMEOUT => error == names::TIMEOUT || error == names::HEARTBEAT_TIMEOUT,
        other => other == error,
    })
}

/// The delay before the next attempt, counting it, or `None` when the first
/// retrier that matches is used up (or none matches).
pub(crate) fn next_delay(
    retriers: &[Retrier],
    attempts: &mut Vec<u64>,
    failure: &Failure,
) -> Option<Millis> {
    let i = retriers
        .iter()
        .position(|r| matches(&r.error_equals, &failure.error))?;
    let r = &retriers[i];
    attempts.resize(retriers.len(), 0);
    let done = attempts[i];
    if done >= r.max_attempts.unwrap_or(3) {
        return None;
    }
    attempts[i] += 1;
    let interval = r.interval_seconds.unwrap_or(1) as f64;
    let mut secs = interval * r.backoff_rate.unwrap_or(2.0).powi(done as i32);
    if let Some(max) = r.max_delay_seconds {
        secs = secs.min(max as f64);
    }
    if r.jitter_strategy.as_deref() == Some("FULL") {
        secs *= rand::random::<f64>();
    }
    Some((secs * 1000.0).round() as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(errors: &[&str], max: u64) -> Retrier {
        Retrier {
            error_equals: errors.iter().map(|e| e.to_string()).collect(),
            interval_seconds: Some(2),
            max_attempts: Some(max),
            backoff_rate: Some(3.0),
            max_delay_seconds: Some(10),
            jitter_strategy: None,
            comment: None,
        }
    }

    #[test]
    fn wildcards_follow_the_aws_matching_rules() {
        let all = vec!["States.ALL".to_string()];
        let task = vec!["States.TaskFailed".to_string()];
        let timeout = vec!["States.Timeout".to_string()];
        assert!(matches(&all, "Custom"));
        assert!(!matches(&all, "States.Runtime"));
        assert!(matches(&task, "Custom"));
        assert!(!matches(&task, "States.Timeout"));
        assert!(matches(&timeout, "States.HeartbeatTimeout"));
    }

    #[test]
    fn back_off_grows_by_the_rate_up_to_the_cap_then_stops() {
        // Arrange
        let retriers = [retrier(&["E"], 3)];
        let mut attempts = Vec::new();
        let f = Failure::new("E", "");
        // Act
        let delays: Vec<_> = (0..4)
            .map(|_| next_delay(&retriers, &mut attempts, &f))
            .collect();
        // Assert
        assert_eq!(delays, [Some(2_000), Some(6_000), Some(10_000), None]);
    }

    #[test]
    fn only_the_first_matching_retrier_counts() {
        let retriers = [retrier(&["E"], 0), retrier(&["States.ALL"], 5)];
        let mut attempts = Vec::new();
        assert_eq!(
            next_delay(&retriers, &mut attempts, &Failure::new("E", "")),
            None
        );
        assert_eq!(
            next_delay(&retriers, &mut attempts, &Failure::new("Other", "")),
            Some(2_000)
        );
    }
}
