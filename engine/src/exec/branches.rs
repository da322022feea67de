//! Parallel branches and Map iterations: starting them, and collecting their ends.

use serde_json::{Value, json};

use crate::definition::State;
use crate::failure::{Failure, names};
use crate::history::NewEvent;

use super::interp::{Interp, lookup};
use super::outcome::Step;
use super::run::{Blocked, Branches, Slot, Status, ThreadId};

fn branches<'i>(it: &'i mut Interp<'_>, pid: ThreadId) -> Option<&'i mut Branches> {
    match &mut it.thread(pid).status {
        Status::Blocked(Blocked::Branches(b)) => Some(b),
        _ => None,
    }
}

/// Starts pending slots of a parent, as far as its concurrency allows.
/// `b` is not yet stored in the thread when called from the state itself.
pub(crate) fn launch(it: &mut Interp<'_>, pid: ThreadId, state: &State, b: &mut Branches) {
    let running = b
        .slots
        .iter()
        .filter(|s| matches!(s, Slot::Running(_)))
        .count();
    let room = match b.max_concurrency {
        0 => usize::MAX,
        n => n.saturating_sub(running),
    };
    let pending: Vec<usize> = b
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Slot::Pending(_)))
        .map(|(i, _)| i)
        .take(room)
        .collect();
    let mut scope = it.thread(pid).scope.clone();
    let name = it.thread(pid).state.clone();
    let procs = state.branches();
    for i in pending {
        let Slot::Pending(input) = std::mem::replace(&mut b.slots[i], Slot::Done(Value::Null))
        else {
            continue;
        };
        let (branch_index, map_item) = if b.is_map {
            (0, Some((i, input.clone())))
        } else {
            (i, None)
        };
        let Some(branch) = procs.get(branch_index) else {
            continue;
        };
        let prev = if b.is_map {
            it.emit(
                Some(pid),
                NewEvent::with(
                    "MapIterationStarted",
                    "mapIterationStartedEventDetails",
                    json!({ "name": name, "index": i }),
                ),
            )
        } else {
            it.thread(pid).prev_event
        };
        scope.push((name.clone(), branch_index));
        let child = it.spawn(
            scope.clone(),
            Some((pid, i)),
            branch.start_at.clone(),
            input,
            prev,
            map_item,
        );
        scope.pop();
        b.slots[i] = Slot::Running(child);
    }
}

/// A branch or iteration ended successfully.
pub(crate) fn child_done(
    it: &mut Interp<'_>,
    pid: ThreadId,
    slot: usize,
    id: ThreadId,
    output: Value,
) {
    it.exec.run.threads.remove(&id);
    let name = it.thread(pid).state.clone();
    let Some(b) = branches(it, pid) else { return };
    b.slots[slot] = Slot::Done(output);
    if b.is_map {
        it.emit(
            Some(pid),
            NewEvent::with(
                "MapIterationSucceeded",
                "mapIterationSucceededEventDetails",
                json!({ "name": name, "index": slot }),
            ),
        );
    }
    settle(it, pid);
}

/// A branch or iteration failed and did not handle it.
pub(crate) fn child_failed(it: &mut Interp<'_>, pid: ThreadId, slot: usize, failure: Failure) {
    let name = it.thread(pid).state.clone();
    let Some(b) = branches(it, pid) else { return };
    let is_map = b.is_map;
    let tolerated = b.tolerated;
    if is_map {
        it.emit(
            Some(pid),
            NewEvent::with(
                "MapIterationFailed",
                "mapIterationFailedEventDetails",
                json!({ "name": name, "index": slot }),
            ),
        );
    }
    let Some(b) = branches(it, pid) else { return };
    if tolerated.is_some_and(|t| b.failures < t) {
        b.failures += 1;
        if let Slot::Running(id) = std::mem::replace(&mut b.slots[slot], Slot::Tolerated(failure)) {
            it.exec.run.threads.remove(&id);
        }
        return settle(it, pid);
    }
    let (kind, failure) = if is_map {
        let f = match tolerated {
            Some(_) => Failure::new(
                names::EXCEEDED_TOLERATED_FAILURE_THRESHOLD,
                "The specified tolerated failure threshold was exceeded",
            ),
            None => failure,
        };
        ("MapStateFailed", f)
    } else {
        ("ParallelStateFailed", failure)
    };
    it.emit(Some(pid), NewEvent::bare(kind));
    it.fail(pid, failure);
}

/// Starts what may start, and finishes the parent when every slot has ended.
fn settle(it: &mut Interp<'_>, pid: ThreadId) {
    let (sm, scope, name) = it.state_of(pid);
    let Some(state) = lookup(&sm, &scope, &name) else {
        return;
    };
    let Some(mut b) = branches(it, pid).map(|b| std::mem::replace(b, empty())) else {
        return;
    };
    launch(it, pid, state, &mut b);
    let finished = b
        .slots
        .iter()
        .all(|s| matches!(s, Slot::Done(_) | Slot::Tolerated(_)));
    let results: Vec<Value> = b
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Done(v) => Some(v.clone()),
            Slot::Tolerated(f) => Some(f.to_output()),
            _ => None,
        })
        .collect();
    let is_map = b.is_map;
    it.thread(pid).status = Status::Blocked(Blocked::Branches(b));
    if finished {
        finish(it, pid, state, is_map, results);
    }
}

/// Emits the parent's success and applies its result processing.
pub(crate) fn finish(
    it: &mut Interp<'_>,
    pid: ThreadId,
    state: &State,
    is_map: bool,
    results: Vec<Value>,
) {
    let kind = if is_map {
        "MapStateSucceeded"
    } else {
        "ParallelStateSucceeded"
    };
    it.emit(Some(pid), NewEvent::bare(kind));
    let step = Step::from(super::flow::conclude(it, pid, state, Value::Array(results)));
    it.apply(pid, state, step);
}

fn empty() -> Branches {
    Branches {
        slots: Vec::new(),
        max_concurrency: 0,
        tolerated: None,
        failures: 0,
        is_map: false,
    }
}
