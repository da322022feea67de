//! Reading a Step Functions path: its root, its steps, and the RFC 9535 text
//! `serde_json_path` understands.
//!
//! Step Functions paths follow Jayway JSONPath, which is looser than RFC 9535
//! about dot names (`$.my-key` is fine there). So every dot name is rewritten
//! as a bracketed name before the path reaches `serde_json_path`, and the
//! definite steps (names and indexes) are kept for selecting without it.

use serde_json_path::JsonPath;

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A member name: `.name` or `['name']`.
    Key(String),
    /// An array index: `[n]`, negative from the end.
    Index(i64),
}

/// A path read and checked.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// Whether the path starts with `$$` (the context object).
    pub(crate) in_ctx: bool,
    /// The variable the path starts from (`$name.rest`), if it starts from one.
    pub(crate) var: Option<String>,
    /// The steps, when the path has only names and indexes.
    pub(crate) steps: Option<Vec<Step>>,
    /// The compiled query, equivalent to the whole path.
    pub(crate) query: JsonPath,
}

/// Reads `path`, or says what is wrong with it.
pub(crate) fn parse(path: &str) -> Result<Parsed, String> {
    let (in_ctx, mut rest) = match path.strip_prefix("$$") {
        Some(rest) => (true, rest),
        None => (
            false,
            path.strip_prefix('$').ok_or("a path must start with '$'")?,
        ),
    };
    let mut var = None;
    if !in_ctx && rest.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let (name, tail) = rest.split_at(end);
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("'${name}' is not a valid variable name"));
        }
        var = Some(name.to_owned());
        rest = tail;
    }
    let mut rfc = String::from("$");
    let mut steps = Some(Vec::new());
    while !rest.is_empty() {
        let (piece, tail) = segment(rest)?;
        rfc.push_str(&piece.rfc);
        match (piece.step, steps.as_mut()) {
            (Some(step), Some(all)) => all.push(step),
            _ => steps = None,
        }
        rest = tail;
    }
    let query =
        JsonPath::parse(&rfc).map_err(|e| format!("'{path}' is not valid: {}", e.message()))?;
    Ok(Parsed {
        in_ctx,
        var,
        steps,
        query,
    })
}

