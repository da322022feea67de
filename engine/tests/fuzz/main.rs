//! Fuzzing the engine's API with `proptest`: every action with valid bodies
//! mutated at random and with bodies that are not even JSON, every header
//! through the HTTP layer (signed and open), and state machine definitions
//! from a generator of Amazon States Language.
//!
//! Invariants, on every case: nothing panics (in the call or in the engine's
//! background work), nothing is an internal failure (HTTP 500), every error
//! has AWS's shape, and a rejected request changes nothing that any API call
//! can see.
//!
//! `STEPDESK_FUZZ_CASES` sets the cases per target (default 64); the
//! `scripts/fuzz.sh` command runs the long campaign and prints what it ran.

mod definitions;
mod desk;
mod requests;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Cases per fuzz target.
pub fn cases() -> u32 {
    std::env::var("STEPDESK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

/// A runner for `cases()` cases. Failures are shrunk and reported with the
/// input; nothing is written next to the sources.
fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Panics anywhere in the process (the engine's timer loop included, whose
/// panics would otherwise vanish with its task).
static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic from now on; the default hook still prints it.
fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

/// Panics so far.
fn panics() -> usize {
    PANICS.load(Ordering::SeqCst)
}

/// What a campaign ran: outcomes by label, printed at its end.
#[derive(Default)]
pub struct Tally(Mutex<BTreeMap<String, u64>>);

impl Tally {
    /// Counts one case under `label`.
    pub fn count(&self, label: impl Into<String>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(label.into()).or_default() += 1;
    }

    /// Prints the campaign's name, its cases and the outcomes.
    pub fn print(&self, campaign: &str) {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let total: u64 = map.values().sum();
        eprintln!("fuzz {campaign}: {total} cases");
        for (label, n) in map.iter() {
            eprintln!("  {n:>8}  {label}");
        }
    }
}

/// A failed case, with what went wrong.
pub fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// A runtime for the engine under test, on this thread.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Runs `case` on `cases()` values of `strategy`, each to its end on the
/// runtime, failing it also when anything panicked meanwhile (the engine's
/// background work included); prints what `case` tallied under `name`, then
/// panics with the shrunk input if a case failed.
pub fn campaign<S: Strategy>(
    name: &str,
    strategy: S,
    case: impl AsyncFn(S::Value, &Tally) -> Result<(), TestCaseError>,
) {
    count_panics();
    let rt = runtime();
    let tally = Tally::default();
    let result = runner().run(&strategy, |value| {
        rt.block_on(async {
            let panicked = panics();
            case(value, &tally).await?;
            prop_assert_eq!(panics(), panicked, "a panic");
            Ok(())
        })
    });
    tally.print(name);
    if let Err(e) = result {
        panic!("{e}");
    }
}
