//! Writes a scene as an SVG element, every text escaped.

use std::collections::HashMap;

use super::Mark;
use super::labels::text_width;
use super::metrics::{MARKER, SMALL_FONT};
use super::scene::{EdgeShape, Item, Pt, Scene};
use super::style::{self, INK, LINE, MUTED};

mod state;
mod xml;

use xml::{N, Path, close, element, empty, open};

/// The arrow head's id; pictures on one page share it, being the same.
const ARROW: &str = "stepdesk-graph-arrow";

/// Writes `scene` as a standalone `<svg>` element.
pub(super) fn write(
    scene: &Scene,
    marks: &HashMap<String, Mark>,
    title: &str,
    desc: Option<&str>,
) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let (w, h) = (N(scene.size.x), N(scene.size.y));
    let view_box = format!("0 0 {w} {h}");
    // No pixel width: the picture takes its container's width, never more
    // than its own, and its height follows from the view box.
    let fit = format!("max-width:{w}px;height:auto");
    let svg: &[xml::Attr<'_>] = &[
        ("xmlns", &"http://www.w3.org/2000/svg"),
        ("class", &"workflow-graph"),
        ("role", &"img"),
        ("viewBox", &view_box),
        ("width", &"100%"),
        ("preserveAspectRatio", &"xMidYMin meet"),
        ("style", &fit),
        ("font-family", &"system-ui, sans-serif"),
    ];
    open(&mut out, "svg", svg);
    out.push('\n');
    element(&mut out, "title", &[], title);
    if let Some(desc) = desc {
        element(&mut out, "desc", &[], desc);
    }
    write_defs(&mut out);
    write_scene(&mut out, scene, marks);
    close(&mut out, "svg");
    out
}

fn write_defs(out: &mut String) {
    out.push_str("<defs>");
    let marker: &[xml::Attr<'_>] = &[
        ("id", &ARROW),
        ("viewBox", &"0 0 10 10"),
        ("refX", &9),
        ("refY", &5),
        ("markerWidth", &7),
        ("markerHeight", &7),
        ("orient", &"auto-start-reverse"),
    ];
    open(out, "marker", marker);
    empty(out, "path", &[("d", &"M0 0L10 5L0 10z"), ("fill", &LINE)]);
    close(out, "marker");
    close(out, "defs");
}

/// Writes a scene's edges, then their labels, then its states and markers.
fn write_scene(out: &mut String, scene: &Scene, marks: &HashMap<String, Mark>) {
    let edges = scene.items.iter().filter_map(|item| match item {
        Item::Edge(edge) => Some(edge),
        _ => None,
    });
    edges.clone().for_each(|edge| write_edge(out, edge));
    edges.for_each(|edge| write_label(out, edge));
    for item in &scene.items {
        match item {
            Item::State(shape) => {
                let mark = marks.get(&shape.name).copied();
                state::write(out, shape, mark);
                for (corner, branch) in &shape.branches {
                    write_branch(out, *corner, branch, marks);
                }
            }
            Item::Start(at) => write_marker(out, *at, true),
            Item::End(at) => write_marker(out, *at, false),
            Item::Edge(_) => {}
        }
    }
}

/// A group's branch: a dashed frame with its scene, moved to `corner`.
fn write_branch(out: &mut String, corner: Pt, branch: &Scene, marks: &HashMap<String, Mark>) {
    let moved = format!("translate({} {})", N(corner.x), N(corner.y));
    open(out, "g", &[("class", &"branch"), ("transform", &moved)]);
    out.push('\n');
    let frame: &[xml::Attr<'_>] = &[
        ("width", &N(branch.size.x)),
        ("height", &N(branch.size.y)),
        ("rx", &6),
        ("fill", &"#ffffff"),
        ("stroke", &"#c5cbd3"),
        ("stroke-dasharray", &"3 3"),
    ];
    empty(out, "rect", frame);
    write_scene(out, branch, marks);
    close(out, "g");
}

fn write_marker(out: &mut String, at: Pt, start: bool) {
    let (x, y) = (N(at.x), N(at.y));
    if start {
        let r = N(MARKER / 2.0 - 2.0);
        let attrs: &[xml::Attr<'_>] = &[
            ("class", &"terminal terminal-start"),
            ("cx", &x),
            ("cy", &y),
            ("r", &r),
            ("fill", &INK),
        ];
        empty(out, "circle", attrs);
        return;
    }
    open(out, "g", &[("class", &"terminal terminal-end")]);
    let ring: &[xml::Attr<'_>] = &[
        ("cx", &x),
        ("cy", &y),
        ("r", &N(MARKER / 2.0)),
        ("fill", &"#ffffff"),
        ("stroke", &INK),
        ("stroke-width", &2),
    ];
    empty(out, "circle", ring);
    empty(
        out,
        "circle",
        &[("cx", &x), ("cy", &y), ("r", &4.5), ("fill", &INK)],
    );
    close(out, "g");
}

fn write_edge(out: &mut String, edge: &EdgeShape) {
    let (colour, dashed) = style::edge(edge.kind);
    let mut points = vec![('M', edge.start)];
    for [c1, c2, to] in &edge.curves {
        points.extend([('C', *c1), (' ', *c2), (' ', *to)]);
    }
    let head = if edge.head_at_start {
        "marker-start"
    } else {
        "marker-end"
    };
    let arrow = format!("url(#{ARROW})");
    let (class, d) = (style::edge_class(edge.kind), Path(&points));
    let mut attrs: Vec<xml::Attr<'_>> = vec![
        ("class", &class),
        ("d", &d),
        ("fill", &"none"),
        ("stroke", &colour),
        ("stroke-width", &1.5),
    ];
    if dashed {
        attrs.push(("stroke-dasharray", &"6 4"));
    }
    attrs.push((head, &arrow));
    empty(out, "path", &attrs);
}

fn write_label(out: &mut String, edge: &EdgeShape) {
    let Some((text, at)) = &edge.label else {
        return;
    };
    let width = text_width(text, SMALL_FONT) + 8.0;
    open(out, "g", &[("class", &"edge-label")]);
    let backdrop: &[xml::Attr<'_>] = &[
        ("x", &N(at.x - width / 2.0)),
        ("y", &N(at.y - SMALL_FONT * 0.8)),
        ("width", &N(width)),
        ("height", &N(SMALL_FONT * 1.6)),
        ("rx", &3),
        ("fill", &"#ffffff"),
        ("fill-opacity", &0.92),
    ];
    empty(out, "rect", backdrop);
    let attrs: &[xml::Attr<'_>] = &[
        ("x", &N(at.x)),
        ("y", &N(at.y)),
        ("text-anchor", &"middle"),
        ("dominant-baseline", &"central"),
        ("font-size", &SMALL_FONT),
        ("fill", &MUTED),
    ];
    element(out, "text", attrs, text);
    close(out, "g");
}
