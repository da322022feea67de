//! How big things are drawn: fonts, boxes, group frames.

use super::kind::StepKind;
use super::labels::{shorten, text_width};
use super::model::Node;
use super::scene::{Pt, Scene};

/// The font size of a state's name.
pub(super) const NAME_FONT: f64 = 13.0;
/// The font size of a state's kind and of edge labels.
pub(super) const SMALL_FONT: f64 = 11.0;
/// State names longer than this many characters are cut in the picture.
pub(super) const MAX_NAME: usize = 32;
/// The height of a state's box.
pub(super) const BOX_HEIGHT: f64 = 42.0;
/// The space left of a state's text for the person icon of a human task.
pub(super) const ICON_WIDTH: f64 = 18.0;
/// A group's title bar, the padding around its branches and the gap between them.
pub(super) const GROUP_HEADER: f64 = 28.0;
pub(super) const GROUP_PAD: f64 = 10.0;
pub(super) const GROUP_GAP: f64 = 14.0;
/// The diameter of the start and end markers.
pub(super) const MARKER: f64 = 18.0;

/// How big a state's box, or a group's frame, is drawn.
pub(super) fn node_size(node: &Node, branches: &[Scene]) -> Pt {
    let name = shorten(&node.name, MAX_NAME);
    let icon = if node.kind == StepKind::HumanTask {
        ICON_WIDTH
    } else {
        0.0
    };
    // Room for the longest status too, so that marks never move a state.
    let kind = text_width(&format!("{} · current", node.kind.label()), SMALL_FONT);
    // Names are bold: wider than the estimate for regular text.
    let name = text_width(&name, NAME_FONT) * 1.1;
    if node.groups.is_empty() {
        let corners = if node.kind == StepKind::Choice {
            24.0
        } else {
            0.0
        };
        return Pt::new(
            (name.max(kind) + icon + corners + 28.0).max(90.0),
            BOX_HEIGHT,
        );
    }
    let title = name + kind + 36.0;
    let inner_width: f64 = branches.iter().map(|b| b.size.x).sum::<f64>()
        + GROUP_GAP * branches.len().saturating_sub(1) as f64;
    let inner_height = branches.iter().map(|b| b.size.y).fold(0.0, f64::max);
    Pt::new(
        (inner_width + 2.0 * GROUP_PAD).max(title),
        GROUP_HEADER + inner_height + GROUP_PAD,
    )
}

/// Where each branch of a group of `size` goes, from the frame's corner.
pub(super) fn branch_corners(size: Pt, branches: &[Scene]) -> Vec<Pt> {
    let inner_width: f64 = branches.iter().map(|b| b.size.x).sum::<f64>()
        + GROUP_GAP * branches.len().saturating_sub(1) as f64;
    let mut x = (size.x - inner_width) / 2.0;
    branches
        .iter()
        .map(|branch| {
            let corner = Pt::new(x, GROUP_HEADER);
            x += branch.size.x + GROUP_GAP;
            corner
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::graph::model::Machine;

    #[test]
    fn a_group_is_wide_enough_for_its_branches_side_by_side() {
        // Arrange
        let branch = |name: &str| json!({"StartAt": name, "States": {name: {"Type": "Succeed"}}});
        let definition = json!({"StartAt": "P", "States": {"P": {
            "Type": "Parallel", "Branches": [branch("A"), branch("B")], "End": true}}});
        let machine = Machine::parse(&definition).expect("parses");
        let branches = vec![
            Scene {
                size: Pt::new(100.0, 80.0),
                items: Vec::new(),
            },
            Scene {
                size: Pt::new(60.0, 120.0),
                items: Vec::new(),
            },
        ];

        // Act
        let size = node_size(&machine.nodes[0], &branches);
        let corners = branch_corners(size, &branches);

        // Assert
        assert_eq!(
            size,
            Pt::new(
                100.0 + GROUP_GAP + 60.0 + 2.0 * GROUP_PAD,
                GROUP_HEADER + 120.0 + GROUP_PAD
            )
        );
        assert_eq!(
            corners,
            [
                Pt::new(GROUP_PAD, GROUP_HEADER),
                Pt::new(GROUP_PAD + 100.0 + GROUP_GAP, GROUP_HEADER)
            ]
        );
    }
}
