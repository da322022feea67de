//! Writes a scene as an SVG element, every text escaped.

use std::collections::HashMap;
use std::fmt::{self, Display, Write as _};

use super::Mark;
use super::labels::{shorten, text_width};
use super::layout::{ICON_WIDTH, MARKER, MAX_NAME, NAME_FONT, SMALL_FONT};
use super::model::StepKind;
use super::scene::{EdgeShape, Item, Pt, Rect, Scene, StateShape};
use super::style::{self, CURRENT_RING, INK, LINE, MUTED};

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
    put(
        &mut out,
        format_args!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workflow-graph\" role=\"img\" \
         viewBox=\"0 0 {w} {h}\" width=\"100%\" preserveAspectRatio=\"xMidYMin meet\" \
         style=\"max-width:{w}px;height:auto\" font-family=\"system-ui, sans-serif\">\n\
         <title>{}</title>\n",
            Esc(title)
        ),
    );
    if let Some(desc) = desc {
        put(&mut out, format_args!("<desc>{}</desc>\n", Esc(desc)));
    }
    put(
        &mut out,
        format_args!(
            "<defs><marker id=\"{ARROW}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0 0L10 5L0 10z\" fill=\"{LINE}\"/></marker></defs>\n"
        ),
    );
    write_scene(&mut out, scene, marks);
    out.push_str("</svg>\n");
    out
}

fn write_scene(out: &mut String, scene: &Scene, marks: &HashMap<String, Mark>) {
    let edges = scene.items.iter().filter_map(|item| match item {
        Item::Edge(edge) => Some(edge),
        _ => None,
    });
    edges.clone().for_each(|edge| write_edge(out, edge));
    edges.for_each(|edge| write_label(out, edge));
    for item in &scene.items {
        match item {
            Item::State(state) => write_state(out, state, marks.get(&state.name).copied(), marks),
            Item::Start(at) => put(
                out,
                format_args!(
                    "<circle class=\"terminal terminal-start\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{INK}\"/>\n",
                    N(at.x),
                    N(at.y),
                    N(MARKER / 2.0 - 2.0)
                ),
            ),
            Item::End(at) => put(
                out,
                format_args!(
                    "<g class=\"terminal terminal-end\"><circle cx=\"{x}\" cy=\"{y}\" r=\"{}\" fill=\"#ffffff\" \
                 stroke=\"{INK}\" stroke-width=\"2\"/><circle cx=\"{x}\" cy=\"{y}\" r=\"4.5\" fill=\"{INK}\"/></g>\n",
                    N(MARKER / 2.0),
                    x = N(at.x),
                    y = N(at.y)
                ),
            ),
            Item::Edge(_) => {}
        }
    }
}

fn write_edge(out: &mut String, edge: &EdgeShape) {
    let (colour, dashed) = style::edge(edge.kind);
    put(
        out,
        format_args!(
            "<path class=\"{}\" d=\"M{}",
            style::edge_class(edge.kind),
            P(edge.start)
        ),
    );
    for [c1, c2, to] in &edge.curves {
        put(out, format_args!(" C{} {} {}", P(*c1), P(*c2), P(*to)));
    }
    let dash = if dashed {
        " stroke-dasharray=\"6 4\""
    } else {
        ""
    };
    let end = if edge.head_at_start { "start" } else { "end" };
    put(
        out,
        format_args!(
            "\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash} marker-{end}=\"url(#{ARROW})\"/>\n"
        ),
    );
}

fn write_label(out: &mut String, edge: &EdgeShape) {
    let Some((text, at)) = &edge.label else {
        return;
    };
    let width = text_width(text, SMALL_FONT) + 8.0;
    put(
        out,
        format_args!(
            "<g class=\"edge-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" \
         fill-opacity=\"0.92\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" \
         font-size=\"{}\" fill=\"{MUTED}\">{}</text></g>\n",
            N(at.x - width / 2.0),
            N(at.y - SMALL_FONT * 0.8),
            N(width),
            N(SMALL_FONT * 1.6),
            N(at.x),
            N(at.y),
            N(SMALL_FONT),
            Esc(text)
        ),
    );
}

