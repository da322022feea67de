//! The one typed configuration of `stepdesk serve`, read once at start.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use leptos::config::LeptosOptions;

/// Flags of `stepdesk serve` (each also read from its `STEPDESK_*` variable).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: Leptos' site address, 127.0.0.1:3000].
    #[arg(long, env = "STEPDESK_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// The mirror database file (created if missing).
    #[arg(long, env = "STEPDESK_DB", default_value = "./stepdesk.db")]
    pub db: PathBuf,
    /// Create the demo users (and print them) on start.
    #[arg(long, env = "STEPDESK_DEMO")]
    pub demo: bool,
    /// Public origins allowed to POST besides the request's own host, such
    /// as `https://desk.example.com` behind a proxy (comma-separated).
    #[arg(long, env = "STEPDESK_PUBLIC_ORIGINS", value_delimiter = ',')]
    pub public_origins: Vec<String>,
    /// Mark the session cookie `Secure` (serve over HTTPS).
    #[arg(long, env = "STEPDESK_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "STEPDESK_SESSION_IDLE_MINUTES", default_value_t = 12 * 60)]
    pub session_idle_minutes: u64,
}

/// Everything `serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The mirror database (`:memory:` for a private in-memory one).
    pub db: PathBuf,
    /// Create the demo users on start.
    pub demo: bool,
    /// Extra origins allowed to POST.
    pub public_origins: Vec<String>,
    /// `Secure` session cookie.
    pub secure_cookies: bool,
    /// Session lifetime without activity.
    pub session_idle: Duration,
    /// Leptos' settings (site root, output name...).
    pub leptos: LeptosOptions,
}

impl Config {
    /// Resolves the flags against Leptos' settings (env set by cargo-leptos,
    /// else the defaults of `Cargo.toml`'s `[[workspace.metadata.leptos]]`).
    pub fn from_args(args: ServeArgs) -> anyhow::Result<Self> {
        let mut leptos = leptos::config::get_configuration(None)
            .context("reading the Leptos settings (LEPTOS_* variables)")?
            .leptos_options;
        // Built without cargo-leptos (cargo run, cargo test) the output name is
        // unset; it must match `name` in the workspace's Leptos metadata.
        if leptos.output_name.is_empty() {
            leptos.output_name = "stepdesk".into();
        }
        Ok(Self {
            listen: args.listen.unwrap_or(leptos.site_addr),
            db: args.db,
            demo: args.demo,
            public_origins: args.public_origins,
            secure_cookies: args.secure_cookies,
            session_idle: Duration::from_secs(args.session_idle_minutes * 60),
            leptos,
        })
    }
}
