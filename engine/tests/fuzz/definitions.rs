//! State machine definitions from a generator of Amazon States Language:
//! every state type, both query languages, variables, retries and catchers,
//! nested branches, and now and then a field that does not belong or a
//! required one missing.
//!
//! Invariants: `ValidateStateMachineDefinition` and `CreateStateMachine`
//! agree; an execution of what was created runs (its tasks answered, its
//! timers fired) without a panic or an internal failure, and its history is
//! well formed: numbered from 1, started first, and ended by the event its
//! status names.

use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value, json};

use crate::desk::{Desk, ROLE, check_error};
use crate::requests::arb_json;
use crate::{campaign, fail};

/// Expressions a JSONata field may hold: good ones, failing ones, and ones
/// that do not parse.
const EXPRESSIONS: &[&str] = &[
    "{% $states.input %}",
    "{% $states.input.a + 1 %}",
    "{% $states.input.items %}",
    "{% $count($states.input.items) %}",
    "{% $x %}",
    "{% $undefinedFunction() %}",
    "{% 1/0 %}",
    "{% [1,2,3][$ > 1] %}",
    "{% $sum([1, 2]) & '' %}",
    "{% $string($states.input) %}",
    "{% $states.result %}",
    "{% $states.errorOutput %}",
    "{% $states.context.Execution.Id %}",
    "{% ( %}",
    "{% $partition([1,2,3], 2) %}",
    "{% $uuid() %}",
    "not an expression",
];

/// Paths a JSONPath field may hold.
const PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.items",
    "$.r",
    "$.a.b",
    "$$.Execution.Id",
    "$.missing",
    "$[",
    "$.s",
    "$.ts",
];

/// Names states may carry, and names that no state has.
fn state_name(i: usize) -> String {
    format!("S{i}")
}

#[derive(Debug, Clone)]
enum Kind {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel(Vec<Machine>),
    Map(Machine),
}

/// A state machine (a top level or a branch) before it is written out.
#[derive(Debug, Clone)]
struct Machine {
    specs: Vec<Spec>,
    /// JSONata at the top level (a branch inherits its state's language).
    jsonata: bool,
    /// `StartAt` names no state.
    bad_start: bool,
}

/// A state before its transitions are known.
#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    jsonata: bool,
    next: Index,
    end: bool,
    /// Optional fields, each present or not.
    fields: Vec<(&'static str, Value)>,
    /// A field that does not belong, or a required one removed.
    damage: Option<Damage>,
}

#[derive(Debug, Clone)]
enum Damage {
    Extra(String, Value),
    Remove(Index),
}

fn arb_kind(depth: u32) -> BoxedStrategy<Kind> {
    let flat = prop_oneof![
        3 => Just(Kind::Pass),
        3 => Just(Kind::Task),
        2 => Just(Kind::Choice),
        1 => Just(Kind::Wait),
        1 => Just(Kind::Succeed),
        1 => Just(Kind::Fail),
    ];
    if depth == 0 {
        return flat.boxed();
    }
    prop_oneof![
        8 => flat,
        1 => prop::collection::vec(arb_machine(depth - 1), 1..3).prop_map(Kind::Parallel),
        1 => arb_machine(depth - 1).prop_map(Kind::Map),
    ]
    .boxed()
}

fn arb_path() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => select(PATHS).prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

fn arb_expression() -> impl Strategy<Value = Value> {
    select(EXPRESSIONS).prop_map(Value::from)
}

/// A state's optional fields of both languages, generated together; the
/// state keeps those its type and language allow.
fn arb_fields() -> BoxedStrategy<Vec<(&'static str, Value)>> {
    let assign = prop_oneof![
        4 => Just(json!({ "v": 1 })),
        1 => Just(json!({ "v.$": "$.a", "w": [1, 2] })),
        4 => Just(json!({ "v": "{% $states.input.a %}" })),
        1 => arb_json(),
    ];
    let parameters = prop_oneof![
        4 => Just(json!({ "x.$": "$.a", "y": 1 })),
        2 => Just(json!({ "f.$": "States.Format('{}-{}', $.a, $.a)" })),
        2 => Just(json!({ "z.$": "States.ArrayLength($.items)" })),
        1 => Just(json!({ "bad.$": "States.Nope()" })),
        1 => arb_json(),
    ];
    let arguments = prop_oneof![
        2 => arb_expression(),
        2 => Just(json!({ "x": "{% $states.input.a %}", "y": 1 })),
    ];
    let all: Vec<(&'static str, BoxedStrategy<Value>)> = vec![
        ("Comment", Just(json!("fuzzed")).boxed()),
        ("Assign", assign.boxed()),
        ("Arguments", arguments.boxed()),
        ("Output", arb_expression().boxed()),
        ("InputPath", arb_path().boxed()),
        ("OutputPath", arb_path().boxed()),
        ("ResultPath", arb_path().boxed()),
        ("Parameters", parameters.clone().boxed()),
        ("ResultSelector", parameters.clone().boxed()),
        ("ItemSelector", parameters.boxed()),
        ("Result", arb_json().boxed()),
    ];
    let picks: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = all
        .into_iter()
        .map(|(name, value)| {
            prop::option::weighted(0.3, value)
                .prop_map(move |v| v.map(|v| (name, v)))
                .boxed()
        })
        .collect();
    picks
        .prop_map(|fields| fields.into_iter().flatten().collect())
        .boxed()
}

