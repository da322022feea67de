//! The support case type built in code is the shipped file, key for key.

use serde_json::{Value, json};
use workflows::builder::{Catch, Chain, Choice, Condition, Fail, Pass, Retry, StateMachine, Task};

/// A human step: an activity task that gets the case and the execution's id,
/// heartbeats, and is scheduled again when its token is lost.
fn human_step(name: &str, activity: &str, result_path: &str) -> Task {
    Task::activity(name, activity)
        .parameters(json!({"Step": name, "Case.$": "$", "ExecutionArn.$": "$$.Execution.Id"}))
        .result_path(result_path)
        .heartbeat_seconds(10800)
        .retry(
            Retry::on(["States.HeartbeatTimeout"])
                .interval_seconds(1)
                .backoff_rate(1.5)
                .max_delay_seconds(30)
                .max_attempts(1000),
        )
}

/// The case fields every step carries, plus `extra`.
fn case_fields(opened_at: &str, extra: Value) -> Value {
    let mut fields = json!({
        "CaseId.$": "$.CaseId",
        "Title.$": "$.Title",
        "Priority.$": "$.Priority",
        "SlaSeconds.$": "$.SlaSeconds",
        "OpenedAt.$": opened_at
    });
    if let (Some(fields), Value::Object(extra)) = (fields.as_object_mut(), extra) {
        fields.extend(extra);
    }
    fields
}

/// A manager's escalation, run as a workflow of its own: send the case back,
/// close it, or confirm it failed.
fn escalation() -> Chain {
    let reopen_case = Pass::new("ReopenCase").parameters(case_fields(
        "$.OpenedAt",
        json!({"ReopenedBecause.$": "$.Escalation.Reason"}),
    ));
    let close_case = Pass::new("CloseCase").parameters(json!({
        "CaseId.$": "$.CaseId",
        "Outcome": "Closed",
        "ClosedAt.$": "$$.State.EnteredTime",
        "Case.$": "$"
    }));
    let job_failed = Fail::new("JobFailed")
        .error("CaseEscalated")
        .cause("A manager confirmed that the case cannot be resolved.");
    let decision = Choice::new("EscalationDecision")
        .when(
            Condition::string_equals("$.Escalation.Decision", "reassign"),
            Chain::start(reopen_case).next(Chain::goto("AssignCase")),
        )
        .when(
            Condition::string_equals("$.Escalation.Decision", "close"),
            close_case,
        )
        .otherwise(job_failed);
    let escalate_case = Task::new(
        "EscalateCase",
        "arn:aws:states:::states:startExecution.sync:2",
    )
    .comment("The escalation runs as its own workflow; its output is the manager's decision.")
    .parameters(json!({
        "StateMachineArn": "${EscalationMachineArn}",
        "Input": {
            "CaseId.$": "$.CaseId",
            "Case.$": "$",
            "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"
        }
    }))
    .result_selector(json!({
        "Decision.$": "$.Output.Decision",
        "Reason.$": "$.Output.Reason",
        "DecidedBy.$": "$.Output.DecidedBy",
        "ExecutionArn.$": "$.ExecutionArn"
    }))
    .result_path("$.Escalation");
    Chain::start(escalate_case).next(decision)
}

/// The talk's chain: open, assign, work, then close or escalate.
fn support() -> StateMachine {
    let open_case =
        Pass::new("OpenCase").parameters(case_fields("$$.Execution.StartTime", json!({})));
    let assign_case = human_step("AssignCase", "AssignActivityArn", "$.Assignment");
    let sla_breach =
        Catch::new(["States.Timeout"], Chain::goto("EscalateCase")).result_path("$.SlaBreach");
    let work_on_case = human_step("WorkOnCase", "WorkActivityArn", "$.Work")
        .timeout_seconds_path("$.SlaSeconds")
        .catch(sla_breach);
    let is_complete = Choice::new("IsComplete")
        .when(
            Condition::number_equals("$.Work.Status", 1),
            Chain::goto("CloseCase"),
        )
        .when(Condition::number_equals("$.Work.Status", 0), escalation())
        .otherwise(Chain::goto("EscalateCase"));
    let chain = Chain::start(open_case)
        .next(assign_case)
        .next(work_on_case)
        .next(is_complete);
    StateMachine::new(chain).comment(
        "Stepdesk case workflow: open, assign, work, close; or escalate to a manager \
         (a workflow of its own), who sends the case back, closes it, or confirms the failure.",
    )
}

#[test]
fn the_built_support_case_type_is_the_shipped_definition() {
    // Arrange
    let shipped: Value = serde_json::from_str(include_str!("../../support/support.asl.json"))
        .expect("the shipped file is JSON");

    // Act
    let built = support().build().expect("builds");

    // Assert
    assert_eq!(built, shipped);
    let pretty = |v: &Value| serde_json::to_string_pretty(v).expect("prints");
    assert_eq!(
        pretty(&built),
        pretty(&shipped),
        "same keys in the same order"
    );
}

#[test]
fn a_parallel_and_a_map_build_their_own_state_machines() {
    // Arrange
    let approvals = workflows::builder::Parallel::new("Approvals")
        .branch(Task::activity("FinanceApproval", "FinanceActivityArn"))
        .branch(Task::activity("ManagerApproval", "ManagerActivityArn"))
        .result_path("$.Approvals")
        .catch(Catch::new(
            ["Rejected"],
            Fail::new("Refused").error("Rejected"),
        ));
    let pay_each = workflows::builder::Map::new(
        "PayEach",
        Task::new("Pay", "arn:aws:states:::states:startExecution.sync:2")
            .parameters(json!({"StateMachineArn": "${PayoutMachineArn}", "Input.$": "$"})),
    )
    .items_path("$.Items")
    .max_concurrency(2)
    .processor_config(json!({"Mode": "INLINE"}));

    // Act
    let built = StateMachine::new(Chain::start(approvals).next(pay_each))
        .build()
        .expect("builds");

    // Assert
    let text = serde_json::to_string(&built).expect("prints");
    assert_eq!(
        text,
        concat!(
            r#"{"StartAt":"Approvals","States":{"#,
            r#""Approvals":{"Type":"Parallel","Branches":["#,
            r#"{"StartAt":"FinanceApproval","States":{"FinanceApproval":{"Type":"Task","Resource":"${FinanceActivityArn}","End":true}}},"#,
            r#"{"StartAt":"ManagerApproval","States":{"ManagerApproval":{"Type":"Task","Resource":"${ManagerActivityArn}","End":true}}}],"#,
            r#""ResultPath":"$.Approvals","Catch":[{"ErrorEquals":["Rejected"],"Next":"Refused"}],"Next":"PayEach"},"#,
            r#""Refused":{"Type":"Fail","Error":"Rejected"},"#,
            r#""PayEach":{"Type":"Map","ItemsPath":"$.Items","MaxConcurrency":2,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"#,
            r#""StartAt":"Pay","States":{"Pay":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","#,
            r#""Parameters":{"StateMachineArn":"${PayoutMachineArn}","Input.$":"$"},"End":true}}},"End":true}}}"#
        )
    );
}

#[test]
fn a_built_definition_draws() {
    // Arrange
    let built = support().build().expect("builds");

    // Act
    let lines = workflows::graph::steps(&built, &Default::default());

    // Assert
    let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "OpenCase",
            "AssignCase",
            "WorkOnCase",
            "IsComplete",
            "CloseCase",
            "EscalateCase",
            "EscalationDecision",
            "ReopenCase",
            "JobFailed"
        ]
    );
}