/// How `steps` print in Step Functions messages: `$['a'][0]`.
pub(crate) fn normalized(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for step in steps {
        match step {
            Step::Key(k) => out.push_str(&quoted(k)),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

struct Piece {
    rfc: String,
    step: Option<Step>,
}

fn segment(rest: &str) -> Result<(Piece, &str), String> {
    if let Some(tail) = rest.strip_prefix("..") {
        let (inner, tail) = match tail.strip_prefix('[') {
            Some(_) => segment(tail)?,
            None => segment(&rest[1..])?,
        };
        let rfc = format!("..{}", inner.rfc);
        return Ok((Piece { rfc, step: None }, tail));
    }
    if let Some(tail) = rest.strip_prefix(".*") {
        return Ok((
            Piece {
                rfc: "[*]".into(),
                step: None,
            },
            tail,
        ));
    }
    if let Some(tail) = rest.strip_prefix('.') {
        return dot_name(tail);
    }
    if let Some(tail) = rest.strip_prefix('[') {
        return bracket(tail);
    }
    Err(format!("unexpected '{rest}'"))
}

fn dot_name(tail: &str) -> Result<(Piece, &str), String> {
    let end = tail.find(['.', '[']).unwrap_or(tail.len());
    let (name, rest) = tail.split_at(end);
    let odd = |c: char| c.is_whitespace() || "*?@()'\"],:".contains(c);
    if name.is_empty() || name.contains(odd) {
        return Err(format!("'{name}' is not a valid field name"));
    }
    let rfc = quoted(name);
    Ok((
        Piece {
            rfc,
            step: Some(Step::Key(name.to_owned())),
        },
        rest,
    ))
}

fn bracket(tail: &str) -> Result<(Piece, &str), String> {
    let end = closing(tail).ok_or("a '[' has no matching ']'")?;
    let (inner, rest) = (tail[..end].trim(), &tail[end + 1..]);
    if let Some(name) = single_quoted_name(inner) {
        let piece = Piece {
            rfc: quoted(&name),
            step: Some(Step::Key(name)),
        };
        return Ok((piece, rest));
    }
    if let Ok(i) = inner.parse::<i64>() {
        let piece = Piece {
            rfc: format!("[{i}]"),
            step: Some(Step::Index(i)),
        };
        return Ok((piece, rest));
    }
    if inner.is_empty() {
        return Err("'[]' selects nothing".into());
    }
    Ok((
        Piece {
            rfc: format!("[{inner}]"),
            step: None,
        },
        rest,
    ))
}

/// The byte offset of the `]` closing a bracket opened just before `text`.
fn closing(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut escaped) = (0usize, None, false);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ')') => depth = depth.checked_sub(1)?,
            (None, ']') if depth == 0 => return Some(i),
            (None, ']') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The name in `'name'` or `"name"`, when `inner` is exactly one such string.
fn single_quoted_name(inner: &str) -> Option<String> {
    let q = inner.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = inner.strip_prefix(q)?.strip_suffix(q)?;
    let mut name = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            // Jayway's unescaping, which Step Functions applies to bracketed
            // names: the JSON escapes, and any other escaped character as itself.
            '\\' => match chars.next() {
                Some('n') => name.push('\n'),
                Some('t') => name.push('\t'),
                Some('r') => name.push('\r'),
                Some('f') => name.push('\u{c}'),
                Some('b') => name.push('\u{8}'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    name.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                Some(other) => name.push(other),
                None => name.push('\\'),
            },
            c if c == q => return None,
            c => name.push(c),
        }
    }
    Some(name)
}

/// `['name']`, escaped as RFC 9535 wants.
fn quoted(name: &str) -> String {
    let mut out = String::from("['");
    for c in name.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str("']");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_indexes_make_a_definite_path() {
        // Arrange
        let path = "$.a['b c'][2][\"d\"].e-f[-1]";
        // Act
        let parsed = parse(path).expect("valid");
        // Assert
        let steps = parsed.steps.expect("definite");
        assert_eq!(normalized(&steps), "$['a']['b c'][2]['d']['e-f'][-1]");
        assert!(!parsed.in_ctx);
    }

    #[test]
    fn wildcards_filters_slices_and_descendants_make_an_indefinite_path() {
        // Arrange
        let paths = [
            "$.a[*]",
            "$.*",
            "$..b",
            "$..[0]",
            "$.a[1:3]",
            "$.a[0,1]",
            "$.items[?(@.price > 10)]",
            "$.a[?(@.name == 'x]y')]",
        ];
        for path in paths {
            // Act
            let parsed = parse(path);
            // Assert
            assert!(parsed.is_ok_and(|p| p.steps.is_none()), "{path}");
        }
    }

    #[test]
    fn the_context_root_is_recognised() {
        // Arrange
        let path = "$$.Execution.Id";
        // Act
        let parsed = parse(path).expect("valid");
        // Assert
        assert!(parsed.in_ctx);
        assert_eq!(parsed.steps.map(|s| s.len()), Some(2));
    }

    #[test]
    fn a_variable_root_is_recognised() {
        // Arrange
        let path = "$order.items[0]";
        // Act
        let parsed = parse(path).expect("valid");
        // Assert
        assert_eq!(parsed.var.as_deref(), Some("order"));
        assert_eq!(parsed.steps.map(|s| s.len()), Some(2));
    }

    #[test]
    fn malformed_paths_are_rejected_with_a_reason() {
        // Arrange
        let bad = [
            "",
            "a",
            "$.",
            "$a-b",
            "$[0",
            "$['a'",
            "$.a b",
            "$[]",
            "$.a[?(@.b >)]",
            "$.(",
            "$...a",
        ];
        for path in bad {
            // Act
            let parsed = parse(path);
            // Assert
            assert!(parsed.is_err(), "{path}");
        }
    }

    #[test]
    fn quotes_and_backslashes_in_names_survive_the_rewrite() {
        // Arrange
        let path = r"$['it\'s']";
        // Act
        let parsed = parse(path).expect("valid");
        // Assert
        assert_eq!(parsed.steps, Some(vec![Step::Key("it's".into())]));
        let names = [
            (r#"$['a\\b']"#, "a\\b"),
            (r#"$["say \"hi\""]"#, "say \"hi\""),
            (r#"$["it's"]"#, "it's"),
            (r"$['tab\there']", "tab\there"),
            (r"$['\u00e9t\u00e9']", "été"),
            (r"$['odd\q']", "oddq"),
        ];
        for (path, name) in names {
            let parsed = parse(path).expect("valid");
            assert_eq!(parsed.steps, Some(vec![Step::Key(name.into())]), "{path}");
        }
        assert_eq!(quoted("a\\b'c\n"), r"['a\\b\'c\u000a']");
    }
}
