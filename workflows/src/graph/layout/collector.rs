//! A drawing backend for `layout-rs` that keeps its routes instead of drawing.

use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;

use crate::graph::scene::Pt;

/// A `layout-rs` point as ours.
pub(super) fn pt(p: Point) -> Pt {
    Pt::new(p.x, p.y)
}

/// An edge's path as `layout-rs` drew it.
pub(super) type Routed = Vec<(Pt, Pt)>;

/// A drawing backend that keeps what `layout-rs` routed instead of drawing:
/// each edge's path, by the edge's number, and the labels' texts and places.
#[derive(Debug, Default)]
pub(super) struct Collector {
    pub arrows: Vec<Option<Routed>>,
    /// Each label, where it goes, and whether an edge has claimed it.
    labels: Vec<(String, Pt, bool)>,
}

impl Collector {
    /// Claims the place of the unclaimed label `text` nearest to `path`.
    ///
    /// `layout-rs` may move a label to another slot of the same edge, so a
    /// label is known by its text and by lying on its edge's path.
    pub fn claim_label(&mut self, text: &str, path: &[(Pt, Pt)]) -> Option<Pt> {
        let distance = |at: Pt| {
            path.iter()
                .map(|(_, p)| (p.x - at.x).abs() + (p.y - at.y).abs())
                .fold(f64::INFINITY, f64::min)
        };
        let (_, at, claimed) = self
            .labels
            .iter_mut()
            .filter(|(t, _, claimed)| t == text && !claimed)
            .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))?;
        *claimed = true;
        Some(*at)
    }
}

fn put<T>(slots: &mut Vec<Option<T>>, at: usize, value: T) {
    if slots.len() <= at {
        slots.resize_with(at + 1, || None);
    }
    if let Some(slot) = slots.get_mut(at) {
        *slot = Some(value);
    }
}

impl RenderBackend for Collector {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _: &StyleAttr) {
        if !text.is_empty() {
            self.labels.push((text.to_owned(), pt(xy), false));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        let Some(id) = properties.and_then(|p| p.parse::<usize>().ok()) else {
            return;
        };
        let path = path.iter().map(|(a, b)| (pt(*a), pt(*b))).collect();
        put(&mut self.arrows, id, path);
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}
