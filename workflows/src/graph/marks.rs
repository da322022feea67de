//! The marks an execution's history gives the states it met.

use std::collections::HashMap;

use super::Mark;

/// Computes each state's mark from an execution's history, in order.
///
/// Each event is its AWS type (`TaskStateEntered`, `ExecutionFailed`…) and
/// the state it names, if any. A state entered and not yet left is
/// [`Mark::Current`], one left is [`Mark::Visited`]; a Fail state entered,
/// and the states current when the execution failed or timed out, are
/// [`Mark::Failed`]. Once the execution has ended, no state is current.
pub fn marks_from_events<'a>(
    events: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> HashMap<String, Mark> {
    let mut run = Run::default();
    for (event, state) in events {
        run.apply(event, state);
    }
    run.marks
}

/// What the history has said so far.
#[derive(Debug, Default)]
struct Run {
    marks: HashMap<String, Mark>,
    /// The states entered and not left, most recent last, once per entry
    /// (a Map's iterations enter the same state more than once).
    active: Vec<String>,
    /// The state a task failure or timeout last happened in.
    last_failure: Option<String>,
}

impl Run {
    fn apply(&mut self, event: &str, state: Option<&str>) {
        match event {
            "FailStateEntered" => {
                if let Some(state) = state {
                    self.marks.insert(state.to_owned(), Mark::Failed);
                }
            }
            "ExecutionFailed" | "ExecutionTimedOut" => self.end(Mark::Failed),
            "ExecutionSucceeded" | "ExecutionAborted" => self.end(Mark::Visited),
            e if e.ends_with("StateEntered") => {
                if let Some(state) = state {
                    self.active.push(state.to_owned());
                    self.marks.insert(state.to_owned(), Mark::Current);
                }
            }
            e if e.ends_with("StateExited") => {
                if let Some(state) = state {
                    self.exit(state);
                }
            }
            e if is_task_failure(e) => {
                let named = state.map(str::to_owned);
                self.last_failure = named.or_else(|| self.active.last().cloned());
            }
            _ => {}
        }
    }

    fn exit(&mut self, state: &str) {
        if let Some(at) = self.active.iter().rposition(|s| s == state) {
            self.active.remove(at);
        }
        let still_active = self.active.iter().any(|s| s == state);
        let failed = self.marks.get(state) == Some(&Mark::Failed);
        if !still_active && !failed {
            self.marks.insert(state.to_owned(), Mark::Visited);
        }
    }

    /// The execution ended: what was current gets `mark`.
    fn end(&mut self, mark: Mark) {
        let active = std::mem::take(&mut self.active);
        if mark == Mark::Failed
            && active.is_empty()
            && let Some(state) = self.last_failure.take()
        {
            self.marks.insert(state, Mark::Failed);
        }
        for state in active {
            self.marks.insert(state, mark);
        }
    }
}

/// A task-level failure: the state may still catch or retry it.
fn is_task_failure(event: &str) -> bool {
    !event.starts_with("Execution") && (event.ends_with("Failed") || event.ends_with("TimedOut"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(marks: &HashMap<String, Mark>, state: &str) -> Option<Mark> {
        marks.get(state).copied()
    }

    #[test]
    fn a_state_entered_and_not_left_is_current_and_one_left_is_visited() {
        // Arrange
        let events = [
            ("ExecutionStarted", None),
            ("PassStateEntered", Some("OpenCase")),
            ("PassStateExited", Some("OpenCase")),
            ("TaskStateEntered", Some("AssignCase")),
            ("ActivityScheduled", None),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "OpenCase"), Some(Mark::Visited));
        assert_eq!(mark(&marks, "AssignCase"), Some(Mark::Current));
        assert_eq!(marks.len(), 2);
    }

    #[test]
    fn the_state_current_when_the_execution_failed_is_failed() {
        // Arrange
        let events = [
            ("TaskStateEntered", Some("WorkOnCase")),
            ("ActivityTimedOut", None),
            ("ExecutionFailed", None),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "WorkOnCase"), Some(Mark::Failed));
    }

    #[test]
    fn a_fail_state_entered_is_failed_and_nothing_stays_current() {
        // Arrange
        let events = [
            ("ChoiceStateEntered", Some("EscalationDecision")),
            ("ChoiceStateExited", Some("EscalationDecision")),
            ("FailStateEntered", Some("JobFailed")),
            ("ExecutionFailed", None),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "EscalationDecision"), Some(Mark::Visited));
        assert_eq!(mark(&marks, "JobFailed"), Some(Mark::Failed));
    }

    #[test]
    fn a_caught_failure_leaves_the_state_visited() {
        // Arrange
        let events = [
            ("TaskStateEntered", Some("WorkOnCase")),
            ("ActivityTimedOut", None),
            ("TaskStateExited", Some("WorkOnCase")),
            ("TaskStateEntered", Some("EscalateCase")),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "WorkOnCase"), Some(Mark::Visited));
        assert_eq!(mark(&marks, "EscalateCase"), Some(Mark::Current));
    }

    #[test]
    fn a_failure_after_its_state_was_left_marks_the_state_it_happened_in() {
        // Arrange
        let events = [
            ("TaskStateEntered", Some("Charge")),
            ("TaskFailed", Some("Charge")),
            ("TaskStateExited", Some("Charge")),
            ("ExecutionFailed", None),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "Charge"), Some(Mark::Failed));
    }

    #[test]
    fn a_state_a_map_iteration_is_still_in_stays_current() {
        // Arrange
        let events = [
            ("MapStateEntered", Some("EachItem")),
            ("TaskStateEntered", Some("Review")),
            ("TaskStateEntered", Some("Review")),
            ("TaskStateExited", Some("Review")),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert_eq!(mark(&marks, "Review"), Some(Mark::Current));
        assert_eq!(mark(&marks, "EachItem"), Some(Mark::Current));
    }

    #[test]
    fn once_the_execution_succeeded_nothing_is_current() {
        // Arrange
        let events = [
            ("ParallelStateEntered", Some("Approvals")),
            ("TaskStateEntered", Some("Finance")),
            ("ExecutionSucceeded", None),
        ];

        // Act
        let marks = marks_from_events(events);

        // Assert
        assert!(marks.values().all(|m| *m == Mark::Visited));
    }
}
