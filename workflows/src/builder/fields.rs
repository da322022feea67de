//! A state's plain fields, kept until they are written in ASL's key order.

use serde_json::{Map, Value};

use super::BuildError;

/// Fields by ASL key; written in a fixed order whatever order they were set in.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    /// Sets `key`, replacing an earlier value.
    pub fn set(&mut self, key: &'static str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, old)) => *old = value,
            None => self.0.push((key, value)),
        }
    }

    /// Writes the fields named in `order`, in that order, then any others.
    pub fn write(&self, order: &[&str], out: &mut Map<String, Value>) {
        for key in order {
            if let Some((_, value)) = self.0.iter().find(|(k, _)| k == key) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
        for (key, value) in &self.0 {
            if !order.contains(key) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
    }
}

/// A number as JSON: whole numbers as integers (so `2.0` reads `2`, as a
/// hand-written definition has it), others as they are.
pub(super) fn number(value: f64, state: &str) -> Result<Value, BuildError> {
    if !value.is_finite() {
        return Err(BuildError::NotFinite(state.to_owned()));
    }
    // Whole numbers within i64's exact range are written without a fraction.
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Ok(Value::from(value as i64));
    }
    Ok(Value::from(value))
}

/// Setters that each set one ASL field, for a state type with a `fields` member.
macro_rules! setters {
    ($ty:ty { $($(#[doc = $doc:literal])+ $method:ident($kind:ident) => $key:literal;)* }) => {
        impl $ty {
            $(
                $(#[doc = $doc])+
                pub fn $method(mut self, value: setters!(@type $kind)) -> Self {
                    self.fields.set($key, setters!(@value $kind, value));
                    self
                }
            )*
        }
    };
    (@type text) => { impl Into<String> };
    (@type json) => { serde_json::Value };
    (@type count) => { u64 };
    (@value text, $v:ident) => { serde_json::Value::String($v.into()) };
    (@value json, $v:ident) => { $v };
    (@value count, $v:ident) => { serde_json::Value::from($v) };
}

pub(super) use setters;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_are_written_in_the_given_order_whatever_order_they_were_set_in() {
        // Arrange
        let mut fields = Fields::default();
        fields.set("ResultPath", json!("$.r"));
        fields.set("Extra", json!(1));
        fields.set("Parameters", json!({}));
        fields.set("ResultPath", json!("$.s"));
        let mut out = Map::new();

        // Act
        fields.write(&["Parameters", "ResultPath"], &mut out);

        // Assert
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"Parameters":{},"ResultPath":"$.s","Extra":1}"#
        );
    }

    #[test]
    fn whole_numbers_are_written_as_integers() {
        // Arrange
        let values = [2.0, 1.5, -3.0];

        // Act
        let written: Vec<String> = values
            .iter()
            .map(|v| number(*v, "S").expect("finite").to_string())
            .collect();

        // Assert
        assert_eq!(written, ["2", "1.5", "-3"]);
        assert_eq!(
            number(f64::NAN, "S"),
            Err(BuildError::NotFinite("S".into()))
        );
    }
}
