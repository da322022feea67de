//! Parallel and Map: states that run state machines of their own.

use serde_json::{Map as JsonMap, Value};

use super::BuildError;
use super::chain::{Chain, Node};
use super::fields::{Fields, setters};
use super::recovery::{Catch, Recovery, Retry};

/// A Parallel state: runs each branch at once, with the same input.
#[derive(Debug, Clone)]
pub struct Parallel {
    name: String,
    fields: Fields,
    branches: Vec<Chain>,
    recovery: Recovery,
}

impl Parallel {
    /// A Parallel state named `name`; give it at least one branch.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
            branches: Vec::new(),
            recovery: Recovery::default(),
        }
    }

    /// Adds a branch: a state machine of its own, whose names stay inside it.
    pub fn branch(mut self, branch: impl Into<Chain>) -> Self {
        self.branches.push(branch.into());
        self
    }

    /// Retries the whole state on the errors `retry` names.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.recovery.retries.push(retry);
        self
    }

    /// Goes to `catch`'s handler on the errors it names.
    pub fn catch(mut self, catch: Catch) -> Self {
        self.recovery.catches.push(catch);
        self
    }
}

setters!(Parallel {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input the branches see.
    input_path(text) => "InputPath";
    /// `Parameters`: the branches' input, with `.$` keys taken from the state's input.
    parameters(json) => "Parameters";
    /// `ResultSelector`: the part of the branches' results kept.
    result_selector(json) => "ResultSelector";
    /// `ResultPath`: where in the input the results go.
    result_path(text) => "ResultPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
});

const PARALLEL_ORDER: &[&str] = &[
    "Comment",
    "InputPath",
    "Parameters",
    "Branches",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Retry",
    "Catch",
];

impl From<Parallel> for Chain {
    fn from(parallel: Parallel) -> Self {
        let mut node = Node::new(parallel.name.clone(), "Parallel", PARALLEL_ORDER, true);
        node.fields = parallel.fields;
        let mut branches = Vec::with_capacity(parallel.branches.len());
        let mut errors = Vec::new();
        if parallel.branches.is_empty() {
            errors.push(BuildError::NoBranches(parallel.name));
        }
        for branch in parallel.branches {
            match machine(branch, None) {
                Ok(written) => branches.push(written),
                Err(error) => errors.push(error),
            }
        }
        node.fields.set("Branches", Value::Array(branches));
        let mut chain = parallel.recovery.into_chain(node);
        for error in errors {
            chain.error(error);
        }
        chain
    }
}

/// A Map state: runs its item processor once per item of a list.
#[derive(Debug, Clone)]
pub struct Map {
    name: String,
    fields: Fields,
    processor: Chain,
    processor_config: Option<Value>,
    recovery: Recovery,
}

impl Map {
    /// A Map state named `name` that runs `processor` per item.
    pub fn new(name: impl Into<String>, processor: impl Into<Chain>) -> Self {
        Self {
            name: name.into(),
            fields: Fields::default(),
            processor: processor.into(),
            processor_config: None,
            recovery: Recovery::default(),
        }
    }

    /// `ProcessorConfig` of the item processor, such as `{"Mode": "INLINE"}`.
    pub fn processor_config(mut self, config: Value) -> Self {
        self.processor_config = Some(config);
        self
    }

    /// Retries the whole state on the errors `retry` names.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.recovery.retries.push(retry);
        self
    }

    /// Goes to `catch`'s handler on the errors it names.
    pub fn catch(mut self, catch: Catch) -> Self {
        self.recovery.catches.push(catch);
        self
    }
}

setters!(Map {
    /// `Comment`: a note for people.
    comment(text) => "Comment";
    /// `InputPath`: the part of the input the state sees.
    input_path(text) => "InputPath";
    /// `ItemsPath`: where the list of items is.
    items_path(text) => "ItemsPath";
    /// `ItemSelector`: each item's input, with `.$` keys taken from `$$.Map.Item`.
    item_selector(json) => "ItemSelector";
    /// `MaxConcurrency`: how many items run at once (0: no limit).
    max_concurrency(count) => "MaxConcurrency";
    /// `ResultSelector`: the part of the results kept.
    result_selector(json) => "ResultSelector";
    /// `ResultPath`: where in the input the results go.
    result_path(text) => "ResultPath";
    /// `OutputPath`: the part of the output passed on.
    output_path(text) => "OutputPath";
});

const MAP_ORDER: &[&str] = &[
    "Comment",
    "InputPath",
    "ItemsPath",
    "ItemSelector",
    "MaxConcurrency",
    "ItemProcessor",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Retry",
    "Catch",
];

impl From<Map> for Chain {
    fn from(map: Map) -> Self {
        let mut node = Node::new(map.name, "Map", MAP_ORDER, true);
        node.fields = map.fields;
        let processor = machine(map.processor, map.processor_config);
        if let Ok(processor) = &processor {
            node.fields.set("ItemProcessor", processor.clone());
        }
        let mut chain = map.recovery.into_chain(node);
        if let Err(error) = processor {
            chain.error(error);
        }
        chain
    }
}

/// A branch or item processor as ASL, its `ProcessorConfig` first if any.
fn machine(chain: Chain, config: Option<Value>) -> Result<Value, BuildError> {
    let (start, states) = chain.build()?;
    let mut out = JsonMap::new();
    if let Some(config) = config {
        out.insert("ProcessorConfig".into(), config);
    }
    out.insert("StartAt".into(), Value::String(start));
    out.insert("States".into(), Value::Object(states));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{Pass, StateMachine};

    #[test]
    fn a_parallel_without_branches_is_an_error() {
        // Arrange
        let parallel = Parallel::new("Both");

        // Act
        let error = StateMachine::new(parallel).build().expect_err("refused");

        // Assert
        assert_eq!(error, BuildError::NoBranches("Both".into()));
    }

    #[test]
    fn a_branch_cannot_go_to_a_state_outside_it() {
        // Arrange
        let parallel = Parallel::new("Both")
            .branch(Chain::start(Pass::new("Inner")).next(Chain::goto("Outer")));
        let chain = Chain::start(parallel).next(Pass::new("Outer"));

        // Act
        let error = StateMachine::new(chain).build().expect_err("refused");

        // Assert
        assert_eq!(
            error,
            BuildError::UnknownState {
                from: "Inner".into(),
                to: "Outer".into()
            }
        );
    }
}
