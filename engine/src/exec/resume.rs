//! What moves a blocked execution on: workers, timers, nested executions, and
//! the API's stop and redrive.

use serde_json::{Value, json};

use crate::failure::{Failure, names};
use crate::history::NewEvent;
use crate::states::task;

use super::ExecutionStatus;
use super::interp::{Interp, lookup};
use super::run::{Blocked, Status, ThreadId};

impl Interp<'_> {
    fn blocked(&mut self, id: ThreadId) -> Option<Blocked> {
        match self.exec.run.threads.get(&id).map(|t| &t.status) {
            Some(Status::Blocked(b)) => Some(b.clone()),
            _ => None,
        }
    }

    /// A worker took the activity task of a thread.
    pub fn activity_started(&mut self, id: ThreadId, worker: &str) {
        let now = self.env.now;
        let Some(Blocked::Activity(mut a)) = self.blocked(id) else {
            return;
        };
        self.emit(
            Some(id),
            NewEvent::with(
                "ActivityStarted",
                "activityStartedEventDetails",
                json!({ "workerName": worker }),
            ),
        );
        a.worker = Some(worker.to_owned());
        if let Some(hb) = a.heartbeat_seconds {
            let at = now + hb as i64 * 1000;
            a.heartbeat_at = Some(at);
            self.fx.timers.push((at, Some(id)));
        }
        self.thread(id).status = Status::Blocked(Blocked::Activity(a));
    }

    /// A worker sent a heartbeat: the heartbeat deadline moves on.
    pub fn heartbeat(&mut self, id: ThreadId) {
        let now = self.env.now;
        let Some(Blocked::Activity(mut a)) = self.blocked(id) else {
            return;
        };
        if let Some(hb) = a.heartbeat_seconds {
            let at = now + hb as i64 * 1000;
            a.heartbeat_at = Some(at);
            self.fx.timers.push((at, Some(id)));
            self.thread(id).status = Status::Blocked(Blocked::Activity(a));
        }
    }

    /// A worker finished the activity task with `output` (valid JSON).
    pub fn activity_succeeded(&mut self, id: ThreadId, output: &str) {
        self.emit(
            Some(id),
            NewEvent::with(
                "ActivitySucceeded",
                "activitySucceededEventDetails",
                json!({ "output": output, "outputDetails": {"truncated": false} }),
            ),
        );
        let result = serde_json::from_str(output).unwrap_or(Value::Null);
        task::complete(self, id, result);
        self.drive();
    }

    /// A worker failed the activity task.
    pub fn activity_failed(&mut self, id: ThreadId, error: &str, cause: &str) {
        self.emit(
            Some(id),
            NewEvent::with(
                "ActivityFailed",
                "activityFailedEventDetails",
                json!({ "error": error, "cause": cause }),
            ),
        );
        self.fail(id, Failure::new(error, cause));
        self.drive();
    }

    /// A timer of the thread (or, with `None`, of the execution) is due.
    pub fn timer_fired(&mut self, thread: Option<ThreadId>) {
        let now = self.env.now;
        let Some(id) = thread else {
            return self.execution_timeout(now);
        };
        match self.blocked(id) {
            Some(Blocked::Wait { until }) if until <= now => self.wait_over(id),
            Some(Blocked::Retry { until }) if until <= now => {
                self.thread(id).status = Status::Ready { enter: false };
            }
            Some(Blocked::Activity(a)) => {
                let timed_out = a.timeout_at.is_some_and(|t| t <= now);
                let silent = a.heartbeat_at.is_some_and(|t| t <= now);
                if timed_out || silent {
                    self.fx.cancelled.push(a.token);
                    let error = if timed_out {
                        names::TIMEOUT
                    } else {
                        names::HEARTBEAT_TIMEOUT
                    };
                    self.emit(
                        Some(id),
                        NewEvent::with(
                            "ActivityTimedOut",
                            "activityTimedOutEventDetails",
                            json!({ "error": error, "cause": "" }),
                        ),
                    );
                    self.fail(id, Failure::new(error, ""));
                }
            }
            Some(Blocked::Child {
                execution_arn,
                timeout_at,
                mode,
            }) if timeout_at.is_some_and(|t| t <= now) => {
                if !execution_arn.is_empty() {
                    self.fx.stop_children.push(execution_arn);
                }
                task::nested_event(
                    self,
                    id,
                    mode,
                    "TaskTimedOut",
                    "taskTimedOutEventDetails",
                    json!({ "error": names::TIMEOUT, "cause": "" }),
                );
                self.fail(id, Failure::new(names::TIMEOUT, ""));
            }
            _ => {}
        }
        self.drive();
    }

    fn execution_timeout(&mut self, now: i64) {
        let Some(secs) = self.exec.definition.timeout_seconds else {
            return;
        };
        let from = self.exec.redriven_at.unwrap_or(self.exec.started_at);
        if self.exec.is_done() || now < from + secs as i64 * 1000 {
            return;
        }
        self.end(
            ExecutionStatus::TimedOut,
            Failure::new(
                names::TIMEOUT,
                "The execution ran longer than its TimeoutSeconds.",
            ),
        );
    }

    fn wait_over(&mut self, id: ThreadId) {
        let (sm, scope, name) = self.state_of(id);
        let Some(state @ crate::definition::State::Wait(w)) = lookup(&sm, &scope, &name) else {
            return;
        };
        let step = crate::states::wait_resume(state, w, self, id);
        self.apply(id, state, step);
    }

    /// The engine started the nested execution a Task state asked for.
    pub fn child_started(&mut self, id: ThreadId, arn: &str, started_at: i64) {
        let Some(Blocked::Child {
            mode, timeout_at, ..
        }) = self.blocked(id)
        else {
            return;
        };
        task::child_started(self, id, mode, timeout_at, arn, started_at);
        self.drive();
    }

    /// The nested execution could not be started.
    pub fn child_start_failed(&mut self, id: ThreadId, failure: Failure) {
        let Some(Blocked::Child { mode, .. }) = self.blocked(id) else {
            return;
        };
        task::nested_event(
            self,
            id,
            mode,
            "TaskStartFailed",
            "taskStartFailedEventDetails",
            json!({ "error": failure.error, "cause": failure.cause }),
        );
        self.fail(id, failure);
        self.drive();
    }

    /// A nested execution this thread waits for has ended.
    pub fn child_finished(&mut self, id: ThreadId, arn: &str, succeeded: bool, description: Value) {
        let Some(Blocked::Child {
            mode,
            execution_arn,
            ..
        }) = self.blocked(id)
        else {
            return;
        };
        if execution_arn != arn {
            return;
        }
        task::child_finished(self, id, mode, succeeded, description);
        self.drive();
    }

    /// `StopExecution`.
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) {
        let failure = Failure::new(error.unwrap_or_default(), cause.unwrap_or_default());
        self.end(ExecutionStatus::Aborted, failure);
    }

    /// `RedriveExecution`: runs again every state that failed or was stopped.
    pub fn redrive(&mut self) {
        let now = self.env.now;
        self.exec.redrive_count += 1;
        self.exec.redriven_at = Some(now);
        self.exec.status = ExecutionStatus::Running;
        self.exec.stopped_at = None;
        self.exec.error = None;
        self.exec.cause = None;
        self.emit(
            None,
            NewEvent::with(
                "ExecutionRedriven",
                "executionRedrivenEventDetails",
                json!({ "redriveCount": self.exec.redrive_count }),
            ),
        );
        for t in self.exec.run.threads.values_mut() {
            if matches!(t.status, Status::Failed(_) | Status::Aborted) {
                t.status = Status::Ready { enter: true };
            }
        }
        self.arm_execution_timeout();
        self.drive();
    }
}
