//! `stepdesk user add <name> --role …`: adds a user to the mirror.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, bail};
use db::{Role, UserName};
use secrecy::{ExposeSecret, SecretString};

/// `stepdesk user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from stdin, or asked for on a terminal.
    Add(AddArgs),
}

/// Flags of `stepdesk user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Sign-in name: letters, digits, dots, dashes, underscores.
    pub name: String,
    /// operator, manager or admin.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// The mirror database file (created if missing).
    #[arg(long, env = "STEPDESK_DB", default_value = "./stepdesk.db")]
    pub db: PathBuf,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse().map_err(|e: db::Error| e.to_string())
}

/// Runs a `user` subcommand.
pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(args) => add(args).await,
    }
}

async fn add(args: AddArgs) -> anyhow::Result<()> {
    let name = UserName::parse(&args.name)?;
    let password = read_password().context("reading the password")?;
    let hash = db::password::hash(password.expose_secret())?;
    let pool = db::connect(&args.db)
        .await
        .with_context(|| format!("opening {}", args.db.display()))?;
    db::migrate(&pool).await.context("migrating the mirror")?;
    let user = db::users::insert(&pool, &name, args.role, &hash)
        .await
        .with_context(|| format!("adding user {}", name.as_str()))?;
    tracing::info!(user = %user.name, role = %user.role, "user added");
    Ok(())
}

/// The password: the first line of stdin when piped, else asked twice.
fn read_password() -> anyhow::Result<SecretString> {
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned().into());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Again: ")?;
    if first != again {
        bail!("the passwords differ");
    }
    Ok(first.into())
}
