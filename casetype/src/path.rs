//! Dotted paths into a task's input: `$`, `$.Case`, `$.Case.Assignment.Assignee`.
//! The sidecar uses them to name what a person is shown; they are a plain
//! subset of JSONPath, so the same text reads the same in the definition.

use serde_json::Value;

/// The keys of a dotted path, or `None` when it is not one.
pub fn keys(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('$')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let keys: Vec<&str> = rest.strip_prefix('.')?.split('.').collect();
    keys.iter()
        .all(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .then_some(keys)
}

/// The value at `path` in `input`, if there is one.
pub fn get<'v>(input: &'v Value, path: &str) -> Option<&'v Value> {
    keys(path)?
        .into_iter()
        .try_fold(input, |v, key| v.as_object()?.get(key))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn dotted_paths_read_nested_values_and_nothing_else_is_a_path() {
        // Arrange
        let input = json!({"Case": {"Assignment": {"Assignee": "olivia"}, "Title": "T"}});

        // Act / Assert
        assert_eq!(
            get(&input, "$.Case.Assignment.Assignee"),
            Some(&json!("olivia"))
        );
        assert_eq!(get(&input, "$"), Some(&input));
        assert_eq!(get(&input, "$.Case.Missing"), None);
        assert_eq!(keys("$..Case"), None);
        assert_eq!(keys("$.Case[0]"), None);
        assert_eq!(keys("Case"), None);
    }
}
