//! Writing XML: tags whose every attribute value and text is escaped.

use std::fmt::{self, Display, Write};

use crate::graph::scene::Pt;

/// One attribute: its name and its value, escaped when written.
pub(super) type Attr<'a> = (&'a str, &'a dyn Display);

/// Writes `<name attrs…/>`.
pub(super) fn empty(out: &mut String, name: &str, attrs: &[Attr<'_>]) {
    open_tag(out, name, attrs);
    out.push_str("/>\n");
}

/// Writes `<name attrs…>`, to be closed by [`close`].
pub(super) fn open(out: &mut String, name: &str, attrs: &[Attr<'_>]) {
    open_tag(out, name, attrs);
    out.push('>');
}

/// Writes `</name>`.
pub(super) fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Writes `<name attrs…>text</name>`.
pub(super) fn element(out: &mut String, name: &str, attrs: &[Attr<'_>], text: &str) {
    open(out, name, attrs);
    escaped(out, &text);
    close(out, name);
}

fn open_tag(out: &mut String, name: &str, attrs: &[Attr<'_>]) {
    out.push('<');
    out.push_str(name);
    for (key, value) in attrs {
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        escaped(out, value);
        out.push('"');
    }
}

/// Appends `value` escaped for XML content and attribute values alike.
fn escaped(out: &mut String, value: &dyn Display) {
    // Writing into a `String` cannot fail.
    let _ = write!(Escaper(out), "{value}");
}

/// Escapes what is written through it.
struct Escaper<'a>(&'a mut String);

impl Write for Escaper<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                '\t' | '\n' | '\r' => self.0.push(' '),
                // Characters XML 1.0 does not allow at all.
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                    self.0.push('\u{FFFD}')
                }
                c => self.0.push(c),
            }
        }
        Ok(())
    }
}

/// A coordinate, to a tenth, without a trailing `.0`.
#[derive(Debug, Clone, Copy)]
pub(super) struct N(pub f64);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        // No "-0" for a value that rounds to nothing.
        let tenths = if tenths == 0.0 { 0.0 } else { tenths };
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", tenths / 10.0)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

/// Points as `x y`, separated by spaces, with a command letter before each.
pub(super) struct Path<'a>(pub &'a [(char, Pt)]);

impl Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (command, p)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if *command != ' ' {
                f.write_char(*command)?;
            }
            write!(f, "{} {}", N(p.x), N(p.y))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_in_text_and_attributes() {
        // Arrange
        let mut out = String::new();
        let name = "<script>&\"'\u{1}";

        // Act
        element(&mut out, "text", &[("data-state", &name)], name);

        // Assert
        let escaped = "&lt;script&gt;&amp;&quot;&#39;\u{FFFD}";
        assert_eq!(
            out,
            format!("<text data-state=\"{escaped}\">{escaped}</text>\n")
        );
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

    #[test]
    fn a_path_writes_each_point_after_its_command() {
        // Arrange
        let points = [
            ('M', Pt::new(1.0, 2.0)),
            ('C', Pt::new(3.0, 4.5)),
            (' ', Pt::new(5.0, 6.0)),
        ];

        // Act
        let d = Path(&points).to_string();

        // Assert
        assert_eq!(d, "M1 2 C3 4.5 5 6");
    }
}
