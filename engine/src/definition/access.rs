//! Reading the fields that several state types share.

use serde_json::Value;

use super::{Branch, Catcher, PathField, Retrier, State, Transition};

impl State {
    /// The `Type` name as written in the document.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Pass(_) => "Pass",
            State::Task(_) => "Task",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }

    /// The `Next`/`End` fields, for the states that have them.
    pub fn transition_fields(&self) -> Option<(Option<&String>, Option<bool>)> {
        match self {
            State::Pass(s) => Some((s.next.as_ref(), s.end)),
            State::Task(s) => Some((s.next.as_ref(), s.end)),
            State::Wait(s) => Some((s.next.as_ref(), s.end)),
            State::Parallel(s) => Some((s.next.as_ref(), s.end)),
            State::Map(s) => Some((s.next.as_ref(), s.end)),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// Where the state goes after it succeeds (validated: exactly one of `Next`/`End`).
    pub fn transition(&self) -> Transition {
        match self.transition_fields() {
            Some((Some(next), _)) => Transition::Next(next.clone()),
            _ => Transition::End,
        }
    }

    /// The retry policies, for the states that have them.
    pub fn retriers(&self) -> &[Retrier] {
        match self {
            State::Task(s) => &s.retry,
            State::Parallel(s) => &s.retry,
            State::Map(s) => &s.retry,
            _ => &[],
        }
    }

    /// The fallback transitions, for the states that have them.
    pub fn catchers(&self) -> &[Catcher] {
        match self {
            State::Task(s) => &s.catch,
            State::Parallel(s) => &s.catch,
            State::Map(s) => &s.catch,
            _ => &[],
        }
    }

    /// The `InputPath` field (`Fail` has none and behaves as `$`).
    pub fn input_path(&self) -> &PathField {
        const ROOT: PathField = PathField::Root;
        match self {
            State::Pass(s) => &s.input_path,
            State::Task(s) => &s.input_path,
            State::Choice(s) => &s.input_path,
            State::Wait(s) => &s.input_path,
            State::Succeed(s) => &s.input_path,
            State::Parallel(s) => &s.input_path,
            State::Map(s) => &s.input_path,
            State::Fail(_) => &ROOT,
        }
    }

    /// The `OutputPath` field (`Fail` has none and behaves as `$`).
    pub fn output_path(&self) -> &PathField {
        const ROOT: PathField = PathField::Root;
        match self {
            State::Pass(s) => &s.output_path,
            State::Task(s) => &s.output_path,
            State::Choice(s) => &s.output_path,
            State::Wait(s) => &s.output_path,
            State::Succeed(s) => &s.output_path,
            State::Parallel(s) => &s.output_path,
            State::Map(s) => &s.output_path,
            State::Fail(_) => &ROOT,
        }
    }

    /// The `QueryLanguage` field as written.
    pub fn query_language(&self) -> Option<&str> {
        match self {
            State::Pass(s) => s.query_language.as_deref(),
            State::Task(s) => s.query_language.as_deref(),
            State::Choice(s) => s.query_language.as_deref(),
            State::Wait(s) => s.query_language.as_deref(),
            State::Succeed(s) => s.query_language.as_deref(),
            State::Fail(s) => s.query_language.as_deref(),
            State::Parallel(s) => s.query_language.as_deref(),
            State::Map(s) => s.query_language.as_deref(),
        }
    }

    /// The `Assign` field, for the states that have it.
    pub fn assign(&self) -> Option<&Value> {
        match self {
            State::Pass(s) => s.assign.as_ref(),
            State::Task(s) => s.assign.as_ref(),
            State::Choice(s) => s.assign.as_ref(),
            State::Wait(s) => s.assign.as_ref(),
            State::Parallel(s) => s.assign.as_ref(),
            State::Map(s) => s.assign.as_ref(),
            State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// The JSONata `Output` field, for the states that have it.
    pub fn output(&self) -> Option<&Value> {
        match self {
            State::Pass(s) => s.output.as_ref(),
            State::Task(s) => s.output.as_ref(),
            State::Choice(s) => s.output.as_ref(),
            State::Wait(s) => s.output.as_ref(),
            State::Succeed(s) => s.output.as_ref(),
            State::Parallel(s) => s.output.as_ref(),
            State::Map(s) => s.output.as_ref(),
            State::Fail(_) => None,
        }
    }

    /// The nested branches of a Parallel or Map state.
    pub fn branches(&self) -> Vec<&Branch> {
        match self {
            State::Parallel(p) => p.branches.iter().collect(),
            State::Map(m) => m.processor().into_iter().collect(),
            _ => Vec::new(),
        }
    }
}
