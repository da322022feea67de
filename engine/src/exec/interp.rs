//! The interpreter loop: entering states, transitions, and ending threads.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::definition::{State, StateMachine, Transition};
use crate::failure::{Failure, names};
use crate::history::{NewEvent, state_event_kinds};
use crate::states;

use super::outcome::Step;
use super::run::{Blocked, Scope, Status, Thread, ThreadId};
use super::{Effects, Env, Execution, ExecutionStatus};

/// Step Functions' cap on an execution's history; it also ends runaway loops.
pub(crate) const MAX_EVENTS: u64 = 25_000;

/// An interpreter run over one execution.
pub(crate) struct Interp<'a> {
    pub exec: &'a mut Execution,
    pub env: &'a Env<'a>,
    pub fx: &'a mut Effects,
}

impl<'a> Interp<'a> {
    /// Starts a run over `exec`, collecting effects into `fx`.
    pub fn new(exec: &'a mut Execution, env: &'a Env<'a>, fx: &'a mut Effects) -> Self {
        Self { exec, env, fx }
    }

    /// Appends a history event after the thread's latest one (or the execution's).
    pub fn emit(&mut self, thread: Option<ThreadId>, event: NewEvent) -> u64 {
        let run = &mut self.exec.run;
        run.last_event += 1;
        let id = run.last_event;
        let prev = match thread.and_then(|t| run.threads.get_mut(&t)) {
            Some(t) => std::mem::replace(&mut t.prev_event, id),
            None => id - 1,
        };
        self.fx.events.push((id, prev, event));
        id
    }

    /// The thread, which must exist.
    pub fn thread(&mut self, id: ThreadId) -> &mut Thread {
        self.exec
            .run
            .threads
            .get_mut(&id)
            .expect("the interpreter only names live threads")
    }

    /// The definition of the thread's current state.
    pub fn state_of(&self, id: ThreadId) -> (Arc<StateMachine>, Scope, String) {
        let t = &self.exec.run.threads[&id];
        (
            self.exec.definition.clone(),
            t.scope.clone(),
            t.state.clone(),
        )
    }

    /// Starts the execution: `ExecutionStarted`, the root thread, the timeout.
    pub fn start(&mut self) {
        let input: Value = serde_json::from_str(&self.exec.input).unwrap_or(json!({}));
        let event = self.emit(
            None,
            NewEvent::with(
                "ExecutionStarted",
                "executionStartedEventDetails",
                json!({ "input": self.exec.input, "inputDetails": {"truncated": false},
                        "roleArn": self.exec.role_arn }),
            ),
        );
        let start_at = self.exec.definition.start_at.clone();
        self.spawn(Vec::new(), None, start_at, input, event, None);
        self.arm_execution_timeout();
        self.drive();
    }

    /// Sets the state machine's `TimeoutSeconds` timer, if it has one.
    pub fn arm_execution_timeout(&mut self) {
        if let Some(secs) = self.exec.definition.timeout_seconds {
            let from = self.exec.redriven_at.unwrap_or(self.exec.started_at);
            self.fx.timers.push((from + secs as i64 * 1000, None));
        }
    }

    /// Adds a thread that enters `state` with `input`.
    pub fn spawn(
        &mut self,
        scope: Scope,
        parent: Option<(ThreadId, usize)>,
        state: String,
        input: Value,
        prev_event: u64,
        map_item: Option<(usize, Value)>,
    ) -> ThreadId {
        self.exec.run.spawn(Thread {
            scope,
            parent,
            state,
            input,
            entered_at: self.env.now,
            entered_event: prev_event,
            prev_event,
            retries: Vec::new(),
            map_item,
            status: Status::Ready { enter: true },
            vars: serde_json::Map::new(),
        })
    }

    /// Runs every ready thread until all are blocked or the execution ends.
    pub fn drive(&mut self) {
        loop {
            if self.exec.is_done() {
                return;
            }
            let ready = self.exec.run.ready();
            if ready.is_empty() {
                return;
            }
            for id in ready {
                if self.exec.is_done() {
                    return;
                }
                if self.exec.run.last_event >= MAX_EVENTS {
                    let cause = format!(
                        "The execution reached the maximum number of history events ({MAX_EVENTS})."
                    );
                    self.end(ExecutionStatus::Failed, Failure::runtime(cause));
                    return;
                }
                if let Some(Status::Ready { enter }) =
                    self.exec.run.threads.get(&id).map(|t| t.status.clone())
                {
                    self.step(id, enter);
                }
            }
        }
    }

