//! Every action with a valid body, mutated at random; bodies that are not
//! JSON; random headers through the HTTP layer, open and signed.

use std::collections::BTreeSet;
use std::time::SystemTime;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use engine::api::ACTIONS;
use engine::http::{AccessKey, Auth};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;

use crate::desk::{Desk, FAILING, ROLE, check_error, task_definition};
use crate::{campaign, fail, runtime};

/// The placeholders a string may be replaced with: the seeded resources.
const SEEDS: &[&str] = &[
    "$activity",
    "$machine",
    "$failing_machine",
    "$running",
    "$failed",
    "$token",
];

/// A valid body for every action, naming the seeded resources.
fn templates(desk: &Desk) -> Vec<(&'static str, Value)> {
    let definition = task_definition(&desk.activity);
    vec![
        (
            "CreateStateMachine",
            json!({
                "name": "fuzzed", "roleArn": ROLE, "definition": definition, "type": "STANDARD",
                "tags": [{ "key": "k", "value": "v" }],
            }),
        ),
        (
            "UpdateStateMachine",
            json!({ "stateMachineArn": desk.machine, "definition": FAILING, "roleArn": ROLE }),
        ),
        (
            "DescribeStateMachine",
            json!({ "stateMachineArn": desk.machine }),
        ),
        ("ListStateMachines", json!({ "maxResults": 1 })),
        (
            "DeleteStateMachine",
            json!({ "stateMachineArn": desk.failing_machine }),
        ),
        (
            "ValidateStateMachineDefinition",
            json!({ "definition": definition, "type": "STANDARD" }),
        ),
        ("CreateActivity", json!({ "name": "fuzzed" })),
        ("DescribeActivity", json!({ "activityArn": desk.activity })),
        ("ListActivities", json!({ "maxResults": 1 })),
        ("DeleteActivity", json!({ "activityArn": desk.activity })),
        (
            "GetActivityTask",
            json!({ "activityArn": desk.activity, "workerName": "fuzzer" }),
        ),
        (
            "SendTaskSuccess",
            json!({ "taskToken": desk.token, "output": "{\"done\":true}" }),
        ),
        (
            "SendTaskFailure",
            json!({ "taskToken": desk.token, "error": "Fuzz", "cause": "fuzzed" }),
        ),
        ("SendTaskHeartbeat", json!({ "taskToken": desk.token })),
        (
            "StartExecution",
            json!({ "stateMachineArn": desk.machine, "name": "fuzzed", "input": "{}" }),
        ),
        ("DescribeExecution", json!({ "executionArn": desk.running })),
        (
            "DescribeStateMachineForExecution",
            json!({ "executionArn": desk.running }),
        ),
        (
            "ListExecutions",
            json!({ "stateMachineArn": desk.machine, "statusFilter": "RUNNING", "maxResults": 1 }),
        ),
        (
            "GetExecutionHistory",
            json!({ "executionArn": desk.running, "maxResults": 2, "reverseOrder": true, "includeExecutionData": false }),
        ),
        (
            "StopExecution",
            json!({ "executionArn": desk.running, "error": "Fuzz", "cause": "stopped" }),
        ),
        ("RedriveExecution", json!({ "executionArn": desk.failed })),
        (
            "TagResource",
            json!({ "resourceArn": desk.machine, "tags": [{ "key": "k", "value": "v" }] }),
        ),
        (
            "ListTagsForResource",
            json!({ "resourceArn": desk.machine }),
        ),
        (
            "UntagResource",
            json!({ "resourceArn": desk.machine, "tagKeys": ["team"] }),
        ),
    ]
}

/// Strings a fuzzer should try: anything, ARN look-alikes, placeholders
/// of the seeded resources, blanks, JSON in a string, long ones.
fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "arn:aws:states:[a-z0-9-]{0,12}:[0-9]{0,13}:(stateMachine|activity|execution|express):[a-zA-Z0-9:_.-]{0,24}",
        2 => select(SEEDS).prop_map(str::to_owned),
        1 => "[ \t\n]{0,3}",
        1 => Just("{\"a\":[1,{}]}".to_owned()),
        1 => Just("[1,2".to_owned()),
        1 => (1usize..300_000).prop_map(|n| "x".repeat(n)),
    ]
}

