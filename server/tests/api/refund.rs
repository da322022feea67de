//! The refund case type through the server functions: parallel approvals
//! under four eyes, a rejection, values that do not fit, and a crash with
//! both approvals pending.

use crate::helpers::{Client, Server, pending};

/// Opens a refund of `amount` EUR as `client` and returns its id.
async fn open_refund(client: &Client, amount: &str) -> String {
    let reply = client
        .call(
            "open_case",
            &[
                ("case_type", "refund"),
                ("title", "Refund order 5531"),
                ("priority", "normal"),
                ("values[Amount]", amount),
                ("values[Amount.currency]", "EUR"),
                ("values[OrderRef]", "ORD-5531"),
                ("values[Reason]", "Arrived broken."),
            ],
        )
        .await;
    assert!(reply.ok, "open_case: {}", reply.body);
    reply.json().as_str().expect("the case id").to_owned()
}

/// Reviews the refund (approved by `reviewer`) and waits for both approvals.
async fn both_approvals(reviewer: &Client, id: &str) -> (String, String) {
    let review = reviewer.task_of(id, "ReviewRefund").await;
    let reviewed = reviewer.answer(&review, &[("Decision", "approve")]).await;
    assert!(reviewed.ok, "{}", reviewed.body);
    let case = reviewer
        .until(id, |c| {
            pending(c, "FinanceApproval").is_some() && pending(c, "ManagerApproval").is_some()
        })
        .await;
    let id_of = |step| {
        pending(&case, step)
            .and_then(|t| t["id"].as_str())
            .expect("a task")
            .to_owned()
    };
    (id_of("FinanceApproval"), id_of("ManagerApproval"))
}

#[tokio::test]
async fn a_large_refund_is_approved_in_parallel_by_two_other_people_then_paid_out() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let oscar = server.signed_in("oscar").await;
    let maria = server.signed_in("maria").await;
    let ada = server.signed_in("ada").await;
    let id = open_refund(&olivia, "250.00").await;
    let (finance, manager) = both_approvals(&oscar, &id).await;

    // Act
    let by_opener = olivia.answer(&finance, &[("Decision", "approve")]).await;
    let seen_by_opener = olivia.case(&id).await;
    let finance_ok = maria.answer(&finance, &[("Decision", "approve")]).await;
    let maria_again = maria.answer(&manager, &[("Decision", "approve")]).await;
    let manager_ok = ada.answer(&manager, &[("Decision", "approve")]).await;
    let payout = oscar.task_of(&id, "RecordPayout").await;
    let paid = oscar.answer(&payout, &[("PayoutRef", "TX-9")]).await;

    // Assert
    assert!(
        !by_opener.ok && by_opener.body.contains("you opened this case"),
        "{by_opener:?}"
    );
    let tasks = seen_by_opener["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 2, "both approvals show on the case page");
    assert!(tasks.iter().all(|t| t["may_act"] == false));
    assert!(finance_ok.ok, "{}", finance_ok.body);
    assert!(
        !maria_again.ok && maria_again.body.contains("Four eyes"),
        "{maria_again:?}"
    );
    assert!(manager_ok.ok, "{}", manager_ok.body);
    assert!(paid.ok, "{}", paid.body);
    let done = oscar.until(&id, |c| c["status"] == "closed").await;
    assert_eq!(done["current_step"], "Refunded");
    let timeline = done["timeline"].to_string();
    assert!(
        timeline.contains("approved the refund for finance"),
        "{timeline}"
    );
    assert!(
        timeline.contains("approved the refund as manager"),
        "{timeline}"
    );
    assert!(
        done["graph"]["svg"]
            .as_str()
            .is_some_and(|s| s.starts_with("<svg"))
    );
}