/// The optional fields a state of this type takes in this language.
fn allowed(kind: &Kind, jsonata: bool) -> &'static [&'static str] {
    match (kind, jsonata) {
        (Kind::Pass, false) => &[
            "Comment",
            "Assign",
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "Result",
        ],
        (Kind::Task | Kind::Parallel(_), false) => &[
            "Comment",
            "Assign",
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "ResultSelector",
        ],
        (Kind::Map(_), false) => &[
            "Comment",
            "Assign",
            "InputPath",
            "OutputPath",
            "ResultPath",
            "ItemSelector",
            "ResultSelector",
        ],
        (Kind::Choice | Kind::Wait, false) => &["Comment", "Assign", "InputPath", "OutputPath"],
        (Kind::Succeed, false) => &["Comment", "InputPath", "OutputPath"],
        (Kind::Pass | Kind::Choice | Kind::Wait, true) => &["Comment", "Assign", "Output"],
        (Kind::Task | Kind::Parallel(_), true) => &["Comment", "Assign", "Arguments", "Output"],
        (Kind::Map(_), true) => &["Comment", "Assign", "ItemSelector", "Output"],
        (Kind::Succeed, true) => &["Comment", "Output"],
        (Kind::Fail, _) => &["Comment"],
    }
}

fn arb_damage() -> impl Strategy<Value = Option<Damage>> {
    prop_oneof![
        40 => Just(None),
        1 => ("[A-Za-z]{1,16}", arb_json()).prop_map(|(k, v)| Some(Damage::Extra(k, v))),
        1 => any::<Index>().prop_map(|i| Some(Damage::Remove(i))),
    ]
}

fn arb_spec(depth: u32) -> impl Strategy<Value = Spec> {
    (
        arb_kind(depth),
        prop::bool::weighted(0.3),
        any::<Index>(),
        prop::bool::weighted(0.2),
        arb_damage(),
    )
        .prop_flat_map(|(kind, jsonata, next, end, damage)| {
            arb_fields().prop_map(move |fields| Spec {
                kind: kind.clone(),
                jsonata,
                next,
                end,
                fields,
                damage: damage.clone(),
            })
        })
}

/// A state machine (a top level or a branch): 1 to 5 states, each moving
/// only forward, so that every execution ends.
fn arb_machine(depth: u32) -> BoxedStrategy<Machine> {
    (
        prop::collection::vec(arb_spec(depth), 1..6),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.03),
    )
        .prop_map(|(specs, jsonata, bad_start)| Machine {
            specs,
            jsonata,
            bad_start,
        })
        .boxed()
}

/// The top-level definition.
fn definition(m: &Machine) -> Value {
    let mut top = write(m, m.jsonata, m.jsonata);
    if m.jsonata {
        top["QueryLanguage"] = json!("JSONata");
    }
    top
}

/// `m` written out, its states in `language` (JSONata or not) unless one
/// says otherwise; `top` is the top level's language, which a state names
/// only where it differs.
fn write(m: &Machine, language: bool, top: bool) -> Value {
    let n = m.specs.len();
    let mut states = Map::new();
    for (i, spec) in m.specs.iter().enumerate() {
        states.insert(state_name(i), state(spec, i, n, language, top));
    }
    json!({
        "StartAt": if m.bad_start { "Nowhere".to_owned() } else { state_name(0) },
        "States": states,
    })
}

