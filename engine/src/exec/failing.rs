//! When a state fails: Retry, Catch, or passing the failure up, and ending
//! an execution that failed, timed out or was stopped.

use serde_json::json;

use crate::definition::State;
use crate::failure::{Failure, names};
use crate::history::NewEvent;

use super::ExecutionStatus;
use super::interp::{Interp, lookup};
use super::run::{Blocked, Status, ThreadId};

impl Interp<'_> {
    /// Handles a state's failure: retry, catch, or pass it up.
    pub fn fail(&mut self, id: ThreadId, mut failure: Failure) {
        let (sm, scope, name) = self.state_of(id);
        let state = lookup(&sm, &scope, &name);
        if failure.error == names::QUERY_EVALUATION_ERROR {
            self.evaluation_failed(id, &name, &failure);
        }
        let prefixed = [names::RUNTIME, names::QUERY_EVALUATION_ERROR];
        if prefixed.contains(&failure.error.as_str())
            && !failure.cause.starts_with("An error occurred")
        {
            let entered = self.thread(id).entered_event;
            failure.cause = format!(
                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). {}",
                failure.cause
            );
        }
        if let Some(state) = state
            && (self.retry(id, state, &failure) || self.catch(id, state, &failure))
        {
            return;
        }
        let parent = self.thread(id).parent;
        // A Parallel or Map keeps its branches when their failure passes
        // through it: a redrive re-runs the failed branch, not the state.
        if !matches!(
            self.thread(id).status,
            Status::Blocked(Blocked::Branches(_))
        ) {
            self.thread(id).status = Status::Failed(failure.clone());
        }
        match parent {
            None => self.end(ExecutionStatus::Failed, failure),
            Some((pid, slot)) => super::branches::child_failed(self, pid, slot, failure),
        }
    }

    /// `EvaluationFailed`: which expression of which state failed, as AWS records it.
    fn evaluation_failed(&mut self, id: ThreadId, state: &str, failure: &Failure) {
        let mut details = json!({ "error": failure.error, "cause": failure.cause, "state": state });
        let location = failure
            .cause
            .split_once("for the field '")
            .and_then(|(_, rest)| rest.split_once('\''))
            .map(|(field, _)| field.to_owned());
        if let Some(location) = location {
            details["location"] = json!(location);
        }
        self.emit(
            Some(id),
            NewEvent::with("EvaluationFailed", "evaluationFailedEventDetails", details),
        );
    }

    fn retry(&mut self, id: ThreadId, state: &State, failure: &Failure) -> bool {
        let now = self.env.now;
        let t = self.thread(id);
        let Some(delay) = super::retry::next_delay(state.retriers(), &mut t.retries, failure)
        else {
            return false;
        };
        self.discard_children(id);
        let until = now + delay;
        self.fx.timers.push((until, Some(id)));
        self.thread(id).status = Status::Blocked(Blocked::Retry { until });
        true
    }

    fn catch(&mut self, id: ThreadId, state: &State, failure: &Failure) -> bool {
        let Some((index, catcher)) = state
            .catchers()
            .iter()
            .enumerate()
            .find(|(_, c)| super::retry::matches(&c.error_equals, &failure.error))
        else {
            return false;
        };
        self.discard_children(id);
        let output = super::flow::caught(self, id, state, index, catcher, failure);
        // A catcher's assignments show in no `*StateExited` event: there is none.
        self.fx.assigned.remove(&id);
        match output {
            Ok(output) => {
                let t = self.thread(id);
                t.state = catcher.next.clone();
                t.input = output;
                t.status = Status::Ready { enter: true };
            }
            // A catcher whose ResultPath cannot be applied fails the state for good.
            Err(f) => {
                let parent = self.thread(id).parent;
                self.thread(id).status = Status::Failed(f.clone());
                match parent {
                    None => self.end(ExecutionStatus::Failed, f),
                    Some((pid, slot)) => super::branches::child_failed(self, pid, slot, f),
                }
            }
        }
        true
    }

    /// Removes a thread's children (retry or catch of a Parallel/Map), cancelling their work.
    pub fn discard_children(&mut self, id: ThreadId) {
        for child in self.exec.run.descendants(id) {
            self.cancel_work(child);
            self.exec.run.threads.remove(&child);
        }
    }

    /// Cancels what a thread waits for outside the interpreter.
    pub fn cancel_work(&mut self, id: ThreadId) {
        if let Some(t) = self.exec.run.threads.get(&id) {
            match &t.status {
                Status::Blocked(Blocked::Activity(a)) => self.fx.cancelled.push(a.token.clone()),
                Status::Blocked(Blocked::Child { execution_arn, .. })
                    if !execution_arn.is_empty() =>
                {
                    self.fx.stop_children.push(execution_arn.clone())
                }
                _ => {}
            }
        }
    }

    /// Ends the execution unsuccessfully; threads are kept for a redrive.
    pub fn end(&mut self, status: ExecutionStatus, failure: Failure) {
        let ids: Vec<ThreadId> = self.exec.run.threads.keys().copied().collect();
        for id in ids {
            self.cancel_work(id);
            let t = self.thread(id);
            if matches!(t.status, Status::Ready { .. })
                || matches!(t.status, Status::Blocked(ref b) if !matches!(b, Blocked::Branches(_)))
            {
                t.status = Status::Aborted;
            }
        }
        let (kind, field) = match status {
            ExecutionStatus::TimedOut => ("ExecutionTimedOut", "executionTimedOutEventDetails"),
            ExecutionStatus::Aborted => ("ExecutionAborted", "executionAbortedEventDetails"),
            _ => ("ExecutionFailed", "executionFailedEventDetails"),
        };
        // An empty error or cause (a Fail state without them, a stop without
        // them, a timeout) is left out, as AWS leaves it out.
        let error = Some(failure.error).filter(|e| !e.is_empty());
        let cause = Some(failure.cause).filter(|c| !c.is_empty());
        let mut details = serde_json::Map::new();
        if let Some(e) = &error {
            details.insert("error".into(), json!(e));
        }
        if let Some(c) = &cause {
            details.insert("cause".into(), json!(c));
        }
        self.emit(
            None,
            NewEvent::with(kind, field, serde_json::Value::Object(details)),
        );
        self.exec.status = status;
        self.exec.error = error;
        self.exec.cause = cause;
        self.exec.stopped_at = Some(self.env.now);
    }
}