fn arb_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        (-3i64..1_100).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
}

/// Any JSON value, a few levels deep.
pub fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        arb_number(),
        arb_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change to a valid body.
#[derive(Debug, Clone)]
enum Mutation {
    Remove(Index),
    Replace(Index, Value),
    Insert(String, Value),
    /// Appends to the field's string (or replaces a non-string with it).
    Append(Index, String),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Remove),
        (any::<Index>(), arb_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        ("[a-zA-Z]{1,24}", arb_json()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        (any::<Index>(), arb_string()).prop_map(|(i, s)| Mutation::Append(i, s)),
        // A field set to one of the seeded resources.
        (any::<Index>(), select(SEEDS)).prop_map(|(i, s)| Mutation::Replace(i, Value::from(s))),
    ]
}

/// How the mutated body goes on the wire.
#[derive(Debug, Clone)]
enum Encoding {
    Json,
    /// Cut short after this fraction of its bytes.
    Truncated(Index),
    /// Not JSON at all.
    Bytes(Vec<u8>),
    /// JSON, but not an object.
    NotAnObject(Value),
}

fn arb_encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        12 => Just(Encoding::Json),
        1 => any::<Index>().prop_map(Encoding::Truncated),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Encoding::Bytes),
        1 => arb_json().prop_filter("not an object", |v| !v.is_object()).prop_map(Encoding::NotAnObject),
    ]
}

/// A request: which action, which of the valid bodies, the mutations.
#[derive(Debug, Clone)]
struct Fuzzed {
    action: String,
    template: Index,
    mutations: Vec<Mutation>,
    encoding: Encoding,
}

fn arb_request() -> impl Strategy<Value = Fuzzed> {
    let action = prop_oneof![
        20 => select(ACTIONS).prop_map(str::to_owned),
        1 => "[A-Za-z]{0,30}",
    ];
    (
        action,
        any::<Index>(),
        prop::collection::vec(arb_mutation(), 0..4),
        arb_encoding(),
    )
        .prop_map(|(action, template, mutations, encoding)| Fuzzed {
            action,
            template,
            mutations,
            encoding,
        })
}

impl Fuzzed {
    /// The body: the action's valid one (another action's for an unknown
    /// action, or one in `template`'s place now and then), mutated.
    fn body(&self, desk: &Desk) -> Vec<u8> {
        let templates = templates(desk);
        let own = templates.iter().find(|(a, _)| *a == self.action);
        let (_, template) = match own {
            Some(own) if self.template.index(8) != 0 => own,
            _ => &templates[self.template.index(templates.len())],
        };
        let mut body = template.as_object().cloned().unwrap_or_default();
        for m in &self.mutations {
            mutate(&mut body, m, desk);
        }
        let json = Value::Object(body).to_string().into_bytes();
        match &self.encoding {
            Encoding::Json => json,
            Encoding::Truncated(at) => json[..at.index(json.len())].to_vec(),
            Encoding::Bytes(bytes) => bytes.clone(),
            Encoding::NotAnObject(v) => v.to_string().into_bytes(),
        }
    }
}

fn field(body: &Map<String, Value>, i: &Index) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    body.keys().nth(i.index(body.len())).cloned()
}

fn mutate(body: &mut Map<String, Value>, m: &Mutation, desk: &Desk) {
    match m {
        Mutation::Remove(i) => {
            if let Some(k) = field(body, i) {
                body.remove(&k);
            }
        }
        Mutation::Replace(i, v) => {
            if let Some(k) = field(body, i) {
                body.insert(k, desk.resolve(v));
            }
        }
        Mutation::Insert(k, v) => {
            body.insert(k.clone(), desk.resolve(v));
        }
        Mutation::Append(i, s) => {
            if let Some(k) = field(body, i) {
                let now = match &body[&k] {
                    Value::String(old) => format!("{old}{s}"),
                    _ => s.clone(),
                };
                body.insert(k, Value::from(now));
            }
        }
    }
}

