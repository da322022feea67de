//! The comparison operators of Choice Rules and their ASL names.

use std::cmp::Ordering;

/// A comparison operator, without its `Path` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `StringEquals`, `NumericLessThan`, `TimestampGreaterThanEquals`...
    Compare(ValueKind, Relation),
    /// `StringMatches`: a pattern where `*` matches any run of characters.
    StringMatches,
    /// `IsNull`, `IsPresent`, `IsNumeric`, `IsString`, `IsBoolean`, `IsTimestamp`.
    Is(TypeTest),
}

/// The type a `Compare` comparator works on: the prefix of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `String…`: compared as Java compares strings (UTF-16 code units).
    String,
    /// `Numeric…`: JSON numbers.
    Numeric,
    /// `Boolean…`: only `BooleanEquals` exists.
    Boolean,
    /// `Timestamp…`: RFC 3339 strings, compared as instants.
    Timestamp,
}

/// How two values must compare: the suffix of a `Compare` comparator's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `…Equals`.
    Equals,
    /// `…LessThan`.
    LessThan,
    /// `…GreaterThan`.
    GreaterThan,
    /// `…LessThanEquals`.
    LessThanEquals,
    /// `…GreaterThanEquals`.
    GreaterThanEquals,
}

/// The type tests, `Is…` with a boolean operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeTest {
    /// `IsNull`: the value is JSON `null`.
    Null,
    /// `IsPresent`: the path selects something (never a run-time failure).
    Present,
    /// `IsNumeric`: the value is a JSON number.
    Numeric,
    /// `IsString`: the value is a JSON string.
    String,
    /// `IsBoolean`: the value is `true` or `false`.
    Boolean,
    /// `IsTimestamp`: the value is a string holding a valid timestamp.
    Timestamp,
}

const KINDS: [(ValueKind, &str); 4] = [
    (ValueKind::String, "String"),
    (ValueKind::Numeric, "Numeric"),
    (ValueKind::Boolean, "Boolean"),
    (ValueKind::Timestamp, "Timestamp"),
];

// Longest suffixes first, so that "LessThanEquals" is not read as "LessThan".
const RELATIONS: [(Relation, &str); 5] = [
    (Relation::LessThanEquals, "LessThanEquals"),
    (Relation::GreaterThanEquals, "GreaterThanEquals"),
    (Relation::LessThan, "LessThan"),
    (Relation::GreaterThan, "GreaterThan"),
    (Relation::Equals, "Equals"),
];

const TYPE_TESTS: [(TypeTest, &str); 6] = [
    (TypeTest::Null, "Null"),
    (TypeTest::Present, "Present"),
    (TypeTest::Numeric, "Numeric"),
    (TypeTest::String, "String"),
    (TypeTest::Boolean, "Boolean"),
    (TypeTest::Timestamp, "Timestamp"),
];

fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], item: T) -> &'static str {
    table
        .iter()
        .find(|(t, _)| *t == item)
        .map_or("", |(_, n)| n)
}

impl Comparator {
    /// The comparator a rule field names, and whether it is the `…Path` form.
    pub fn from_field(field: &str) -> Option<(Comparator, bool)> {
        match field.strip_suffix("Path") {
            Some(base) => Self::from_name(base)
                .filter(|c| c.has_path_form())
                .map(|c| (c, true)),
            None => Self::from_name(field).map(|c| (c, false)),
        }
    }

    fn from_name(name: &str) -> Option<Comparator> {
        if name == "StringMatches" {
            return Some(Comparator::StringMatches);
        }
        if let Some(test) = name.strip_prefix("Is") {
            let found = TYPE_TESTS.iter().find(|(_, n)| *n == test);
            return found.map(|(t, _)| Comparator::Is(*t));
        }
        let (kind, rest) = KINDS
            .iter()
            .find_map(|(k, n)| name.strip_prefix(n).map(|rest| (*k, rest)))?;
        let (relation, _) = RELATIONS.iter().find(|(_, n)| *n == rest)?;
        let boolean_order = kind == ValueKind::Boolean && *relation != Relation::Equals;
        (!boolean_order).then_some(Comparator::Compare(kind, *relation))
    }

    /// The operator's name as written in ASL, without the `Path` suffix.
    pub fn name(&self) -> String {
        match self {
            Comparator::Compare(kind, relation) => {
                format!(
                    "{}{}",
                    name_of(&KINDS, *kind),
                    name_of(&RELATIONS, *relation)
                )
            }
            Comparator::StringMatches => "StringMatches".to_owned(),
            Comparator::Is(test) => format!("Is{}", name_of(&TYPE_TESTS, *test)),
        }
    }

    /// Whether a `…Path` form exists (it does for the `Compare` comparators only).
    pub fn has_path_form(&self) -> bool {
        matches!(self, Comparator::Compare(..))
    }
}

impl Relation {
    /// Whether an ordering satisfies this relation.
    pub(super) fn holds(self, ordering: Ordering) -> bool {
        match self {
            Relation::Equals => ordering.is_eq(),
            Relation::LessThan => ordering.is_lt(),
            Relation::GreaterThan => ordering.is_gt(),
            Relation::LessThanEquals => ordering.is_le(),
            Relation::GreaterThanEquals => ordering.is_ge(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparator_name_reads_back_as_itself() {
        // Arrange
        let names = [
            "StringEquals",
            "StringLessThanEquals",
            "StringMatches",
            "NumericGreaterThan",
            "NumericGreaterThanEqualsPath",
            "BooleanEquals",
            "BooleanEqualsPath",
            "TimestampLessThan",
            "TimestampEqualsPath",
            "IsNull",
            "IsPresent",
            "IsTimestamp",
        ];
        for name in names {
            // Act
            let (comparator, is_path) = Comparator::from_field(name).unwrap();
            // Assert
            let back = if is_path {
                format!("{}Path", comparator.name())
            } else {
                comparator.name()
            };
            assert_eq!(back, name);
        }
    }

    #[test]
    fn names_without_an_operator_behind_them_are_not_comparators() {
        // Arrange
        let names = [
            "StringMatchesPath",
            "IsNullPath",
            "BooleanLessThan",
            "NumericEqualsPathPath",
            "Equals",
            "IsFoo",
        ];
        // Act
        let found: Vec<_> = names
            .iter()
            .filter_map(|n| Comparator::from_field(n))
            .collect();
        // Assert
        assert!(found.is_empty(), "{found:?}");
    }
}
