//! Amazon Resource Names of the engine's resources, and the naming rules.

use crate::error::ApiError;

/// The kind of resource an ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `...:stateMachine:<name>`
    StateMachine,
    /// `...:execution:<machine>:<name>`
    Execution,
    /// `...:activity:<name>`
    Activity,
}

impl Kind {
    fn segment(self) -> &'static str {
        match self {
            Kind::StateMachine => "stateMachine",
            Kind::Execution => "execution",
            Kind::Activity => "activity",
        }
    }
}

/// Region and account the engine writes into its ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// e.g. `us-east-1`.
    pub region: String,
    /// A 12-digit account id.
    pub account: String,
}

impl Default for Partition {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }
}

impl Partition {
    /// The ARN of a state machine or activity called `name`.
    pub fn arn(&self, kind: Kind, name: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:{}:{name}",
            self.region,
            self.account,
            kind.segment()
        )
    }

    /// The ARN of execution `name` of the state machine named `machine`.
    pub fn execution_arn(&self, machine: &str, name: &str) -> String {
        self.arn(Kind::Execution, &format!("{machine}:{name}"))
    }
}

/// Checks that `arn` is a well-formed ARN of `kind` and returns its name part
/// (for executions, `<machine>:<name>`).
pub fn parse(arn: &str, kind: Kind) -> Result<&str, ApiError> {
    let invalid = || {
        ApiError::InvalidArn(format!(
            "Invalid Arn: 'Resource type not valid in this context: {arn}'"
        ))
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, _region, _account, rest] = parts[..] else {
        return Err(ApiError::InvalidArn(format!("Invalid Arn: '{arn}'")));
    };
    if prefix != "arn" || partition.is_empty() || service != "states" {
        return Err(ApiError::InvalidArn(format!("Invalid Arn: '{arn}'")));
    }
    let (segment, name) = rest.split_once(':').ok_or_else(invalid)?;
    if segment != kind.segment() || name.is_empty() {
        return Err(invalid());
    }
    if kind == Kind::Execution && name.split(':').count() != 2 {
        return Err(invalid());
    }
    Ok(name)
}

/// Checks a resource name the way Step Functions does: 1-80 characters, no
/// whitespace, wildcards, brackets, control characters or reserved punctuation.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    let bad = |why: &str| {
        Err(ApiError::InvalidName(format!(
            "Invalid Name: '{name}' ({why})"
        )))
    };
    if name.is_empty() || name.chars().count() > 80 {
        return bad("must be 1 to 80 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c))
    {
        return bad(&format!(
            "character '{}' is not allowed",
            c.escape_default()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_round_trip_through_parse() {
        // Arrange
        let p = Partition::default();
        // Act
        let sm = p.arn(Kind::StateMachine, "Case");
        let ex = p.execution_arn("Case", "case-1");
        // Assert
        assert_eq!(
            sm,
            "arn:aws:states:us-east-1:123456789012:stateMachine:Case"
        );
        assert_eq!(parse(&sm, Kind::StateMachine).unwrap(), "Case");
        assert_eq!(parse(&ex, Kind::Execution).unwrap(), "Case:case-1");
    }

    #[test]
    fn an_arn_of_the_wrong_kind_is_invalid() {
        let p = Partition::default();
        let act = p.arn(Kind::Activity, "Assign");
        assert!(matches!(
            parse(&act, Kind::StateMachine),
            Err(ApiError::InvalidArn(_))
        ));
        assert!(matches!(
            parse("nonsense", Kind::Activity),
            Err(ApiError::InvalidArn(_))
        ));
    }

    #[test]
    fn names_with_reserved_characters_are_invalid() {
        assert!(check_name("case-42_ok.v1").is_ok());
        for bad in ["", "has space", "a:b", "x*", &"n".repeat(81)] {
            assert!(
                matches!(check_name(bad), Err(ApiError::InvalidName(_))),
                "{bad}"
            );
        }
    }
}
