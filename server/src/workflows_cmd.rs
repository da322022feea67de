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
}

/// Runs a `workflows` subcommand.
pub fn run(command: WorkflowsCommand) -> anyhow::Result<()> {
    match command {
        WorkflowsCommand::Check { dir } => check(dir.unwrap_or_else(workflows::shipped_dir)),
    }
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
