//! Fuzzing every server function's inputs with `proptest`: each one's valid
//! arguments, mutated at random, sent by each kind of caller as a form, as
//! JSON, or as bytes that are neither.
//!
//! Invariants, on every case: no 5xx; every refusal is the typed app error
//! with the status it stands for; and a refusal changes nothing: no user,
//! case or task changed, no session ended.
//!
//! `STEPDESK_FUZZ_CASES` sets the number of cases (default 64); the
//! `scripts/fuzz.sh` command runs the long campaign.

use std::collections::BTreeMap;
use std::sync::Mutex;

use app::AppError;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

use crate::helpers::{PASSWORD, Reply, Server};
use crate::matrix::{Desk, WHO, Who, registered_server_fns};

/// How a server function's arguments travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    /// `application/x-www-form-urlencoded`, as `ActionForm` sends.
    Form,
    /// A JSON object of arguments, its `query` argument mutated.
    Json,
}

/// A server function's arguments: name → value.
type Args = Vec<(&'static str, &'static str)>;

/// A valid call of every server function, naming the seeded resources.
fn templates() -> BTreeMap<&'static str, (Codec, Args)> {
    use Codec::{Form, Json};
    BTreeMap::from([
        ("current_user", (Form, vec![])),
        (
            "login",
            (Form, vec![("username", "$user"), ("password", "not-it")]),
        ),
        ("logout", (Form, vec![])),
        ("logout_everywhere", (Form, vec![])),
        ("get_case", (Form, vec![("id", "$case")])),
        ("case_filters", (Form, vec![("case_type", "support")])),
        (
            "list_cases",
            (
                Json,
                vec![("status", "open"), ("sort", "newest"), ("q", "case")],
            ),
        ),
        ("my_work", (Form, vec![])),
        ("case_type_form", (Form, vec![("case_type", "support")])),
        (
            "open_case",
            (
                Form,
                vec![
                    ("case_type", "support"),
                    ("title", "Fuzzed case"),
                    ("priority", "low"),
                    ("values[Description]", "From the fuzzer."),
                    ("values[CustomerRef]", "F-1"),
                ],
            ),
        ),
        (
            "submit_task",
            (
                Form,
                vec![
                    ("task_id", "$task"),
                    ("values[Status]", "1"),
                    ("values[Notes]", "From the fuzzer."),
                ],
            ),
        ),
        ("list_escalations", (Form, vec![])),
        ("list_users", (Form, vec![])),
        ("list_conflicts", (Form, vec![])),
        ("list_workflows", (Form, vec![])),
        (
            "add_user",
            (
                Form,
                vec![
                    ("name", "fuzzed"),
                    ("role", "operator"),
                    ("password", PASSWORD),
                ],
            ),
        ),
        (
            "set_user_disabled",
            (Form, vec![("name", "$user"), ("disabled", "true")]),
        ),
        (
            "reset_password",
            (Form, vec![("name", "$user"), ("password", PASSWORD)]),
        ),
    ])
}

/// The placeholders a value may be: resources seeded on the desk.
const SEEDS: &[&str] = &["$case", "$task", "$user", "$other_case", "$other_task"];

/// Strings worth trying in any argument.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => select(SEEDS).prop_map(str::to_owned),
        1 => select(&["", " ", "0", "-1", "true", "null", "[]", "{}", "' OR 1=1 --", "<script>x</script>", "../../etc/passwd", "%00", "\u{0}"][..]).prop_map(str::to_owned),
        1 => select(&["open", "closed", "escalated", "urgent", "operator", "manager", "admin", "support", "refund", "newest", "sla", "-"][..]).prop_map(str::to_owned),
        1 => (1usize..70_000).prop_map(|n| "y".repeat(n)),
    ]
}

/// An argument name: the server function's own, a `values[...]` field, or any.
fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-z_]{1,12}",
        1 => "values\\[[A-Za-z]{0,12}\\]",
        1 => "[ -~]{0,16}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Remove(Index),
    Replace(Index, String),
    Insert(String, String),
    Repeat(Index),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Remove),
        (any::<Index>(), arb_text()).prop_map(|(i, s)| Mutation::Replace(i, s)),
        (arb_key(), arb_text()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        any::<Index>().prop_map(Mutation::Repeat),
        // An argument set to one of the seeded resources.
        (any::<Index>(), select(SEEDS)).prop_map(|(i, s)| Mutation::Replace(i, s.to_owned())),
    ]
}

