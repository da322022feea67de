//! A case through the workflow, with the answers' idempotency and validation.

use crate::helpers::{EngineProcess, Server, has_step};

#[tokio::test]
async fn a_resolved_case_closes_and_its_timeline_merges_people_and_workflow() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let id = olivia.open_case("Printer on fire").await;

    // Act
    let claimed = olivia.claim(&id, "olivia").await;
    let worked = olivia.work(&id, "1", "Replaced the fuser.").await;

    // Assert
    assert!(claimed.ok, "{}", claimed.body);
    assert!(worked.ok, "{}", worked.body);
    let case = olivia.until(&id, |c| c["status"] == "closed").await;
    let search = |q: &str| {
        olivia.call_json(
            "list_cases",
            serde_json::json!({ "query": { "q": q, "status": "closed" } }),
        )
    };
    let (found, missed) = (search("print FIR").await, search("scanner").await);
    assert!(found.ok && found.body.contains(&id), "{found:?}");
    assert!(missed.ok && !missed.body.contains(&id), "{missed:?}");
    assert_eq!(case["assignee"], "olivia");
    assert_eq!(case["current_step"], "CloseCase");
    let timeline = case["timeline"].to_string();
    for expected in [
        "opened the case",
        "claimed the case",
        "resolved the case",
        "Replaced the fuser.",
        "Entered WorkOnCase",
        "Workflow succeeded",
    ] {
        assert!(
            timeline.contains(expected),
            "{expected:?} missing from {timeline}"
        );
    }
}

#[tokio::test]
async fn an_answer_given_twice_completes_the_task_once_and_names_the_winner() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;
    let id = olivia.open_case("Double click").await;
    let assign = olivia.task_of(&id, "AssignCase").await;

    // Act: both at once, then a late third.
    let (a, b) = tokio::join!(
        olivia.answer(&assign, &[("Assignee", "olivia")]),
        maria.answer(&assign, &[("Assignee", "oscar")]),
    );
    let late = olivia.answer(&assign, &[("Assignee", "olivia")]).await;

    // Assert
    assert!(a.ok ^ b.ok, "exactly one wins: {a:?} {b:?}");
    let loser = if a.ok { &b } else { &a };
    assert!(
        loser.body.contains("Already completed by"),
        "{}",
        loser.body
    );
    assert!(!late.ok);
    assert!(late.body.contains("Already completed by"), "{}", late.body);
    let case = olivia.until(&id, |c| has_step(c, "WorkOnCase")).await;
    let answers = case["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .filter(|e| e["source"] == "person" && e["what"] != "opened the case")
        .count();
    assert_eq!(answers, 1, "one answer recorded: {case:#}");
}

#[tokio::test]
async fn an_escalation_sent_back_reaches_assignment_again_and_a_confirmed_one_fails() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let maria = server.signed_in("maria").await;
    let mut escalations = Vec::new();
    for title in ["Sent back", "Cannot fix"] {
        let id = olivia.open_case(title).await;
        olivia.claim(&id, "olivia").await;
        let worked = olivia.work(&id, "0", "Stuck.").await;
        assert!(worked.ok, "{}", worked.body);
        let escalate = olivia.task_of(&id, "DecideEscalation").await;
        escalations.push((id, escalate));
    }
    let [(back_id, back_task), (fail_id, fail_task)] =
        <[_; 2]>::try_from(escalations).expect("two escalations");

    // Act
    let no_reason = maria
        .answer(&back_task, &[("Decision", "reassign"), ("Reason", " ")])
        .await;
    let back = maria
        .answer(
            &back_task,
            &[("Decision", "reassign"), ("Reason", "Try the spare part.")],
        )
        .await;
    let fail = maria
        .answer(
            &fail_task,
            &[("Decision", "fail"), ("Reason", "Out of warranty.")],
        )
        .await;

    // Assert
    assert!(!no_reason.ok);
    assert!(
        no_reason.body.contains("Reason is required"),
        "{}",
        no_reason.body
    );
    assert!(back.ok, "{}", back.body);
    assert!(fail.ok, "{}", fail.body);
    let back_case = olivia.until(&back_id, |c| has_step(c, "AssignCase")).await;
    assert_eq!(back_case["status"], "open");
    assert_eq!(back_case["escalated"], true);
    assert_eq!(back_case["assignee"], serde_json::Value::Null);
    assert_eq!(
        back_case["sla_due"],
        serde_json::Value::Null,
        "the SLA starts again with the work"
    );
    let failed = olivia.until(&fail_id, |c| c["status"] == "failed").await;
    assert_eq!(failed["current_step"], "JobFailed");
}

