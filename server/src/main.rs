//! The `stepdesk` binary: the case-management server and its tools.

mod demo_cmd;
mod engine_cmd;
mod smoke_cmd;
mod workflows_cmd;

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::user_cmd::{self, UserCommand};
use server::{Application, Config, ServeArgs};

/// Stepdesk: case management on AWS Step Functions.
#[derive(Debug, Parser)]
#[command(
    name = "stepdesk",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `serve`'s flags, when no subcommand is given.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve(ServeArgs),
    /// Run the Step Functions-compatible engine alone, as a local endpoint
    /// for any AWS SDK or the AWS CLI.
    Engine(engine_cmd::EngineArgs),
    /// Deploy the case workflow under a smoke name, run one case through it
    /// and exit non-zero unless it succeeded.
    Smoke(smoke_cmd::SmokeArgs),
    /// Fill a mirror and its embedded engine with generated cases of every
    /// case type, opened, claimed and answered as people would.
    Demo(demo_cmd::DemoArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the case types of a workflows folder, or pull one's deployed
    /// definition home.
    #[command(subcommand)]
    Workflows(workflows_cmd::WorkflowsCommand),
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

/// Loads `.env` if there is one (development); a malformed file is an error.
fn load_dotenv() -> anyhow::Result<()> {
    match dotenvy::dotenv() {
        Ok(_) => Ok(()),
        Err(err) if err.not_found() => Ok(()),
        Err(err) => Err(err).context("reading .env"),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::from_args(args).context("reading the configuration")?;
    let demo = config.demo;
    let app = Application::build(config).await?;
    let url = format!("http://{}", app.addr()?);
    if demo {
        tracing::info!("{}", server::demo::banner(&url));
    }
    tracing::info!(%url, "stepdesk ready");
    app.run(async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "waiting for Ctrl-C failed");
        }
    })
    .await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    load_dotenv()?;
    init_tracing();
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Engine(args)) => engine_cmd::run(args).await,
        Some(Command::Smoke(args)) => smoke_cmd::run(args).await,
        Some(Command::Demo(args)) => demo_cmd::run(args).await,
        Some(Command::User(command)) => user_cmd::run(command).await,
        Some(Command::Workflows(command)) => workflows_cmd::run(command).await,
    }
}
