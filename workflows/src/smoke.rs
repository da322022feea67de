//! The smoke test: each case type's scripted case (its sidecar's `smoke`)
//! through the deployed workflow, end to end.

use std::time::{Duration, Instant};

use aws_sdk_sfn::Client;
use serde_json::{Map, Value};

use crate::deploy::Deployment;
use crate::{LoadedType, WorkflowError, sfn};

/// What a successful smoke run did.
#[derive(Debug, Clone)]
pub struct SmokeReport {
    /// The execution it ran.
    pub execution_arn: String,
    /// The human steps it played, in order.
    pub steps: Vec<String>,
    /// How the execution ended.
    pub status: String,
    /// How long it took.
    pub elapsed: Duration,
}

/// Starts an execution of the deployed case type, plays its scripted
/// answers and waits until the execution ends as the script says, within
/// `limit`. An answer may be for a step of a case type this one starts (a
/// nested state machine), found among `deployments`. A case type without a
/// script is an error.
#[tracing::instrument(skip_all, fields(case_type = %t.spec.name))]
pub async fn smoke(
    client: &Client,
    t: &LoadedType,
    deployments: &[Deployment],
    limit: Duration,
) -> Result<SmokeReport, WorkflowError> {
    let script = t.spec.smoke.as_ref().ok_or_else(|| {
        WorkflowError::Unexpected(format!("{} has no \"smoke\" script", t.spec.name))
    })?;
    let deployment = deployments
        .iter()
        .find(|d| d.case_type == t.spec.name)
        .ok_or_else(|| WorkflowError::Unexpected(format!("{} is not deployed", t.spec.name)))?;
    let nested: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| t.spec.machines.values().any(|m| *m == d.case_type))
        .collect();
    let began = Instant::now();
    let run = async {
        let name = format!("smoke-{}", uuid::Uuid::new_v4());
        let input = t.spec.execution_input(&casetype::CaseStart {
            id: &name,
            title: "Smoke test",
            priority: "normal",
            opened_by: Some("smoke"),
            fields: &script.fields,
        });
        let started = client
            .start_execution()
            .state_machine_arn(&deployment.machine_arn)
            .name(&name)
            .input(input.to_string())
            .send()
            .await
            .map_err(sfn("starting the execution"))?;
        let arn = started.execution_arn;
        let mut steps = Vec::new();
        for answer in &script.answers {
            let activity = std::iter::once(deployment)
                .chain(nested.iter().copied())
                .flat_map(|d| &d.steps)
                .find(|s| s.state == answer.step)
                .ok_or_else(|| WorkflowError::Unexpected(format!("no step {}", answer.step)))?;
            play(client, &activity.activity_arn, &name, &answer.output).await?;
            steps.push(answer.step.clone());
        }
        let status = wait_for_end(client, &arn).await?;
        if status != script.status {
            return Err(WorkflowError::Unexpected(format!(
                "the execution ended {status}, not {}",
                script.status
            )));
        }
        Ok(SmokeReport {
            execution_arn: arn,
            steps,
            status,
            elapsed: began.elapsed(),
        })
    };
    tokio::time::timeout(limit, run).await.map_err(|_| {
        WorkflowError::Unexpected(format!("the smoke run did not finish within {limit:?}"))
    })?
}

/// Takes the next task of an activity and completes it; a task of another
/// run (an earlier smoke run that died) is completed too and skipped.
pub(crate) async fn play(
    client: &Client,
    activity: &str,
    case: &str,
    output: &Map<String, Value>,
) -> Result<(), WorkflowError> {
    loop {
        let task = client
            .get_activity_task()
            .activity_arn(activity)
            .worker_name("stepdesk-smoke")
            .send()
            .await
            .map_err(sfn("polling for a task"))?;
        let Some(token) = task.task_token.filter(|t| !t.is_empty()) else {
            continue;
        };
        let input: Value =
            serde_json::from_str(task.input.as_deref().unwrap_or("null")).unwrap_or(Value::Null);
        let done = client
            .send_task_success()
            .task_token(token)
            .output(Value::Object(output.clone()).to_string())
            .send()
            .await;
        done.map_err(sfn("completing a task"))?;
        if input["Case"]["CaseId"] == case {
            return Ok(());
        }
        tracing::warn!(%input, "completed a task of another smoke run");
    }
}

/// Waits until the execution is no longer running; returns its status.
pub(crate) async fn wait_for_end(client: &Client, arn: &str) -> Result<String, WorkflowError> {
    loop {
        let d = client
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .map_err(sfn("describing the execution"))?;
        if d.status.as_str() != "RUNNING" {
            return Ok(d.status.as_str().to_owned());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
