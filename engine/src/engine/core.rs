//! The engine's in-memory state and how one API call's changes are committed.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::Notify;

use crate::arn::Partition;
use crate::clock::Millis;
use crate::definition::StateMachine;
use crate::error::ApiError;
use crate::exec::run::{Run, Status};
use crate::exec::{ChildStart, Effects, Env, Execution, Interp, ParentTask, ThreadId};
use crate::history::Event;
use crate::store::{self, ExecRecord};

/// A parsed definition, shared by the executions of a revision.
pub(crate) type Definition = Arc<StateMachine>;

/// A running execution, with its row id (0 until first written).
pub(crate) struct Live {
    pub id: i64,
    pub revision_id: i64,
    pub exec: Execution,
}

/// A due time of a thread, or (thread `None`) of the execution's timeout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timer {
    pub at: Millis,
    pub arn: String,
    pub thread: Option<ThreadId>,
}

/// Tokens recently closed, so that a late caller hears why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closed {
    Completed,
    TimedOut,
}

const CLOSED_TOKENS_KEPT: usize = 50_000;

pub(crate) struct Core {
    pub conn: Connection,
    pub partition: Partition,
    pub max_running: u64,
    pub activities: HashSet<String>,
    pub defs: HashMap<i64, Definition>,
    pub running: HashMap<String, Live>,
    /// Live task tokens: token to (execution, thread).
    pub tokens: HashMap<String, (String, ThreadId)>,
    /// Tasks waiting for a worker, per activity, oldest first.
    pub queues: HashMap<String, VecDeque<String>>,
    pub timers: BinaryHeap<Reverse<Timer>>,
    pub closed: HashMap<String, Closed>,
    closed_order: VecDeque<String>,
    signals: HashMap<String, Arc<Notify>>,
}

/// Follow-up work within one call.
pub(crate) enum Work {
    StartChild { parent: String, start: ChildStart },
    StopChild(String),
    ChildEnded { parent: ParentTask, child: String },
}

/// The changes of one API call, committed together.
pub(crate) struct Batch {
    pub now: Millis,
    events: BTreeMap<String, Vec<Event>>,
    work: VecDeque<Work>,
    notify: BTreeSet<String>,
    timers_added: bool,
}

/// What the caller must do after a commit, outside the lock.
pub(crate) struct Committed {
    pub notify: BTreeSet<String>,
    pub timers_added: bool,
}

impl Batch {
    pub fn new(now: Millis) -> Self {
        Self {
            now,
            events: BTreeMap::new(),
            work: VecDeque::new(),
            notify: BTreeSet::new(),
            timers_added: false,
        }
    }
}

impl Core {
    pub fn new(conn: Connection, partition: Partition, max_running: u64) -> Self {
        Self {
            conn,
            partition,
            max_running,
            activities: HashSet::new(),
            defs: HashMap::new(),
            running: HashMap::new(),
            tokens: HashMap::new(),
            queues: HashMap::new(),
            timers: BinaryHeap::new(),
            closed: HashMap::new(),
            closed_order: VecDeque::new(),
            signals: HashMap::new(),
        }
    }

    /// The waiter handle of an activity's queue.
    pub fn signal(&mut self, activity: &str) -> Arc<Notify> {
        self.signals.entry(activity.to_owned()).or_default().clone()
    }

    /// The parsed definition of a revision, from the cache or the store.
    pub fn definition(&mut self, revision_id: i64) -> Result<Definition, ApiError> {
        if let Some(d) = self.defs.get(&revision_id) {
            return Ok(d.clone());
        }
        let text = store::revision(&self.conn, revision_id)?.ok_or_else(|| {
            ApiError::InternalFailure(format!("revision {revision_id} is missing"))
        })?;
        let sm = crate::definition::parse(&text).map_err(ApiError::InternalFailure)?;
        let def = Arc::new(sm);
        self.defs.insert(revision_id, def.clone());
        Ok(def)
    }

