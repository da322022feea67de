//! The sign-in limits: failures counted per client address and per
//! (address, user name), reserved before the password is checked, and a
//! bound on how many password checks run at once.
//!
//! A user is never locked out by someone else's failures from another
//! address: nothing is counted per name alone. Spraying one password over
//! many names from one address meets the per-address limit. The maps are
//! bounded, so a flood of distinct names cannot grow memory.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// The limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Failures allowed per (address, name) in a window.
    pub per_user: u32,
    /// Failures allowed per address in a window, over all names.
    pub per_address: u32,
    /// The window.
    pub window: Duration,
    /// Most counters kept per map; the oldest go first beyond it.
    pub max_entries: usize,
    /// Password checks running at once.
    pub concurrent_checks: usize,
    /// How long a sign-in waits for a check slot before it is told to retry.
    pub queue_wait: Duration,
}

impl Default for Limits {
    /// Five failures per name and twenty per address in fifteen minutes;
    /// two password checks at once (argon2 takes a core each).
    fn default() -> Self {
        Self {
            per_user: 5,
            per_address: 20,
            window: Duration::from_secs(15 * 60),
            max_entries: 10_000,
            concurrent_checks: 2,
            queue_wait: Duration::from_secs(2),
        }
    }
}

/// The sign-in limiter, shared by every request.
#[derive(Clone, Debug)]
pub struct LoginLimiter {
    counters: Arc<Mutex<Counters>>,
    checks: Arc<Semaphore>,
    limits: Limits,
}

#[derive(Debug, Default)]
struct Counters {
    by_address: HashMap<IpAddr, Window>,
    by_user: HashMap<(IpAddr, String), Window>,
}

/// Failures and attempts under way in one window.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
    in_flight: u32,
}

impl Window {
    fn used(&self) -> u32 {
        self.failures + self.in_flight
    }
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

/// A reserved sign-in attempt: it counts against the limits from the
/// moment it is taken. Report how it went with [`Attempt::succeeded`] or
/// [`Attempt::failed`]; dropped without either (the check panicked), it is
/// counted as a failure.
#[derive(Debug)]
pub struct Attempt {
    limiter: LoginLimiter,
    address: IpAddr,
    name: String,
    done: bool,
    _slot: Option<OwnedSemaphorePermit>,
}

impl LoginLimiter {
    /// A limiter with `limits`.
    pub fn new(limits: Limits) -> Self {
        Self {
            counters: Arc::default(),
            checks: Arc::new(Semaphore::new(limits.concurrent_checks.max(1))),
            limits,
        }
    }

    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        // A panic while holding the lock leaves only counters behind: keep going.
        self.counters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reserves an attempt for `name` from `address`, refusing when either
    /// limit is used up, failures and attempts under way alike; then waits
    /// for a password-check slot, refusing when none frees up in time.
    pub async fn reserve(&self, address: IpAddr, name: &str) -> Result<Attempt, AppError> {
        let mut attempt = self.take(address, name)?;
        let slot = tokio::time::timeout(
            self.limits.queue_wait,
            Arc::clone(&self.checks).acquire_owned(),
        )
        .await;
        match slot {
            Ok(Ok(permit)) => {
                attempt._slot = Some(permit);
                Ok(attempt)
            }
            _ => {
                // Not checked: give the reservation back uncounted.
                attempt.settle(Outcome::Unchecked);
                Err(AppError::Busy {
                    retry_after_secs: self.limits.queue_wait.as_secs().max(1),
                })
            }
        }
    }

