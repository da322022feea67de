//! Draws each edge as a smooth curve through the points the layout kept for it.
//!
//! `layout-rs` gives an edge that skips ranks, or carries a label, a slot in
//! each rank it crosses. Its own curves leave a box by whichever side faces
//! the next slot, so a long edge can sweep across a neighbour's box. Here an
//! edge leaves the upper box at its bottom and enters the lower one at its
//! top, upright at every slot, so it keeps to the gaps between ranks.

use super::scene::{Pt, Rect};

/// How far from a box's corner an edge may attach.
const INSET: f64 = 12.0;
/// How far a loop from a state back to itself reaches out of its right side.
pub(super) const LOOP_REACH: f64 = 30.0;

/// The curves from the bottom of `upper`, through `waypoints`, to the top of `lower`.
pub(super) fn between(upper: Rect, lower: Rect, waypoints: &[Pt]) -> (Pt, Vec<[Pt; 3]>) {
    let first_toward = waypoints.first().map_or(lower.centre().x, |p| p.x);
    let last_toward = waypoints.last().map_or(upper.centre().x, |p| p.x);
    let start = Pt::new(attach_x(upper, first_toward), upper.at.y + upper.size.y);
    let end = Pt::new(attach_x(lower, last_toward), lower.at.y);
    let mut curves = Vec::with_capacity(waypoints.len() + 1);
    let mut from = start;
    for to in waypoints.iter().copied().chain(std::iter::once(end)) {
        curves.push(upright(from, to));
        from = to;
    }
    (start, curves)
}

/// A loop from a state back to itself, out of its right side and back in.
pub(super) fn self_loop(rect: Rect) -> (Pt, Vec<[Pt; 3]>) {
    let right = rect.at.x + rect.size.x;
    let middle = rect.centre().y;
    let start = Pt::new(right, middle - 8.0);
    let end = Pt::new(right, middle + 8.0);
    let reach = LOOP_REACH * 4.0 / 3.0;
    let curve = [
        Pt::new(right + reach, middle - 30.0),
        Pt::new(right + reach, middle + 30.0),
        end,
    ];
    (start, vec![curve])
}

/// Where along a box's width an edge heading to `toward` attaches.
fn attach_x(rect: Rect, toward: f64) -> f64 {
    let inset = INSET.min(rect.size.x / 2.0);
    let (left, right) = (rect.at.x + inset, rect.at.x + rect.size.x - inset);
    toward.max(left).min(right)
}

/// A curve from `a` to `b` that leaves `a` and enters `b` vertically.
fn upright(a: Pt, b: Pt) -> [Pt; 3] {
    let bend = (b.y - a.y) / 2.0;
    [Pt::new(a.x, a.y + bend), Pt::new(b.x, b.y - bend), b]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64) -> Rect {
        Rect {
            at: Pt::new(x, y),
            size: Pt::new(100.0, 40.0),
        }
    }

    #[test]
    fn an_edge_leaves_the_bottom_of_one_box_and_enters_the_top_of_the_next() {
        // Arrange
        let (upper, lower) = (rect(0.0, 0.0), rect(0.0, 100.0));

        // Act
        let (start, curves) = between(upper, lower, &[]);

        // Assert
        assert_eq!(start, Pt::new(50.0, 40.0));
        assert_eq!(
            curves,
            [[
                Pt::new(50.0, 70.0),
                Pt::new(50.0, 70.0),
                Pt::new(50.0, 100.0)
            ]]
        );
    }

    #[test]
    fn an_edge_attaches_toward_its_first_waypoint_inside_the_box() {
        // Arrange
        let (upper, lower) = (rect(0.0, 0.0), rect(0.0, 200.0));
        let far_left = Pt::new(-300.0, 120.0);

        // Act
        let (start, curves) = between(upper, lower, &[far_left]);

        // Assert
        assert_eq!(start.x, INSET);
        assert_eq!(curves.len(), 2);
        assert_eq!(curves[0][2], far_left);
    }
}