/// The state at `i` of `n`, moving to a later state (or ending).
fn state(spec: &Spec, i: usize, n: usize, language: bool, top: bool) -> Value {
    // Mostly the next state; now and then a jump, which may leave a state
    // unreachable (an invalid definition).
    let later = (i + 1 < n).then(|| {
        let skip = if spec.next.index(8) == 0 {
            spec.next.index(n - i - 1)
        } else {
            0
        };
        state_name(i + 1 + skip)
    });
    let jsonata = language || spec.jsonata;
    // A Choice with no later state would have nowhere to go.
    let kind = match (&spec.kind, &later) {
        (Kind::Choice, None) => &Kind::Pass,
        (kind, _) => kind,
    };
    let mut s = Map::new();
    let ty = match kind {
        Kind::Pass => "Pass",
        Kind::Task => "Task",
        Kind::Choice => "Choice",
        Kind::Wait => "Wait",
        Kind::Succeed => "Succeed",
        Kind::Fail => "Fail",
        Kind::Parallel(_) => "Parallel",
        Kind::Map(_) => "Map",
    };
    s.insert("Type".into(), json!(ty));
    if jsonata != top {
        s.insert(
            "QueryLanguage".into(),
            json!(if jsonata { "JSONata" } else { "JSONPath" }),
        );
    }
    match kind {
        Kind::Task => {
            s.insert("Resource".into(), json!("$activity"));
            s.insert("HeartbeatSeconds".into(), json!(60));
            s.insert(
                "Retry".into(),
                json!([{ "ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1 }]),
            );
            if let Some(later) = &later {
                s.insert(
                    "Catch".into(),
                    json!([{ "ErrorEquals": ["States.ALL"], "Next": later }]),
                );
            }
        }
        Kind::Choice => {
            let rule = if jsonata {
                json!({ "Condition": "{% $states.input.a = 1 %}", "Next": later.clone().unwrap_or_else(|| "Nowhere".into()) })
            } else {
                json!({ "Variable": "$.a", "NumericEquals": 1, "Next": later.clone().unwrap_or_else(|| "Nowhere".into()) })
            };
            s.insert("Choices".into(), json!([rule]));
            if let Some(later) = &later {
                s.insert("Default".into(), json!(later));
            }
        }
        Kind::Wait => {
            if jsonata {
                s.insert("Seconds".into(), json!("{% $states.input.s %}"));
            } else if spec.next.index(2) == 0 {
                s.insert("Seconds".into(), json!(5));
            } else {
                s.insert("SecondsPath".into(), json!("$.s"));
            }
        }
        Kind::Fail => {
            s.insert("Error".into(), json!("Fuzzed"));
            s.insert("Cause".into(), json!("generated"));
        }
        Kind::Parallel(branches) => {
            let branches: Vec<Value> = branches.iter().map(|b| write(b, jsonata, top)).collect();
            s.insert("Branches".into(), json!(branches));
        }
        Kind::Map(processor) => {
            let mut processor = write(processor, jsonata, top);
            processor["ProcessorConfig"] = json!({ "Mode": "INLINE" });
            s.insert("ItemProcessor".into(), processor);
            if jsonata {
                s.insert("Items".into(), json!("{% $states.input.items %}"));
            } else {
                s.insert("ItemsPath".into(), json!("$.items"));
            }
            s.insert("MaxConcurrency".into(), json!(2));
        }
        Kind::Pass | Kind::Succeed => {}
    }
    let terminal = matches!(kind, Kind::Succeed | Kind::Fail);
    let choice = matches!(kind, Kind::Choice);
    if !terminal && !choice {
        match (&later, spec.end) {
            (Some(later), false) => {
                s.insert("Next".into(), json!(later));
            }
            _ => {
                s.insert("End".into(), json!(true));
            }
        }
    }
    let allowed = allowed(kind, jsonata);
    for (name, value) in &spec.fields {
        if allowed.contains(name) {
            s.insert((*name).to_owned(), value.clone());
        }
    }
    match &spec.damage {
        Some(Damage::Extra(k, v)) => {
            s.insert(k.clone(), v.clone());
        }
        Some(Damage::Remove(i)) => {
            let key = s.keys().nth(i.index(s.len())).cloned();
            if let Some(key) = key {
                s.remove(&key);
            }
        }
        None => {}
    }
    Value::Object(s)
}

fn arb_input() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-2i64..3, 0usize..4, 0i64..10).prop_map(|(a, n, s)| json!({
            "a": a, "items": (0..n).collect::<Vec<_>>(), "s": s, "ts": "2026-12-04T12:00:00Z",
        })),
        1 => arb_json(),
    ]
}

/// Calls `action`; an error must have AWS's shape.
async fn call(
    desk: &Desk,
    action: &str,
    body: Value,
) -> Result<Result<Value, String>, TestCaseError> {
    match desk.call(action, body.to_string().as_bytes()).await {
        Ok(v) => Ok(Ok(v)),
        Err(e) => {
            check_error(&e).map_err(|m| fail(format!("{action}: {m}")))?;
            Ok(Err(e.name().to_owned()))
        }
    }
}