#[test]
fn every_action_has_a_valid_body_that_is_accepted() {
    runtime().block_on(async {
        let desk = Desk::open().await;
        let names: BTreeSet<_> = templates(&desk).iter().map(|(a, _)| *a).collect();
        assert_eq!(
            names,
            ACTIONS.iter().copied().collect(),
            "every action needs a template, and every template an action"
        );
        for i in 0..names.len() {
            // Each on a desk of its own: a template may delete what another names.
            let desk = Desk::open().await;
            let (action, body) = templates(&desk).swap_remove(i);
            let answer = desk.call(action, body.to_string().as_bytes()).await;
            assert!(answer.is_ok(), "{action} {body}: {answer:?}");
            desk.close();
        }
        desk.close();
    });
}

#[test]
fn mutated_requests_are_answered_or_refused_and_a_refusal_changes_nothing() {
    campaign("engine requests", arb_request(), async |request, tally| {
        let desk = Desk::open().await;
        let before = desk.snapshot().await;
        let body = request.body(&desk);

        let answer = desk.call(&request.action, &body).await;
        tokio::task::yield_now().await;

        let action = if ACTIONS.contains(&request.action.as_str()) {
            request.action.as_str()
        } else {
            "(an unknown action)"
        };
        match answer {
            Ok(value) => {
                tally.count(format!("{action} accepted"));
                prop_assert!(value.is_object(), "{value}");
            }
            Err(e) => {
                tally.count(format!("{action} refused: {}", e.name()));
                check_error(&e).map_err(fail)?;
                let after = desk.snapshot().await;
                prop_assert_eq!(before, after, "refused with {:?} but changed", e);
            }
        }
        desk.close();
        Ok(())
    });
}

/// What goes into the HTTP layer besides the body.
#[derive(Debug, Clone)]
struct Wire {
    method: Method,
    path: String,
    target: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

fn arb_wire() -> impl Strategy<Value = Wire> {
    let method = prop_oneof![
        8 => Just(Method::POST),
        1 => Just(Method::GET),
        1 => Just(Method::PUT),
    ];
    let path = prop_oneof![8 => Just("/".to_owned()), 1 => "/[a-z?=&]{0,12}"];
    let target = prop_oneof![
        6 => select(ACTIONS).prop_map(|a| Some(format!("AWSStepFunctions.{a}"))),
        1 => "AWSStepFunctions\\.[ -~]{0,20}".prop_map(Some),
        1 => "[ -~]{0,40}".prop_map(Some),
        1 => Just(None),
    ];
    let content_type = prop_oneof![
        4 => Just(Some("application/x-amz-json-1.0".to_owned())),
        1 => Just(Some("application/json".to_owned())),
        1 => "[ -~]{0,30}".prop_map(Some),
        1 => Just(None),
    ];
    let headers = prop::collection::vec(("[a-z][a-z0-9-]{0,20}", "[ -~]{0,60}"), 0..4);
    (method, path, target, content_type, headers).prop_map(
        |(method, path, target, content_type, headers)| Wire {
            method,
            path,
            target,
            content_type,
            headers,
        },
    )
}

impl Wire {
    fn request(&self, body: Vec<u8>) -> Request<Body> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header("host", "127.0.0.1");
        if let Some(target) = &self.target {
            builder = builder.header("x-amz-target", target);
        }
        if let Some(ct) = &self.content_type {
            builder = builder.header("content-type", ct);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::from(body)).expect("a request")
    }
}

/// Sends `request` through the engine's router; checks the answer is 200
/// or an AWS error (or axum's 404/405 for another path or method) and
/// returns its status and, for an AWS error, its `__type`.
async fn send(
    desk: &Desk,
    auth: Auth,
    request: Request<Body>,
) -> Result<(StatusCode, Option<String>), TestCaseError> {
    let response = engine::http::router(desk.engine.clone(), auth)
        .oneshot(request)
        .await
        .map_err(|e| fail(format!("the router failed: {e}")))?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| fail(format!("the body: {e}")))?;
    if matches!(
        status,
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    ) {
        return Ok((status, None));
    }
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|e| fail(format!("{status}: not JSON ({e}): {bytes:?}")))?;
    match status {
        StatusCode::OK => Ok((status, None)),
        StatusCode::BAD_REQUEST | StatusCode::FORBIDDEN => {
            let type_name = body["__type"].as_str().unwrap_or_default();
            prop_assert!(type_name.contains('#'), "{}", body);
            prop_assert!(body["message"].is_string(), "{}", body);
            Ok((status, Some(type_name.to_owned())))
        }
        other => Err(fail(format!("{other}: {body}"))),
    }
}

