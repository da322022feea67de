//! Time, behind a trait so that tests of Wait, Retry and timeouts do not sleep.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// A boxed future that resolves once a deadline has passed.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The engine's source of time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Millis;
    /// A future that completes at or after `deadline`.
    fn sleep_until(&self, deadline: Millis) -> Sleep;
}

/// Wall-clock time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        chrono::Utc::now().timestamp_millis()
    }

    fn sleep_until(&self, deadline: Millis) -> Sleep {
        let wait = (deadline - self.now()).max(0) as u64;
        Box::pin(tokio::time::sleep(Duration::from_millis(wait)))
    }
}

/// A clock that moves only when told to: for tests.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Millis>,
    tick: watch::Sender<Millis>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: Millis) -> Self {
        Self {
            now: Mutex::new(start),
            tick: watch::Sender::new(start),
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline passed.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by.as_millis() as Millis;
        self.tick.send_replace(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sleep_until(&self, deadline: Millis) -> Sleep {
        let mut rx = self.tick.subscribe();
        Box::pin(async move {
            while *rx.borrow_and_update() < deadline {
                if rx.changed().await.is_err() {
                    // The clock is gone: nothing will ever wake this sleeper.
                    std::future::pending::<()>().await;
                }
            }
        })
    }
}

/// Epoch seconds with millisecond precision, as the Step Functions API writes timestamps.
pub fn to_epoch_seconds(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

/// RFC 3339 text of a time, as the context object `$$` shows it.
pub fn to_rfc3339(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_sleepers_only_when_advanced_past_their_deadline() {
        // Arrange
        let clock = std::sync::Arc::new(ManualClock::new(1_000));
        let sleep = clock.sleep_until(6_000);
        let task = tokio::spawn(sleep);
        // Act
        clock.advance(Duration::from_secs(2));
        tokio::task::yield_now().await;
        let early = task.is_finished();
        clock.advance(Duration::from_secs(3));
        // Assert
        assert!(!early);
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("sleeper woke")
            .expect("joined");
        assert_eq!(clock.now(), 6_000);
    }

    #[test]
    fn timestamps_are_written_as_epoch_seconds_and_rfc3339() {
        assert_eq!(to_epoch_seconds(1_700_000_000_123), 1_700_000_000.123);
        assert_eq!(to_rfc3339(0), "1970-01-01T00:00:00.000Z");
    }
}
