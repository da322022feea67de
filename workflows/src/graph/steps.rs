//! The graph as a list of steps, the picture's text equivalent.

use std::collections::HashMap;

use serde_json::Value;

use super::Mark;
use super::kind::StepKind;
use super::model::Machine;

/// One state of a definition, as a line of the text equivalent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    /// The state's name.
    pub name: String,
    /// What kind of step it is.
    pub kind: StepKind,
    /// 0 at the top level, one more inside each Parallel or Map.
    pub depth: usize,
    /// How the execution has met it, if at all.
    pub status: Option<Mark>,
}

/// Lists the states of `definition` in reading order, each once.
///
/// The order is depth first from `StartAt`, following `Next`, then each
/// Choice rule and `Default`, then each `Catch`; a group's states follow the
/// group, one level deeper; states that nothing leads to come last. A
/// definition that cannot be drawn gives no lines.
pub fn steps(definition: &Value, marks: &HashMap<String, Mark>) -> Vec<StepLine> {
    let Ok(machine) = Machine::parse(definition) else {
        return Vec::new();
    };
    let mut lines = Vec::with_capacity(machine.count());
    walk(&machine, 0, marks, &mut lines);
    lines
}

fn walk(machine: &Machine, depth: usize, marks: &HashMap<String, Mark>, lines: &mut Vec<StepLine>) {
    let mut seen = vec![false; machine.nodes.len()];
    let roots = std::iter::once(machine.start).chain(0..machine.nodes.len());
    for root in roots {
        let mut stack = vec![root];
        while let Some(at) = stack.pop() {
            let Some(node) = machine.nodes.get(at) else {
                continue;
            };
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            lines.push(StepLine {
                name: node.name.clone(),
                kind: node.kind.clone(),
                depth,
                status: marks.get(&node.name).copied(),
            });
            for group in &node.groups {
                walk(group, depth + 1, marks, lines);
            }
            stack.extend(node.edges.iter().rev().map(|edge| edge.to));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn names(lines: &[StepLine]) -> Vec<(&str, usize)> {
        lines.iter().map(|l| (l.name.as_str(), l.depth)).collect()
    }

    #[test]
    fn steps_follow_next_then_choices_then_catches_depth_first() {
        // Arrange
        let definition = json!({"StartAt": "A", "States": {
            "Z": {"Type": "Pass", "End": true},
            "C": {"Type": "Succeed"},
            "A": {"Type": "Task", "Resource": "r", "Next": "B",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "F": {"Type": "Fail"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "C"}],
                  "Default": "A"}
        }});

        // Act
        let lines = steps(&definition, &HashMap::new());

        // Assert
        assert_eq!(
            names(&lines),
            [("A", 0), ("B", 0), ("C", 0), ("F", 0), ("Z", 0)]
        );
    }

    #[test]
    fn a_groups_states_follow_it_one_level_deeper() {
        // Arrange
        let branch =
            |name: &str| json!({"StartAt": name, "States": {name: {"Type": "Pass", "End": true}}});
        let definition = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [branch("L"), branch("R")], "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": branch("Item"), "End": true}
        }});

        // Act
        let lines = steps(&definition, &HashMap::new());

        // Assert
        assert_eq!(
            names(&lines),
            [("P", 0), ("L", 1), ("R", 1), ("M", 0), ("Item", 1)]
        );
    }

    #[test]
    fn each_line_carries_its_states_mark() {
        // Arrange
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}});
        let marks = HashMap::from([
            ("A".to_owned(), Mark::Visited),
            ("B".to_owned(), Mark::Current),
        ]);

        // Act
        let lines = steps(&definition, &marks);

        // Assert
        let status: Vec<_> = lines.iter().map(|l| l.status).collect();
        assert_eq!(status, [Some(Mark::Visited), Some(Mark::Current)]);
    }

    #[test]
    fn a_definition_that_cannot_be_drawn_has_no_steps() {
        // Arrange
        let definition = json!([1, 2, 3]);

        // Act
        let lines = steps(&definition, &HashMap::new());

        // Assert
        assert!(lines.is_empty());
    }
}
