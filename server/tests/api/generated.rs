//! `stepdesk demo` fills a desk that `stepdesk serve --demo` then serves.

use std::process::Command;

use crate::helpers::Server;

#[tokio::test]
async fn a_generated_desk_is_served_with_live_and_closed_cases_and_real_tasks() {
    // Arrange: 40 cases made by the generator.
    let dir = tempfile::tempdir().expect("temp dir");
    let made = Command::new(env!("CARGO_BIN_EXE_stepdesk"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_ENDPOINT_URL_SFN")
        .env("RUST_LOG", "warn")
        .args(["demo", "--cases", "40", "--db"])
        .arg(dir.path().join("mirror.db"))
        .arg("--engine-db")
        .arg(dir.path().join("engine.db"))
        .output()
        .expect("stepdesk demo runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    // Act: serve the same files and sign in.
    let server = Server::start(dir.path()).await;
    let maria = server.signed_in("maria").await;
    let list = |status: &str| {
        maria.call_json(
            "list_cases",
            serde_json::json!({ "query": { "status": status } }),
        )
    };
    let (open, closed) = (list("open").await, list("closed").await);

    // Assert: both kinds are there, and live cases wait on pending tasks.
    assert!(open.ok && closed.ok, "{open:?} {closed:?}");
    let open_rows = open.json()["rows"].as_array().cloned().unwrap_or_default();
    let closed_rows = closed.json()["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!open_rows.is_empty(), "no live cases: {}", open.body);
    assert!(!closed_rows.is_empty(), "no closed cases: {}", closed.body);
    let live = open_rows
        .iter()
        .filter_map(|r| r["id"].as_str())
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let mut pending = 0;
    for id in &live {
        let case = maria.case(id).await;
        let tasks = case["tasks"].as_array().cloned().unwrap_or_default();
        if tasks.iter().any(|t| t["status"] == "pending") {
            pending += 1;
        }
    }
    assert!(pending > 0, "no live case shows a pending task");
}