/// The execution's history is numbered from 1, starts with
/// `ExecutionStarted` and, once the execution ended, ends with the event its
/// status names, and with no other ending.
async fn check_history(desk: &Desk, execution: &str) -> Result<String, TestCaseError> {
    let described = call(
        desk,
        "DescribeExecution",
        json!({ "executionArn": execution }),
    )
    .await?
    .map_err(fail)?;
    let status = described["status"].as_str().unwrap_or_default().to_owned();
    let history = call(
        desk,
        "GetExecutionHistory",
        json!({ "executionArn": execution, "maxResults": 1000 }),
    )
    .await?
    .map_err(fail)?;
    let events = history["events"].as_array().cloned().unwrap_or_default();
    prop_assert!(!events.is_empty(), "no history");
    for (i, event) in events.iter().enumerate() {
        prop_assert_eq!(event["id"].as_u64(), Some(i as u64 + 1), "{}", event);
    }
    prop_assert_eq!(events[0]["type"].as_str(), Some("ExecutionStarted"));
    let ending = |e: &Value| {
        matches!(
            e["type"].as_str(),
            Some(
                "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionAborted" | "ExecutionTimedOut"
            )
        )
    };
    let endings = events.iter().filter(|e| ending(e)).count();
    let last = events
        .last()
        .and_then(|e| e["type"].as_str())
        .unwrap_or_default();
    let expected = match status.as_str() {
        "RUNNING" => None,
        "SUCCEEDED" => Some("ExecutionSucceeded"),
        "FAILED" => Some("ExecutionFailed"),
        "ABORTED" => Some("ExecutionAborted"),
        "TIMED_OUT" => Some("ExecutionTimedOut"),
        other => return Err(fail(format!("status {other}"))),
    };
    match expected {
        None => prop_assert_eq!(endings, 0, "running, yet ended: {:?}", events),
        Some(ended) => {
            prop_assert_eq!(endings, 1, "{:?}", events);
            prop_assert_eq!(last, ended, "{} ends with {}", status, last);
        }
    }
    Ok(status)
}

#[test]
fn generated_definitions_validate_as_they_create_and_their_executions_run_well() {
    let strategy = (arb_machine(2), arb_input(), any::<bool>());
    campaign(
        "engine definitions",
        strategy,
        async |(machine, input, succeed), tally| {
            let desk = Desk::open().await;
            let definition = desk.resolve(&definition(&machine)).to_string();

            // Validating and creating agree.
            let validated = call(
                &desk,
                "ValidateStateMachineDefinition",
                json!({ "definition": definition }),
            )
            .await?
            .map_err(fail)?;
            let created = call(
                &desk,
                "CreateStateMachine",
                json!({ "name": "generated", "roleArn": ROLE, "definition": definition }),
            )
            .await?;
            let valid = validated["result"] == "OK";
            prop_assert_eq!(
                valid,
                created.is_ok(),
                "validation {} but creation {:?}",
                validated,
                created
            );
            let machine = match created {
                Ok(created) => created["stateMachineArn"].clone(),
                Err(e) => {
                    let code = validated["diagnostics"][0]["code"]
                        .as_str()
                        .unwrap_or_default();
                    tally.count(format!("invalid ({e}): {code}"));
                    desk.close();
                    return Ok(());
                }
            };

            // An execution runs: tasks answered, timers fired.
            let started = call(
                &desk,
                "StartExecution",
                json!({ "stateMachineArn": machine, "input": input.to_string() }),
            )
            .await?;
            let execution = match started {
                Ok(started) => started["executionArn"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                Err(e) => {
                    tally.count(format!("not started: {e}"));
                    desk.close();
                    return Ok(());
                }
            };
            for _ in 0..8 {
                check_history(&desk, &execution).await?;
                let task = call(
                    &desk,
                    "GetActivityTask",
                    json!({ "activityArn": desk.activity }),
                )
                .await?
                .map_err(fail)?;
                if let Some(token) = task["taskToken"].as_str() {
                    let answer = if succeed {
                        (
                            "SendTaskSuccess",
                            json!({ "taskToken": token, "output": task["input"] }),
                        )
                    } else {
                        (
                            "SendTaskFailure",
                            json!({ "taskToken": token, "error": "Fuzz" }),
                        )
                    };
                    call(&desk, answer.0, answer.1).await?.map_err(fail)?;
                }
                desk.clock.advance(Duration::from_secs(3600));
                for _ in 0..4 {
                    tokio::task::yield_now().await;
                }
            }
            let status = check_history(&desk, &execution).await?;
            tally.count(format!("ran: {status}"));
            desk.close();
            Ok(())
        },
    );
}