/// How the body is written.
#[derive(Debug, Clone)]
enum Wire {
    /// As the server function expects it.
    Own,
    /// In the other codec, under the other content type.
    Other,
    /// As the server function expects it, under no content type.
    NoContentType,
    /// Bytes, under the expected content type.
    Bytes(Vec<u8>),
}

fn arb_wire() -> impl Strategy<Value = Wire> {
    prop_oneof![
        12 => Just(Wire::Own),
        1 => Just(Wire::Other),
        1 => Just(Wire::NoContentType),
        1 => prop::collection::vec(any::<u8>(), 0..80).prop_map(Wire::Bytes),
    ]
}

#[derive(Debug, Clone)]
struct Fuzzed {
    endpoint: String,
    who: Who,
    mutations: Vec<Mutation>,
    wire: Wire,
    /// The client's address, as the proxy in front says.
    address: (u8, u8, u8),
}

fn arb_call(endpoints: Vec<String>) -> impl Strategy<Value = Fuzzed> {
    (
        select(endpoints),
        select(WHO.to_vec()),
        prop::collection::vec(arb_mutation(), 0..4),
        arb_wire(),
        any::<(u8, u8, u8)>(),
    )
        .prop_map(|(endpoint, who, mutations, wire, address)| Fuzzed {
            endpoint,
            who,
            mutations,
            wire,
            address,
        })
}

/// What the placeholders stand for now.
#[derive(Debug, Clone)]
struct Seeds {
    case: String,
    task: String,
    user: String,
    other_case: String,
    other_task: String,
}

impl Seeds {
    async fn plant(desk: &Desk) -> Self {
        let (case, task) = desk.assigned_case("olivia").await;
        let (other_case, other_task) = desk.assigned_case("oscar").await;
        let (user, _) = desk.new_user().await;
        Self {
            case,
            task,
            user,
            other_case,
            other_task,
        }
    }

    fn resolve(&self, text: &str) -> String {
        match text {
            "$case" => self.case.clone(),
            "$task" => self.task.clone(),
            "$user" => self.user.clone(),
            "$other_case" => self.other_case.clone(),
            "$other_task" => self.other_task.clone(),
            other => other.to_owned(),
        }
    }
}

impl Fuzzed {
    /// The content type and body to send.
    fn body(&self, seeds: &Seeds) -> (Option<&'static str>, Vec<u8>) {
        let (codec, args) = templates()
            .remove(self.endpoint.as_str())
            .expect("a template");
        let mut pairs: Vec<(String, String)> = args
            .iter()
            .map(|(k, v)| ((*k).to_owned(), seeds.resolve(v)))
            .collect();
        for m in &self.mutations {
            let at = |i: &Index, pairs: &Vec<_>| (!pairs.is_empty()).then(|| i.index(pairs.len()));
            match m {
                Mutation::Remove(i) => {
                    if let Some(at) = at(i, &pairs) {
                        pairs.remove(at);
                    }
                }
                Mutation::Replace(i, v) => {
                    if let Some(at) = at(i, &pairs) {
                        pairs[at].1 = seeds.resolve(v);
                    }
                }
                Mutation::Insert(k, v) => pairs.push((k.clone(), seeds.resolve(v))),
                Mutation::Repeat(i) => {
                    if let Some(at) = at(i, &pairs) {
                        pairs.push(pairs[at].clone());
                    }
                }
            }
        }
        let form = || {
            let mut out = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                out.append_pair(k, v);
            }
            out.finish().into_bytes()
        };
        let json = || {
            let object: Map<String, Value> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            let body = match codec {
                Codec::Json => json!({ "query": object }),
                Codec::Form => Value::Object(object),
            };
            body.to_string().into_bytes()
        };
        const FORM: &str = "application/x-www-form-urlencoded";
        const JSON: &str = "application/json";
        let (own, other) = match codec {
            Codec::Form => ((FORM, form()), (JSON, json())),
            Codec::Json => ((JSON, json()), (FORM, form())),
        };
        match &self.wire {
            Wire::Own => (Some(own.0), own.1),
            Wire::Other => (Some(other.0), other.1),
            Wire::NoContentType => (None, own.1),
            Wire::Bytes(bytes) => (Some(own.0), bytes.clone()),
        }
    }
}

