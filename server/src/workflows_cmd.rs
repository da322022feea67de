//! `stepdesk workflows`: tools for the case types in a workflows folder.

use std::path::PathBuf;

use anyhow::Context;

/// What `stepdesk workflows` does.
#[derive(Debug, clap::Subcommand)]
pub enum WorkflowsCommand {
    /// Load and check every case type in DIR (the shipped folder when left
    /// out) without starting anything; exits non-zero on an error.
    Check {
        /// The workflows folder.
        dir: Option<PathBuf>,
    },
    /// Write case type NAME's deployed definition (perhaps edited in
    /// Workflow Studio) back into its `.asl.json`, its ARNs turned back into
    /// their `${...}` substitutions; refuses, saying why, when it no longer
    /// fits the sidecar.
    Pull(PullArgs),
}

/// Flags of `stepdesk workflows pull`.
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// The case type's name (`support`, `refund`...).
    name: String,
    /// The workflows folder.
    #[arg(long, env = "STEPDESK_WORKFLOWS")]
    workflows: Option<PathBuf>,
    /// Pull from AWS (aws-config's default chain) instead of the embedded
    /// engine's database.
    #[arg(long)]
    aws: bool,
    /// The embedded engine's database file.
    #[arg(
        long,
        env = "STEPDESK_ENGINE_DB",
        default_value = "./stepdesk-engine.db"
    )]
    engine_db: PathBuf,
    /// What every state machine's name starts with.
    #[arg(long, env = "STEPDESK_MACHINE_PREFIX", default_value = "Stepdesk")]
    machine_prefix: String,
}

/// Runs a `workflows` subcommand.
pub async fn run(command: WorkflowsCommand) -> anyhow::Result<()> {
    match command {
        WorkflowsCommand::Check { dir } => check(dir.unwrap_or_else(workflows::shipped_dir)),
        WorkflowsCommand::Pull(args) => pull(args).await,
    }
}

#[expect(clippy::print_stdout, reason = "the command's report")]
async fn pull(args: PullArgs) -> anyhow::Result<()> {
    let dir = args.workflows.unwrap_or_else(workflows::shipped_dir);
    let catalog = server::load_case_types(&dir)?;
    let t = catalog.get(&args.name).with_context(|| {
        let names: Vec<&str> = catalog.types.iter().map(|t| t.spec.name.as_str()).collect();
        format!(
            "there is no case type {:?}; there are: {}",
            args.name,
            names.join(", ")
        )
    })?;
    let connection = server::stepfunctions::Connection::open(args.aws, &args.engine_db).await?;
    let pulled = workflows::pull::pull(&connection.client, &args.machine_prefix, &catalog, t).await;
    connection.shutdown();
    match pulled.with_context(|| format!("pulling {}", args.name))? {
        workflows::pull::Pulled::Unchanged => {
            println!(
                "{}: the deployed definition is {}",
                args.name,
                t.asl_file.display()
            );
        }
        workflows::pull::Pulled::Written => {
            println!(
                "{}: wrote {} (review it with git diff)",
                args.name,
                t.asl_file.display()
            );
        }
    }
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the command's report")]
fn check(dir: PathBuf) -> anyhow::Result<()> {
    match workflows::load_dir(&dir) {
        Ok(catalog) => {
            for warning in &catalog.warnings {
                println!("{warning}");
            }
            for t in &catalog.types {
                println!(
                    "ok: {} ({}): {} steps, {} fields",
                    t.spec.name,
                    t.spec.label,
                    t.spec.steps.len(),
                    t.spec.fields.len()
                );
            }
            Ok(())
        }
        Err(err) => {
            for problem in &err.problems {
                println!("{problem}");
            }
            Err(err).with_context(|| format!("the case types in {} do not load", dir.display()))
        }
    }
}
