//! Setting workflow variables: names, sizes, and the scope they land in.
//!
//! A thread's own variables are its scope: the top-level states share the
//! root thread's, each Parallel branch and Map iteration has its own. A
//! state reads every scope up to the root but assigns only in its own, so a
//! branch never changes what its parents see.

use serde_json::{Map, Value};

use super::interp::Interp;
use super::run::ThreadId;
use crate::failure::{Failure, names};

/// The largest value one variable may hold, in bytes of JSON.
pub(crate) const MAX_VARIABLE_BYTES: usize = 256 * 1024;
/// The largest total of one `Assign` field.
pub(crate) const MAX_ASSIGN_BYTES: usize = 256 * 1024;
/// The largest total of every variable of an execution.
pub(crate) const MAX_EXECUTION_BYTES: usize = 10 * 1024 * 1024;

/// Whether `name` may name a variable: a letter or `_`, then letters, digits
/// or `_`, at most 80 characters, and not the reserved `states`.
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().count() <= 80
        && name != "states"
}

/// Sets the variables of an evaluated `Assign` (an object) in the thread's scope.
pub(crate) fn assign(it: &mut Interp<'_>, id: ThreadId, assigned: Value) -> Result<(), Failure> {
    let Value::Object(values) = assigned else {
        return Err(Failure::runtime(
            "The field 'Assign' must evaluate to a JSON object",
        ));
    };
    let mut total = 0;
    for (name, value) in &values {
        let size = value.to_string().len();
        if size > MAX_VARIABLE_BYTES {
            return Err(too_big(format!(
                "The variable '{name}' has a size of {size} bytes, more than the {MAX_VARIABLE_BYTES} bytes a variable may hold."
            )));
        }
        total += size;
    }
    if total > MAX_ASSIGN_BYTES {
        return Err(too_big(format!(
            "The variables assigned by the state have a size of {total} bytes, more than the {MAX_ASSIGN_BYTES} bytes one 'Assign' may hold."
        )));
    }
    let mut scope: Map<String, Value> = it.thread(id).vars.clone();
    scope.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    let others: usize = it
        .exec
        .run
        .threads
        .iter()
        .filter(|(t, _)| **t != id)
        .map(|(_, t)| size_of(&t.vars))
        .sum();
    let all = others + size_of(&scope);
    if all > MAX_EXECUTION_BYTES {
        return Err(too_big(format!(
            "The variables of the execution have a size of {all} bytes, more than the {MAX_EXECUTION_BYTES} bytes an execution may hold."
        )));
    }
    it.thread(id).vars = scope;
    it.fx.assigned.insert(id, values);
    Ok(())
}

fn size_of(vars: &Map<String, Value>) -> usize {
    vars.values().map(|v| v.to_string().len()).sum()
}

fn too_big(cause: String) -> Failure {
    Failure::new(names::DATA_LIMIT_EXCEEDED, cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_follow_the_identifier_rules() {
        // Arrange
        let good = ["x", "_tmp", "orderId2", "größe"];
        let bad = ["", "2x", "a-b", "a.b", "states", &"v".repeat(81)];
        // Act and Assert
        assert!(good.iter().all(|n| valid_name(n)), "{good:?}");
        assert!(bad.iter().all(|n| !valid_name(n)), "{bad:?}");
    }
}
