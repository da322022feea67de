//! `stepdesk smoke`: one case through the deployed workflow, end to end.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use server::stepfunctions::Connection;

/// Flags of `stepdesk smoke`.
#[derive(Debug, clap::Args)]
pub struct SmokeArgs {
    /// Run against AWS (aws-config's default chain; `AWS_ENDPOINT_URL_SFN`
    /// honoured) instead of the embedded engine.
    #[arg(long, env = "STEPDESK_SMOKE_AWS")]
    aws: bool,
    /// The embedded engine's database file.
    #[arg(
        long,
        env = "STEPDESK_ENGINE_DB",
        default_value = "./stepdesk-engine.db"
    )]
    engine_db: PathBuf,
    /// State machine to deploy the case workflow as, for the smoke run; its
    /// activities are its own, so live workers never see smoke tasks.
    #[arg(long, default_value = "StepdeskCaseSmoke")]
    machine_name: String,
    /// IAM role of the state machine (AWS only).
    #[arg(
        long,
        env = "STEPDESK_ROLE_ARN",
        default_value = "arn:aws:iam::123456789012:role/stepdesk"
    )]
    role_arn: String,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

/// Deploys, runs and checks one case; fails unless it succeeded.
pub async fn run(args: SmokeArgs) -> anyhow::Result<()> {
    let connection = if args.aws {
        Connection::aws().await
    } else {
        Connection::embedded(&args.engine_db).await?
    };
    let client = &connection.client;
    let deployment = workflows::deploy(client, &args.machine_name, &args.role_arn)
        .await
        .context("deploying the case workflow")?;
    let report = workflows::smoke(client, &deployment, Duration::from_secs(args.timeout))
        .await
        .context("smoke run")?;
    tracing::info!(
        execution = %report.execution_arn,
        steps = ?report.steps,
        elapsed_ms = report.elapsed.as_millis() as u64,
        "smoke run SUCCEEDED"
    );
    connection.shutdown();
    Ok(())
}
