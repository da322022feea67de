//! Chains of states, wired by `Next`, as the CDK's `Chain` wires them.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::BuildError;
use super::fields::Fields;

/// A run of states, the first of which is where the run starts.
///
/// Each state type turns into a chain of one; [`Chain::next`] wires the
/// chain's open ends (the states that would otherwise end the machine) to
/// what follows. [`Chain::goto`] stands for a state defined elsewhere, to
/// loop back or to join two paths. States appear in the definition in the
/// order they were first added.
#[derive(Debug, Clone)]
pub struct Chain {
    start: String,
    nodes: Vec<Node>,
    /// The nodes whose `Next` the next `next` sets.
    ends: Vec<usize>,
    /// Mistakes found while chaining, reported by the build.
    errors: Vec<BuildError>,
}

/// One state, its fields ready to write.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub name: String,
    pub type_name: &'static str,
    pub fields: Fields,
    /// The ASL order of the keys this type of state has.
    pub order: &'static [&'static str],
    /// The states named in its fields (Choice rules, `Default`, `Catch`).
    pub targets: Vec<String>,
    /// It takes a `Next`, or `End: true` when nothing follows.
    pub continues: bool,
    pub next: Option<String>,
}

impl Chain {
    /// Starts a chain with `state` (a state or a chain).
    pub fn start(state: impl Into<Chain>) -> Self {
        state.into()
    }

    /// Stands for the state named `name`, defined elsewhere in the same
    /// machine or branch: a loop back, or a second way into a state.
    pub fn goto(name: impl Into<String>) -> Self {
        Self {
            start: name.into(),
            nodes: Vec::new(),
            ends: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Continues the chain with `then`: each open end gets `Next: then`.
    pub fn next(mut self, then: impl Into<Chain>) -> Self {
        let then = then.into();
        if self.ends.is_empty() {
            let last = self.nodes.last().map_or(&self.start, |n| &n.name);
            self.errors.push(BuildError::DeadEnd(last.clone()));
        }
        for &end in &self.ends {
            if let Some(node) = self.nodes.get_mut(end) {
                node.next = Some(then.start.clone());
            }
        }
        let offset = self.nodes.len();
        self.ends = then.ends.iter().map(|e| e + offset).collect();
        self.nodes.extend(then.nodes);
        self.errors.extend(then.errors);
        self
    }

    /// A chain of one state, open at its end if the state continues.
    pub(super) fn single(node: Node) -> Self {
        let ends = if node.continues { vec![0] } else { Vec::new() };
        Self {
            start: node.name.clone(),
            nodes: vec![node],
            ends,
            errors: Vec::new(),
        }
    }

    /// Adds `other`'s states after these without wiring any end to them
    /// (a Choice's paths, a Catch's handler); returns where `other` starts.
    pub(super) fn attach(&mut self, other: Chain) -> String {
        self.nodes.extend(other.nodes);
        self.errors.extend(other.errors);
        other.start
    }

    /// The first state this chain added, the one it starts with.
    pub(super) fn head_mut(&mut self) -> Option<&mut Node> {
        self.nodes.first_mut()
    }

    /// Records a mistake, for the build to report.
    pub(super) fn error(&mut self, error: BuildError) {
        self.errors.push(error);
    }

    /// Checks the chain and writes it as `StartAt` and `States`.
    pub(super) fn build(self) -> Result<(String, Map<String, Value>), BuildError> {
        if let Some(error) = self.errors.into_iter().next() {
            return Err(error);
        }
        let mut names = HashSet::new();
        for node in &self.nodes {
            if !names.insert(node.name.clone()) {
                return Err(BuildError::DuplicateState(node.name.clone()));
            }
        }
        let known = |from: &str, to: &str| {
            if names.contains(to) {
                Ok(())
            } else {
                Err(BuildError::UnknownState {
                    from: from.to_owned(),
                    to: to.to_owned(),
                })
            }
        };
        known("StartAt", &self.start)?;
        let mut states = Map::new();
        for node in self.nodes {
            for target in node.targets.iter().chain(&node.next) {
                known(&node.name, target)?;
            }
            states.insert(node.name.clone(), node.write());
        }
        Ok((self.start, states))
    }
}

impl Node {
    /// A state of type `type_name` with keys in `order`.
    pub(super) fn new(
        name: String,
        type_name: &'static str,
        order: &'static [&'static str],
        continues: bool,
    ) -> Self {
        Self {
            name,
            type_name,
            fields: Fields::default(),
            order,
            targets: Vec::new(),
            continues,
            next: None,
        }
    }

    fn write(self) -> Value {
        let mut out = Map::new();
        out.insert("Type".into(), Value::String(self.type_name.into()));
        self.fields.write(self.order, &mut out);
        match (self.continues, self.next) {
            (true, Some(next)) => {
                out.insert("Next".into(), Value::String(next));
            }
            (true, None) => {
                out.insert("End".into(), Value::Bool(true));
            }
            (false, _) => {}
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(name: &str) -> Chain {
        Chain::single(Node::new(name.into(), "Pass", &[], true))
    }

    fn fail(name: &str) -> Chain {
        Chain::single(Node::new(name.into(), "Fail", &[], false))
    }

    #[test]
    fn next_wires_each_state_to_the_following_one_and_the_last_ends() {
        // Arrange
        let chain = Chain::start(pass("A")).next(pass("B")).next(pass("C"));

        // Act
        let (start, states) = chain.build().expect("builds");

        // Assert
        assert_eq!(start, "A");
        assert_eq!(
            serde_json::to_string(&states).expect("json"),
            r#"{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","End":true}}"#
        );
    }

    #[test]
    fn goto_loops_back_to_a_state_defined_before() {
        // Arrange
        let chain = Chain::start(pass("A"))
            .next(pass("B"))
            .next(Chain::goto("A"));

        // Act
        let (_, states) = chain.build().expect("builds");

        // Assert
        assert_eq!(states["B"]["Next"], "A");
    }

    #[test]
    fn a_goto_to_a_state_nowhere_defined_is_an_error() {
        // Arrange
        let chain = Chain::start(pass("A")).next(Chain::goto("Nope"));

        // Act
        let error = chain.build().expect_err("refused");

        // Assert
        assert_eq!(
            error,
            BuildError::UnknownState {
                from: "A".into(),
                to: "Nope".into()
            }
        );
    }

    #[test]
    fn continuing_after_a_state_that_cannot_continue_is_an_error() {
        // Arrange
        let chain = Chain::start(fail("F")).next(pass("B"));

        // Act
        let error = chain.build().expect_err("refused");

        // Assert
        assert_eq!(error, BuildError::DeadEnd("F".into()));
    }

    #[test]
    fn two_states_of_one_name_are_an_error() {
        // Arrange
        let chain = Chain::start(pass("A")).next(pass("A"));

        // Act
        let error = chain.build().expect_err("refused");

        // Assert
        assert_eq!(error, BuildError::DuplicateState("A".into()));
    }
}
