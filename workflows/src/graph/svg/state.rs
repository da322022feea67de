//! Writes one state: a box, a Choice's hexagon, a pill, or a group's frame.

use crate::graph::Mark;
use crate::graph::kind::StepKind;
use crate::graph::labels::shorten;
use crate::graph::metrics::{ICON_WIDTH, MAX_NAME, NAME_FONT, SMALL_FONT};
use crate::graph::scene::{Rect, StateShape};
use crate::graph::style::{self, CURRENT_RING, INK, MUTED, Paint};

use super::xml::{Attr, N, close, element, empty, open};

/// Writes `shape` with `mark` in a `<g>` of its own; a group's branches follow
/// it outside that `<g>`, so that rules on its classes do not reach them.
pub(super) fn write(out: &mut String, shape: &StateShape, mark: Option<Mark>) {
    let mut class = format!("state {}", shape.kind.class());
    match shape.kind {
        StepKind::HumanTask => class.push_str(" state-human"),
        StepKind::Workflow => class.push_str(" state-nested"),
        _ => {}
    }
    let status = mark.map_or(String::new(), |m| format!(" · {}", m.label()));
    if let Some(mark) = mark {
        class.push(' ');
        class.push_str(mark.class());
    }
    open(out, "g", &[("class", &class), ("data-state", &shape.name)]);
    let tooltip = format!("{} ({}{status})", shape.name, shape.kind.label());
    element(out, "title", &[], &tooltip);
    if mark == Some(Mark::Current) {
        write_ring(out, shape.rect);
    }
    let paint = style::paint(&shape.kind, mark);
    let name = shorten(&shape.name, MAX_NAME);
    let kind = format!("{}{status}", shape.kind.label());
    if shape.branches.is_empty() {
        write_shape(out, &shape.kind, shape.rect, paint);
        write_box_text(out, shape, &name, &kind, paint.stroke);
    } else {
        write_frame(out, shape.rect, paint, &name, &kind);
    }
    close(out, "g");
}

/// The strong highlight around a current state.
fn write_ring(out: &mut String, r: Rect) {
    let attrs: &[Attr<'_>] = &[
        ("class", &"ring"),
        ("x", &N(r.at.x - 5.0)),
        ("y", &N(r.at.y - 5.0)),
        ("width", &N(r.size.x + 10.0)),
        ("height", &N(r.size.y + 10.0)),
        ("rx", &10),
        ("fill", &"none"),
        ("stroke", &CURRENT_RING),
        ("stroke-opacity", &0.3),
        ("stroke-width", &4),
    ];
    empty(out, "rect", attrs);
}

/// A box; a Choice is a hexagon, a Succeed or a Fail a pill.
fn write_shape(out: &mut String, kind: &StepKind, r: Rect, paint: Paint) {
    let (x, y, w, h) = (r.at.x, r.at.y, r.size.x, r.size.y);
    let stroke_width = N(paint.width);
    let colours: [Attr<'_>; 3] = [
        ("fill", &paint.fill),
        ("stroke", &paint.stroke),
        ("stroke-width", &stroke_width),
    ];
    if *kind == StepKind::Choice {
        let c = r.centre().y;
        let corners = [
            (x + 12.0, y),
            (x + w - 12.0, y),
            (x + w, c),
            (x + w - 12.0, y + h),
            (x + 12.0, y + h),
            (x, c),
        ];
        let points: Vec<String> = corners
            .iter()
            .map(|(a, b)| format!("{} {}", N(*a), N(*b)))
            .collect();
        let points = points.join(" ");
        let mut attrs: Vec<Attr<'_>> = vec![("points", &points)];
        attrs.extend(colours);
        empty(out, "polygon", &attrs);
        return;
    }
    let pill = matches!(kind, StepKind::Succeed | StepKind::Fail);
    let radius = N(if pill { h / 2.0 } else { 6.0 });
    let (x, y, w, h) = (N(x), N(y), N(w), N(h));
    let mut attrs: Vec<Attr<'_>> = vec![
        ("x", &x),
        ("y", &y),
        ("width", &w),
        ("height", &h),
        ("rx", &radius),
    ];
    attrs.extend(colours);
    empty(out, "rect", &attrs);
}

/// A state's name and, under it, its kind and status; a person icon for a human task.
fn write_box_text(out: &mut String, shape: &StateShape, name: &str, kind: &str, accent: &str) {
    let c = shape.rect.centre();
    let mut x = c.x;
    if shape.kind == StepKind::HumanTask {
        x += ICON_WIDTH / 2.0;
        let ix = shape.rect.at.x + 14.0;
        open(out, "g", &[("class", &"icon-person"), ("fill", &accent)]);
        empty(
            out,
            "circle",
            &[("cx", &N(ix)), ("cy", &N(c.y - 5.0)), ("r", &3.5)],
        );
        let body = format!("M{} {}a6 6 0 0 1 12 0z", N(ix - 6.0), N(c.y + 8.0));
        empty(out, "path", &[("d", &body)]);
        close(out, "g");
    }
    let x = N(x);
    let title: &[Attr<'_>] = &[
        ("x", &x),
        ("y", &N(c.y - 2.0)),
        ("text-anchor", &"middle"),
        ("font-size", &NAME_FONT),
        ("font-weight", &600),
        ("fill", &INK),
    ];
    element(out, "text", title, name);
    let caption: &[Attr<'_>] = &[
        ("x", &x),
        ("y", &N(c.y + 13.0)),
        ("text-anchor", &"middle"),
        ("font-size", &SMALL_FONT),
        ("fill", &MUTED),
    ];
    element(out, "text", caption, kind);
}

/// A group's frame, with its name at the top left and its kind at the top right.
fn write_frame(out: &mut String, r: Rect, paint: Paint, name: &str, kind: &str) {
    let frame: &[Attr<'_>] = &[
        ("class", &"frame"),
        ("x", &N(r.at.x)),
        ("y", &N(r.at.y)),
        ("width", &N(r.size.x)),
        ("height", &N(r.size.y)),
        ("rx", &8),
        ("fill", &paint.fill),
        ("stroke", &paint.stroke),
        ("stroke-width", &N(paint.width)),
    ];
    empty(out, "rect", frame);
    let baseline = N(r.at.y + 19.0);
    let title: &[Attr<'_>] = &[
        ("x", &N(r.at.x + 10.0)),
        ("y", &baseline),
        ("font-size", &NAME_FONT),
        ("font-weight", &600),
        ("fill", &INK),
    ];
    element(out, "text", title, name);
    let right = N(r.at.x + r.size.x - 10.0);
    let caption: &[Attr<'_>] = &[
        ("x", &right),
        ("y", &baseline),
        ("text-anchor", &"end"),
        ("font-size", &SMALL_FONT),
        ("fill", &MUTED),
    ];
    element(out, "text", caption, kind);
}