    /// The counting half of [`LoginLimiter::reserve`], under the lock.
    fn take(&self, address: IpAddr, name: &str) -> Result<Attempt, AppError> {
        let now = Instant::now();
        let limits = self.limits;
        let mut c = self.counters();
        let user_key = (address, name.to_owned());
        let by_address = current(&mut c.by_address, address, now, limits);
        let by_user = current(&mut c.by_user, user_key.clone(), now, limits);
        let over = [(by_address, limits.per_address), (by_user, limits.per_user)]
            .into_iter()
            .filter(|(w, max)| w.used() >= *max)
            .map(|(w, _)| {
                (limits.window.saturating_sub(now.duration_since(w.started)))
                    .as_secs()
                    .max(1)
            })
            .max();
        if let Some(retry_after_secs) = over {
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
        let Counters {
            by_address,
            by_user,
        } = &mut *c;
        for w in [by_address.get_mut(&address), by_user.get_mut(&user_key)]
            .into_iter()
            .flatten()
        {
            w.in_flight += 1;
        }
        Ok(Attempt {
            limiter: self.clone(),
            address,
            name: name.to_owned(),
            done: false,
            _slot: None,
        })
    }

    /// How many counters are kept (for tests of the bound).
    pub fn len(&self) -> usize {
        let c = self.counters();
        c.by_address.len() + c.by_user.len()
    }

    /// Whether no counter is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The live window of `key`, starting one if it has none (or its window
/// ended); makes room first when the map is full.
fn current<K: Eq + Hash + Clone>(
    map: &mut HashMap<K, Window>,
    key: K,
    now: Instant,
    limits: Limits,
) -> Window {
    let live = |w: &Window| now.duration_since(w.started) < limits.window || w.in_flight > 0;
    if !map.contains_key(&key) && map.len() >= limits.max_entries {
        map.retain(|_, w| live(w));
        while map.len() >= limits.max_entries {
            let oldest = map
                .iter()
                .filter(|(_, w)| w.in_flight == 0)
                .min_by_key(|(_, w)| w.started)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
    }
    let w = map.entry(key).or_insert(Window {
        started: now,
        failures: 0,
        in_flight: 0,
    });
    if !live(w) {
        *w = Window {
            started: now,
            failures: 0,
            in_flight: 0,
        };
    }
    *w
}

/// How a reserved attempt ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Succeeded,
    Failed,
    /// Never checked (no slot): it does not count.
    Unchecked,
}

impl Attempt {
    /// The password was right: this name's failures from this address are
    /// forgotten.
    pub fn succeeded(mut self) {
        self.settle(Outcome::Succeeded);
    }

    /// The password was wrong: the attempt counts as a failure.
    pub fn failed(mut self) {
        self.settle(Outcome::Failed);
    }

    fn settle(&mut self, outcome: Outcome) {
        if self.done {
            return;
        }
        self.done = true;
        let user_key = (self.address, std::mem::take(&mut self.name));
        let mut c = self.limiter.counters();
        let Counters {
            by_address,
            by_user,
        } = &mut *c;
        for w in [
            by_address.get_mut(&self.address),
            by_user.get_mut(&user_key),
        ]
        .into_iter()
        .flatten()
        {
            w.in_flight = w.in_flight.saturating_sub(1);
            if outcome == Outcome::Failed {
                w.failures += 1;
            }
        }
        if outcome == Outcome::Succeeded {
            by_user.remove(&user_key);
        }
    }
}

impl Drop for Attempt {
    /// An attempt dropped unsettled (its check panicked) counts as failed.
    fn drop(&mut self) {
        self.settle(Outcome::Failed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const THERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    fn limits(per_user: u32, per_address: u32) -> Limits {
        Limits {
            per_user,
            per_address,
            window: Duration::from_secs(60),
            max_entries: 100,
            concurrent_checks: 64,
            queue_wait: Duration::from_millis(50),
        }
    }

    fn throttled(r: &Result<Attempt, AppError>) -> bool {
        matches!(r, Err(AppError::TooManyAttempts { .. }))
    }

    #[tokio::test]
    async fn attempts_under_way_count_so_a_burst_gets_only_its_allowance() {
        // Arrange
        let limiter = LoginLimiter::new(limits(5, 100));
        // Act: 40 attempts taken before any has been checked.
        let mut held = Vec::new();
        for _ in 0..40 {
            held.push(limiter.reserve(HERE, "ada").await);
        }
        // Assert
        assert_eq!(held.iter().filter(|r| r.is_ok()).count(), 5);
        assert!(held[5..].iter().all(throttled));
    }

    #[tokio::test]
    async fn failures_from_one_address_never_lock_the_user_out_elsewhere() {
        let limiter = LoginLimiter::new(limits(2, 100));
        for _ in 0..2 {
            limiter
                .reserve(THERE, "ada")
                .await
                .expect("allowed")
                .failed();
        }
        assert!(throttled(&limiter.reserve(THERE, "ada").await));
        let from_here = limiter
            .reserve(HERE, "ada")
            .await
            .expect("not locked out here");
        from_here.succeeded();
    }

    #[tokio::test]
    async fn spraying_many_names_from_one_address_meets_the_address_limit() {
        let limiter = LoginLimiter::new(limits(5, 3));
        for name in ["a", "b", "c"] {
            limiter.reserve(HERE, name).await.expect("allowed").failed();
        }
        assert!(throttled(&limiter.reserve(HERE, "d").await));
        assert!(limiter.reserve(THERE, "d").await.is_ok());
    }

    #[tokio::test]
    async fn a_success_clears_the_names_failures_and_a_drop_counts_as_one() {
        let limiter = LoginLimiter::new(limits(2, 100));
        limiter
            .reserve(HERE, "ann")
            .await
            .expect("allowed")
            .failed();
        limiter
            .reserve(HERE, "ann")
            .await
            .expect("allowed")
            .succeeded();
        drop(limiter.reserve(HERE, "ann").await.expect("allowed"));
        assert!(limiter.reserve(HERE, "ann").await.is_ok());
        drop(limiter.reserve(HERE, "ann").await);
        assert!(throttled(&limiter.reserve(HERE, "ann").await));
    }

    #[tokio::test]
    async fn a_flood_of_distinct_names_keeps_memory_bounded() {
        let limiter = LoginLimiter::new(Limits {
            per_address: u32::MAX,
            ..limits(5, 0)
        });
        for i in 0..1_000u32 {
            let address = IpAddr::V4(std::net::Ipv4Addr::from(i));
            limiter
                .reserve(address, &format!("name-{i}"))
                .await
                .expect("allowed")
                .failed();
        }
        assert!(limiter.len() <= 200, "{}", limiter.len());
    }

    #[tokio::test]
    async fn when_every_check_slot_is_busy_the_sign_in_is_told_to_retry() {
        let limiter = LoginLimiter::new(Limits {
            concurrent_checks: 1,
            ..limits(5, 100)
        });
        let busy = limiter.reserve(HERE, "ann").await.expect("the one slot");
        let waiting = limiter.reserve(THERE, "bob").await;
        assert!(matches!(waiting, Err(AppError::Busy { .. })), "{waiting:?}");
        busy.succeeded();
        assert!(limiter.reserve(THERE, "bob").await.is_ok());
    }
}
