//! The default colours, so that a picture reads well without the site's CSS.
//!
//! They are presentation attributes: any rule of the site's CSS on the
//! classes (`state-task`, `is-current`, …) wins over them.

use super::Mark;
use super::kind::StepKind;
use super::model::EdgeKind;

/// Body text.
pub(super) const INK: &str = "#1f2933";
/// Secondary text: a state's kind, edge labels.
pub(super) const MUTED: &str = "#55606e";
/// Edges and markers.
pub(super) const LINE: &str = "#6b7685";
/// The ring around a current state.
pub(super) const CURRENT_RING: &str = "#0b57d0";

/// How one state's shape is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Paint {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub width: f64,
}

/// The paint of a state of `kind` with `mark`.
pub(super) fn paint(kind: &StepKind, mark: Option<Mark>) -> Paint {
    let group = matches!(kind, StepKind::Parallel | StepKind::Map);
    let stroke = match kind {
        StepKind::Task => "#3b6fd4",
        StepKind::HumanTask => "#b86e00",
        StepKind::Workflow => "#1f6f8b",
        StepKind::Choice => "#7048c2",
        StepKind::Wait => "#0f7c8c",
        StepKind::Succeed => "#2e7d32",
        StepKind::Fail => "#c62828",
        StepKind::Parallel | StepKind::Map => "#8a94a3",
        StepKind::Pass | StepKind::Other(_) => LINE,
    };
    let fill = match kind {
        StepKind::HumanTask => "#fff6e5",
        StepKind::Workflow => "#eef6f9",
        _ if group => "#f6f7f9",
        _ => "#ffffff",
    };
    match mark {
        None => Paint {
            fill,
            stroke,
            width: 1.5,
        },
        Some(Mark::Visited) => Paint {
            fill: if group { "#edf3fb" } else { "#e3eefc" },
            stroke,
            width: 1.5,
        },
        Some(Mark::Current) => Paint {
            fill: if group { "#e3eefc" } else { "#cfe1ff" },
            stroke: CURRENT_RING,
            width: 3.0,
        },
        Some(Mark::Failed) => Paint {
            fill: "#fde6e6",
            stroke: "#c62828",
            width: 3.0,
        },
    }
}

/// An edge's stroke colour and whether it is dashed.
pub(super) fn edge(kind: EdgeKind) -> (&'static str, bool) {
    match kind {
        EdgeKind::Catch => ("#a8434a", true),
        EdgeKind::Next | EdgeKind::Choice | EdgeKind::Default => (LINE, false),
    }
}

/// An edge's CSS class.
pub(super) fn edge_class(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Next => "edge edge-next",
        EdgeKind::Choice => "edge edge-choice",
        EdgeKind::Default => "edge edge-default",
        EdgeKind::Catch => "edge edge-catch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_current_state_is_drawn_with_a_thick_blue_stroke() {
        // Arrange
        let kind = StepKind::Task;

        // Act
        let current = paint(&kind, Some(Mark::Current));
        let plain = paint(&kind, None);

        // Assert
        assert_eq!(current.stroke, CURRENT_RING);
        assert!(current.width > plain.width);
    }

    #[test]
    fn a_failed_state_is_red_whatever_its_kind() {
        // Arrange
        let kinds = [StepKind::Task, StepKind::Choice, StepKind::Map];

        // Act
        let paints: Vec<Paint> = kinds.iter().map(|k| paint(k, Some(Mark::Failed))).collect();

        // Assert
        assert!(
            paints
                .iter()
                .all(|p| p.stroke == "#c62828" && p.fill == "#fde6e6")
        );
    }
}