fn write_state(
    out: &mut String,
    state: &StateShape,
    mark: Option<Mark>,
    marks: &HashMap<String, Mark>,
) {
    let human = if state.kind == StepKind::HumanTask {
        " state-human"
    } else {
        ""
    };
    let is = mark.map_or(String::new(), |m| format!(" {}", m.class()));
    let status = mark.map_or(String::new(), |m| format!(" · {}", m.label()));
    put(
        out,
        format_args!(
            "<g class=\"state {}{human}{is}\" data-state=\"{}\"><title>{} ({}{status})</title>\n",
            state.kind.class(),
            Esc(&state.name),
            Esc(&state.name),
            Esc(state.kind.label())
        ),
    );
    let paint = style::paint(&state.kind, mark);
    let r = state.rect;
    if mark == Some(Mark::Current) {
        put(
            out,
            format_args!(
                "<rect class=\"ring\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"none\" \
             stroke=\"{CURRENT_RING}\" stroke-opacity=\"0.3\" stroke-width=\"4\"/>\n",
                N(r.at.x - 5.0),
                N(r.at.y - 5.0),
                N(r.size.x + 10.0),
                N(r.size.y + 10.0)
            ),
        );
    }
    let paint_attrs = format!(
        "fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
        paint.fill,
        paint.stroke,
        N(paint.width)
    );
    let name = shorten(&state.name, MAX_NAME);
    let kind = format!("{}{status}", state.kind.label());
    if state.branches.is_empty() {
        write_shape(out, &state.kind, r, &paint_attrs);
        write_box_text(out, state, &name, &kind, paint.stroke);
        out.push_str("</g>\n");
        return;
    }
    put(
        out,
        format_args!(
            "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" {paint_attrs}/>\n\
         <text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"600\" fill=\"{INK}\">{}</text>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" fill=\"{MUTED}\">{}</text>\n</g>\n",
            N(r.at.x),
            N(r.at.y),
            N(r.size.x),
            N(r.size.y),
            N(r.at.x + 10.0),
            N(r.at.y + 19.0),
            N(NAME_FONT),
            Esc(&name),
            N(r.at.x + r.size.x - 10.0),
            N(r.at.y + 19.0),
            N(SMALL_FONT),
            Esc(&kind)
        ),
    );
    for (corner, branch) in &state.branches {
        put(
            out,
            format_args!(
                "<g class=\"branch\" transform=\"translate({} {})\"><rect width=\"{}\" height=\"{}\" rx=\"6\" \
             fill=\"#ffffff\" stroke=\"#c5cbd3\" stroke-dasharray=\"3 3\"/>\n",
                N(corner.x),
                N(corner.y),
                N(branch.size.x),
                N(branch.size.y)
            ),
        );
        write_scene(out, branch, marks);
        out.push_str("</g>\n");
    }
}

/// A box; a Choice is a hexagon, a Succeed or a Fail a pill.
fn write_shape(out: &mut String, kind: &StepKind, r: Rect, paint: &str) {
    let (x, y, w, h) = (r.at.x, r.at.y, r.size.x, r.size.y);
    if *kind == StepKind::Choice {
        let c = r.centre();
        put(
            out,
            format_args!(
                "<polygon points=\"{} {} {} {} {} {} {} {} {} {} {} {}\" {paint}/>\n",
                N(x + 12.0),
                N(y),
                N(x + w - 12.0),
                N(y),
                N(x + w),
                N(c.y),
                N(x + w - 12.0),
                N(y + h),
                N(x + 12.0),
                N(y + h),
                N(x),
                N(c.y)
            ),
        );
        return;
    }
    let radius = if matches!(kind, StepKind::Succeed | StepKind::Fail) {
        h / 2.0
    } else {
        6.0
    };
    put(
        out,
        format_args!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>\n",
            N(x),
            N(y),
            N(w),
            N(h),
            N(radius)
        ),
    );
}

fn write_box_text(out: &mut String, state: &StateShape, name: &str, kind: &str, accent: &str) {
    let c = state.rect.centre();
    let mut x = c.x;
    if state.kind == StepKind::HumanTask {
        x += ICON_WIDTH / 2.0;
        let ix = state.rect.at.x + 14.0;
        put(
            out,
            format_args!(
                "<g class=\"icon-person\" fill=\"{accent}\"><circle cx=\"{}\" cy=\"{}\" r=\"3.5\"/>\
             <path d=\"M{} {}a6 6 0 0 1 12 0z\"/></g>\n",
                N(ix),
                N(c.y - 5.0),
                N(ix - 6.0),
                N(c.y + 8.0)
            ),
        );
    }
    put(
        out,
        format_args!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"600\" fill=\"{INK}\">{}</text>\n\
         <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{MUTED}\">{}</text>\n",
            N(c.y - 2.0),
            N(NAME_FONT),
            Esc(name),
            N(c.y + 13.0),
            N(SMALL_FONT),
            Esc(kind),
            x = N(x)
        ),
    );
}

/// Appends formatted text; writing into a `String` cannot fail.
fn put(out: &mut String, args: fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}

/// A coordinate, to a tenth, without a trailing `.0`.
struct N(f64);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        let tenths = if tenths == 0.0 { 0.0 } else { tenths };
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", tenths / 10.0)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

/// A point as `x y`.
struct P(Pt);

impl Display for P {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", N(self.0.x), N(self.0.y))
    }
}

/// Text escaped for XML content and attribute values alike.
pub(super) struct Esc<'a>(pub &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                // Characters XML 1.0 does not allow at all.
                '\t' | '\n' | '\r' => f.write_char(' ')?,
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                    f.write_char('\u{FFFD}')?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        // Arrange
        let text = "<script>&\"'\u{1}";

        // Act
        let escaped = Esc(text).to_string();

        // Assert
        assert_eq!(escaped, "&lt;script&gt;&amp;&quot;&#39;\u{FFFD}");
    }

    #[test]
    fn coordinates_are_written_to_a_tenth_without_a_trailing_zero() {
        // Arrange
        let values = [1.0, 2.25, -0.01, 1e6 / 3.0];

        // Act
        let written: Vec<String> = values.iter().map(|v| N(*v).to_string()).collect();

        // Assert
        assert_eq!(written, ["1", "2.3", "0", "333333.3"]);
    }
}