    /// Runs the interpreter over a running execution and takes in its effects.
    /// Returns false when the execution is not running.
    pub fn run_interp(
        &mut self,
        batch: &mut Batch,
        arn: &str,
        f: impl FnOnce(&mut Interp<'_>),
    ) -> bool {
        let Some(live) = self.running.get_mut(arn) else {
            return false;
        };
        let env = Env {
            now: batch.now,
            partition: &self.partition,
            activities: &self.activities,
        };
        let mut fx = Effects::default();
        f(&mut Interp::new(&mut live.exec, &env, &mut fx));
        self.absorb(batch, arn, fx);
        true
    }

    fn absorb(&mut self, batch: &mut Batch, arn: &str, fx: Effects) {
        let now = batch.now;
        let events = batch.events.entry(arn.to_owned()).or_default();
        events.extend(fx.events.into_iter().map(|(id, previous_id, e)| Event {
            id,
            previous_id,
            timestamp: now,
            kind: e.kind.to_owned(),
            details: e.details.map(|(f, v)| (f.to_owned(), v)),
        }));
        for token in fx.cancelled {
            self.close_token(&token, Closed::TimedOut);
        }
        let Some(live) = self.running.get(arn) else {
            return;
        };
        for token in fx.queued {
            if let Some((tid, a)) = live.exec.run.activities().find(|(_, a)| a.token == token) {
                self.tokens.insert(token.clone(), (arn.to_owned(), tid));
                self.queues
                    .entry(a.activity_arn.clone())
                    .or_default()
                    .push_back(token);
                batch.notify.insert(a.activity_arn.clone());
            }
        }
        for (at, thread) in fx.timers {
            self.timers.push(Reverse(Timer {
                at,
                arn: arn.to_owned(),
                thread,
            }));
            batch.timers_added = true;
        }
        for start in fx.children {
            batch.work.push_back(Work::StartChild {
                parent: arn.to_owned(),
                start,
            });
        }
        for child in fx.stop_children {
            batch.work.push_back(Work::StopChild(child));
        }
        if live.exec.is_done()
            && let Some(parent) = live.exec.parent.clone()
        {
            batch.work.push_back(Work::ChildEnded {
                parent,
                child: arn.to_owned(),
            });
        }
    }

    /// Forgets a token, remembering for a while how it ended.
    pub fn close_token(&mut self, token: &str, how: Closed) {
        self.tokens.remove(token);
        if self.closed.insert(token.to_owned(), how).is_none() {
            self.closed_order.push_back(token.to_owned());
        }
        while self.closed_order.len() > CLOSED_TOKENS_KEPT {
            if let Some(old) = self.closed_order.pop_front() {
                self.closed.remove(&old);
            }
        }
    }

    /// Carries out follow-up work, then writes everything touched in one transaction.
    pub fn commit(&mut self, mut batch: Batch) -> Result<Committed, ApiError> {
        while let Some(work) = batch.work.pop_front() {
            self.follow_up(&mut batch, work);
        }
        let tx = self.conn.transaction()?;
        for (arn, events) in &batch.events {
            let Some(live) = self.running.get_mut(arn) else {
                continue;
            };
            let record = to_record(live)?;
            if live.id == 0 {
                live.id = store::insert_execution(&tx, &record)?;
            } else {
                store::save_execution(&tx, &record)?;
            }
            store::append_events(&tx, live.id, events)?;
        }
        tx.commit()?;
        for arn in batch.events.keys() {
            if self.running.get(arn).is_some_and(|l| l.exec.is_done()) {
                self.running.remove(arn);
            }
        }
        Ok(Committed {
            notify: batch.notify,
            timers_added: batch.timers_added,
        })
    }

    fn follow_up(&mut self, batch: &mut Batch, work: Work) {
        match work {
            Work::StartChild { parent, start } => {
                super::load::start_child(self, batch, &parent, start)
            }
            Work::StopChild(child) => {
                self.run_interp(batch, &child, |it| {
                    it.stop(
                        Some("States.Aborted".into()),
                        Some("The parent execution ended.".into()),
                    )
                });
            }
            Work::ChildEnded { parent, child } => {
                let Some(live) = self.running.get(&child) else {
                    return;
                };
                let succeeded = live.exec.status == crate::ExecutionStatus::Succeeded;
                let description = crate::api::describe_for_task(&live.exec);
                self.run_interp(batch, &parent.execution_arn, |it| {
                    it.child_finished(parent.thread, &child, succeeded, description)
                });
            }
        }
    }

    /// Adds a running execution, to be inserted at commit.
    pub fn add(&mut self, revision_id: i64, exec: Execution) {
        self.running.insert(
            exec.arn.clone(),
            Live {
                id: 0,
                revision_id,
                exec,
            },
        );
    }
}

/// The row of a live execution.
pub(crate) fn to_record(live: &Live) -> Result<ExecRecord, ApiError> {
    let e = &live.exec;
    Ok(ExecRecord {
        id: live.id,
        arn: e.arn.clone(),
        name: e.name.clone(),
        machine_arn: e.machine_arn.clone(),
        revision_id: live.revision_id,
        role_arn: e.role_arn.clone(),
        input: e.input.clone(),
        status: e.status.as_str().to_owned(),
        started_at: e.started_at,
        stopped_at: e.stopped_at,
        output: e.output.clone(),
        error: e.error.clone(),
        cause: e.cause.clone(),
        redrive_count: e.redrive_count,
        redriven_at: e.redriven_at,
        parent: e.parent.as_ref().map(serde_json::to_string).transpose()?,
        run: serde_json::to_string(&e.run)?,
    })
}

/// Whether a run still has anything to redrive (a failed or stopped thread).
pub(crate) fn redrivable(run: &Run) -> bool {
    run.threads
        .values()
        .any(|t| matches!(t.status, Status::Failed(_) | Status::Aborted))
}
