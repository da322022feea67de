//! The smoke test: one case through the deployed workflow, end to end.

use std::time::{Duration, Instant};

use aws_sdk_sfn::Client;
use serde_json::json;

use crate::legacy::Deployment;
use crate::smoke::{play, wait_for_end};
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
        for (activity, output) in [
            (&deployment.assign_arn, json!({ "Assignee": "smoke" })),
            (
                &deployment.work_arn,
                json!({ "Status": 1, "Notes": "Smoke test" }),
            ),
        ] {
            let output = output.as_object().cloned().unwrap_or_default();
            play(client, activity, &name, &output).await?;
        }
        let status = wait_for_end(client, &arn).await?;
        if status != "SUCCEEDED" {
            let d = client
                .describe_execution()
                .execution_arn(&arn)
                .send()
                .await
                .map_err(sfn("describing the execution"))?;
            return Err(WorkflowError::Unexpected(format!(
                "the execution ended {status}: {} {}",
                d.error.unwrap_or_default(),
                d.cause.unwrap_or_default()
            )));
        }
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
