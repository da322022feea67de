//! Typed values from what a person typed, with every problem at once. The
//! browser runs this before it sends a form and the server runs it again
//! before anything reaches Step Functions, so both say the same thing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::field::{FieldView, value_text};
use crate::spec::FieldKind;

/// A refused field: its name and a sentence for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field's name.
    pub field: String,
    /// What is wrong, fit to show under the field.
    pub message: String,
}

/// The key of a money field's currency in a submitted form.
pub fn currency_key(name: &str) -> String {
    format!("{name}.currency")
}

/// Checks submitted text against `fields` and returns the typed values
/// (fields left empty and not required are left out), or every problem.
pub fn check(
    fields: &[FieldView],
    submitted: &BTreeMap<String, String>,
) -> Result<Map<String, Value>, Vec<Problem>> {
    let mut values = Map::new();
    let mut problems = Vec::new();
    for field in fields {
        let text = submitted.get(&field.name).map_or("", |t| t.trim());
        match value_of(field, text, submitted) {
            Ok(Some(value)) => {
                values.insert(field.name.clone(), value);
            }
            Ok(None) if field.required => problems.push(Problem {
                field: field.name.clone(),
                message: format!("{} is required.", field.label),
            }),
            Ok(None) => {}
            Err(message) => problems.push(Problem {
                field: field.name.clone(),
                message,
            }),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// One field's value; `Ok(None)` when it was left empty.
fn value_of(
    f: &FieldView,
    text: &str,
    submitted: &BTreeMap<String, String>,
) -> Result<Option<Value>, String> {
    // A checkbox left unticked sends nothing: that means no, not empty.
    if text.is_empty() && f.kind != FieldKind::YesNo {
        return Ok(None);
    }
    let value = match f.kind {
        FieldKind::YesNo => yes_no(f, text)?,
        FieldKind::Text | FieldKind::LongText => Value::String(checked_text(f, text)?),
        FieldKind::Number => number(f, text)?,
        FieldKind::Money => money(f, text, submitted)?,
        FieldKind::Date => {
            is_date(text).ok_or_else(|| format!("{} must be a date (YYYY-MM-DD).", f.label))?;
            Value::String(text.to_owned())
        }
        FieldKind::DateTime => Value::String(
            date_time(text).ok_or_else(|| format!("{} must be a date and time.", f.label))?,
        ),
        FieldKind::Choice => choice(f, text)?,
        FieldKind::User => Value::String(text.to_lowercase()),
    };
    Ok(Some(value))
}

fn checked_text(f: &FieldView, text: &str) -> Result<String, String> {
    let n = text.chars().count();
    if let Some(max) = f.max_length.filter(|&m| n > m as usize) {
        return Err(format!("{} can be at most {max} characters.", f.label));
    }
    if let Some(min) = f.min_length.filter(|&m| n < m as usize) {
        return Err(format!("{} needs at least {min} characters.", f.label));
    }
    Ok(text.to_owned())
}

fn yes_no(f: &FieldView, text: &str) -> Result<Value, String> {
    match text.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(Value::Bool(true)),
        "" | "off" | "false" | "no" | "0" => Ok(Value::Bool(false)),
        _ => Err(format!("{} must be yes or no.", f.label)),
    }
}

fn number(f: &FieldView, text: &str) -> Result<Value, String> {
    let n: f64 = text
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| format!("{} must be a number.", f.label))?;
    if f.integer && n.fract() != 0.0 {
        return Err(format!("{} must be a whole number.", f.label));
    }
    in_range(f, n)?;
    Ok(json_number(n))
}

fn in_range(f: &FieldView, n: f64) -> Result<(), String> {
    if let Some(min) = f.min.filter(|&m| n < m) {
        return Err(format!("{} must be at least {min}.", f.label));
    }
    if let Some(max) = f.max.filter(|&m| n > m) {
        return Err(format!("{} must be at most {max}.", f.label));
    }
    Ok(())
}

/// A whole number as an integer, anything else as a float.
fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        #[expect(clippy::cast_possible_truncation, reason = "whole and in range")]
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

fn money(f: &FieldView, text: &str, submitted: &BTreeMap<String, String>) -> Result<Value, String> {
    let amount = f.label.as_str();
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let n: f64 = text
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && decimals <= 2)
        .ok_or_else(|| format!("{amount} must be an amount such as 12.50."))?;
    in_range(f, n)?;
    let currency = submitted
        .get(&currency_key(&f.name))
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .or_else(|| f.currencies.first().cloned())
        .unwrap_or_default();
    if !f.currencies.is_empty() && !f.currencies.contains(&currency) {
        return Err(format!(
            "Choose a currency for {amount}: {}.",
            f.currencies.join(", ")
        ));
    }
    Ok(serde_json::json!({ "Value": json_number(n), "Currency": currency }))
}

fn choice(f: &FieldView, text: &str) -> Result<Value, String> {
    f.options
        .iter()
        .find(|o| value_text(&o.value) == text)
        .map(|o| o.value.clone())
        .ok_or_else(|| {
            let labels: Vec<&str> = f.options.iter().map(|o| o.label.as_str()).collect();
            format!("Choose {}: {}.", f.label, labels.join(", "))
        })
}

