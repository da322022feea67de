//! Reading fields of a definition's objects, with errors that say where.

use serde_json::{Map, Value};

use crate::graph::GraphError;

/// The string `field` of `object`, which must be there.
pub(super) fn field_str<'v>(
    object: &'v Map<String, Value>,
    field: &'static str,
    at: &str,
) -> Result<&'v str, GraphError> {
    optional_str(object, field, at)?.ok_or_else(|| bad_field(at, field, "a string"))
}

/// The string `field` of `object`, if it is there.
pub(super) fn optional_str<'v>(
    object: &'v Map<String, Value>,
    field: &'static str,
    at: &str,
) -> Result<Option<&'v str>, GraphError> {
    match object.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad_field(at, field, "a string")),
    }
}

/// The array `field` of `object`, or none if it is not there.
pub(super) fn optional_array<'v>(
    object: &'v Map<String, Value>,
    field: &'static str,
    at: &str,
) -> Result<&'v [Value], GraphError> {
    match object.get(field) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(bad_field(at, field, "an array")),
    }
}

/// The error for a part of the definition that is not an object.
pub(super) fn not_object(at: &str) -> GraphError {
    GraphError::NotAnObject { at: at.to_owned() }
}

/// The error for a field that is missing or of the wrong type.
pub(super) fn bad_field(at: &str, field: &'static str, expected: &'static str) -> GraphError {
    GraphError::BadField {
        at: at.to_owned(),
        field,
        expected,
    }
}
