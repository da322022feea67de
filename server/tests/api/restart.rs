//! A crash while tasks are pending loses nothing.

use crate::helpers::Server;

#[tokio::test]
async fn tasks_pending_when_the_server_is_killed_are_there_after_restart_and_complete() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path()).await;
    let olivia = server.signed_in("olivia").await;
    let id = olivia.open_case("Survives a crash").await;
    let assign = olivia.task_of(&id, "AssignCase").await;

    // Act
    let dir_path = server.kill();
    let server = Server::start(&dir_path).await;
    let olivia = server.signed_in("olivia").await;
    let still = olivia.task_of(&id, "AssignCase").await;
    let claimed = olivia.claim(&id, "olivia").await;
    let worked = olivia.work(&id, "1", "After the crash.").await;

    // Assert
    assert_eq!(still, assign, "the same task, with its token, survived");
    assert!(claimed.ok, "{}", claimed.body);
    assert!(worked.ok, "{}", worked.body);
    olivia.until(&id, |c| c["status"] == "closed").await;
}

/// The form fields of a case page's pending task of `step`.
fn form_fields(case: &serde_json::Value, step: &str) -> Vec<String> {
    crate::helpers::pending(case, step)
        .and_then(|t| t["fields"].as_array())
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_pending_task_keeps_its_form_when_a_redeploy_changes_it() {
    // Arrange: a case waiting in WorkOnCase on its own copy of the case types.
    let dir = tempfile::tempdir().expect("temp dir");
    let wf =
        crate::helpers::workflows_copy(dir.path(), &["support", "support-escalation", "refund"]);
    let env = [("STEPDESK_WORKFLOWS", wf.to_str().expect("a path"))];
    let server = Server::start_with(dir.path(), &env).await;
    let olivia = server.signed_in("olivia").await;
    let id = olivia.open_case("Form changes under it").await;
    olivia.claim(&id, "olivia").await;
    let work = olivia.task_of(&id, "WorkOnCase").await;

    // Act: the work form gains a required field; the server restarts on it.
    let dir_path = server.kill();
    let sidecar = wf.join("support/support.case.json");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sidecar).expect("read")).expect("json");
    let step = spec["steps"]
        .as_array_mut()
        .expect("steps")
        .iter_mut()
        .find(|s| s["state"] == "WorkOnCase")
        .expect("the work step");
    step["form"]["schema"]["properties"]["Minutes"] =
        serde_json::json!({ "type": "integer", "title": "Minutes spent" });
    step["form"]["schema"]["required"] = serde_json::json!(["Status", "Minutes"]);
    std::fs::write(&sidecar, spec.to_string()).expect("written");
    let server = Server::start_with(&dir_path, &env).await;
    let olivia = server.signed_in("olivia").await;
    let old_case = olivia.case(&id).await;
    let worked = olivia.work(&id, "1", "Done on the old form.").await;
    let new_id = olivia.open_case("Opened after the change").await;
    olivia.claim(&new_id, "olivia").await;
    olivia.task_of(&new_id, "WorkOnCase").await;
    let new_case = olivia.case(&new_id).await;

    // Assert
    assert_eq!(form_fields(&old_case, "WorkOnCase"), ["Status", "Notes"]);
    assert!(worked.ok, "the old form's answer is taken: {}", worked.body);
    assert_eq!(
        olivia.until(&id, |c| c["status"] == "closed").await["current_step"],
        "CloseCase"
    );
    assert_eq!(
        form_fields(&new_case, "WorkOnCase"),
        ["Status", "Notes", "Minutes"]
    );
    assert!(
        crate::helpers::pending(&old_case, "WorkOnCase").is_some_and(|t| t["id"] == work.as_str())
    );
}
