//! The engine: state in memory and in the store, one lock, one timer loop.
//!
//! Every API call takes the core lock, runs the interpreter over the
//! executions it touches, follows the consequences (nested executions
//! starting or ending), writes all of it in one SQLite transaction, and only
//! then answers. What a caller was told has happened is on disk.

pub(crate) mod core;
pub(crate) mod load;
mod timers;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::arn::Partition;
use crate::clock::{Clock, SystemClock};
use crate::error::ApiError;

pub(crate) use self::core::{Batch, Core};

/// How an engine is set up.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The SQLite file (`:memory:` for a throwaway engine).
    pub db_path: String,
    /// Region and account written into ARNs.
    pub partition: Partition,
    /// How long `GetActivityTask` waits for a task (AWS: 60 s).
    pub poll_timeout: Duration,
    /// Running executions at most; past it `StartExecution` fails with `ExecutionLimitExceeded`.
    pub max_running: u64,
}

impl EngineConfig {
    /// The defaults, storing in `db_path`.
    pub fn new(db_path: impl Into<String>) -> Self {
        Self {
            db_path: db_path.into(),
            partition: Partition::default(),
            poll_timeout: Duration::from_secs(60),
            max_running: 1_000_000,
        }
    }
}

pub(crate) struct Inner {
    core: Mutex<Core>,
    pub clock: Arc<dyn Clock>,
    pub config: EngineConfig,
    /// Wakes the timer loop when a timer was added.
    timer_wake: Arc<Notify>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

/// A running engine; cheap to clone, all clones share one state.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("db", &self.inner.config.db_path)
            .finish()
    }
}

impl Engine {
    /// Opens the store, resumes every running execution and starts the timer
    /// loop (on the current Tokio runtime), on wall-clock time.
    pub fn open(config: EngineConfig) -> Result<Self, ApiError> {
        Self::open_with_clock(config, Arc::new(SystemClock))
    }

    /// Like [`Engine::open`], on the given clock.
    #[tracing::instrument(skip(clock))]
    pub fn open_with_clock(config: EngineConfig, clock: Arc<dyn Clock>) -> Result<Self, ApiError> {
        let core = load::load(&config, clock.now())?;
        let engine = Engine {
            inner: Arc::new(Inner {
                core: Mutex::new(core),
                clock,
                config,
                timer_wake: Arc::new(Notify::new()),
                tasks: Mutex::new(Vec::new()),
            }),
        };
        let handle = tokio::spawn(timers::run(
            Arc::downgrade(&engine.inner),
            engine.inner.timer_wake.clone(),
        ));
        engine.inner.tasks_guard().push(handle);
        Ok(engine)
    }

    /// Stops the engine's background work; the store stays as it is, as after
    /// a crash. Calls still in flight may fail.
    pub fn shutdown(&self) {
        for task in self.inner.tasks_guard().drain(..) {
            task.abort();
        }
    }

    /// The clock the engine runs on.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Runs `f` on the core with a fresh batch, then commits the batch.
    pub(crate) fn with_core<T>(
        &self,
        f: impl FnOnce(&mut Core, &mut Batch) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let now = self.inner.clock.now();
        let mut core = self.inner.core();
        let mut batch = Batch::new(now);
        let out = f(&mut core, &mut batch)?;
        let effects = core.commit(batch)?;
        drop(core);
        if effects.timers_added {
            self.inner.timer_wake.notify_one();
        }
        for activity in effects.notify {
            core_notify(&self.inner, &activity);
        }
        Ok(out)
    }

    /// The waiter handle of an activity's queue.
    pub(crate) fn queue_signal(&self, activity: &str) -> Arc<Notify> {
        self.inner.core().signal(activity)
    }
}

fn core_notify(inner: &Inner, activity: &str) {
    inner.core().signal(activity).notify_waiters();
}

impl Inner {
    pub(crate) fn core(&self) -> MutexGuard<'_, Core> {
        // A panic while holding the lock leaves state that was fully written
        // to the store before the panic; carrying on is safe.
        self.core.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn tasks_guard(&self) -> MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }
}
