//! Math intrinsics: `MathRandom` and `MathAdd`.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use super::integer;

/// `States.MathAdd`: the sum of two integers in the 32-bit signed range (non-integers rounded).
pub(super) fn add(a: &Value, b: &Value) -> Option<Value> {
    let (a, b) = (int32(a)?, int32(b)?);
    Some(Value::from(i64::from(a) + i64::from(b)))
}

/// `States.MathRandom`: a random integer from `start` (inclusive) to `end` (exclusive);
/// the same seed gives the same number.
pub(super) fn random(start: &Value, end: &Value, seed: Option<&Value>) -> Option<Value> {
    let (start, end) = (int32(start)?, int32(end)?);
    if start >= end {
        return None;
    }
    let n = match seed {
        Some(seed) => StdRng::seed_from_u64(integer(seed)? as u64).random_range(start..end),
        None => rand::rng().random_range(start..end),
    };
    Some(Value::from(n))
}

fn int32(v: &Value) -> Option<i32> {
    i32::try_from(integer(v)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn add_sums_integers_and_rounds_other_numbers() {
        // Arrange
        let cases = [
            ((json!(111), json!(-1)), Some(json!(110))),
            ((json!(1.6), json!(1)), Some(json!(3))),
            ((json!(2147483647), json!(1)), Some(json!(2147483648_i64))),
            ((json!(2147483648_i64), json!(1)), None),
            ((json!("1"), json!(1)), None),
        ];
        for ((a, b), expected) in cases {
            // Act
            let got = add(&a, &b);
            // Assert
            assert_eq!(got, expected, "{a} + {b}");
        }
    }

    #[test]
    fn random_stays_in_range_and_a_seed_repeats_it() {
        // Arrange
        let (start, end) = (json!(1), json!(10));
        // Act
        let draws: Vec<_> = (0..50).filter_map(|_| random(&start, &end, None)).collect();
        let seeded = [
            random(&start, &end, Some(&json!(7))),
            random(&start, &end, Some(&json!(7))),
        ];
        // Assert
        assert_eq!(draws.len(), 50);
        assert!(
            draws
                .iter()
                .all(|d| d.as_i64().is_some_and(|n| (1..10).contains(&n)))
        );
        assert!(seeded[0].is_some());
        assert_eq!(seeded[0], seeded[1]);
    }

    #[test]
    fn random_refuses_an_empty_range_and_non_numbers() {
        // Arrange
        let one = json!(1);
        // Act
        let empty = random(&one, &one, None);
        let reversed = random(&json!(5), &one, None);
        let text = random(&json!("a"), &one, None);
        let bad_seed = random(&json!(0), &one, Some(&json!("s")));
        // Assert
        assert_eq!((empty, reversed, text, bad_seed), (None, None, None, None));
    }
}