#[tokio::test]
async fn a_rejected_approval_refuses_the_refund_with_the_reason() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let oscar = server.signed_in("oscar").await;
    let maria = server.signed_in("maria").await;
    let id = open_refund(&olivia, "900").await;
    let (finance, manager) = both_approvals(&oscar, &id).await;

    // Act
    let without_reason = maria.answer(&manager, &[("Decision", "reject")]).await;
    let rejected = maria
        .answer(
            &manager,
            &[
                ("Decision", "reject"),
                ("Comment", "Over the goodwill limit."),
            ],
        )
        .await;

    // Assert
    assert!(
        !without_reason.ok && without_reason.body.contains("Comment is required."),
        "{without_reason:?}"
    );
    assert!(rejected.ok, "{}", rejected.body);
    let done = oscar.until(&id, |c| c["status"] == "closed").await;
    assert_eq!(done["current_step"], "Refused");
    assert!(pending(&done, "FinanceApproval").is_none(), "{done:#}");
    let late = oscar.answer(&finance, &[("Decision", "approve")]).await;
    assert!(!late.ok, "the other approval is gone: {late:?}");
    assert!(
        done["timeline"]
            .to_string()
            .contains("Over the goodwill limit.")
    );
}

#[tokio::test]
async fn refund_values_that_do_not_fit_are_refused_per_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;

    let reply = olivia
        .call(
            "open_case",
            &[
                ("case_type", "refund"),
                ("title", "Refund"),
                ("priority", "normal"),
                ("values[Amount]", "twelve"),
                ("values[Amount.currency]", "EUR"),
                ("values[OrderRef]", ""),
            ],
        )
        .await;

    assert!(!reply.ok);
    for expected in [
        "\"Amount\"",
        "Amount must be an amount such as 12.50.",
        "Order reference is required.",
        "Reason is required.",
    ] {
        assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
    }
}

#[tokio::test]
async fn both_approvals_pending_when_the_server_is_killed_survive_and_complete() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let oscar = server.signed_in("oscar").await;
    let id = open_refund(&olivia, "300").await;
    let (finance, manager) = both_approvals(&oscar, &id).await;

    // Act
    let dir_path = server.kill();
    let server = Server::start(&dir_path).await;
    let maria = server.signed_in("maria").await;
    let ada = server.signed_in("ada").await;
    let after = maria.case(&id).await;
    let first = maria.answer(&finance, &[("Decision", "approve")]).await;
    let second = ada.answer(&manager, &[("Decision", "approve")]).await;

    // Assert
    assert!(pending(&after, "FinanceApproval").is_some(), "{after:#}");
    assert!(pending(&after, "ManagerApproval").is_some(), "{after:#}");
    assert!(first.ok, "{}", first.body);
    assert!(second.ok, "{}", second.body);
    maria.task_of(&id, "RecordPayout").await;
}

#[tokio::test]
async fn refunds_list_with_their_declared_columns_and_filter_by_their_fields() {
    // Arrange: a refund among the demo's support cases.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let id = open_refund(&olivia, "250").await;

    // Act
    let by_order = olivia
        .call_json(
            "list_cases",
            serde_json::json!({ "query": { "case_type": "refund", "fields": { "OrderRef": "ORD-5531" } } }),
        )
        .await;
    let other_order = olivia
        .call_json(
            "list_cases",
            serde_json::json!({ "query": { "case_type": "refund", "fields": { "OrderRef": "ORD-1" } } }),
        )
        .await;
    let not_filterable = olivia
        .call_json(
            "list_cases",
            serde_json::json!({ "query": { "case_type": "refund", "fields": { "Reason": "x" } } }),
        )
        .await;
    let by_text = olivia
        .call_json(
            "list_cases",
            serde_json::json!({ "query": { "q": "broken" } }),
        )
        .await;

    // Assert
    assert!(by_order.ok, "{}", by_order.body);
    let page = by_order.json();
    assert_eq!(
        page["columns"],
        serde_json::json!(["Amount", "Order reference"])
    );
    let rows = page["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{page:#}");
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["case_type"], "Refund");
    assert_eq!(
        rows[0]["columns"],
        serde_json::json!(["250.00 EUR", "ORD-5531"])
    );
    assert_eq!(other_order.json()["rows"], serde_json::json!([]));
    assert!(!not_filterable.ok, "{not_filterable:?}");
    assert!(
        by_text.ok && by_text.body.contains(&id),
        "the reason is searchable: {by_text:?}"
    );
}
