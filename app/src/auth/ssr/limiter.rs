//! The sign-in rate limit: a few failures per name, then a pause.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppError;

/// Counts failed sign-ins per user name in a fixed window.
#[derive(Clone, Debug)]
pub struct LoginLimiter {
    inner: Arc<Mutex<HashMap<String, Window>>>,
    max_failures: u32,
    window: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

impl Default for LoginLimiter {
    /// Five failures per name in fifteen minutes.
    fn default() -> Self {
        Self::new(5, Duration::from_secs(15 * 60))
    }
}

impl LoginLimiter {
    /// A limiter allowing `max_failures` failed sign-ins per name per `window`.
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            inner: Arc::default(),
            max_failures,
            window,
        }
    }

    fn windows(&self) -> std::sync::MutexGuard<'_, HashMap<String, Window>> {
        // A panic while holding the lock leaves only counters behind: keep going.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Refuses when `key` has used up its failures in the current window.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let mut windows = self.windows();
        windows.retain(|_, w| now.duration_since(w.started) < self.window);
        match windows.get(key) {
            Some(w) if w.failures >= self.max_failures => Err(AppError::TooManyAttempts {
                retry_after_secs: (self.window - now.duration_since(w.started))
                    .as_secs()
                    .max(1),
            }),
            _ => Ok(()),
        }
    }

    /// Counts a failure for `key`.
    pub fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut windows = self.windows();
        let w = windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            failures: 0,
        });
        w.failures += 1;
    }

    /// Forgets the failures of `key`.
    pub fn succeeded(&self, key: &str) {
        self.windows().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_refused_after_its_failures_and_others_are_not() {
        // Arrange
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        // Act
        limiter.failed("ann");
        limiter.failed("ann");
        // Assert
        assert!(matches!(
            limiter.check("ann"),
            Err(AppError::TooManyAttempts { .. })
        ));
        assert!(limiter.check("bob").is_ok());
    }

    #[test]
    fn a_success_clears_the_failures() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        limiter.failed("ann");
        limiter.succeeded("ann");
        limiter.failed("ann");
        assert!(limiter.check("ann").is_ok());
    }
}
