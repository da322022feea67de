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

use super::GraphError;
use super::metrics::{MARKER, node_size};
use super::model::{EdgeKind, Machine};
use super::scene::{Pt, Scene};

mod budget;
mod collector;
mod order;
mod shapes;

use budget::Plan;

use collector::Collector;

/// The space kept around each node by the layout.
const HALO: f64 = 36.0;
/// `layout-rs` sizes an edge label's slot as its length times this.
const LABEL_CHAR: usize = 6;

/// Lays out a whole definition.
pub(super) fn lay_out(machine: &Machine) -> Result<Scene, GraphError> {
    lay_out_with_margin(machine, 12.0)
}

fn lay_out_with_margin(machine: &Machine, margin: f64) -> Result<Scene, GraphError> {
    let mut groups = Vec::with_capacity(machine.nodes.len());
    for node in &machine.nodes {
        let branches: Result<Vec<Scene>, GraphError> = node
            .groups
            .iter()
            .map(|g| lay_out_with_margin(g, 6.0))
            .collect();
        groups.push(branches?);
    }
    let sizes: Vec<Pt> = machine
        .nodes
        .iter()
        .zip(&groups)
        .map(|(node, branches)| node_size(node, branches))
        .collect();
    let (graph, collector) = place(machine, &sizes)?;
    Ok(graph.scene(machine, groups, collector, margin))
}

/// Runs `layout-rs`, falling back to its plainer placements if one fails.
///
/// Its placer checks its own work with assertions, and a few tangled graphs
/// (found by the property tests) trip them. A picture must never take the
/// server down, so a panic there is caught and the next, simpler placement
/// tried; the panic hook still logs it.
fn place(machine: &Machine, sizes: &[Pt]) -> Result<(Graph, Collector), GraphError> {
    // Each attempt: (skip the crossing optimiser, skip the final placement passes).
    let attempts: &[(bool, bool)] = match Graph::new(machine, sizes).plan {
        Plan::Optimised => &[(false, false), (false, true), (true, true)],
        Plan::Plain => &[(true, false), (true, true)],
        Plan::Refused => return Err(GraphError::TooTangled),
    };
    for &(plain, unplaced) in attempts {
        let attempt = std::panic::catch_unwind(|| {
            let mut graph = Graph::new(machine, sizes);
            let mut collector = Collector::default();
            graph.vg.do_it(false, plain, unplaced, &mut collector);
            (graph, collector)
        });
        if let Ok(placed) = attempt {
            return Ok(placed);
        }
    }
    Err(GraphError::Layout)
}

type Handle = layout::adt::dag::NodeHandle;

/// One edge as handed to `layout-rs`.
struct EdgeSpec {
    from: Handle,
    to: Handle,
    kind: EdgeKind,
    label: String,
    /// Laid out from `to` down to `from`: the edge loops back.
    flipped: bool,
}

impl EdgeSpec {
    /// The end the layout puts higher up.
    fn upper(&self) -> Handle {
        if self.flipped { self.to } else { self.from }
    }

    /// The end the layout puts lower down.
    fn lower(&self) -> Handle {
        if self.flipped { self.from } else { self.to }
    }
}

/// The edge numbered `id` as a `layout-rs` arrow, the number in its `properties`.
fn arrow(id: usize, spec: &EdgeSpec) -> Arrow {
    let line = if spec.kind == EdgeKind::Catch {
        LineStyleKind::Dashed
    } else {
        LineStyleKind::Normal
    };
    let (start, end) = if spec.flipped {
        (LineEndKind::Arrow, LineEndKind::None)
    } else {
        (LineEndKind::None, LineEndKind::Arrow)
    };
    let mut look = StyleAttr::simple();
    look.font_size = LABEL_CHAR;
    Arrow::with_properties(
        start,
        end,
        line,
        &spec.label,
        &look,
        id.to_string(),
        &None,
        &None,
    )
}

/// The `layout-rs` graph of one machine, with the handles of its nodes.
struct Graph {
    vg: VisualGraph,
    states: Vec<Handle>,
    start: Handle,
    end: Option<Handle>,
    edges: Vec<EdgeSpec>,
    /// How to lay it out, from the estimate of the work.
    plan: Plan,
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
            plan: Plan::Optimised,
        };
        if let Some(first) = graph.states.get(machine.start).copied() {
            graph.spec(start, first, EdgeKind::Next, String::new());
        }
        for (i, node) in machine.nodes.iter().enumerate() {
            for edge in &node.edges {
                graph.spec(
                    graph.states[i],
                    graph.states[edge.to],
                    edge.kind,
                    edge.label.clone(),
                );
            }
            if let (true, Some(end)) = (node.ends, end) {
                graph.spec(graph.states[i], end, EdgeKind::Next, String::new());
            }
        }
        graph.add_edges();
        graph
    }

    fn spec(&mut self, from: Handle, to: Handle, kind: EdgeKind, label: String) {
        self.edges.push(EdgeSpec {
            from,
            to,
            kind,
            label,
            flipped: false,
        });
    }

    /// Hands the edges to `layout-rs`, each turned to go forward (see `order`).
    fn add_edges(&mut self) {
        let pairs: Vec<(usize, usize)> = self
            .edges
            .iter()
            .map(|e| (e.from.get_index(), e.to.get_index()))
            .collect();
        let order = order::forward_order(self.vg.num_nodes(), &pairs, &[self.start.get_index()]);
        let rank = |h: Handle| order.get(h.get_index()).copied().unwrap_or(0);
        for spec in &mut self.edges {
            spec.flipped = rank(spec.from) > rank(spec.to);
        }
        let spans: Vec<budget::Span> = self
            .edges
            .iter()
            .map(|e| {
                (
                    e.upper().get_index(),
                    e.lower().get_index(),
                    !e.label.is_empty(),
                )
            })
            .collect();
        self.plan = budget::plan(self.vg.num_nodes(), &spans, &order);
        let mut ids: Vec<usize> = (0..self.edges.len())
            // `layout-rs` lays a loop's label out beside its state, where it
            // can break the placer's own checks; loops are drawn without it.
            .filter(|&id| self.edges[id].from != self.edges[id].to)
            .collect();
        ids.sort_by_key(|&id| rank(self.edges[id].upper()));
        // Its checks walk every path too; the order above makes them moot.
        self.vg.dag.set_validate(false);
        for id in ids {
            let spec = &self.edges[id];
            let (upper, lower) = (spec.upper(), spec.lower());
            let arrow = arrow(id, spec);
            self.vg.add_edge(arrow, upper, lower);
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
