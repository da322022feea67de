//! The JSONata project's own conformance cases (v2.0.6), run against `engine::jsonata`.
//!
//! Prints the totals and every failing case; fails if any case panicked or if
//! the pass rate drops below [`FLOOR`]. Cases using `$eval` are skipped (Step
//! Functions does not offer it). Known failures are explained in
//! `tests/jsonata/KNOWN_FAILURES.md`.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use engine::jsonata::{Bindings, Expr, Limits};
use serde_json::Value as Json;

/// The lowest pass rate (in percent of the cases run) this test accepts.
const FLOOR: f64 = 99.8;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/jsonata-test-suite")
}

struct Case {
    name: String,
    body: Json,
    dir: PathBuf,
}

enum Outcome {
    Pass,
    Skip,
    Fail(String),
}

fn load_cases(root: &Path) -> Vec<Result<Case, String>> {
    let mut out = Vec::new();
    let mut groups: Vec<PathBuf> = std::fs::read_dir(root.join("groups"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    groups.sort();
    for group in groups {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&group)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|f| f.extension().is_some_and(|e| e == "json"));
        files.sort();
        let group_name = group
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for file in files {
            let stem = file
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = format!("{group_name}/{stem}");
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            match serde_json::from_str::<Json>(&text) {
                Ok(Json::Array(cases)) => {
                    for (i, body) in cases.into_iter().enumerate() {
                        out.push(Ok(Case {
                            name: format!("{name}[{i}]"),
                            body,
                            dir: group.clone(),
                        }));
                    }
                }
                Ok(body) => out.push(Ok(Case {
                    name,
                    body,
                    dir: group.clone(),
                })),
                Err(e) => out.push(Err(format!("{name}: unreadable as JSON here ({e})"))),
            }
        }
    }
    out
}

fn numbers_close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => numbers_close(x, y),
            _ => x == y,
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn same_unordered(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Array(x), Json::Array(y)) => {
            let mut rest: Vec<&Json> = y.iter().collect();
            x.len() == y.len()
                && x.iter()
                    .all(|item| match rest.iter().position(|r| same(item, r)) {
                        Some(i) => {
                            rest.swap_remove(i);
                            true
                        }
                        None => false,
                    })
        }
        _ => same(a, b),
    }
}

fn short(text: String) -> String {
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(160).collect::<String>())
    } else {
        text
    }
}

fn run_case(case: &Case, root: &Path) -> Outcome {
    let body = &case.body;
    let expr = match (body.get("expr"), body.get("expr-file")) {
        (Some(Json::String(e)), _) => e.clone(),
        (_, Some(Json::String(f))) => std::fs::read_to_string(case.dir.join(f)).unwrap_or_default(),
        _ => return Outcome::Fail("no expression".into()),
    };
    if expr.contains("$eval") {
        return Outcome::Skip;
    }
    let input: Option<Json> = match (body.get("data"), body.get("dataset")) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(Json::String(name))) => {
            let text = std::fs::read_to_string(root.join("datasets").join(format!("{name}.json")))
                .unwrap_or_default();
            serde_json::from_str(&text).ok()
        }
        _ => None,
    };
    let bindings: Bindings = body
        .get("bindings")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let limits = Limits {
        max_depth: body
            .get("depth")
            .and_then(Json::as_u64)
            .map_or(10_000, |d| usize::try_from(d).unwrap_or(10_000)),
        time_limit: Some(Duration::from_millis(
            body.get("timelimit")
                .and_then(Json::as_u64)
                .unwrap_or(10_000),
        )),
        now_millis: None,
    };
    let result =
        Expr::parse(&expr).and_then(|e| e.evaluate_with(input.as_ref(), &bindings, &limits));
    let code = body
        .get("code")
        .or_else(|| body.get("error").and_then(|e| e.get("code")))
        .and_then(Json::as_str);
    let unordered = body
        .get("unordered")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    match (code, body.get("result"), &result) {
        (Some(code), _, Err(e)) if e.code.as_str() == code => Outcome::Pass,
        // The suite's own harness reports a timeout as U1001 too; the engine calls it U1002.
        (Some("U1001"), _, Err(e)) if e.code.as_str() == "U1002" => Outcome::Pass,
        (Some(code), _, _) => {
            Outcome::Fail(short(format!("expected error {code}, got {result:?}")))
        }
        (None, Some(expected), Ok(Some(got)))
            if same(expected, got) || (unordered && same_unordered(expected, got)) =>
        {
            Outcome::Pass
        }
        (None, Some(expected), _) => {
            Outcome::Fail(short(format!("expected {expected}, got {result:?}")))
        }
        (None, None, Ok(None)) => Outcome::Pass,
        (None, None, _) => Outcome::Fail(short(format!("expected undefined, got {result:?}"))),
    }
}

/// Runs a case on its own thread with a large stack; a panic is counted, not hidden.
fn run_isolated(case: Case, root: PathBuf) -> Result<Outcome, String> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| run_case(&case, &root));
            let _ = tx.send(outcome.map_err(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            }));
        });
    if let Err(e) = spawned {
        return Ok(Outcome::Fail(format!("could not start a thread: {e}")));
    }
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(message)) => Err(message),
        Err(_) => Ok(Outcome::Fail("did not finish within 60 s".into())),
    }
}

#[test]
fn jsonata_conformance_suite() {
    let root = suite_dir();
    if !root.join("groups").is_dir() {
        eprintln!("JSONata suite not found at {}: skipping", root.display());
        return;
    }
    let (mut total, mut passed, mut skipped) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut panics = Vec::new();
    for case in load_cases(&root) {
        total += 1;
        let case = match case {
            Ok(c) => c,
            Err(reason) => {
                failures.push(reason);
                continue;
            }
        };
        let name = case.name.clone();
        match run_isolated(case, root.clone()) {
            Ok(Outcome::Pass) => passed += 1,
            Ok(Outcome::Skip) => skipped += 1,
            Ok(Outcome::Fail(reason)) => failures.push(format!("{name}: {reason}")),
            Err(message) => panics.push(format!("{name}: {message}")),
        }
    }
    let run = total - skipped;
    let rate = if run == 0 {
        100.0
    } else {
        100.0 * passed as f64 / run as f64
    };
    eprintln!("failing cases:");
    for f in &failures {
        eprintln!("  {f}");
    }
    eprintln!("panicking cases:");
    for p in &panics {
        eprintln!("  {p}");
    }
    eprintln!(
        "JSONata suite: total {total}, passed {passed}, failed {}, panicked {}, skipped {skipped} ($eval); pass rate {rate:.2} % of {run}",
        failures.len(),
        panics.len()
    );
    assert!(panics.is_empty(), "{} cases panicked", panics.len());
    assert!(
        rate >= FLOOR,
        "pass rate {rate:.2} % is below the floor of {FLOOR} %"
    );
}
