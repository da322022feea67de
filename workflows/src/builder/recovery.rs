//! The retries and catches that Task, Parallel and Map share.

use serde_json::{Map, Value};

use super::BuildError;
use super::chain::{Chain, Node};
use super::fields::number;

/// A `Retry` rule: how often, and how far apart, errors are retried.
#[derive(Debug, Clone, PartialEq)]
pub struct Retry {
    errors: Vec<String>,
    interval_seconds: Option<u64>,
    backoff_rate: Option<f64>,
    max_delay_seconds: Option<u64>,
    max_attempts: Option<u64>,
    jitter: Option<String>,
}

impl Retry {
    /// Retries on each of `errors` (`States.Timeout`, `States.ALL`…).
    pub fn on<S: Into<String>>(errors: impl IntoIterator<Item = S>) -> Self {
        Self {
            errors: errors.into_iter().map(Into::into).collect(),
            interval_seconds: None,
            backoff_rate: None,
            max_delay_seconds: None,
            max_attempts: None,
            jitter: None,
        }
    }

    /// `IntervalSeconds`: the wait before the first retry.
    pub fn interval_seconds(mut self, seconds: u64) -> Self {
        self.interval_seconds = Some(seconds);
        self
    }

    /// `BackoffRate`: how much each wait grows over the one before.
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.backoff_rate = Some(rate);
        self
    }

    /// `MaxDelaySeconds`: the longest wait.
    pub fn max_delay_seconds(mut self, seconds: u64) -> Self {
        self.max_delay_seconds = Some(seconds);
        self
    }

    /// `MaxAttempts`: how many retries at most.
    pub fn max_attempts(mut self, attempts: u64) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// `JitterStrategy: FULL`: each wait is drawn at random up to its length.
    pub fn full_jitter(mut self) -> Self {
        self.jitter = Some("FULL".into());
        self
    }

    fn write(&self, state: &str) -> Result<Value, BuildError> {
        let mut out = Map::new();
        out.insert("ErrorEquals".into(), Value::from(self.errors.clone()));
        if let Some(seconds) = self.interval_seconds {
            out.insert("IntervalSeconds".into(), Value::from(seconds));
        }
        if let Some(rate) = self.backoff_rate {
            out.insert("BackoffRate".into(), number(rate, state)?);
        }
        if let Some(seconds) = self.max_delay_seconds {
            out.insert("MaxDelaySeconds".into(), Value::from(seconds));
        }
        if let Some(attempts) = self.max_attempts {
            out.insert("MaxAttempts".into(), Value::from(attempts));
        }
        if let Some(jitter) = &self.jitter {
            out.insert("JitterStrategy".into(), Value::String(jitter.clone()));
        }
        Ok(Value::Object(out))
    }
}

/// A `Catch` rule: on the errors it names, go to its handler.
#[derive(Debug, Clone)]
pub struct Catch {
    errors: Vec<String>,
    result_path: Option<String>,
    handler: Chain,
}

impl Catch {
    /// Goes to `handler` (a state, a chain or a [`Chain::goto`]) on each of `errors`.
    pub fn new<S: Into<String>>(
        errors: impl IntoIterator<Item = S>,
        handler: impl Into<Chain>,
    ) -> Self {
        Self {
            errors: errors.into_iter().map(Into::into).collect(),
            result_path: None,
            handler: handler.into(),
        }
    }

    /// `ResultPath`: where in the input the error goes.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = Some(path.into());
        self
    }
}

/// The `Retry` and `Catch` rules of a Task, Parallel or Map.
#[derive(Debug, Clone, Default)]
pub(super) struct Recovery {
    pub retries: Vec<Retry>,
    pub catches: Vec<Catch>,
}

impl Recovery {
    /// The chain of `node` with these rules, the catch handlers after it.
    pub fn into_chain(self, mut node: Node) -> Chain {
        let mut errors = Vec::new();
        let mut retries = Vec::with_capacity(self.retries.len());
        for retry in &self.retries {
            match retry.write(&node.name) {
                Ok(written) => retries.push(written),
                Err(error) => errors.push(error),
            }
        }
        if !retries.is_empty() {
            node.fields.set("Retry", Value::Array(retries));
        }
        let mut chain = Chain::single(node);
        let (mut catches, mut targets) = (Vec::new(), Vec::new());
        for catch in self.catches {
            let next = chain.attach(catch.handler);
            let mut out = Map::new();
            out.insert("ErrorEquals".into(), Value::from(catch.errors));
            if let Some(path) = catch.result_path {
                out.insert("ResultPath".into(), Value::String(path));
            }
            out.insert("Next".into(), Value::String(next.clone()));
            catches.push(Value::Object(out));
            targets.push(next);
        }
        if let Some(head) = chain.head_mut() {
            if !catches.is_empty() {
                head.fields.set("Catch", Value::Array(catches));
            }
            head.targets.extend(targets);
        }
        for error in errors {
            chain.error(error);
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_backoff_rate_is_written_as_an_integer_and_jitter_last() {
        // Arrange
        let retry = Retry::on(["States.ALL"])
            .backoff_rate(2.0)
            .max_attempts(3)
            .full_jitter();

        // Act
        let written = retry.write("T").expect("writes");

        // Assert
        assert_eq!(
            written.to_string(),
            r#"{"ErrorEquals":["States.ALL"],"BackoffRate":2,"MaxAttempts":3,"JitterStrategy":"FULL"}"#
        );
    }
}
