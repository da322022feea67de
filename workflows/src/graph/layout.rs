//! Places states and routes edges with `layout-rs`, top to bottom.
//!
//! A group (Parallel, Map) is laid out inside out: each branch is a graph of
//! its own, the branches sit side by side in the group's frame, and the frame
//! is one big box in the graph around it.

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::labels::{shorten, text_width};
use super::model::{EdgeKind, Machine, Node, StepKind};
use super::route;
use super::scene::{Bounds, EdgeShape, Item, Pt, Rect, Scene, StateShape};

/// The font size of a state's name.
pub(super) const NAME_FONT: f64 = 13.0;
/// The font size of a state's kind and of edge labels.
pub(super) const SMALL_FONT: f64 = 11.0;
/// State names longer than this many characters are cut in the picture.
pub(super) const MAX_NAME: usize = 32;
/// The height of a state's box.
const BOX_HEIGHT: f64 = 42.0;
/// The space left of a state's text for the person icon of a human task.
pub(super) const ICON_WIDTH: f64 = 18.0;
/// A group's title bar, the padding around its branches and the gap between them.
pub(super) const GROUP_HEADER: f64 = 28.0;
const GROUP_PAD: f64 = 10.0;
const GROUP_GAP: f64 = 14.0;
/// The diameter of the start and end markers.
pub(super) const MARKER: f64 = 18.0;
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

/// How big a state's box, or a group's frame, is drawn.
fn node_size(node: &Node, branches: &[Scene]) -> Pt {
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
fn branch_corners(size: Pt, branches: &[Scene]) -> Vec<Pt> {
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

fn pt(p: Point) -> Pt {
    Pt::new(p.x, p.y)
}

/// An edge's path as `layout-rs` drew it, and whether it turned the edge round.
type Routed = (Vec<(Pt, Pt)>, bool);

/// A drawing backend that keeps what `layout-rs` routed instead of drawing:
/// each edge's path, by the edge's number, and the labels' texts and places.
#[derive(Debug, Default)]
struct Collector {
    arrows: Vec<Option<Routed>>,
    /// Each label, where it goes, and whether an edge has claimed it.
    labels: Vec<(String, Pt, bool)>,
}

impl Collector {
    /// Claims the place of the unclaimed label `text` nearest to `path`.
    ///
    /// `layout-rs` may move a label to another slot of the same edge, so a
    /// label is known by its text and by lying on its edge's path.
    fn claim_label(&mut self, text: &str, path: &[(Pt, Pt)]) -> Option<Pt> {
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
        head: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        let Some(id) = properties.and_then(|p| p.parse::<usize>().ok()) else {
            return;
        };
        let path = path.iter().map(|(a, b)| (pt(*a), pt(*b))).collect();
        put(&mut self.arrows, id, (path, head.0 && !head.1));
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}
