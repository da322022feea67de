//! Definite paths: `$` followed by `.name`, `['name']` or `[n]` steps.

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// An object member.
    Name(String),
    /// An array element; negative counts from the end.
    Index(i64),
}

/// Parses a definite path after its `$`; `None` when the path uses anything
/// else (wildcards, filters, slices, unions, descendants).
pub(crate) fn parse(rest: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    name.push(c);
                    chars.next();
                }
                if name.is_empty() || name == "*" || name.chars().any(char::is_whitespace) {
                    return None;
                }
                steps.push(Step::Name(name));
            }
            '[' => {
                let mut inner = String::new();
                let mut quote = None;
                loop {
                    let (_, c) = chars.next()?;
                    match (quote, c) {
                        (None, ']') => break,
                        (None, '\'' | '"') => quote = Some(c),
                        (Some(q), c) if c == q => quote = None,
                        _ => {}
                    }
                    inner.push(c);
                }
                steps.push(bracket(&inner)?);
            }
            _ => return None,
        }
    }
    Some(steps)
}

fn bracket(inner: &str) -> Option<Step> {
    let inner = inner.trim();
    for q in ['\'', '"'] {
        if let Some(name) = inner.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            if name.contains(q) {
                return None;
            }
            return Some(Step::Name(name.to_owned()));
        }
    }
    inner.parse().ok().map(Step::Index)
}

/// The path in the bracket notation AWS uses in messages: `$['a'][0]`.
pub(crate) fn display(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for s in steps {
        match s {
            Step::Name(n) => out.push_str(&format!("['{n}']")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_bracketed_steps_parse_alike() {
        let dotted = parse(".a.b-c[2]").unwrap();
        let bracketed = parse("['a'][\"b-c\"][2]").unwrap();
        assert_eq!(dotted, bracketed);
        assert_eq!(display(&dotted), "$['a']['b-c'][2]");
    }

    #[test]
    fn wildcards_filters_and_slices_are_not_definite() {
        for p in [".a[*]", ".*", "..a", ".a[?(@.x > 1)]", ".a[0:2]", ".a[0,1]"] {
            assert_eq!(parse(p), None, "{p}");
        }
    }
}
