//! Stored values as a person reads them: choices by their label, money with
//! its currency, yes/no in words.

use serde_json::Value;

use crate::field::FieldView;
use crate::spec::FieldKind;

/// `value` of `field` as text for a page or the history.
pub fn show(field: &FieldView, value: &Value) -> String {
    match (field.kind, value) {
        (FieldKind::Choice, v) => field
            .option_label(v)
            .map_or_else(|| plain(v), str::to_owned),
        (FieldKind::YesNo, Value::Bool(true)) => "Yes".to_owned(),
        (FieldKind::YesNo, Value::Bool(false)) => "No".to_owned(),
        (FieldKind::Money, Value::Object(m)) => {
            let amount = m.get("Value").and_then(Value::as_f64).unwrap_or_default();
            let currency = m
                .get("Currency")
                .and_then(Value::as_str)
                .unwrap_or_default();
            format!("{amount:.2} {currency}").trim_end().to_owned()
        }
        (FieldKind::DateTime, Value::String(s)) => s.replacen('T', " ", 1).replace('Z', " UTC"),
        (_, v) => plain(v),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The labelled values of `fields` found in `values`, in the fields' order,
/// then any other keys as they are.
pub fn labelled(
    fields: &[FieldView],
    values: &serde_json::Map<String, Value>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| values.get(&f.name).map(|v| (f.label.clone(), show(f, v))))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    for (key, value) in values {
        if !fields.iter().any(|f| &f.name == key) {
            out.push((key.clone(), plain(value)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::{Form, UiHint};

    #[test]
    fn values_read_with_their_labels() {
        // Arrange
        let form = Form {
            schema: json!({"type": "object", "properties": {
                "Status": {"type": "integer", "enum": [1, 0], "title": "Outcome"},
                "Notes": {"type": "string"}
            }}),
            ui: [(
                "Status".to_owned(),
                UiHint {
                    options: [("1".to_owned(), "Resolved".to_owned())].into(),
                    ..Default::default()
                },
            )]
            .into(),
            submit: None,
            failures: Vec::new(),
        };
        let fields = FieldView::of_form(&form);
        let values = json!({"Status": 1, "Notes": "Rebooted", "WorkedBy": "olivia"});

        // Act
        let shown = labelled(&fields, values.as_object().expect("object"));

        // Assert
        assert_eq!(
            shown,
            [
                ("Outcome".to_owned(), "Resolved".to_owned()),
                ("Notes".to_owned(), "Rebooted".to_owned()),
                ("WorkedBy".to_owned(), "olivia".to_owned()),
            ]
        );
    }
}
