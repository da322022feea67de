//! Where Step Functions is: the embedded engine on a loopback port, or AWS.
//! Either way the rest of the server holds one `aws-sdk-sfn` client.
//!
//! The embedded engine's port is reachable by every local user, so it
//! admits only requests signed with an access key drawn at each start and
//! known to this process alone.

use std::path::Path;

use anyhow::Context;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use engine::http::{AccessKey, Auth};
use engine::{Engine, EngineConfig};

/// A client, and the embedded engine behind it when there is one.
pub struct Connection {
    /// The SDK client.
    pub client: Client,
    /// The embedded engine (stopped with [`Connection::shutdown`]).
    pub engine: Option<Engine>,
    /// Where the client points, for the logs.
    pub endpoint: String,
    /// The embedded engine's HTTP server.
    serving: Option<tokio::task::JoinHandle<()>>,
}

impl Connection {
    /// Starts the embedded engine on `db`, serving on an ephemeral loopback
    /// port to requests signed with a fresh random key, with a client that
    /// signs with it.
    pub async fn embedded(db: &Path) -> anyhow::Result<Self> {
        let key = AccessKey::random().context("drawing the embedded engine's access key")?;
        let engine = Engine::open(EngineConfig::new(db.to_string_lossy()))
            .with_context(|| format!("opening the engine store {}", db.display()))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding a loopback port for the engine")?;
        let endpoint = format!(
            "http://{}",
            listener.local_addr().context("the engine's address")?
        );
        let credentials = Credentials::new(&key.id, key.expose_secret(), None, None, "embedded");
        let serving = tokio::spawn({
            let engine = engine.clone();
            async move {
                if let Err(err) = engine::http::serve(listener, engine, Auth::SigV4(key)).await {
                    tracing::error!(error = %err, "the embedded engine stopped serving");
                }
            }
        });
        let config = aws_sdk_sfn::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials)
            .endpoint_url(&endpoint)
            .build();
        Ok(Self {
            client: Client::from_conf(config),
            engine: Some(engine),
            endpoint,
            serving: Some(serving),
        })
    }

    /// A client from aws-config's default chain (`AWS_REGION`,
    /// `AWS_PROFILE`, `AWS_ENDPOINT_URL_SFN`...).
    pub async fn aws() -> Self {
        let shared = aws_config::load_defaults(BehaviorVersion::latest()).await;
        let endpoint = shared
            .endpoint_url()
            .map_or_else(|| "AWS".to_owned(), str::to_owned);
        Self {
            client: Client::new(&shared),
            engine: None,
            endpoint,
            serving: None,
        }
    }

    /// AWS when `aws`, else the embedded engine on `engine_db`: what the
    /// one-off commands (`smoke`, `workflows pull`) run against.
    pub async fn open(aws: bool, engine_db: &Path) -> anyhow::Result<Self> {
        if aws {
            Ok(Self::aws().await)
        } else {
            Self::embedded(engine_db).await
        }
    }

    /// Stops the embedded engine: its HTTP server and background tasks.
    pub fn shutdown(&self) {
        if let Some(serving) = &self.serving {
            serving.abort();
        }
        if let Some(engine) = &self.engine {
            engine.shutdown();
        }
    }
}
