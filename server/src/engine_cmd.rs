//! `stepdesk engine`: the embedded engine as a standalone endpoint.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use engine::{Engine, EngineConfig};

/// Flags of `stepdesk engine`.
#[derive(Debug, clap::Args)]
pub struct EngineArgs {
    /// Address to listen on.
    #[arg(long, env = "STEPDESK_ENGINE_LISTEN", default_value = "127.0.0.1:8083")]
    listen: SocketAddr,
    /// The engine's SQLite file (created if missing).
    #[arg(long, env = "STEPDESK_ENGINE_DB", default_value = "./engine.db")]
    db: PathBuf,
    /// Region written into ARNs.
    #[arg(long, env = "STEPDESK_ENGINE_REGION", default_value = "us-east-1")]
    region: String,
    /// Account id written into ARNs.
    #[arg(long, env = "STEPDESK_ENGINE_ACCOUNT", default_value = "123456789012")]
    account: String,
}

/// Serves the engine until Ctrl-C.
pub async fn run(args: EngineArgs) -> anyhow::Result<()> {
    let mut config = EngineConfig::new(args.db.to_string_lossy());
    config.partition.region = args.region;
    config.partition.account = args.account;
    let engine = Engine::open(config)
        .with_context(|| format!("opening the engine store {}", args.db.display()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    tracing::info!(
        endpoint = %format!("http://{}", args.listen),
        db = %args.db.display(),
        "engine ready; point any AWS SDK or `aws stepfunctions --endpoint-url` at the endpoint"
    );
    tokio::select! {
        served = engine::http::serve(listener, engine.clone()) => served.context("serving the engine")?,
        signal = tokio::signal::ctrl_c() => signal.context("waiting for Ctrl-C")?,
    }
    engine.shutdown();
    Ok(())
}
