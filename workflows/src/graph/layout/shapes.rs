//! The placed graph as a scene: boxes where `layout-rs` put them, edges
//! routed through the slots it kept.

use super::collector::{Collector, pt};
use super::{EdgeSpec, Graph, Handle};
use crate::graph::labels::text_width;
use crate::graph::metrics::{SMALL_FONT, branch_corners};
use crate::graph::model::Machine;
use crate::graph::route;
use crate::graph::scene::{Bounds, EdgeShape, Item, Pt, Rect, Scene, StateShape};

impl Graph {
    /// The box a node was placed in.
    fn rect(&self, handle: Handle) -> Rect {
        let (top_left, bottom_right) = self.vg.pos(handle).bbox(false);
        let at = pt(top_left);
        Rect {
            at,
            size: pt(bottom_right).shift(Pt::new(-at.x, -at.y)),
        }
    }

    /// Each edge routed, its label placed, the bounds grown to hold them.
    fn edge_items(&self, drawn: &mut Collector, bounds: &mut Bounds) -> Vec<Item> {
        let mut items = Vec::with_capacity(self.edges.len());
        for (id, spec) in self.edges.iter().enumerate() {
            let edge = if spec.from == spec.to {
                self.self_loop(spec)
            } else {
                let Some(Some(path)) = drawn.arrows.get(id).cloned() else {
                    continue;
                };
                let label_at = (!spec.label.is_empty())
                    .then(|| drawn.claim_label(&spec.label, &path))
                    .flatten();
                self.route(spec, &path, label_at)
            };
            edge.curves.iter().flatten().for_each(|p| bounds.add(*p));
            if let Some((label, at)) = &edge.label {
                let half = Pt::new(text_width(label, SMALL_FONT) / 2.0 + 4.0, SMALL_FONT);
                bounds.add(Pt::new(at.x - half.x, at.y - half.y));
                bounds.add(Pt::new(at.x + half.x, at.y + half.y));
            }
            items.push(Item::Edge(edge));
        }
        items
    }

    pub(super) fn scene(
        self,
        machine: &Machine,
        groups: Vec<Vec<Scene>>,
        mut drawn: Collector,
        margin: f64,
    ) -> Scene {
        let mut bounds = Bounds::new();
        let mut items = self.edge_items(&mut drawn, &mut bounds);
        for ((node, handle), branches) in machine.nodes.iter().zip(&self.states).zip(groups) {
            let rect = self.rect(*handle);
            bounds.add_rect(rect);
            let corners = branch_corners(rect.size, &branches);
            let branches = corners
                .into_iter()
                .map(|c| c.shift(rect.at))
                .zip(branches)
                .collect();
            items.push(Item::State(StateShape {
                name: node.name.clone(),
                kind: node.kind.clone(),
                rect,
                branches,
            }));
        }
        for (handle, make) in [
            (Some(self.start), Item::Start as fn(Pt) -> Item),
            (self.end, Item::End),
        ] {
            if let Some(handle) = handle {
                let rect = self.rect(handle);
                bounds.add_rect(rect);
                items.push(make(rect.centre()));
            }
        }
        Scene::framed(items, bounds.get(), margin)
    }

    /// The drawn edge: through the slots `layout-rs` placed on `path`.
    fn route(&self, spec: &EdgeSpec, path: &[(Pt, Pt)], label_at: Option<Pt>) -> EdgeShape {
        let inner = path.get(1..path.len().saturating_sub(1)).unwrap_or(&[]);
        let waypoints: Vec<Pt> = inner.iter().map(|(_, slot)| *slot).collect();
        let (start, curves) =
            route::between(self.rect(spec.upper()), self.rect(spec.lower()), &waypoints);
        let label = label_at
            .filter(|_| !spec.label.is_empty())
            .map(|at| (spec.label.clone(), at));
        EdgeShape {
            kind: spec.kind,
            start,
            curves,
            head_at_start: spec.flipped,
            label,
        }
    }

    /// A loop from a state back to itself, its label to the right of it.
    fn self_loop(&self, spec: &EdgeSpec) -> EdgeShape {
        let rect = self.rect(spec.from);
        let (start, curves) = route::self_loop(rect);
        let label = (!spec.label.is_empty()).then(|| {
            let x = rect.at.x + rect.size.x + route::LOOP_REACH;
            let at = Pt::new(
                x + text_width(&spec.label, SMALL_FONT) / 2.0,
                rect.centre().y,
            );
            (spec.label.clone(), at)
        });
        EdgeShape {
            kind: spec.kind,
            start,
            curves,
            head_at_start: false,
            label,
        }
    }
}
