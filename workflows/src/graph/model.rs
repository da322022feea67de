//! A definition read into states and edges, the shape both pictures need.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::GraphError;
use super::kind::StepKind;
use super::labels;

mod fields;

use fields::{bad_field, field_str, not_object, optional_array, optional_str};

/// Groups nested deeper than this are refused.
const MAX_DEPTH: usize = 12;
/// Definitions with more states than this are refused.
const MAX_STATES: usize = 400;

/// How one state leads to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeKind {
    /// `Next`.
    Next,
    /// One rule of a Choice.
    Choice,
    /// A Choice's `Default`.
    Default,
    /// A `Catch`: where an error goes.
    Catch,
}

/// An arrow from one state to another, by index in the same machine.
#[derive(Debug, Clone)]
pub(super) struct Edge {
    pub to: usize,
    pub kind: EdgeKind,
    pub label: String,
}

/// One state.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub name: String,
    pub kind: StepKind,
    pub edges: Vec<Edge>,
    /// `End: true`, or a Succeed: the flow ends here.
    pub ends: bool,
    /// A Parallel's branches, or a Map's item processor.
    pub groups: Vec<Machine>,
}

/// A state machine, or a branch of one: states in definition order.
#[derive(Debug, Clone)]
pub(super) struct Machine {
    pub start: usize,
    pub nodes: Vec<Node>,
}

impl Machine {
    /// Reads a whole definition.
    pub fn parse(definition: &Value) -> Result<Self, GraphError> {
        let mut budget = MAX_STATES;
        Self::parse_at(definition, "the definition", 0, &mut budget)
    }

    /// The name of the state the machine starts at.
    pub fn start_name(&self) -> &str {
        self.nodes.get(self.start).map_or("", |n| n.name.as_str())
    }

    /// How many states there are, nested ones included.
    pub fn count(&self) -> usize {
        self.nodes
            .iter()
            .map(|n| 1 + n.groups.iter().map(Machine::count).sum::<usize>())
            .sum()
    }

    /// Every state's name, nested ones after their group, in definition order.
    pub fn names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for node in &self.nodes {
            names.push(node.name.as_str());
            for group in &node.groups {
                names.extend(group.names());
            }
        }
        names
    }

    fn parse_at(
        value: &Value,
        at: &str,
        depth: usize,
        budget: &mut usize,
    ) -> Result<Self, GraphError> {
        if depth > MAX_DEPTH {
            return Err(GraphError::TooDeep(MAX_DEPTH));
        }
        let object = value.as_object().ok_or_else(|| not_object(at))?;
        let start = field_str(object, "StartAt", at)?;
        let states = object
            .get("States")
            .and_then(Value::as_object)
            .ok_or_else(|| bad_field(at, "States", "an object"))?;
        if states.len() > *budget {
            return Err(GraphError::TooLarge(MAX_STATES));
        }
        *budget -= states.len();
        let index: HashMap<&str, usize> = states
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let find = |target: &str, at: &str| {
            index
                .get(target)
                .copied()
                .ok_or_else(|| GraphError::UnknownState {
                    at: at.to_owned(),
                    target: target.to_owned(),
                })
        };
        let start = find(start, at)?;
        let mut nodes = Vec::with_capacity(states.len());
        for (name, state) in states {
            nodes.push(parse_state(name, state, &find, depth, budget)?);
        }
        Ok(Self { start, nodes })
    }
}

type Find<'a> = dyn Fn(&str, &str) -> Result<usize, GraphError> + 'a;

fn parse_state(
    name: &str,
    state: &Value,
    find: &Find<'_>,
    depth: usize,
    budget: &mut usize,
) -> Result<Node, GraphError> {
    let at = format!("state \"{name}\"");
    let state = state.as_object().ok_or_else(|| not_object(&at))?;
    let kind = StepKind::of(state, field_str(state, "Type", &at)?);
    let edges = parse_edges(state, find, &at)?;
    let groups = parse_groups(state, &kind, &at, depth, budget)?;
    let ends = kind == StepKind::Succeed || state.get("End") == Some(&Value::Bool(true));
    Ok(Node {
        name: name.to_owned(),
        kind,
        edges,
        ends,
        groups,
    })
}