/// `Some(())` for a real calendar date `YYYY-MM-DD`.
fn is_date(text: &str) -> Option<()> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some(())
}

/// A date and time as a browser's `datetime-local` sends it (or RFC 3339 in
/// UTC), normalized to `YYYY-MM-DDTHH:MM:SSZ`.
fn date_time(text: &str) -> Option<String> {
    let (date, time) = text.split_once('T')?;
    is_date(date)?;
    let time = time.strip_suffix('Z').unwrap_or(time);
    let mut hms = time.split(':');
    let h: u32 = two_digits(hms.next()?)?;
    let m: u32 = two_digits(hms.next()?)?;
    let s: u32 = match hms.next() {
        Some(s) => two_digits(s)?,
        None => 0,
    };
    if hms.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(format!("{date}T{h:02}:{m:02}:{s:02}Z"))
}

fn two_digits(s: &str) -> Option<u32> {
    (s.len() == 2).then(|| s.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::{CaseField, Choice};

    fn field(name: &str, kind: FieldKind) -> CaseField {
        CaseField {
            name: name.into(),
            label: name.into(),
            kind,
            required: false,
            min: None,
            max: None,
            integer: false,
            max_length: None,
            default: None,
            options: Vec::new(),
            currencies: Vec::new(),
            column: false,
            filter: false,
            search: false,
            help: None,
            placeholder: None,
        }
    }

    fn submitted(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn typed_values_come_from_submitted_text() {
        // Arrange
        let mut amount = field("Amount", FieldKind::Money);
        amount.currencies = vec!["EUR".into(), "USD".into()];
        let mut outcome = field("Status", FieldKind::Choice);
        outcome.options = vec![
            Choice {
                value: json!(1),
                label: "Resolved".into(),
            },
            Choice {
                value: json!(0),
                label: "Not resolved".into(),
            },
        ];
        let fields: Vec<FieldView> = [
            amount,
            outcome,
            field("Due", FieldKind::Date),
            field("At", FieldKind::DateTime),
            field("Vip", FieldKind::YesNo),
            field("Owner", FieldKind::User),
            field("Note", FieldKind::Text),
        ]
        .iter()
        .map(FieldView::of_case_field)
        .collect();

        // Act
        let values = check(
            &fields,
            &submitted(&[
                ("Amount", "120.50"),
                ("Amount.currency", "usd"),
                ("Status", "0"),
                ("Due", "2024-02-29"),
                ("At", "2026-12-02T10:30"),
                ("Owner", " Olivia "),
            ]),
        )
        .expect("valid");

        // Assert
        assert_eq!(
            Value::Object(values),
            json!({
                "Amount": {"Value": 120.5, "Currency": "USD"},
                "Status": 0,
                "Due": "2024-02-29",
                "At": "2026-12-02T10:30:00Z",
                "Vip": false,
                "Owner": "olivia"
            })
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_with_the_fields_label() {
        // Arrange
        let mut amount = field("Amount", FieldKind::Money);
        amount.required = true;
        amount.min = Some(0.01);
        let mut count = field("Count", FieldKind::Number);
        count.integer = true;
        let mut title = field("Ref", FieldKind::Text);
        title.max_length = Some(3);
        let mut pick = field("Pick", FieldKind::Choice);
        pick.options = vec![Choice {
            value: json!("a"),
            label: "A".into(),
        }];
        let fields: Vec<FieldView> = [amount, count, title, pick, field("Due", FieldKind::Date)]
            .iter()
            .map(FieldView::of_case_field)
            .collect();

        // Act
        let problems = check(
            &fields,
            &submitted(&[
                ("Count", "1.5"),
                ("Ref", "ABCD"),
                ("Pick", "b"),
                ("Due", "2023-02-29"),
            ]),
        )
        .expect_err("invalid");

        // Assert
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Amount is required.",
                "Count must be a whole number.",
                "Ref can be at most 3 characters.",
                "Choose Pick: A.",
                "Due must be a date (YYYY-MM-DD).",
            ]
        );
    }

    #[test]
    fn amounts_keep_two_decimals_and_stay_in_range() {
        // Arrange
        let mut amount = field("Amount", FieldKind::Money);
        amount.min = Some(0.01);
        amount.max = Some(10_000.0);
        amount.currencies = vec!["EUR".into()];
        let fields = [FieldView::of_case_field(&amount)];

        // Act
        let too_fine = check(&fields, &submitted(&[("Amount", "1.005")]));
        let too_big = check(&fields, &submitted(&[("Amount", "20000")]));
        let wrong_currency = check(
            &fields,
            &submitted(&[("Amount", "5"), ("Amount.currency", "GBP")]),
        );

        // Assert
        let first = |r: Result<_, Vec<Problem>>| r.expect_err("invalid")[0].message.clone();
        assert_eq!(first(too_fine), "Amount must be an amount such as 12.50.");
        assert_eq!(first(too_big), "Amount must be at most 10000.");
        assert_eq!(first(wrong_currency), "Choose a currency for Amount: EUR.");
    }
}
