//! The live state of an execution: its threads of control and what each waits for.
//!
//! A [`Run`] is plain data, serialized whole into the store after every change,
//! so that an execution continues after a restart exactly where it was.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::Millis;
use crate::failure::Failure;

/// Index of a thread within its run.
pub(crate) type ThreadId = u32;

/// Every thread of an execution: the root, plus one per running Parallel
/// branch or Map iteration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Run {
    pub threads: BTreeMap<ThreadId, Thread>,
    pub next_thread: ThreadId,
    /// The id of the execution's latest history event.
    pub last_event: u64,
}

/// Where a thread's states are: the root machine, or a branch of a Parallel
/// or the processor of a Map, named by (state, branch index) from the root.
pub(crate) type Scope = Vec<(String, usize)>;

/// One thread of control, in one state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Thread {
    pub scope: Scope,
    /// The parent thread and the branch or iteration slot this thread fills.
    pub parent: Option<(ThreadId, usize)>,
    /// The current state's name.
    pub state: String,
    /// The current state's raw input.
    pub input: Value,
    pub entered_at: Millis,
    pub entered_event: u64,
    /// The latest event of this thread, which the next one follows.
    pub prev_event: u64,
    /// Attempts so far, per retrier of the current state.
    pub retries: Vec<u64>,
    /// `$$.Map.Item` of a Map iteration.
    pub map_item: Option<(usize, Value)>,
    pub status: Status,
    /// The variables this thread's scope assigned (a branch or iteration
    /// starts with none and reads its parents' too).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub vars: serde_json::Map<String, Value>,
}

/// What a thread is doing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) enum Status {
    /// About to run its state: `enter` says whether the state is entered
    /// (false when a retry runs it again).
    Ready { enter: bool },
    /// Waiting for something outside the interpreter.
    Blocked(Blocked),
    /// Failed, and the failure was not handled; kept for redrive.
    Failed(Failure),
    /// Stopped because a sibling failed or the execution ended; kept for redrive.
    Aborted,
}

/// What a blocked thread waits for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) enum Blocked {
    /// An activity worker to take and finish the task.
    Activity(ActivityWait),
    /// A Wait state's deadline.
    Wait { until: Millis },
    /// A retrier's back-off.
    Retry { until: Millis },
    /// Parallel branches or Map iterations.
    Branches(Branches),
    /// A nested execution started with `.sync` or `.sync:2`.
    Child {
        /// Empty until the engine has started it.
        execution_arn: String,
        mode: SyncMode,
        timeout_at: Option<Millis>,
    },
}

/// A scheduled activity task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct ActivityWait {
    pub token: String,
    pub activity_arn: String,
    /// The task input handed to the worker, as JSON text.
    pub input: String,
    pub scheduled_at: Millis,
    /// The worker that took it, once taken.
    pub worker: Option<String>,
    pub timeout_at: Option<Millis>,
    pub heartbeat_seconds: Option<u64>,
    pub heartbeat_at: Option<Millis>,
}

/// How a nested execution's result is awaited.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) enum SyncMode {
    /// `startExecution`: done once started.
    Start,
    /// `startExecution.sync`: output as a JSON string.
    Sync,
    /// `startExecution.sync:2`: output as JSON.
    Sync2,
}

/// The children of a Parallel or Map state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Branches {
    pub slots: Vec<Slot>,
    /// Map: iterations running at once at most (0: no limit).
    pub max_concurrency: usize,
    /// Map: failed iterations tolerated, when a tolerance is set.
    pub tolerated: Option<usize>,
    pub failures: usize,
    pub is_map: bool,
}

/// One branch or iteration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) enum Slot {
    /// Not started yet, with the input it will get.
    Pending(Value),
    Running(ThreadId),
    Done(Value),
    /// Failed but tolerated (Map only).
    Tolerated(Failure),
}

impl Run {
    /// Adds a thread and returns its id.
    pub fn spawn(&mut self, thread: Thread) -> ThreadId {
        let id = self.next_thread;
        self.next_thread += 1;
        self.threads.insert(id, thread);
        id
    }

    /// The ids of the threads in `Ready` state.
    pub fn ready(&self) -> Vec<ThreadId> {
        self.threads
            .iter()
            .filter(|(_, t)| matches!(t.status, Status::Ready { .. }))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The descendants of a thread (children, grandchildren...).
    pub fn descendants(&self, of: ThreadId) -> Vec<ThreadId> {
        let mut out = Vec::new();
        let mut stack = vec![of];
        while let Some(p) = stack.pop() {
            for (id, t) in &self.threads {
                if t.parent.map(|(pid, _)| pid) == Some(p) {
                    out.push(*id);
                    stack.push(*id);
                }
            }
        }
        out
    }

    /// The variables visible from a thread: its own over its parents'.
    pub fn visible_vars(&self, of: ThreadId) -> serde_json::Map<String, Value> {
        let mut chain = Vec::new();
        let mut here = self.threads.get(&of);
        while let Some(t) = here {
            chain.push(t);
            here = t.parent.and_then(|(pid, _)| self.threads.get(&pid));
        }
        let mut vars = serde_json::Map::new();
        for t in chain.into_iter().rev() {
            vars.extend(t.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        vars
    }

    /// Every pending activity of the run, with its thread.
    pub fn activities(&self) -> impl Iterator<Item = (ThreadId, &ActivityWait)> {
        self.threads.iter().filter_map(|(id, t)| match &t.status {
            Status::Blocked(Blocked::Activity(a)) => Some((*id, a)),
            _ => None,
        })
    }
}
