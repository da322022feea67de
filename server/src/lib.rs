//! The library behind the `stepdesk` binary: configuration, the web server,
//! and the user tools. The binary (`main.rs`) only parses flags and calls in.
//!
//! # Layout
//! - [`config`]: the one typed configuration, from flags and `STEPDESK_*` env.
//! - [`web`]: the axum application: Leptos routes, server functions,
//!   sessions, the page guard and the origin check.
//! - [`demo`]: the demo data set.
//! - [`generate`]: `stepdesk demo`, a desk's worth of cases made through the
//!   product's own paths.
//! - [`user_cmd`]: `stepdesk user add`.
//! - [`stepfunctions`]: the embedded engine or AWS, behind one client.
//! - [`workers`]: activity pollers, heartbeats, the reconciler.

pub mod config;
pub mod demo;
pub mod generate;
pub mod stepfunctions;
pub mod user_cmd;
pub mod web;
pub mod workers;

pub use config::{Config, ServeArgs};

/// Loads and checks the case types in `dir`; refused with every problem
/// found, as `stepdesk workflows check` prints them.
pub fn load_case_types(dir: &std::path::Path) -> anyhow::Result<workflows::Catalog> {
    workflows::load_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "the case types in {} do not load (`stepdesk workflows check` says the same):\n{e}",
            dir.display()
        )
    })
}
pub use web::Application;

/// Loads the case types in `dir`, deploys them through `connection` and
/// delivers the answers a crash left half-sent (cases left unstarted are
/// the reconciler's): the desk as `serve` and `demo` start it.
pub async fn deploy_desk(
    pool: db::SqlitePool,
    connection: &stepfunctions::Connection,
    dir: &std::path::Path,
    machine_prefix: &str,
    role_arn: &str,
) -> anyhow::Result<db::Desk> {
    use anyhow::Context;
    let catalog = load_case_types(dir)?;
    for warning in &catalog.warnings {
        tracing::warn!("{warning}");
    }
    let desk = db::Desk::deploy(
        pool,
        connection.client.clone(),
        catalog,
        machine_prefix,
        role_arn,
    )
    .await
    .context("deploying the case types")?;
    for d in &desk.sfn.deployments {
        tracing::info!(case_type = %d.case_type, machine = %d.machine_arn, revision = %d.revision, "case type deployed");
    }
    desk.resume_answers()
        .await
        .context("delivering answers a crash left half-sent")?;
    Ok(desk)
}
