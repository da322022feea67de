//! One field as a form draws and checks it, whether it comes from a case
//! type's fields (New case) or from a step form's JSON Schema.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec::{CaseField, Choice, FieldKind, Form, UiHint};

/// How a field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Widget {
    /// A one-line input.
    Text,
    /// A multi-line input.
    Textarea,
    /// A number input.
    Number,
    /// An amount and a currency.
    Money,
    /// A date picker.
    Date,
    /// A date and time picker.
    DateTime,
    /// Radio buttons, one per option.
    Radio,
    /// One submit button per option: choosing is submitting.
    Buttons,
    /// A drop-down list.
    Select,
    /// A user's name, picked from the users.
    User,
    /// A yes/no checkbox.
    Checkbox,
}

/// A field ready to draw and check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    /// Its key in the submitted form and in the values.
    pub name: String,
    /// What people see.
    pub label: String,
    /// What it holds.
    pub kind: FieldKind,
    /// How it is drawn.
    pub widget: Widget,
    /// Whether it must be given.
    pub required: bool,
    /// Smallest number.
    pub min: Option<f64>,
    /// Largest number.
    pub max: Option<f64>,
    /// Whether a number must be whole.
    pub integer: bool,
    /// Shortest text.
    pub min_length: Option<u32>,
    /// Longest text.
    pub max_length: Option<u32>,
    /// The values of a choice.
    pub options: Vec<Choice>,
    /// The currencies of a money field.
    pub currencies: Vec<String>,
    /// The value it starts with, as typed.
    pub default: Option<String>,
    /// A sentence under it.
    pub help: Option<String>,
    /// Example text inside it.
    pub placeholder: Option<String>,
}

/// Text fields longer than this are drawn as a text area.
const LONG_TEXT: u32 = 200;

impl FieldView {
    /// The field of a case type.
    pub fn of_case_field(f: &CaseField) -> Self {
        let widget = match f.kind {
            FieldKind::Text => Widget::Text,
            FieldKind::LongText => Widget::Textarea,
            FieldKind::Number => Widget::Number,
            FieldKind::Money => Widget::Money,
            FieldKind::Date => Widget::Date,
            FieldKind::DateTime => Widget::DateTime,
            FieldKind::Choice if f.options.len() <= 4 => Widget::Radio,
            FieldKind::Choice => Widget::Select,
            FieldKind::User => Widget::User,
            FieldKind::YesNo => Widget::Checkbox,
        };
        Self {
            name: f.name.clone(),
            label: f.label.clone(),
            kind: f.kind,
            widget,
            required: f.required,
            min: f.min,
            max: f.max,
            integer: f.integer,
            min_length: None,
            max_length: f.max_length,
            options: f.options.clone(),
            currencies: f.currencies.clone(),
            default: f.default.clone(),
            help: f.help.clone(),
            placeholder: f.placeholder.clone(),
        }
    }

    /// The fields of a step's form, in the schema's property order.
    pub fn of_form(form: &Form) -> Vec<Self> {
        let required: Vec<&str> = form.schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = form.schema["properties"].as_object() else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(name, schema)| {
                let hint = form.ui.get(name).cloned().unwrap_or_default();
                of_property(name, schema, &hint, required.contains(&name.as_str()))
            })
            .collect()
    }

    /// The label of an option's value, or the value itself.
    pub fn option_label(&self, value: &Value) -> Option<&str> {
        self.options
            .iter()
            .find(|o| &o.value == value)
            .map(|o| o.label.as_str())
    }
}

/// A form property as a field: the schema says what it holds, the hint how
/// it looks.
fn of_property(name: &str, schema: &Value, hint: &UiHint, required: bool) -> FieldView {
    let ty = schema["type"].as_str().unwrap_or("string");
    let options: Vec<Choice> = schema["enum"]
        .as_array()
        .map(|values| {
            values
                .iter()
                .map(|v| Choice {
                    label: hint
                        .options
                        .get(&value_text(v))
                        .cloned()
                        .unwrap_or_else(|| value_text(v)),
                    value: v.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let max_length = schema["maxLength"].as_u64().map(clamp_u32);
    let (kind, widget) = match (ty, hint.widget.as_deref()) {
        _ if !options.is_empty() => (FieldKind::Choice, choice_widget(hint, options.len())),
        ("boolean", _) => (FieldKind::YesNo, Widget::Checkbox),
        ("integer" | "number", _) => (FieldKind::Number, Widget::Number),
        (_, Some("user")) => (FieldKind::User, Widget::User),
        _ if schema["format"] == "date" => (FieldKind::Date, Widget::Date),
        _ if schema["format"] == "date-time" => (FieldKind::DateTime, Widget::DateTime),
        (_, Some("textarea")) => (FieldKind::LongText, Widget::Textarea),
        _ if max_length.is_some_and(|m| m > LONG_TEXT) => (FieldKind::LongText, Widget::Textarea),
        _ => (FieldKind::Text, Widget::Text),
    };
    FieldView {
        name: name.to_owned(),
        label: hint
            .label
            .clone()
            .or_else(|| schema["title"].as_str().map(str::to_owned))
            .unwrap_or_else(|| name.to_owned()),
        kind,
        widget,
        required,
        min: schema["minimum"].as_f64(),
        max: schema["maximum"].as_f64(),
        integer: ty == "integer",
        min_length: schema["minLength"].as_u64().map(clamp_u32),
        max_length,
        options,
        currencies: Vec::new(),
        default: schema.get("default").map(value_text),
        help: hint
            .help
            .clone()
            .or_else(|| schema["description"].as_str().map(str::to_owned)),
        placeholder: hint.placeholder.clone(),
    }
}

fn choice_widget(hint: &UiHint, options: usize) -> Widget {
    match hint.widget.as_deref() {
        Some("buttons") => Widget::Buttons,
        Some("select") => Widget::Select,
        Some("radio") => Widget::Radio,
        _ if options <= 4 => Widget::Radio,
        _ => Widget::Select,
    }
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A JSON value as a form submits it: strings bare, everything else as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn form(schema: Value) -> Form {
        Form {
            schema,
            ui: [(
                "Decision".to_owned(),
                UiHint {
                    widget: Some("buttons".into()),
                    options: [("close".to_owned(), "Close the case".to_owned())].into(),
                    ..Default::default()
                },
            )]
            .into(),
            submit: None,
            failures: Vec::new(),
        }
    }

    #[test]
    fn a_forms_properties_become_fields_in_schema_order() {
        // Arrange
        let f = form(json!({
            "type": "object",
            "required": ["Decision"],
            "properties": {
                "Decision": {"type": "string", "enum": ["close", "fail"]},
                "Reason": {"type": "string", "maxLength": 4000, "title": "Why"},
                "Amount": {"type": "number", "minimum": 0},
                "Urgent": {"type": "boolean"}
            }
        }));

        // Act
        let fields = FieldView::of_form(&f);

        // Assert
        let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Decision", "Reason", "Amount", "Urgent"]);
        assert_eq!(fields[0].widget, Widget::Buttons);
        assert!(fields[0].required);
        assert_eq!(
            fields[0].option_label(&json!("close")),
            Some("Close the case")
        );
        assert_eq!(fields[0].option_label(&json!("fail")), Some("fail"));
        assert_eq!(fields[1].widget, Widget::Textarea);
        assert_eq!(fields[1].label, "Why");
        assert_eq!(fields[2].kind, FieldKind::Number);
        assert_eq!(fields[2].min, Some(0.0));
        assert_eq!(fields[3].widget, Widget::Checkbox);
    }
}
