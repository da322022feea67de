//! The fields of each state type.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Branch, Catcher, OrExpr, PathField, Retrier};

macro_rules! state_struct {
    (
        $(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct $name {
            /// Free text.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub comment: Option<String>,
            $(
                $(#[$fdoc])*
                #[serde(default, skip_serializing_if = "crate::definition::is_default")]
                pub $field: $ty,
            )*
        }
    };
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

state_struct! {
    /// `Type: Pass`.
    Pass {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Variables to set, evaluated with the state's input and result.
        assign: Option<Value>,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Builds the effective input from a template.
        parameters: Option<Value>,
        /// A fixed result instead of the input.
        result: Option<Value>,
        /// Where the result goes in the input.
        result_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
        /// The next state.
        next: Option<String>,
        /// Ends the branch.
        end: Option<bool>,
    }
}

state_struct! {
    /// `Type: Task`.
    Task {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the task input or branch input, a template with `{% %}` expressions.
        arguments: Option<Value>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Variables to set, evaluated with the state's input and result.
        assign: Option<Value>,
        /// An activity ARN or `arn:aws:states:::states:startExecution[.sync[:2]]`.
        resource: String,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Builds the effective input from a template.
        parameters: Option<Value>,
        /// Reshapes the task's result.
        result_selector: Option<Value>,
        /// Where the result goes in the input.
        result_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
        /// Time limit of the task (JSONata: or an expression).
        timeout_seconds: Option<OrExpr<u64>>,
        /// Time limit read from the input.
        timeout_seconds_path: Option<String>,
        /// Maximum time between heartbeats (JSONata: or an expression).
        heartbeat_seconds: Option<OrExpr<u64>>,
        /// Heartbeat limit read from the input.
        heartbeat_seconds_path: Option<String>,
        /// Retry policies.
        retry: Vec<Retrier>,
        /// Fallback transitions.
        catch: Vec<Catcher>,
        /// Ignored offline: there is no IAM here.
        credentials: Option<Value>,
        /// The next state.
        next: Option<String>,
        /// Ends the branch.
        end: Option<bool>,
    }
}

state_struct! {
    /// `Type: Wait`.
    Wait {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Variables to set, evaluated with the state's input and result.
        assign: Option<Value>,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
        /// Seconds to wait (JSONata: or an expression).
        seconds: Option<OrExpr<u64>>,
        /// Seconds to wait, read from the input.
        seconds_path: Option<String>,
        /// An RFC 3339 timestamp to wait until.
        timestamp: Option<String>,
        /// The timestamp, read from the input.
        timestamp_path: Option<String>,
        /// The next state.
        next: Option<String>,
        /// Ends the branch.
        end: Option<bool>,
    }
}

state_struct! {
    /// `Type: Succeed`.
    Succeed {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
    }
}

state_struct! {
    /// `Type: Fail`.
    Fail {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// The error name.
        error: Option<String>,
        /// A path to the error name in the input.
        error_path: Option<String>,
        /// The human-readable cause.
        cause: Option<String>,
        /// A path to the cause in the input.
        cause_path: Option<String>,
    }
}

state_struct! {
    /// `Type: Parallel`.
    Parallel {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the task input or branch input, a template with `{% %}` expressions.
        arguments: Option<Value>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Variables to set, evaluated with the state's input and result.
        assign: Option<Value>,
        /// The branches, each run with the state's effective input.
        branches: Vec<Branch>,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Builds the effective input from a template.
        parameters: Option<Value>,
        /// Reshapes the array of branch outputs.
        result_selector: Option<Value>,
        /// Where the result goes in the input.
        result_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
        /// Retry policies.
        retry: Vec<Retrier>,
        /// Fallback transitions.
        catch: Vec<Catcher>,
        /// The next state.
        next: Option<String>,
        /// Ends the branch.
        end: Option<bool>,
    }
}

state_struct! {
    /// `Type: Map` (inline mode).
    Map {
        /// `JSONata` or `JSONPath`; absent, the state machine's.
        query_language: Option<String>,
        /// JSONata: the state output, a template with `{% %}` expressions.
        output: Option<Value>,
        /// Variables to set, evaluated with the state's input and result.
        assign: Option<Value>,
        /// JSONata: the items, an array or an expression giving one.
        items: Option<Value>,
        /// Selects the state's effective input.
        input_path: PathField,
        /// Where the item array is in the effective input (default `$`).
        items_path: PathField,
        /// Builds each iteration's input.
        item_selector: Option<Value>,
        /// The legacy name of `ItemSelector`.
        parameters: Option<Value>,
        /// The states run for every item.
        item_processor: Option<Branch>,
        /// The legacy name of `ItemProcessor`.
        iterator: Option<Branch>,
        /// Iterations at a time (0 = no limit; JSONata: or an expression).
        max_concurrency: Option<OrExpr<u64>>,
        /// `MaxConcurrency` read from the input.
        max_concurrency_path: Option<String>,
        /// Failed iterations tolerated, as a percentage.
        tolerated_failure_percentage: Option<OrExpr<f64>>,
        /// `ToleratedFailurePercentage` read from the input.
        tolerated_failure_percentage_path: Option<String>,
        /// Failed iterations tolerated, as a count.
        tolerated_failure_count: Option<OrExpr<u64>>,
        /// `ToleratedFailureCount` read from the input.
        tolerated_failure_count_path: Option<String>,
        /// Reshapes the array of iteration outputs.
        result_selector: Option<Value>,
        /// Where the result goes in the input.
        result_path: PathField,
        /// Selects the state's output.
        output_path: PathField,
        /// Distributed mode's reader: not available offline.
        item_reader: Option<Value>,
        /// Distributed mode's batching: not available offline.
        item_batcher: Option<Value>,
        /// Distributed mode's writer: not available offline.
        result_writer: Option<Value>,
        /// Distributed mode's label.
        label: Option<String>,
        /// Retry policies.
        retry: Vec<Retrier>,
        /// Fallback transitions.
        catch: Vec<Catcher>,
        /// The next state.
        next: Option<String>,
        /// Ends the branch.
        end: Option<bool>,
    }
}

impl Map {
    /// The item processor, under its current or its legacy name.
    pub fn processor(&self) -> Option<&Branch> {
        self.item_processor.as_ref().or(self.iterator.as_ref())
    }

    /// The iteration input template, under its current or its legacy name.
    pub fn selector(&self) -> Option<&Value> {
        self.item_selector.as_ref().or(self.parameters.as_ref())
    }
}