#[test]
fn any_http_request_is_answered_in_the_protocol_and_a_refusal_changes_nothing() {
    let strategy = (arb_wire(), arb_request());
    campaign("engine http", strategy, async |(wire, request), tally| {
        let desk = Desk::open().await;
        let before = desk.snapshot().await;
        let body = request.body(&desk);

        let (status, error) = send(&desk, Auth::Open, wire.request(body)).await?;
        tokio::task::yield_now().await;

        tally.count(format!(
            "{status} {}",
            error
                .as_deref()
                .unwrap_or("")
                .rsplit('#')
                .next()
                .unwrap_or("")
        ));
        if status != StatusCode::OK {
            prop_assert_eq!(before, desk.snapshot().await, "refused but changed");
        }
        desk.close();
        Ok(())
    });
}

/// An `Authorization` header as a client might send it: missing, junk, or
/// AWS's form with the right or a wrong key id and a made-up signature.
fn arb_authorization() -> impl Strategy<Value = Option<String>> {
    let signed = (
        prop_oneof![Just(KEY_ID.to_owned()), "[A-Z0-9]{0,24}"],
        "[0-9]{8}",
        prop_oneof![Just("us-east-1".to_owned()), "[a-z0-9-]{0,12}"],
        prop_oneof![Just("states".to_owned()), "[a-z]{0,8}"],
        prop_oneof![
            Just("host;x-amz-date;x-amz-target".to_owned()),
            "[a-z;-]{0,30}"
        ],
        "[0-9a-f]{0,64}",
    )
        .prop_map(|(id, date, region, service, signed, signature)| {
            format!(
                "AWS4-HMAC-SHA256 Credential={id}/{date}/{region}/{service}/aws4_request, SignedHeaders={signed}, Signature={signature}"
            )
        });
    prop_oneof![
        1 => Just(None),
        1 => "[ -~]{0,80}".prop_map(Some),
        4 => signed.prop_map(Some),
    ]
}

const KEY_ID: &str = "STEPDESKFUZZKEY00001";

/// `X-Amz-Date` now, as a client would send it.
fn amz_date_now() -> String {
    let now: chrono::DateTime<chrono::Utc> = SystemTime::now().into();
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

#[test]
fn requests_not_signed_with_the_engines_key_are_refused_and_change_nothing() {
    let key = AccessKey::new(KEY_ID, "fuzz/secret/of/the/engine/under/test/000");
    let strategy = (
        arb_authorization(),
        prop_oneof![Just(None), Just(Some(())),],
        "[ -~]{0,20}",
        any::<Index>(),
    );
    campaign(
        "engine signatures",
        strategy,
        async |(authorization, now, date, template), tally| {
            let desk = Desk::open().await;
            let before = desk.snapshot().await;
            let templates = templates(&desk);
            let (action, body) = &templates[template.index(templates.len())];
            let mut builder = Request::builder()
                .method(Method::POST)
                .uri("/")
                .header("host", "127.0.0.1")
                .header("content-type", "application/x-amz-json-1.0")
                .header("x-amz-target", format!("AWSStepFunctions.{action}"))
                .header("x-amz-date", now.map_or(date, |()| amz_date_now()));
            if let Some(authorization) = authorization {
                builder = builder.header("authorization", authorization);
            }
            let request = builder
                .body(Body::from(body.to_string()))
                .expect("a request");

            let (status, error) = send(&desk, Auth::SigV4(key.clone()), request).await?;

            let name = error.unwrap_or_default();
            let name = name.rsplit('#').next().unwrap_or_default();
            tally.count(format!("{status} {name}"));
            prop_assert!(
                matches!(
                    name,
                    "MissingAuthenticationTokenException"
                        | "IncompleteSignatureException"
                        | "UnrecognizedClientException"
                        | "InvalidSignatureException"
                ),
                "{} {} let in: {}",
                status,
                name,
                action
            );
            prop_assert_eq!(before, desk.snapshot().await, "refused but changed");
            desk.close();
            Ok(())
        },
    );
}
