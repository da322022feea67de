//! Loading case types from folders: the shipped ones load, and each
//! rejection has a `bad_*` fixture (`warn_*` for warnings) in
//! `tests/fixtures/`, written out as a case type folder and loaded.

use std::path::Path;

use serde_json::Value;
use workflows::{Severity, load_dir};

/// Writes fixture `name`'s definition and sidecar as case type `review`
/// under a fresh folder.
fn write_fixture(name: &str) -> (tempfile::TempDir, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"));
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("review");
    std::fs::create_dir(&folder).expect("folder");
    let pretty = |v: &Value| serde_json::to_string_pretty(v).expect("json");
    std::fs::write(folder.join("review.asl.json"), pretty(&fixture["asl"])).expect("asl");
    std::fs::write(folder.join("review.case.json"), pretty(&fixture["case"])).expect("sidecar");
    (dir, fixture["expect"].clone())
}

#[test]
fn the_shipped_case_types_load_without_problems() {
    // Act
    let catalog = load_dir(&workflows::shipped_dir()).expect("loads");

    // Assert
    assert!(catalog.get("support").is_some());
    assert_eq!(catalog.warnings, []);
}

#[test]
fn a_good_case_type_loads() {
    // Arrange
    let (dir, _) = write_fixture("good_review");

    // Act
    let catalog = load_dir(dir.path()).expect("loads");

    // Assert
    let review = catalog.get("review").expect("review");
    assert_eq!(review.spec.steps[0].state, "Review");
    assert_eq!(catalog.warnings, []);
}

fn rejects(name: &str) {
    // Arrange
    let (dir, expect) = write_fixture(name);

    // Act
    let problems = match load_dir(dir.path()) {
        Err(e) => e.problems,
        Ok(catalog) => catalog.warnings,
    };

    // Assert
    let severity = match expect["severity"].as_str() {
        Some("warning") => Severity::Warning,
        _ => Severity::Error,
    };
    let file = match expect["file"].as_str() {
        Some("asl") => "review.asl.json",
        _ => "review.case.json",
    };
    let found = problems.iter().find(|p| {
        p.severity == severity
            && p.file.ends_with(file)
            && p.field == expect["field"].as_str().unwrap_or_default()
            && p.message
                .contains(expect["message"].as_str().unwrap_or_default())
    });
    assert!(
        found.is_some(),
        "{name}: expected {expect}, got {problems:#?}"
    );
}

macro_rules! rejected {
    ($($name:ident),* $(,)?) => {
        $(#[test]
        fn $name() {
            rejects(stringify!($name));
        })*
    };
}

rejected!(
    bad_substitution_without_step,
    bad_step_without_task_state,
    bad_unknown_field_type,
    bad_schema_does_not_compile,
    bad_step_resource_is_another_activity,
    bad_activity_without_step,
    bad_reserved_field_name,
    bad_unknown_role,
    bad_hint_for_no_property,
    warn_choice_reads_a_field_no_form_produces,
);

#[test]
fn a_folder_without_case_types_says_what_one_looks_like() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");

    // Act
    let err = load_dir(dir.path()).expect_err("empty");

    // Assert
    assert!(
        err.to_string()
            .contains("<name>.asl.json and <name>.case.json"),
        "{err}"
    );
}
