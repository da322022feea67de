//! `stepdesk demo`: fills a mirror and its embedded engine with a desk's
//! worth of cases, for `stepdesk serve --demo` on the same files.

use std::path::PathBuf;

use anyhow::Context;
use server::generate::{self, Plan};
use server::stepfunctions::Connection;

/// Flags of `stepdesk demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many cases the mirror should hold when done (a second run with
    /// a larger number adds the rest).
    #[arg(long, default_value_t = 10_000)]
    cases: u64,
    /// The mirror database file (created if missing).
    #[arg(long, env = "STEPDESK_DB", default_value = "./stepdesk.db")]
    db: PathBuf,
    /// The embedded engine's database file (created if missing).
    #[arg(
        long,
        env = "STEPDESK_ENGINE_DB",
        default_value = "./stepdesk-engine.db"
    )]
    engine_db: PathBuf,
    /// The folder of case types; the shipped ones when left out.
    #[arg(long, env = "STEPDESK_WORKFLOWS")]
    workflows: Option<PathBuf>,
    /// What every state machine's name starts with (as `serve` is given).
    #[arg(long, env = "STEPDESK_MACHINE_PREFIX", default_value = "Stepdesk")]
    machine_prefix: String,
    /// The share of cases worked to their end, from 0 to 1.
    #[arg(long, default_value_t = 0.4)]
    closed: f64,
    /// Cases in the making at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seeds the generated values.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Opens the mirror and the engine, deploys the case types, and makes the
/// cases through the desk with the activity pollers running.
#[expect(clippy::print_stdout, reason = "the command's report")]
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.closed),
        "--closed is a share from 0 to 1, not {}",
        args.closed
    );
    let pool = db::connect(&args.db)
        .await
        .with_context(|| format!("opening the mirror {}", args.db.display()))?;
    db::migrate(&pool).await.context("migrating the mirror")?;
    let connection = Connection::embedded(&args.engine_db).await?;
    let dir = args
        .workflows
        .clone()
        .unwrap_or_else(workflows::shipped_dir);
    let desk = server::deploy_desk(
        pool,
        &connection,
        &dir,
        &args.machine_prefix,
        server::config::DEFAULT_ROLE_ARN,
    )
    .await?;
    let pollers = server::workers::start_pollers(&desk, "stepdesk-demo", 2);
    let plan = Plan {
        cases: args.cases,
        seed: args.seed,
        concurrency: args.concurrency,
        closed_share: args.closed,
    };
    let made = generate::generate(&desk, &plan, |done, of, elapsed| {
        if done % 10_000 == 0 || done == of {
            let rate = done as f64 / elapsed.as_secs_f64().max(0.001);
            tracing::info!(done, of, per_second = rate.round(), "opening cases");
        }
    })
    .await;
    drop(pollers);
    connection.shutdown();
    let report = made?;
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{} cases opened ({} worked to their end, {} answers) in {secs:.0} s, {:.0} cases/s; \
         the mirror holds {}.\nServe them: stepdesk serve --demo --db {} --engine-db {}",
        report.opened,
        report.closed,
        report.answers,
        report.opened as f64 / secs.max(0.001),
        report.existing + report.opened,
        args.db.display(),
        args.engine_db.display(),
    );
    Ok(())
}
