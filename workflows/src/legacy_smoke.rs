//! The smoke test: one case through the deployed workflow, end to end.

use std::time::{Duration, Instant};

use aws_sdk_sfn::Client;
use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::{Value, json};

use crate::legacy::Deployment;
use crate::{WorkflowError, sfn};

/// What a successful smoke run did.
#[derive(Debug, Clone)]
pub struct SmokeReport {
    /// The execution it ran.
    pub execution_arn: String,
    /// The human steps it played, in order.
    pub steps: Vec<&'static str>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Starts an execution of the deployed workflow, plays assignment and work
/// (resolved), and waits until the execution has succeeded, within `limit`.
#[tracing::instrument(skip(client, deployment))]
pub async fn smoke(
    client: &Client,
    deployment: &Deployment,
    limit: Duration,
) -> Result<SmokeReport, WorkflowError> {
    let began = Instant::now();
    let run = async {
        let name = format!("smoke-{}", uuid::Uuid::new_v4());
        let input = json!({ "CaseId": name, "Title": "Smoke test", "Priority": "normal", "SlaSeconds": 300 });
        let started = client
            .start_execution()
            .state_machine_arn(&deployment.machine_arn)
            .name(&name)
            .input(input.to_string())
            .send()
            .await
            .map_err(sfn("starting the execution"))?;
        let arn = started.execution_arn;
        play(
            client,
            &deployment.assign_arn,
            &name,
            json!({ "Assignee": "smoke" }),
        )
        .await?;
        play(
            client,
            &deployment.work_arn,
            &name,
            json!({ "Status": 1, "Notes": "Smoke test" }),
        )
        .await?;
        wait_for_success(client, &arn).await?;
        Ok(SmokeReport {
            execution_arn: arn,
            steps: vec!["AssignCase", "WorkOnCase"],
            elapsed: began.elapsed(),
        })
    };
    tokio::time::timeout(limit, run).await.map_err(|_| {
        WorkflowError::Unexpected(format!("the smoke run did not finish within {limit:?}"))
    })?
}

/// Takes the next task of an activity, checks it is this run's, completes it.
async fn play(
    client: &Client,
    activity: &str,
    case: &str,
    output: Value,
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
            .output(output.to_string())
            .send()
            .await;
        done.map_err(sfn("completing a task"))?;
        if input["Case"]["CaseId"] == case {
            return Ok(());
        }
        tracing::warn!(%input, "completed a task of another smoke run");
    }
}

async fn wait_for_success(client: &Client, arn: &str) -> Result<(), WorkflowError> {
    loop {
        let d = client
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .map_err(sfn("describing the execution"))?;
        match d.status {
            ExecutionStatus::Succeeded => return Ok(()),
            ExecutionStatus::Running => tokio::time::sleep(Duration::from_millis(100)).await,
            other => {
                return Err(WorkflowError::Unexpected(format!(
                    "the execution ended {other}: {} {}",
                    d.error.unwrap_or_default(),
                    d.cause.unwrap_or_default()
                )));
            }
        }
    }
}
