//! Placed shapes, in the coordinates of the frame that holds them.

use super::kind::StepKind;
use super::model::EdgeKind;

/// A point, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pt {
    pub x: f64,
    pub y: f64,
}

impl Pt {
    pub fn new(x: f64, y: f64) -> Self {
        // Non-finite numbers would make an invalid SVG; the layout never
        // should produce them, but a picture must not depend on it.
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        Self {
            x: finite(x),
            y: finite(y),
        }
    }

    pub fn shift(self, by: Pt) -> Self {
        Self::new(self.x + by.x, self.y + by.y)
    }
}

/// A rectangle: its top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub at: Pt,
    pub size: Pt,
}

impl Rect {
    pub fn centre(&self) -> Pt {
        Pt::new(self.at.x + self.size.x / 2.0, self.at.y + self.size.y / 2.0)
    }
}

/// A state's box, or a group's frame with the layouts of its branches.
#[derive(Debug, Clone)]
pub(super) struct StateShape {
    pub name: String,
    pub kind: StepKind,
    pub rect: Rect,
    /// For a group: each branch's scene and its top-left corner in this scene.
    pub branches: Vec<(Pt, Scene)>,
}

/// An arrow: cubic Bézier curves from `start`, each as two control points
/// and the point it ends at.
#[derive(Debug, Clone)]
pub(super) struct EdgeShape {
    pub kind: EdgeKind,
    pub start: Pt,
    pub curves: Vec<[Pt; 3]>,
    /// The arrow head sits at the start (the layout turned a back edge
    /// round, so the path runs from the edge's target down to its source).
    pub head_at_start: bool,
    pub label: Option<(String, Pt)>,
}

/// One placed thing.
#[derive(Debug, Clone)]
pub(super) enum Item {
    State(StateShape),
    Edge(EdgeShape),
    /// Where the flow starts.
    Start(Pt),
    /// Where the flow ends.
    End(Pt),
}

impl Item {
    fn shift(&mut self, by: Pt) {
        match self {
            Self::State(state) => {
                state.rect.at = state.rect.at.shift(by);
                for (corner, _) in &mut state.branches {
                    *corner = corner.shift(by);
                }
            }
            Self::Edge(edge) => {
                edge.start = edge.start.shift(by);
                for point in edge.curves.iter_mut().flatten() {
                    *point = point.shift(by);
                }
                if let Some((_, at)) = &mut edge.label {
                    *at = at.shift(by);
                }
            }
            Self::Start(at) | Self::End(at) => *at = at.shift(by),
        }
    }
}

/// Placed items with the size of the area they cover, from (0, 0).
#[derive(Debug, Clone)]
pub(super) struct Scene {
    pub size: Pt,
    pub items: Vec<Item>,
}

impl Scene {
    /// Moves `items` so that their bounds, given as `(min, max)`, start at
    /// `margin` from the top-left corner.
    pub fn framed(mut items: Vec<Item>, bounds: (Pt, Pt), margin: f64) -> Self {
        let (min, max) = bounds;
        let by = Pt::new(margin - min.x, margin - min.y);
        for item in &mut items {
            item.shift(by);
        }
        let size = Pt::new(max.x - min.x + 2.0 * margin, max.y - min.y + 2.0 * margin);
        Self { size, items }
    }
}

/// The smallest box around some points, grown one point at a time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    min: Pt,
    max: Pt,
    empty: bool,
}

impl Bounds {
    pub fn new() -> Self {
        let zero = Pt::new(0.0, 0.0);
        Self {
            min: zero,
            max: zero,
            empty: true,
        }
    }

    pub fn add(&mut self, p: Pt) {
        if self.empty {
            (self.min, self.max, self.empty) = (p, p, false);
            return;
        }
        self.min = Pt::new(self.min.x.min(p.x), self.min.y.min(p.y));
        self.max = Pt::new(self.max.x.max(p.x), self.max.y.max(p.y));
    }

    pub fn add_rect(&mut self, rect: Rect) {
        self.add(rect.at);
        self.add(rect.at.shift(rect.size));
    }

    pub fn get(&self) -> (Pt, Pt) {
        (self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_moves_items_to_the_margin() {
        // Arrange
        let items = vec![
            Item::Start(Pt::new(-10.0, -20.0)),
            Item::End(Pt::new(30.0, 40.0)),
        ];
        let mut bounds = Bounds::new();
        bounds.add(Pt::new(-10.0, -20.0));
        bounds.add(Pt::new(30.0, 40.0));

        // Act
        let scene = Scene::framed(items, bounds.get(), 5.0);

        // Assert
        assert_eq!(scene.size, Pt::new(50.0, 70.0));
        assert!(matches!(scene.items[0], Item::Start(p) if p == Pt::new(5.0, 5.0)));
    }

    #[test]
    fn a_point_that_is_not_finite_becomes_zero() {
        // Arrange
        let (x, y) = (f64::NAN, f64::INFINITY);

        // Act
        let p = Pt::new(x, y);

        // Assert
        assert_eq!(p, Pt::new(0.0, 0.0));
    }
}
