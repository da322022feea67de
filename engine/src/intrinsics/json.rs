//! JSON intrinsics: `StringToJson` and `JsonMerge` (`JsonToString` is a one-liner in the dispatcher).

use serde_json::Value;

/// `States.StringToJson`: the JSON value a string holds.
///
/// Read the way Step Functions' JSON reader reads it: surrounding whitespace
/// ignored, an empty string is `null`, and what follows the first value is
/// left unread.
pub(super) fn string_to_json(text: &Value) -> Option<Value> {
    let text = text.as_str()?.trim();
    if text.is_empty() {
        return Some(Value::Null);
    }
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next()?
        .ok()
}

/// `States.JsonMerge(a, b, false)`: `a` with `b`'s members on top. Only the shallow
/// mode exists, as in Step Functions: a third argument other than `false` is refused.
pub(super) fn merge(a: &Value, b: &Value, deep: &Value) -> Option<Value> {
    if deep != &Value::Bool(false) {
        return None;
    }
    let mut merged = a.as_object()?.clone();
    for (k, v) in b.as_object()? {
        merged.insert(k.clone(), v.clone());
    }
    Some(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_to_json_parses_the_string() {
        // Arrange
        let cases = [
            (
                json!(r#"{"a":[1,2.5,"x"]}"#),
                Some(json!({"a": [1, 2.5, "x"]})),
            ),
            (json!("42"), Some(json!(42))),
            (json!("{broken"), None),
            (json!("  [1] "), Some(json!([1]))),
            (json!(""), Some(json!(null))),
            (json!("1 2"), Some(json!(1))),
            (json!(42), None),
        ];
        for (text, expected) in cases {
            // Act
            let got = string_to_json(&text);
            // Assert
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn merge_is_shallow_and_the_second_object_wins() {
        // Arrange
        let a = json!({"location": {"city": "Seattle"}, "keep": 1});
        let b = json!({"location": {"zip": "98101"}, "new": 2});
        // Act
        let got = merge(&a, &b, &json!(false));
        // Assert
        assert_eq!(
            got,
            Some(json!({"location": {"zip": "98101"}, "keep": 1, "new": 2}))
        );
    }

    #[test]
    fn merge_refuses_deep_mode_and_non_objects() {
        // Arrange
        let a = json!({"a": 1});
        // Act
        let deep = merge(&a, &a, &json!(true));
        let not_bool = merge(&a, &a, &json!("false"));
        let not_object = merge(&a, &json!([1]), &json!(false));
        // Assert
        assert_eq!((deep, not_bool, not_object), (None, None, None));
    }
}
