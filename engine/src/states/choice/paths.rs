//! Selecting `Variable` and `…Path` operands, with the crate's JSONPath.

use serde_json::Value;

use crate::failure::Failure;

/// The value `path` selects: in `ctx` for `$$…`, in `input` for `$…`.
pub(super) fn select_path(path: &str, input: &Value, ctx: &Value) -> Result<Value, Failure> {
    crate::path::select(path, input, ctx)
}

/// Whether `path` is a valid path to one value.
pub(super) fn check_path(path: &str) -> Result<(), String> {
    crate::path::check_definite_path(path)
}
