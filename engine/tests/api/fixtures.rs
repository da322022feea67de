//! Table-driven interpreter tests: `engine/tests/fixtures/<name>.json` holds a
//! definition, an input and the expected output or error; `bad_<name>.json`
//! holds a definition that must be refused with the given diagnostic code.

use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::Value;

use crate::helpers::{code, spawn_engine};

/// Runs one fixture through a fresh engine.
async fn gives(name: &str) {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let definition = match &fixture["definition"] {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    };
    let t = spawn_engine().await;
    let created = t
        .client
        .create_state_machine()
        .name("Fixture")
        .definition(definition)
        .role_arn("arn:aws:iam::123456789012:role/fixture")
        .send()
        .await;
    if let Some(expected) = fixture["invalid"].as_str() {
        let err = created.expect_err("the definition is refused");
        let message = aws_sdk_sfn::error::ProvideErrorMetadata::message(&err)
            .unwrap_or_default()
            .to_owned();
        assert_eq!(code(&err), "InvalidDefinition", "{name}");
        assert!(message.contains(expected), "{name}: {message}");
        return;
    }
    let machine = created
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        .state_machine_arn;
    let input = fixture
        .get("input")
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    let execution = t.start(&machine, "fixture", &input.to_string()).await;
    let (status, output, error) = t.finished(&execution).await;
    if let Some(expected) = fixture.get("error") {
        assert_eq!(status, ExecutionStatus::Failed, "{name}: output {output:?}");
        assert_eq!(error.as_deref(), expected.as_str(), "{name}");
        if let Some(part) = fixture["cause_contains"].as_str() {
            let d = t
                .client
                .describe_execution()
                .execution_arn(&execution)
                .send()
                .await
                .unwrap();
            let cause = d.cause.unwrap_or_default();
            assert!(cause.contains(part), "{name}: {cause}");
        }
    } else {
        assert_eq!(
            status,
            ExecutionStatus::Succeeded,
            "{name}: error {error:?}"
        );
        let output: Value =
            serde_json::from_str(&output.unwrap_or_default()).expect("output is JSON");
        assert_eq!(output, fixture["output"], "{name}");
    }
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                gives(stringify!($name)).await;
            }
        )*
    };
}

fixtures! {
    pass_result_path,
    pass_result_path_null,
    pass_parameters_and_context,
    input_output_paths,
    output_path_null,
    choice_numeric_and_string,
    choice_and_or_not,
    choice_is_present_and_types,
    choice_timestamps,
    choice_string_matches,
    choice_no_match,
    choice_default,
    wait_zero_seconds,
    succeed_output_path,
    fail_with_paths,
    fail_plain,
    task_unavailable_resource,
    task_catch_result_path,
    task_retry_then_catch,
    catch_states_all_not_runtime,
    parallel_results,
    parallel_branch_failure_caught,
    map_item_selector_and_context,
    map_empty,
    map_max_concurrency,
    map_tolerated_failures,
    map_failure_without_tolerance,
    map_items_not_array,
    result_selector,
    runtime_error_on_missing_path,
    data_limit_exceeded,
    intrinsics_in_parameters,
    filter_and_wildcard_paths,
    intrinsic_failure,
    result_path_match_failure,
    bad_intrinsic,
    bad_result_path_wildcard,
    bad_missing_next,
    bad_unreachable,
    bad_next_and_end,
    bad_no_transition,
    bad_empty_choices,
    bad_all_not_last,
    bad_unknown_field,
    bad_unknown_type,
    bad_wait_two_fields,
    bad_map_without_processor,
    bad_distributed_map,
    bad_heartbeat_not_below_timeout,
    bad_invalid_json,
    bad_start_at_missing,
    bad_empty_branches,
    jsonata_pass_output_and_assign,
    jsonata_choice_condition,
    jsonata_choice_default_assigns,
    jsonata_map_items_selector_and_scope,
    jsonata_parallel_arguments_and_variables,
    jsonata_wait_seconds_and_timestamp,
    jsonata_fail_error_and_cause,
    jsonata_undefined_is_a_query_evaluation_error,
    jsonata_type_error_names_the_code,
    jsonata_catch_error_output,
    jsonata_choice_condition_must_be_boolean,
    jsonata_map_items_must_be_an_array,
    mixed_query_languages,
    jsonpath_variables_in_choice_wait_and_intrinsics,
    assign_sees_values_from_state_entry,
    catch_assign_in_jsonpath,
    undefined_variable_is_a_runtime_error,
    variable_too_large,
    bad_jsonata_field_on_jsonpath_state,
    bad_jsonpath_field_on_jsonata_state,
    bad_jsonata_expression,
    bad_jsonata_root_reference,
    bad_query_language_downgrade,
    bad_query_language_value,
    bad_variable_name,
    bad_jsonpath_rule_on_jsonata_choice,
    wait_seconds_path_negative,
    wait_seconds_path_not_an_integer,
    map_max_concurrency_path_negative,
    map_max_concurrency_path_not_an_integer,
    fail_without_error_or_cause,
    fail_paths_take_intrinsics,
    bad_jsonata_top_level_reference,
    bracket_names_with_quotes_and_backslashes,
    bad_assign_not_an_object,
    bad_condition_on_jsonpath_choice,
    bad_expression_seconds_on_jsonpath_wait,
    bad_jsonata_expression_in_assign,
    jsonata_timeout_expression_must_be_positive,
    bad_error_output_outside_a_catcher,
}