#[tokio::test]
async fn a_new_case_with_bad_fields_is_refused_with_a_message_per_field() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;

    // Act: a customer reference longer than the case type allows.
    let too_long = "R".repeat(65);
    let reply = olivia
        .call(
            "open_case",
            &[
                ("case_type", "support"),
                ("title", "x"),
                ("values[Description]", ""),
                ("priority", "asap"),
                ("values[CustomerRef]", &too_long),
            ],
        )
        .await;

    // Assert
    assert!(!reply.ok);
    let body = reply.body;
    assert!(
        body.contains("title") && body.contains("at least 3 characters"),
        "{body}"
    );
    assert!(
        body.contains("priority") && body.contains("CustomerRef"),
        "{body}"
    );
    assert!(body.contains("at most 64 characters"), "{body}");
}

#[tokio::test]
async fn pointed_at_an_endpoint_the_server_runs_cases_through_aws_sdk_settings() {
    // Arrange: AWS mode, chosen by AWS_ENDPOINT_URL_SFN alone, against the
    // engine as a separate process.
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = EngineProcess::start(dir.path()).await;
    let server = Server::start_with(
        dir.path(),
        &[
            ("AWS_ENDPOINT_URL_SFN", &engine.endpoint),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "stepdesk"),
            ("AWS_SECRET_ACCESS_KEY", "stepdesk"),
        ],
    )
    .await;
    let olivia = server.signed_in("olivia").await;

    // Act
    let id = olivia.open_case("Through the endpoint").await;
    let claimed = olivia.claim(&id, "olivia").await;
    let worked = olivia.work(&id, "1", "Done remotely.").await;

    // Assert
    assert!(claimed.ok && worked.ok, "{claimed:?} {worked:?}");
    let case = olivia.until(&id, |c| c["status"] == "closed").await;
    let arn = case["execution_arn"].as_str().expect("an execution");
    assert!(arn.contains(":execution:StepdeskCase:"), "{arn}");
    assert!(
        !dir.path().join("engine.db").exists(),
        "the embedded engine was not started"
    );
}

#[tokio::test]
async fn the_workflows_page_lists_each_case_type_with_its_revision_and_waiting_cases() {
    // Arrange: a support case waiting for assignment.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let ada = server.signed_in("ada").await;
    let id = olivia.open_case("Waiting to be taken").await;
    olivia.task_of(&id, "AssignCase").await;

    // Act
    let by_operator = olivia.call("list_workflows", &[]).await;
    let by_admin = ada.call("list_workflows", &[]).await;

    // Assert
    assert!(
        !by_operator.ok && by_operator.body.contains("Forbidden"),
        "{by_operator:?}"
    );
    assert!(by_admin.ok, "{}", by_admin.body);
    let rows = by_admin.json();
    let names: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["access-request", "refund", "support", "support-escalation"]
    );
    let support = &rows[2];
    assert_eq!(support["machine"], "StepdeskCase");
    assert_eq!(support["revision"].as_str().map(str::len), Some(12));
    let assign = support["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["state"] == "AssignCase")
        .expect("AssignCase");
    assert!(
        assign["waiting"].as_i64().is_some_and(|n| n >= 1),
        "{assign}"
    );
    assert!(
        support["svg"]
            .as_str()
            .is_some_and(|s| s.contains("is-current"))
    );
    let conflicts_by_operator = olivia.call("list_conflicts", &[]).await;
    let conflicts = ada.call("list_conflicts", &[]).await;
    assert!(!conflicts_by_operator.ok, "{conflicts_by_operator:?}");
    assert!(conflicts.ok, "{}", conflicts.body);
    assert_eq!(conflicts.json(), serde_json::json!([]));
}
