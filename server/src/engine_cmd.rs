//! `stepdesk engine`: the embedded engine as a standalone endpoint.
//!
//! With an access key configured it admits only requests signed with it
//! (SigV4, as every AWS SDK and the AWS CLI sign); without one it admits
//! anyone, and says so at start.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use engine::http::{AccessKey, Auth};
use engine::{Engine, EngineConfig};
use secrecy::{ExposeSecret as _, SecretString};

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
    /// Access key id that callers must sign with (their `AWS_ACCESS_KEY_ID`);
    /// with `--secret-access-key`. Without both, any caller is let in.
    #[arg(
        long,
        env = "STEPDESK_ENGINE_ACCESS_KEY_ID",
        requires = "secret_access_key"
    )]
    access_key_id: Option<String>,
    /// Its secret (the callers' `AWS_SECRET_ACCESS_KEY`). Prefer the
    /// variable: a flag shows in the process list.
    #[arg(
        long,
        env = "STEPDESK_ENGINE_SECRET_ACCESS_KEY",
        hide_env_values = true,
        requires = "access_key_id",
        value_parser = parse_secret
    )]
    secret_access_key: Option<SecretString>,
}

fn parse_secret(text: &str) -> Result<SecretString, String> {
    if text.is_empty() {
        Err("the secret access key is empty".into())
    } else {
        Ok(SecretString::from(text))
    }
}

impl EngineArgs {
    /// Who may call: signed callers when a key is configured, else anyone.
    fn auth(&self) -> Auth {
        match (&self.access_key_id, &self.secret_access_key) {
            (Some(id), Some(secret)) => Auth::SigV4(AccessKey::new(id, secret.expose_secret())),
            _ => Auth::Open,
        }
    }
}

/// Serves the engine until Ctrl-C.
pub async fn run(args: EngineArgs) -> anyhow::Result<()> {
    let auth = args.auth();
    let mut config = EngineConfig::new(args.db.to_string_lossy());
    config.partition.region = args.region;
    config.partition.account = args.account;
    let engine = Engine::open(config)
        .with_context(|| format!("opening the engine store {}", args.db.display()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    match &auth {
        Auth::SigV4(key) => tracing::info!(
            access_key_id = %key.id,
            "requests must be signed (SigV4) with this access key and its secret"
        ),
        Auth::Open => tracing::warn!(
            listen = %args.listen,
            "the engine runs OPEN: any process that reaches this address can read, start, stop and \
             answer every execution; set STEPDESK_ENGINE_ACCESS_KEY_ID and \
             STEPDESK_ENGINE_SECRET_ACCESS_KEY to require signed requests"
        ),
    }
    tracing::info!(
        endpoint = %format!("http://{}", args.listen),
        db = %args.db.display(),
        "engine ready; point any AWS SDK or `aws stepfunctions --endpoint-url` at the endpoint"
    );
    tokio::select! {
        served = engine::http::serve(listener, engine.clone(), auth) => served.context("serving the engine")?,
        signal = tokio::signal::ctrl_c() => signal.context("waiting for Ctrl-C")?,
    }
    engine.shutdown();
    Ok(())
}