/// A state's edges: `Next`, each Choice rule, `Default`, each `Catch`.
fn parse_edges(
    state: &Map<String, Value>,
    find: &Find<'_>,
    at: &str,
) -> Result<Vec<Edge>, GraphError> {
    let mut edges = Vec::new();
    if let Some(next) = optional_str(state, "Next", at)? {
        edges.push(edge(find(next, at)?, EdgeKind::Next, String::new()));
    }
    for rule in optional_array(state, "Choices", at)? {
        let rule = rule
            .as_object()
            .ok_or_else(|| not_object(&format!("a rule of {at}")))?;
        let next = field_str(rule, "Next", &format!("a rule of {at}"))?;
        edges.push(edge(find(next, at)?, EdgeKind::Choice, labels::rule(rule)));
    }
    if let Some(default) = optional_str(state, "Default", at)? {
        edges.push(edge(
            find(default, at)?,
            EdgeKind::Default,
            "default".into(),
        ));
    }
    for catcher in optional_array(state, "Catch", at)? {
        let catcher = catcher
            .as_object()
            .ok_or_else(|| not_object(&format!("a Catch of {at}")))?;
        let next = field_str(catcher, "Next", &format!("a Catch of {at}"))?;
        edges.push(edge(
            find(next, at)?,
            EdgeKind::Catch,
            labels::catcher(catcher),
        ));
    }
    Ok(edges)
}

fn parse_groups(
    state: &Map<String, Value>,
    kind: &StepKind,
    at: &str,
    depth: usize,
    budget: &mut usize,
) -> Result<Vec<Machine>, GraphError> {
    match kind {
        StepKind::Parallel => {
            let branches = state
                .get("Branches")
                .and_then(Value::as_array)
                .ok_or_else(|| bad_field(at, "Branches", "an array"))?;
            let mut groups = Vec::with_capacity(branches.len());
            for (i, branch) in branches.iter().enumerate() {
                let branch_at = format!("branch {} of {at}", i + 1);
                groups.push(Machine::parse_at(branch, &branch_at, depth + 1, budget)?);
            }
            Ok(groups)
        }
        StepKind::Map => {
            let processor = state
                .get("ItemProcessor")
                .or_else(|| state.get("Iterator"))
                .ok_or_else(|| bad_field(at, "ItemProcessor", "an object"))?;
            let processor_at = format!("the item processor of {at}");
            Ok(vec![Machine::parse_at(
                processor,
                &processor_at,
                depth + 1,
                budget,
            )?])
        }
        _ => Ok(Vec::new()),
    }
}

fn edge(to: usize, kind: EdgeKind, label: String) -> Edge {
    Edge { to, kind, label }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_next_to_a_missing_state_is_an_error() {
        // Arrange
        let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}});

        // Act
        let error = Machine::parse(&definition).expect_err("refused");

        // Assert
        assert_eq!(
            error.to_string(),
            "state \"A\" goes to \"Nope\", which is not among its states"
        );
    }

    #[test]
    fn a_parallel_without_branches_is_an_error() {
        // Arrange
        let definition =
            json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true}}});

        // Act
        let error = Machine::parse(&definition).expect_err("refused");

        // Assert
        assert!(matches!(
            error,
            GraphError::BadField {
                field: "Branches",
                ..
            }
        ));
    }

    #[test]
    fn groups_nested_too_deep_are_refused() {
        // Arrange
        let mut definition = json!({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}});
        for _ in 0..=MAX_DEPTH {
            definition = json!({"StartAt": "P", "States": {"P": {
                "Type": "Parallel", "Branches": [definition], "End": true}}});
        }

        // Act
        let error = Machine::parse(&definition).expect_err("refused");

        // Assert
        assert_eq!(error, GraphError::TooDeep(MAX_DEPTH));
    }
}
