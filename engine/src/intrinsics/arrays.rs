//! Array intrinsics: `ArrayPartition`, `ArrayContains`, `ArrayRange`, `ArrayGetItem`, `ArrayUnique`.

use std::collections::HashSet;

use serde_json::Value;

use super::integer;

/// `ArrayRange` makes at most this many elements.
const RANGE_LIMIT: i64 = 1000;

/// `States.ArrayPartition`: chunks of a positive size, the last one possibly shorter.
pub(super) fn partition(array: &Value, size: &Value) -> Option<Value> {
    let size = usize::try_from(integer(size)?).ok().filter(|s| *s > 0)?;
    let chunks = array
        .as_array()?
        .chunks(size)
        .map(|c| Value::Array(c.to_vec()))
        .collect();
    Some(Value::Array(chunks))
}

/// `States.ArrayContains`: whether the array holds a value equal to the one looked for.
pub(super) fn contains(array: &Value, wanted: &Value) -> Option<Value> {
    Some(Value::Bool(array.as_array()?.contains(wanted)))
}

/// `States.ArrayRange`: `start`, `start + step`... up to `end` inclusive; a non-zero step,
/// at most 1000 elements.
pub(super) fn range(start: &Value, end: &Value, step: &Value) -> Option<Value> {
    let (start, end, step) = (integer(start)?, integer(end)?, integer(step)?);
    if step == 0 {
        return None;
    }
    let span = i128::from(end) - i128::from(start);
    let count = if span.signum() * i128::from(step.signum()) < 0 {
        0
    } else {
        span / i128::from(step) + 1
    };
    if count > i128::from(RANGE_LIMIT) {
        return None;
    }
    let items = (0..count)
        .map(|k| {
            i64::try_from(i128::from(start) + k * i128::from(step))
                .ok()
                .map(Value::from)
        })
        .collect::<Option<_>>()?;
    Some(Value::Array(items))
}

/// `States.ArrayGetItem`: the element at a non-negative index inside the array.
pub(super) fn get_item(array: &Value, index: &Value) -> Option<Value> {
    let index = usize::try_from(integer(index)?).ok()?;
    array.as_array()?.get(index).cloned()
}

/// `States.ArrayUnique`: the array without repeated values, first occurrences kept in order.
pub(super) fn unique(array: &Value) -> Option<Value> {
    let mut seen = HashSet::new();
    let items = array
        .as_array()?
        .iter()
        .filter(|v| seen.insert(v.to_string()))
        .cloned()
        .collect();
    Some(Value::Array(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partition_cuts_an_array_into_chunks() {
        // Arrange
        let array = json!([1, 2, 3, 4, 5]);
        // Act
        let by_two = partition(&array, &json!(2));
        let by_ten = partition(&array, &json!(10));
        let by_zero = partition(&array, &json!(0));
        let not_array = partition(&json!("x"), &json!(2));
        // Assert
        assert_eq!(by_two, Some(json!([[1, 2], [3, 4], [5]])));
        assert_eq!(by_ten, Some(json!([[1, 2, 3, 4, 5]])));
        assert_eq!(by_zero, None);
        assert_eq!(not_array, None);
    }

    #[test]
    fn contains_compares_whole_values() {
        // Arrange
        let array = json!([1, "a", {"b": [2]}]);
        // Act
        let found = contains(&array, &json!({"b": [2]}));
        let missing = contains(&array, &json!("b"));
        // Assert
        assert_eq!(found, Some(json!(true)));
        assert_eq!(missing, Some(json!(false)));
        assert_eq!(contains(&json!({}), &json!(1)), None);
    }

    #[test]
    fn range_counts_inclusively_by_the_step() {
        // Arrange
        let cases = [
            ((1, 9, 2), json!([1, 3, 5, 7, 9])),
            ((0, 3, 1), json!([0, 1, 2, 3])),
            ((5, 1, -2), json!([5, 3, 1])),
            ((1, 0, 1), json!([])),
            ((4, 4, 3), json!([4])),
        ];
        for ((start, end, step), expected) in cases {
            // Act
            let got = range(&json!(start), &json!(end), &json!(step));
            // Assert
            assert_eq!(got, Some(expected), "{start} {end} {step}");
        }
    }

    #[test]
    fn range_refuses_a_zero_step_and_more_than_a_thousand_elements() {
        // Arrange
        let (one, big, huge) = (json!(1), json!(1001), json!(i64::MAX));
        // Act
        let zero_step = range(&one, &big, &json!(0));
        let too_many = range(&one, &big, &one);
        let just_enough = range(&one, &json!(1000), &one);
        let overflow = range(&json!(i64::MIN), &huge, &one);
        // Assert
        assert_eq!(zero_step, None);
        assert_eq!(too_many, None);
        assert_eq!(
            just_enough.and_then(|a| a.as_array().map(Vec::len)),
            Some(1000)
        );
        assert_eq!(overflow, None);
    }

    #[test]
    fn get_item_needs_an_index_inside_the_array() {
        // Arrange
        let array = json!(["a", "b"]);
        // Act
        let got = [json!(1), json!(2), json!(-1), json!("0")].map(|i| get_item(&array, &i));
        // Assert
        assert_eq!(got, [Some(json!("b")), None, None, None]);
    }

    #[test]
    fn unique_keeps_first_occurrences_in_order() {
        // Arrange
        let array = json!([1, 2, 2, 3, 3, 3, 3, 3, 3, 4, "1", {"a": 1}, {"a": 1}]);
        // Act
        let got = unique(&array);
        // Assert
        assert_eq!(got, Some(json!([1, 2, 3, 4, "1", {"a": 1}])));
        assert_eq!(unique(&json!(null)), None);
    }
}
