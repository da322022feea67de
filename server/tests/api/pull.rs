//! `stepdesk workflows pull`: a definition edited where it is deployed comes
//! home with its substitutions, and one that no longer fits its sidecar is
//! refused with nothing written.

use std::path::Path;
use std::process::Command;

use server::stepfunctions::Connection;

const ROLE: &str = "arn:aws:iam::123456789012:role/stepdesk";

/// Deploys the case types of `wf` on the engine at `engine_db`, then
/// replaces support's deployed definition by what `edit` makes of it.
async fn deploy_and_edit(wf: &Path, engine_db: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let connection = Connection::embedded(engine_db).await.expect("engine");
    let catalog = workflows::load_dir(wf).expect("loads");
    let deployed = workflows::deploy_all(&connection.client, "Stepdesk", ROLE, &catalog)
        .await
        .expect("deployed");
    let support = deployed
        .iter()
        .find(|d| d.case_type == "support")
        .expect("support deployed");
    let mut definition: serde_json::Value =
        serde_json::from_str(&support.definition).expect("json");
    edit(&mut definition);
    connection
        .client
        .update_state_machine()
        .state_machine_arn(&support.machine_arn)
        .definition(definition.to_string())
        .send()
        .await
        .expect("edited, as in Workflow Studio");
    connection.shutdown();
}

fn pull(wf: &Path, engine_db: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stepdesk"))
        .args(["workflows", "pull", "support", "--workflows"])
        .arg(wf)
        .arg("--engine-db")
        .arg(engine_db)
        .env_remove("AWS_REGION")
        .env_remove("AWS_ENDPOINT_URL_SFN")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn an_edited_definition_comes_home_with_its_substitutions() {
    // Arrange: a longer heartbeat on AssignCase, edited where it is deployed.
    let dir = tempfile::tempdir().expect("temp dir");
    let wf = crate::helpers::workflows_copy(dir.path(), &["support", "support-escalation"]);
    let engine_db = dir.path().join("engine.db");
    deploy_and_edit(&wf, &engine_db, |d| {
        d["States"]["AssignCase"]["HeartbeatSeconds"] = 90.into();
    })
    .await;

    // Act
    let out = pull(&wf, &engine_db);

    // Assert
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(wf.join("support/support.asl.json")).expect("read");
    let pulled: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(pulled["States"]["AssignCase"]["HeartbeatSeconds"], 90);
    assert_eq!(
        pulled["States"]["AssignCase"]["Resource"],
        "${AssignActivityArn}"
    );
    // Service integrations (`arn:aws:states:::…`) stay; no deployed
    // resource's ARN (with its region and account) does.
    assert!(
        text.match_indices("arn:aws:states:")
            .all(|(at, _)| text[at..].starts_with("arn:aws:states:::")),
        "no ARN left: {text}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote"));
}

#[tokio::test]
async fn a_definition_that_no_longer_fits_the_sidecar_is_refused_and_nothing_is_written() {
    // Arrange: the work step renamed, so the sidecar's WorkOnCase names no state.
    let dir = tempfile::tempdir().expect("temp dir");
    let wf = crate::helpers::workflows_copy(dir.path(), &["support", "support-escalation"]);
    let engine_db = dir.path().join("engine.db");
    let before = std::fs::read_to_string(wf.join("support/support.asl.json")).expect("read");
    deploy_and_edit(&wf, &engine_db, |d| {
        let states = d["States"].as_object_mut().expect("states");
        let work = states.remove("WorkOnCase").expect("work step");
        states.insert("DoTheWork".into(), work);
        d["States"]["AssignCase"]["Next"] = "DoTheWork".into();
    })
    .await;

    // Act
    let out = pull(&wf, &engine_db);

    // Assert
    assert!(!out.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("no longer matches"), "{said}");
    assert!(said.contains("WorkOnCase"), "{said}");
    let after = std::fs::read_to_string(wf.join("support/support.asl.json")).expect("read");
    assert_eq!(after, before);
}
