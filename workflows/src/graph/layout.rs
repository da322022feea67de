//! Places states and routes edges with `layout-rs`, top to bottom.
//!
//! A group (Parallel, Map) is laid out inside out: each branch is a graph of
//! its own, the branches sit side by side in the group's frame, and the frame
//! is one big box in the graph around it.

use layout::core::base::Orientation;
use layout::core::geometry::{Point, Position};
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::labels::text_width;
use super::metrics::{MARKER, SMALL_FONT, branch_corners, node_size};
use super::model::{EdgeKind, Machine};
use super::route;
use super::scene::{Bounds, EdgeShape, Item, Pt, Rect, Scene, StateShape};

mod collector;

use collector::{Collector, pt};

/// The space kept around each node by the layout.
const HALO: f64 = 36.0;
/// `layout-rs` sizes an edge label's slot as its length times this.
const LABEL_CHAR: usize = 6;

/// Lays out a whole definition.
pub(super) fn lay_out(machine: &Machine) -> Scene {
    lay_out_with_margin(machine, 12.0)
}

fn lay_out_with_margin(machine: &Machine, margin: f64) -> Scene {
    let groups: Vec<Vec<Scene>> = machine
        .nodes
        .iter()
        .map(|node| {
            node.groups
                .iter()
                .map(|g| lay_out_with_margin(g, 6.0))
                .collect()
        })
        .collect();
    let sizes: Vec<Pt> = machine
        .nodes
        .iter()
        .zip(&groups)
        .map(|(node, branches)| node_size(node, branches))
        .collect();
    let mut graph = Graph::new(machine, &sizes);
    let mut collector = Collector::default();
    graph.vg.do_it(false, false, false, &mut collector);
    graph.scene(machine, groups, collector, margin)
}

type Handle = layout::adt::dag::NodeHandle;

/// One edge as handed to `layout-rs`.
struct EdgeSpec {
    from: Handle,
    to: Handle,
    kind: EdgeKind,
    label: String,
}

/// The `layout-rs` graph of one machine, with the handles of its nodes.
struct Graph {
    vg: VisualGraph,
    states: Vec<Handle>,
    start: Handle,
    end: Option<Handle>,
    edges: Vec<EdgeSpec>,
}

impl Graph {
    fn new(machine: &Machine, sizes: &[Pt]) -> Self {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        let marker = |vg: &mut VisualGraph| {
            vg.add_node(element(ShapeKind::new_circle(""), Pt::new(MARKER, MARKER)))
        };
        let start = marker(&mut vg);
        let states: Vec<_> = sizes
            .iter()
            .map(|size| vg.add_node(element(ShapeKind::new_box(""), *size)))
            .collect();
        let end = machine
            .nodes
            .iter()
            .any(|n| n.ends)
            .then(|| marker(&mut vg));
        let mut graph = Self {
            vg,
            states,
            start,
            end,
            edges: Vec::new(),
        };
        if let Some(first) = graph.states.get(machine.start).copied() {
            graph.edge(start, first, EdgeKind::Next, String::new());
        }
        for (i, node) in machine.nodes.iter().enumerate() {
            for edge in &node.edges {
                graph.edge(
                    graph.states[i],
                    graph.states[edge.to],
                    edge.kind,
                    edge.label.clone(),
                );
            }
            if let (true, Some(end)) = (node.ends, end) {
                graph.edge(graph.states[i], end, EdgeKind::Next, String::new());
            }
        }
        graph
    }

    fn edge(&mut self, from: Handle, to: Handle, kind: EdgeKind, label: String) {
        let id = self.edges.len();
        let line = if kind == EdgeKind::Catch {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        // The edge's number rides in `properties`, which its arrow is drawn with.
        let mut look = StyleAttr::simple();
        look.font_size = LABEL_CHAR;
        let arrow = Arrow::with_properties(
            LineEndKind::None,
            LineEndKind::Arrow,
            line,
            &label,
            &look,
            id.to_string(),
            &None,
            &None,
        );
        self.vg.add_edge(arrow, from, to);
        self.edges.push(EdgeSpec {
            from,
            to,
            kind,
            label,
        });
    }

    /// The box a node was placed in.
    fn rect(&self, handle: Handle) -> Rect {
        let (top_left, bottom_right) = self.vg.pos(handle).bbox(false);
        let at = pt(top_left);
        Rect {
            at,
            size: pt(bottom_right).shift(Pt::new(-at.x, -at.y)),
        }
    }

    fn scene(
        self,
        machine: &Machine,
        groups: Vec<Vec<Scene>>,
        mut drawn: Collector,
        margin: f64,
    ) -> Scene {
        let mut bounds = Bounds::new();
        let mut items = Vec::new();
        for (id, spec) in self.edges.iter().enumerate() {
            let Some(Some((path, head_at_start))) = drawn.arrows.get(id).cloned() else {
                continue;
            };
            let label_at = (!spec.label.is_empty())
                .then(|| drawn.claim_label(&spec.label, &path))
                .flatten();
            let edge = self.route(spec, &path, head_at_start, label_at);
            edge.curves.iter().flatten().for_each(|p| bounds.add(*p));
            if let Some((label, at)) = &edge.label {
                let half = Pt::new(text_width(label, SMALL_FONT) / 2.0 + 4.0, SMALL_FONT);
                bounds.add(Pt::new(at.x - half.x, at.y - half.y));
                bounds.add(Pt::new(at.x + half.x, at.y + half.y));
            }
            items.push(Item::Edge(edge));
        }
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
    fn route(
        &self,
        spec: &EdgeSpec,
        path: &[(Pt, Pt)],
        head_at_start: bool,
        label_at: Option<Pt>,
    ) -> EdgeShape {
        let (start, curves) = if spec.from == spec.to {
            route::self_loop(self.rect(spec.from))
        } else {
            // Turned round, the path runs from the edge's target down.
            let (upper, lower) = if head_at_start {
                (spec.to, spec.from)
            } else {
                (spec.from, spec.to)
            };
            let inner = path.get(1..path.len().saturating_sub(1)).unwrap_or(&[]);
            let waypoints: Vec<Pt> = inner.iter().map(|(_, slot)| *slot).collect();
            route::between(self.rect(upper), self.rect(lower), &waypoints)
        };
        let label = label_at
            .filter(|_| !spec.label.is_empty())
            .map(|at| (spec.label.clone(), at));
        EdgeShape {
            kind: spec.kind,
            start,
            curves,
            head_at_start,
            label,
        }
    }
}

fn element(shape: ShapeKind, size: Pt) -> Element {
    let mut element = Element::create(
        shape,
        StyleAttr::simple(),
        Orientation::TopToBottom,
        Point::new(size.x, size.y),
    );
    element.pos = Position::new(
        Point::zero(),
        Point::new(size.x, size.y),
        Point::zero(),
        Point::splat(HALO),
    );
    element
}
