//! Definition-time checks of JSONata fields: every `{% %}` expression parses.

use serde_json::Value;

use super::expression;
use crate::jsonata::Expr;
use crate::validate::Diagnostic;

/// Checks every expression of `template`, `at` being its JSON pointer.
pub(crate) fn check_template(template: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    match template {
        Value::String(s) => check_text(s, at, out),
        Value::Object(o) => {
            for (key, value) in o {
                check_template(value, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(a) => {
            for (i, value) in a.iter().enumerate() {
                check_template(value, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Checks one string field that may hold an expression.
pub(crate) fn check_text(text: &str, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(expr) = expression(text) else {
        return;
    };
    if let Err(e) = Expr::parse(expr) {
        out.push(Diagnostic {
            code: "INVALID_JSONATA_EXPRESSION",
            message: format!("The JSONata expression '{expr}' is not valid: {e}"),
            location: at.to_owned(),
        });
        return;
    }
    if let Some(name) = crate::jsonata::top_level_names(expr).first() {
        out.push(Diagnostic {
            code: "UNSUPPORTED_JSONATA_EXPRESSION",
            message: format!("Reference to '{name}' at the top level is not supported."),
            location: at.to_owned(),
        });
        return;
    }
    if has_root_reference(expr) {
        out.push(Diagnostic {
            code: "UNSUPPORTED_JSONATA_EXPRESSION",
            message: "Reference to '$$' is not supported.".into(),
            location: at.to_owned(),
        });
    }
}

/// Reports every expression of `template` that reads `$states.errorOutput`,
/// which only a catcher's `Output` and `Assign` may read.
pub(crate) fn check_no_error_output(template: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    match template {
        Value::String(s) if expression(s).is_some_and(|e| e.contains("$states.errorOutput")) => {
            out.push(Diagnostic {
                code: "UNSUPPORTED_JSONATA_EXPRESSION",
                message: "Reference to '$states.errorOutput' is not supported outside a catcher's 'Output' and 'Assign'.".into(),
                location: at.to_owned(),
            });
        }
        Value::Object(o) => {
            for (key, value) in o {
                check_no_error_output(value, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(a) => {
            for (i, value) in a.iter().enumerate() {
                check_no_error_output(value, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Whether the expression names `$$` outside string literals.
fn has_root_reference(expr: &str) -> bool {
    let mut quote = None;
    let mut prev = ' ';
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q && prev != '\\' => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' || c == '`' => quote = Some(c),
            None if c == '$' && chars.peek() == Some(&'$') => return true,
            None => {}
        }
        prev = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_expressions_are_reported_at_their_field() {
        // Arrange
        let template = json!({"ok": "{% $states.input.a %}", "bad": ["x", "{% a[1,2) %}"],
                              "root": "{% $$.a %}", "text": "{% '$$' %}",
                              "top": "{% $count(phone) %}",
                              "steps": "{% $states.input.items[value > 3].{'n': name} %}",
                              "lambda": "{% $map($states.input.a, function($x) { $x.b }) %}"});
        let mut out = Vec::new();
        // Act
        check_template(&template, "/States/P/Output", &mut out);
        // Assert
        let found: Vec<String> = out
            .iter()
            .map(|d| format!("{} {}", d.code, d.location))
            .collect();
        assert_eq!(
            found,
            [
                "INVALID_JSONATA_EXPRESSION /States/P/Output/bad[1]",
                "UNSUPPORTED_JSONATA_EXPRESSION /States/P/Output/root",
                "UNSUPPORTED_JSONATA_EXPRESSION /States/P/Output/top",
            ]
        );
    }
}
