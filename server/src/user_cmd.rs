//! `stepdesk user add|list|passwd|disable`: the mirror's users from the
//! command line.

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
    /// List the users with their roles and whether they are disabled.
    List(DbArgs),
    /// Set a user's password (read like `add`'s); ends their sessions.
    Passwd(NameArgs),
    /// Disable a user (they cannot sign in; their sessions end), or with
    /// `--enable` let them in again.
    Disable(DisableArgs),
}

/// The mirror database.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// The mirror database file.
    #[arg(long, env = "STEPDESK_DB", default_value = "./stepdesk.db")]
    pub db: PathBuf,
}

/// A user of the mirror.
#[derive(Debug, clap::Args)]
pub struct NameArgs {
    /// Sign-in name.
    pub name: String,
    #[command(flatten)]
    db: DbArgs,
}

/// Flags of `stepdesk user disable`.
#[derive(Debug, clap::Args)]
pub struct DisableArgs {
    #[command(flatten)]
    user: NameArgs,
    /// Enable the user again instead.
    #[arg(long)]
    enable: bool,
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
        UserCommand::List(args) => list(args).await,
        UserCommand::Passwd(args) => passwd(args).await,
        UserCommand::Disable(args) => disable(args).await,
    }
}

async fn open(db: &DbArgs) -> anyhow::Result<db::SqlitePool> {
    let pool = db::connect(&db.db)
        .await
        .with_context(|| format!("opening {}", db.db.display()))?;
    db::migrate(&pool).await.context("migrating the mirror")?;
    Ok(pool)
}

#[expect(clippy::print_stdout, reason = "the command's report")]
async fn list(args: DbArgs) -> anyhow::Result<()> {
    let pool = open(&args).await?;
    for account in db::users::accounts(&pool).await? {
        let state = if account.disabled { "  disabled" } else { "" };
        println!("{:<32} {:<8}{state}", account.user.name, account.user.role);
    }
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the command's report")]
async fn passwd(args: NameArgs) -> anyhow::Result<()> {
    let name = UserName::parse(&args.name)?;
    let pool = open(&args.db).await?;
    if db::users::find(&pool, name.as_str()).await?.is_none() {
        bail!("there is no user {}", name.as_str());
    }
    let password = read_password().context("reading the password")?;
    let hash = db::password::hash(password.expose_secret())?;
    db::users::set_password(&pool, name.as_str(), &hash).await?;
    println!(
        "Set a new password for {}; their sessions have ended.",
        name.as_str()
    );
    Ok(())
}

#[expect(clippy::print_stdout, reason = "the command's report")]
async fn disable(args: DisableArgs) -> anyhow::Result<()> {
    let name = UserName::parse(&args.user.name)?;
    let pool = open(&args.user.db).await?;
    db::users::set_disabled(&pool, name.as_str(), !args.enable)
        .await
        .with_context(|| format!("no user {}", name.as_str()))?;
    if args.enable {
        println!("Enabled {} again.", name.as_str());
    } else {
        println!("Disabled {}; their sessions have ended.", name.as_str());
    }
    Ok(())
}

async fn add(args: AddArgs) -> anyhow::Result<()> {
    let name = UserName::parse(&args.name)?;
    let password = read_password().context("reading the password")?;
    let hash = db::password::hash(password.expose_secret())?;
    let pool = open(&DbArgs { db: args.db }).await?;
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
