//! The README's "Write your own case type" example, loaded, deployed and run
//! exactly as written there, so the README cannot drift.

use std::path::Path;
use std::time::Duration;

/// The files of the README's code blocks whose info string names a path
/// (```` ```json workflows/qa-review/qa-review.asl.json ````).
fn readme_files() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("the README");
    let mut files = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```json ") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        files.push((info.trim().to_owned(), body.join("\n")));
    }
    files
}

#[tokio::test]
async fn the_readme_case_type_loads_deploys_and_runs() {
    // Arrange: the README's files in a workflows folder of their own.
    let files = readme_files();
    assert_eq!(files.len(), 2, "two files in the README: {files:?}");
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in &files {
        let rel = path.strip_prefix("workflows/").expect("under workflows/");
        let file = dir.path().join(rel);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("folder");
        std::fs::write(file, text).expect("written");
    }
    let (client, _engine, _engine_dir) = crate::deploy::engine_client().await;

    // Act
    let catalog = workflows::load_dir(dir.path()).expect("the README's case type loads");
    let deployments = workflows::deploy_all(&client, "Stepdesk", crate::deploy::ROLE, &catalog)
        .await
        .expect("deployed");
    let qa = catalog.get("qa-review").expect("qa-review");
    let report = workflows::smoke(&client, qa, &deployments, Duration::from_secs(30))
        .await
        .expect("the scripted review passes");

    // Assert
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    assert_eq!(deployments[0].machine_name, "StepdeskQaReview");
    assert_eq!(report.steps, ["ReviewRelease"]);
}
