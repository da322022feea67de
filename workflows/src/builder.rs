//! Builds a state machine definition in code, the way the CDK chains states.
//!
//! ```
//! use serde_json::json;
//! use workflows::builder::{Chain, Choice, Condition, Fail, Pass, StateMachine, Task};
//!
//! let review = Task::activity("Review", "ReviewActivityArn").heartbeat_seconds(60);
//! let decide = Choice::new("Approved?")
//!     .when(Condition::boolean_equals("$.Approved", true), Pass::new("Done"))
//!     .otherwise(Fail::new("Rejected").error("Rejected"));
//! let definition = StateMachine::new(Chain::start(review).next(decide))
//!     .comment("Review, then approve or reject.")
//!     .build()?;
//! assert_eq!(definition["StartAt"], "Review");
//! assert_eq!(definition["States"]["Review"]["Next"], "Approved?");
//! assert_eq!(definition["States"]["Done"], json!({"Type": "Pass", "End": true}));
//! # Ok::<(), workflows::builder::BuildError>(())
//! ```
//!
//! The result is a [`serde_json::Value`] whose keys come in the order a
//! hand-written definition has them, so a built definition and a file can
//! be compared as text.
//!
//! # Layout
//! - `chain`: [`Chain`], states wired by `Next`, and the checks of a build.
//! - `condition`: [`Condition`], the tests of Choice rules.
//! - `task`: [`Task`], on any resource.
//! - `recovery`: [`Retry`] and [`Catch`], for Task, Parallel and Map.
//! - `choice`: [`Choice`].
//! - `states`: [`Pass`], [`Wait`], [`Succeed`], [`Fail`].
//! - `groups`: [`Parallel`] and [`Map`].
//! - `fields`: a state's plain fields, written in ASL's key order.

mod chain;
mod choice;
mod condition;
mod fields;
mod groups;
mod recovery;
mod states;
mod task;

use serde_json::{Map as JsonMap, Value};

pub use chain::Chain;
pub use choice::Choice;
pub use condition::Condition;
pub use groups::{Map, Parallel};
pub use recovery::{Catch, Retry};
pub use states::{Fail, Pass, Succeed, Wait};
pub use task::Task;

/// A definition that cannot be built, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// Two states of one machine or branch have the same name.
    #[error("two states are named \"{0}\"")]
    DuplicateState(String),
    /// A state, or `StartAt`, goes to a state the machine does not have.
    #[error("{from} goes to \"{to}\", which is not a state of the same machine or branch")]
    UnknownState {
        /// The state, or `StartAt`.
        from: String,
        /// The missing state.
        to: String,
    },
    /// A chain was continued after a state that cannot continue (a Choice,
    /// a Succeed, a Fail, a goto).
    #[error("nothing can follow \"{0}\": it has no Next")]
    DeadEnd(String),
    /// A Choice has no rules.
    #[error("the Choice \"{0}\" has no rules")]
    NoChoices(String),
    /// A Parallel has no branches.
    #[error("the Parallel \"{0}\" has no branches")]
    NoBranches(String),
    /// A number in the state is infinite or not a number.
    #[error("a number in \"{0}\" is not finite")]
    NotFinite(String),
}

/// A whole state machine: its states and what is said about it.
#[derive(Debug, Clone)]
pub struct StateMachine {
    comment: Option<String>,
    timeout_seconds: Option<u64>,
    definition: Chain,
}

impl StateMachine {
    /// The machine that runs `definition`, starting with its first state.
    pub fn new(definition: impl Into<Chain>) -> Self {
        Self {
            comment: None,
            timeout_seconds: None,
            definition: definition.into(),
        }
    }

    /// `Comment`: what the machine is for.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// `TimeoutSeconds`: how long an execution may run.
    pub fn timeout_seconds(mut self, seconds: u64) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Checks the machine and writes it as Amazon States Language.
    pub fn build(self) -> Result<Value, BuildError> {
        let (start, states) = self.definition.build()?;
        let mut out = JsonMap::new();
        if let Some(comment) = self.comment {
            out.insert("Comment".into(), Value::String(comment));
        }
        out.insert("StartAt".into(), Value::String(start));
        out.insert("States".into(), Value::Object(states));
        if let Some(seconds) = self.timeout_seconds {
            out.insert("TimeoutSeconds".into(), Value::from(seconds));
        }
        Ok(Value::Object(out))
    }
}
