//! The short texts on edges, and how wide a text is drawn.

use serde_json::{Map, Value};

/// Edge labels longer than this many characters are cut.
const MAX_LABEL: usize = 24;

/// A Choice rule in brief: the comparison and the compared value, as `= 1`.
pub(super) fn rule(rule: &Map<String, Value>) -> String {
    shorten(&condition(rule, 0), MAX_LABEL)
}

/// A Catch in brief: the error names it catches.
pub(super) fn catcher(catcher: &Map<String, Value>) -> String {
    let names: Vec<&str> = catcher
        .get("ErrorEquals")
        .and_then(Value::as_array)
        .map(|errors| errors.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        return "error".into();
    }
    shorten(&names.join(", "), MAX_LABEL + 8)
}

/// Keeps the first `max` characters of `text`, marking a cut with an ellipsis.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// About how wide `text` is in a sans-serif font of `size` pixels.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.38,
            'm' | 'w' | 'M' | 'W' | '@' => 0.85,
            'A'..='Z' | '&' | '%' => 0.66,
            _ => 0.55,
        })
        .sum();
    ems * size
}

/// A condition as text; `depth` stops runaway nesting of And/Or/Not.
fn condition(rule: &Map<String, Value>, depth: usize) -> String {
    if depth > 3 {
        return "…".into();
    }
    if let Some(Value::String(jsonata)) = rule.get("Condition") {
        return jsonata.clone();
    }
    for (key, joiner) in [("And", " and "), ("Or", " or ")] {
        if let Some(Value::Array(parts)) = rule.get(key) {
            let parts: Vec<String> = parts
                .iter()
                .filter_map(Value::as_object)
                .map(|part| condition(part, depth + 1))
                .collect();
            return parts.join(joiner);
        }
    }
    if let Some(Value::Object(inner)) = rule.get("Not") {
        return format!("not {}", condition(inner, depth + 1));
    }
    rule.iter()
        .find_map(|(key, value)| comparison(key, value))
        .unwrap_or_else(|| "rule".into())
}

/// One comparison operator with its operand, or `None` for other fields.
fn comparison(operator: &str, operand: &Value) -> Option<String> {
    let test = |yes: &str, no: &str| {
        let holds = operand.as_bool().unwrap_or(true);
        Some(if holds { yes } else { no }.to_owned())
    };
    match operator {
        "IsPresent" => return test("present", "absent"),
        "IsNull" => return test("null", "not null"),
        "IsString" => return test("a string", "not a string"),
        "IsNumeric" => return test("a number", "not a number"),
        "IsBoolean" => return test("a boolean", "not a boolean"),
        "IsTimestamp" => return test("a timestamp", "not a timestamp"),
        _ => {}
    }
    let base = operator.strip_suffix("Path").unwrap_or(operator);
    let symbol = if base.ends_with("LessThanEquals") {
        "≤"
    } else if base.ends_with("GreaterThanEquals") {
        "≥"
    } else if base.ends_with("LessThan") {
        "<"
    } else if base.ends_with("GreaterThan") {
        ">"
    } else if base.ends_with("Equals") {
        "="
    } else if base == "StringMatches" {
        "matches"
    } else {
        return None;
    };
    let operand = match operand {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(format!("{symbol} {operand}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn label(rule_json: Value) -> String {
        rule(rule_json.as_object().expect("an object"))
    }

    #[test]
    fn a_comparison_is_labelled_with_its_operator_and_value() {
        // Arrange
        let number = json!({"Variable": "$.Status", "NumericEquals": 1, "Next": "A"});
        let string = json!({"Variable": "$.D", "StringEquals": "close", "Next": "A"});
        let less = json!({"Variable": "$.N", "NumericLessThanEqualsPath": "$.Max", "Next": "A"});

        // Act
        let labels = [label(number), label(string), label(less)];

        // Assert
        assert_eq!(labels, ["= 1", "= close", "≤ $.Max"]);
    }

    #[test]
    fn and_or_not_and_presence_are_spelt_out() {
        // Arrange
        let rule = json!({"And": [
            {"Variable": "$.A", "IsPresent": true},
            {"Not": {"Variable": "$.B", "BooleanEquals": true}}
        ], "Next": "X"});

        // Act
        let text = label(rule);

        // Assert
        assert_eq!(text, "present and not = true");
    }

    #[test]
    fn a_long_label_is_cut_with_an_ellipsis() {
        // Arrange
        let rule = json!({"Variable": "$.A", "StringEquals": "a very long value indeed, longer", "Next": "X"});

        // Act
        let text = label(rule);

        // Assert
        assert_eq!(text.chars().count(), MAX_LABEL);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn a_catch_is_labelled_with_its_error_names() {
        // Arrange
        let catcher = json!({"ErrorEquals": ["States.Timeout", "Rejected"], "Next": "X"});

        // Act
        let text = super::catcher(catcher.as_object().expect("an object"));

        // Assert
        assert_eq!(text, "States.Timeout, Rejected");
    }
}
