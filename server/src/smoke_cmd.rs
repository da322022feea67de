//! `stepdesk smoke`: each case type's scripted case through its deployed
//! workflow, end to end.

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
    /// The folder of case types (the shipped one when left out).
    #[arg(long, env = "STEPDESK_WORKFLOWS")]
    workflows: Option<PathBuf>,
    /// Only this case type (every one with a smoke script when left out).
    #[arg(long)]
    case_type: Option<String>,
    /// What the smoke run's state machine names start with; its activities
    /// are its own, so live workers never see smoke tasks.
    #[arg(long, default_value = "StepdeskSmoke")]
    machine_prefix: String,
    /// IAM role of the state machines (AWS only).
    #[arg(
        long,
        env = "STEPDESK_ROLE_ARN",
        default_value = server::config::DEFAULT_ROLE_ARN
    )]
    role_arn: String,
    /// Give up on a case type after this many seconds.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

/// Deploys the case types and runs each one's scripted case; fails unless
/// every one ended as its script says.
pub async fn run(args: SmokeArgs) -> anyhow::Result<()> {
    let dir = args
        .workflows
        .clone()
        .unwrap_or_else(workflows::shipped_dir);
    let catalog = server::load_case_types(&dir)?;
    let connection = Connection::open(args.aws, &args.engine_db).await?;
    let result = smoke_all(&connection.client, &catalog, &args).await;
    connection.shutdown();
    result
}

async fn smoke_all(
    client: &aws_sdk_sfn::Client,
    catalog: &workflows::Catalog,
    args: &SmokeArgs,
) -> anyhow::Result<()> {
    let deployments = workflows::deploy_all(client, &args.machine_prefix, &args.role_arn, catalog)
        .await
        .context("deploying the case types")?;
    let chosen: Vec<&workflows::LoadedType> = catalog
        .types
        .iter()
        .filter(|t| {
            args.case_type
                .as_ref()
                .is_none_or(|name| &t.spec.name == name)
        })
        .filter(|t| t.spec.smoke.is_some())
        .collect();
    if chosen.is_empty() {
        anyhow::bail!("no case type with a smoke script to run");
    }
    for t in chosen {
        let report = workflows::smoke(client, t, &deployments, Duration::from_secs(args.timeout))
            .await
            .with_context(|| format!("smoke run of {}", t.spec.name))?;
        tracing::info!(
            case_type = %t.spec.name,
            execution = %report.execution_arn,
            steps = ?report.steps,
            status = %report.status,
            elapsed_ms = report.elapsed.as_millis() as u64,
            "smoke run passed"
        );
    }
    Ok(())
}