    fn step(&mut self, id: ThreadId, enter: bool) {
        let (sm, scope, name) = self.state_of(id);
        let Some(state) = lookup(&sm, &scope, &name) else {
            let cause = format!("The state '{name}' does not exist in the state machine.");
            return self.fail(id, Failure::runtime(cause));
        };
        if enter {
            let (entered, _) = state_event_kinds(state.type_name());
            let input = self.thread(id).input.clone();
            let event = self.emit(Some(id), NewEvent::state_entered(entered, &name, &input));
            let now = self.env.now;
            let t = self.thread(id);
            t.entered_event = event;
            t.entered_at = now;
            t.retries = vec![0; state.retriers().len()];
        }
        let step = states::run(state, self, id);
        self.apply(id, state, step);
    }

    /// Carries out what running a state gave.
    pub fn apply(&mut self, id: ThreadId, state: &State, step: Step) {
        match step {
            Step::Output(out) => self.exit(id, state, out, state.transition()),
            Step::Goto(next, out) => self.exit(id, state, out, Transition::Next(next)),
            Step::End(out) => self.exit(id, state, out, Transition::End),
            Step::Block(blocked) => {
                self.timer_for(id, &blocked);
                self.thread(id).status = Status::Blocked(blocked);
            }
            Step::Fail(failure) => self.fail(id, failure),
        }
    }

    fn timer_for(&mut self, id: ThreadId, blocked: &Blocked) {
        let deadlines = match blocked {
            Blocked::Wait { until } | Blocked::Retry { until } => vec![Some(*until)],
            Blocked::Activity(a) => vec![a.timeout_at, a.heartbeat_at],
            Blocked::Child { timeout_at, .. } => vec![*timeout_at],
            Blocked::Branches(_) => vec![],
        };
        for at in deadlines.into_iter().flatten() {
            self.fx.timers.push((at, Some(id)));
        }
    }

    fn exit(&mut self, id: ThreadId, state: &State, output: Value, next: Transition) {
        let assigned = self.fx.assigned.remove(&id);
        let size = output.to_string().len();
        if size > crate::api::MAX_PAYLOAD {
            let cause = format!(
                "The state/task returned a result with a size exceeding the maximum number of bytes service limit ({size} > {}).",
                crate::api::MAX_PAYLOAD
            );
            return self.fail(id, Failure::new(names::DATA_LIMIT_EXCEEDED, cause));
        }
        let name = self.thread(id).state.clone();
        let (_, exited) = state_event_kinds(state.type_name());
        let event = match &assigned {
            Some(vars) => NewEvent::state_exited_assigning(exited, &name, &output, vars),
            None => NewEvent::state_exited(exited, &name, &output),
        };
        self.emit(Some(id), event);
        match next {
            Transition::Next(next) => {
                let t = self.thread(id);
                t.state = next;
                t.input = output;
                t.status = Status::Ready { enter: true };
            }
            Transition::End => self.thread_done(id, output),
        }
    }

    fn thread_done(&mut self, id: ThreadId, output: Value) {
        let parent = self.thread(id).parent;
        match parent {
            None => self.succeed(output),
            Some((pid, slot)) => super::branches::child_done(self, pid, slot, id, output),
        }
    }

    fn succeed(&mut self, output: Value) {
        let text = output.to_string();
        self.emit(
            Some(0),
            NewEvent::with(
                "ExecutionSucceeded",
                "executionSucceededEventDetails",
                json!({ "output": text, "outputDetails": {"truncated": false} }),
            ),
        );
        self.exec.run.threads.clear();
        self.exec.status = ExecutionStatus::Succeeded;
        self.exec.output = Some(text);
        self.exec.stopped_at = Some(self.env.now);
    }
}

/// Finds a state by scope and name in a definition.
pub(crate) fn lookup<'d>(sm: &'d StateMachine, scope: &Scope, name: &str) -> Option<&'d State> {
    let mut states = &sm.states;
    for (outer, branch) in scope {
        states = &states.get(outer)?.branches().get(*branch)?.states;
    }
    states.get(name)
}
