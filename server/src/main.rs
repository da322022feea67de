//! The `stepdesk` binary: the case-management server and its tools.

mod engine_cmd;
mod smoke_cmd;

use clap::{Parser, Subcommand};

/// Stepdesk: case management on AWS Step Functions.
#[derive(Debug, Parser)]
#[command(name = "stepdesk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the Step Functions-compatible engine alone, as a local endpoint
    /// for any AWS SDK or the AWS CLI.
    Engine(engine_cmd::EngineArgs),
    /// Deploy the case workflow under a smoke name, run one case through it
    /// and exit non-zero unless it succeeded.
    Smoke(smoke_cmd::SmokeArgs),
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing();
    match Cli::parse().command {
        Command::Engine(args) => engine_cmd::run(args).await,
        Command::Smoke(args) => smoke_cmd::run(args).await,
    }
}