/// Everything a refusal must leave as it was: the users, the seeded
/// cases with their tasks and history, the newest cases, the conflicts and
/// who is signed in where.
async fn snapshot(desk: &Desk, seeds: &Seeds) -> Value {
    let cases = desk
        .admin
        .call_json("list_cases", json!({ "query": { "sort": "newest" } }))
        .await;
    let newest: Vec<Value> = cases.json()["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| row["id"].clone())
        .collect();
    let mut sessions = Vec::new();
    for who in WHO {
        sessions.push(desk.signed_in_as(desk.client(who)).await);
    }
    json!({
        "users": desk.users().await,
        "case": desk.admin.case(&seeds.case).await,
        "other_case": desk.admin.case(&seeds.other_case).await,
        "newest": newest,
        "conflicts": desk.admin.call("list_conflicts", &[]).await.body,
        "sessions": sessions,
    })
}

/// A reply that is no 5xx and, when a refusal, the typed error of its status.
fn check_reply(reply: &Reply) -> Result<(), TestCaseError> {
    prop_assert!(reply.status < 500, "{} {}", reply.status, reply.body);
    if reply.status >= 400 {
        let error: AppError = serde_json::from_str(&reply.body).map_err(|e| {
            TestCaseError::fail(format!(
                "{} is not an app error ({e}): {}",
                reply.status, reply.body
            ))
        })?;
        prop_assert_eq!(error.status(), reply.status, "{:?}", error);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("STEPDESK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

#[test]
fn every_server_function_has_a_template() {
    let names: std::collections::BTreeSet<String> =
        templates().keys().map(|k| (*k).to_owned()).collect();
    assert_eq!(names, registered_server_fns());
}

#[test]
fn fuzzed_server_function_inputs_get_typed_answers_and_refusals_change_nothing() {
    // Arrange
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = rt.block_on(async {
        let env = [("STEPDESK_TRUST_FORWARDED_FOR", "true")];
        Desk::open(Server::start_with(dir.path(), &env).await).await
    });
    let seeds = Mutex::new(rt.block_on(Seeds::plant(&desk)));
    let tally = Mutex::new(BTreeMap::<String, u64>::new());
    let last = Mutex::new(None::<Value>);
    let endpoints: Vec<String> = templates().keys().map(|k| (*k).to_owned()).collect();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });

    let result = runner.run(&arb_call(endpoints), |call| {
        rt.block_on(async {
            let current = seeds.lock().expect("seeds").clone();
            // After a refusal, the state is the one the refusal left.
            let cached = last.lock().expect("last").take();
            let before = match cached {
                Some(before) => before,
                None => snapshot(&desk, &current).await,
            };
            let (content_type, body) = call.body(&current);
            let (a, b, c) = call.address;
            let address = format!("10.{a}.{b}.{c}");

            // Act
            let reply = desk
                .client(call.who)
                .raw(&call.endpoint, content_type, body, &address)
                .await;

            // Assert
            *tally
                .lock()
                .expect("tally")
                .entry(format!("{} {}", call.endpoint, reply.status))
                .or_default() += 1;
            check_reply(&reply)?;
            if reply.ok {
                // What was accepted may have used up a seed or a session.
                desk.restore(call.who).await;
                if call.endpoint == "submit_task" || call.endpoint == "set_user_disabled" {
                    *seeds.lock().expect("seeds") = Seeds::plant(&desk).await;
                }
            } else {
                let after = snapshot(&desk, &current).await;
                prop_assert_eq!(&before, &after, "refused with {}, yet changed", reply.body);
                *last.lock().expect("last") = Some(after);
            }
            Ok(())
        })
    });

    let tally = tally.into_inner().expect("tally");
    eprintln!(
        "fuzz server functions: {} cases",
        tally.values().sum::<u64>()
    );
    for (label, n) in &tally {
        eprintln!("  {n:>8}  {label}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
