//! The one typed configuration of `stepdesk serve`, read once at start.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use leptos::config::LeptosOptions;

/// The state machines' IAM role when none is given: a placeholder the
/// embedded engine accepts (AWS needs a real one).
pub const DEFAULT_ROLE_ARN: &str = "arn:aws:iam::123456789012:role/stepdesk";

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
    /// Mark the session cookie `Secure` even when no public origin is
    /// `https://` (it is whenever one is).
    #[arg(long, env = "STEPDESK_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "STEPDESK_SESSION_IDLE_MINUTES", default_value_t = 12 * 60)]
    pub session_idle_minutes: u64,
    /// Take the client's address (for the sign-in limits) from the last
    /// `X-Forwarded-For` entry: only behind a proxy that sets it.
    #[arg(long, env = "STEPDESK_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Hours after sign-in at which a session ends, however active.
    #[arg(long, env = "STEPDESK_SESSION_MAX_HOURS", default_value_t = 24)]
    pub session_max_hours: u64,
    /// Where Step Functions is: `embedded` (the built-in engine) or `aws`
    /// (aws-config's default chain). Unset: `aws` when `AWS_ENDPOINT_URL_SFN`
    /// or `AWS_REGION` is set, else `embedded`.
    #[arg(long, env = "STEPDESK_SFN", value_enum)]
    pub sfn: Option<SfnMode>,
    /// The embedded engine's database file.
    #[arg(
        long,
        env = "STEPDESK_ENGINE_DB",
        default_value = "./stepdesk-engine.db"
    )]
    pub engine_db: PathBuf,
    /// The folder of case types to deploy (each `<name>/<name>.asl.json`
    /// with its `<name>.case.json`); the shipped ones when left out.
    #[arg(long, env = "STEPDESK_WORKFLOWS")]
    pub workflows: Option<PathBuf>,
    /// What every state machine's name starts with (the support case type's
    /// is `<prefix>Case`; activities are named after their machine).
    #[arg(long, env = "STEPDESK_MACHINE_PREFIX", default_value = "Stepdesk")]
    pub machine_prefix: String,
    /// IAM role of the state machine (AWS only).
    #[arg(
        long,
        env = "STEPDESK_ROLE_ARN",
        default_value = DEFAULT_ROLE_ARN
    )]
    pub role_arn: String,
    /// Most `SendTaskHeartbeat` calls a second (each held token is
    /// heartbeaten two thirds into its state's `HeartbeatSeconds`).
    #[arg(long, env = "STEPDESK_HEARTBEATS_PER_SECOND", default_value_t = 150)]
    pub heartbeats_per_second: usize,
    /// Seconds between reconciliations of live cases with their executions.
    #[arg(long, env = "STEPDESK_RECONCILE_SECONDS", default_value_t = 5)]
    pub reconcile_seconds: u64,
    /// Most `DescribeExecution` calls a second for reconciling: live cases
    /// are rechecked in rotation at this pace.
    #[arg(long, env = "STEPDESK_DESCRIBES_PER_SECOND", default_value_t = 5)]
    pub describes_per_second: usize,
}

/// Where Step Functions is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SfnMode {
    /// The built-in engine, in-process on a loopback port.
    Embedded,
    /// AWS (or any endpoint set with `AWS_ENDPOINT_URL_SFN`).
    Aws,
}

impl SfnMode {
    /// The mode when no flag chose one: AWS when its endpoint or region is
    /// configured (`is_set` tells whether a variable is).
    pub fn from_env(is_set: impl Fn(&str) -> bool) -> Self {
        if is_set("AWS_ENDPOINT_URL_SFN") || is_set("AWS_REGION") {
            Self::Aws
        } else {
            Self::Embedded
        }
    }
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
    /// Session lifetime from sign-in.
    pub session_lifetime: Duration,
    /// The client's address is the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    /// Leptos' settings (site root, output name...).
    pub leptos: LeptosOptions,
    /// Where Step Functions is.
    pub sfn: SfnMode,
    /// The embedded engine's database.
    pub engine_db: PathBuf,
    /// The folder of case types.
    pub workflows: PathBuf,
    /// What every state machine's name starts with.
    pub machine_prefix: String,
    /// The state machine's role.
    pub role_arn: String,
    /// How often the background workers run.
    pub intervals: crate::workers::Intervals,
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
            secure_cookies: args.secure_cookies || args.public_origins.iter().any(|o| is_https(o)),
            public_origins: args.public_origins,
            session_idle: Duration::from_secs(args.session_idle_minutes.max(1) * 60),
            session_lifetime: Duration::from_secs(args.session_max_hours.max(1) * 3600),
            trust_forwarded_for: args.trust_forwarded_for,
            leptos,
            sfn: args.sfn.unwrap_or_else(|| {
                SfnMode::from_env(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
            }),
            engine_db: args.engine_db,
            workflows: args.workflows.unwrap_or_else(workflows::shipped_dir),
            machine_prefix: args.machine_prefix,
            role_arn: args.role_arn,
            intervals: crate::workers::Intervals {
                heartbeats_per_second: args.heartbeats_per_second.max(1),
                reconcile: Duration::from_secs(args.reconcile_seconds.max(1)),
                describes_per_second: args.describes_per_second.max(1),
                ..Default::default()
            },
        })
    }
}

/// Whether a public origin is served over TLS.
fn is_https(origin: &str) -> bool {
    origin
        .trim()
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_secure_when_the_public_address_is_https() {
        assert!(is_https("https://desk.example.com"));
        assert!(is_https("HTTPS://desk.example.com"));
        assert!(!is_https("http://desk.example.com"));
        assert!(!is_https("desk.example.com"));
    }

    #[test]
    fn aws_is_chosen_by_its_endpoint_or_region_else_the_embedded_engine() {
        assert_eq!(SfnMode::from_env(|_| false), SfnMode::Embedded);
        assert_eq!(
            SfnMode::from_env(|v| v == "AWS_ENDPOINT_URL_SFN"),
            SfnMode::Aws
        );
        assert_eq!(SfnMode::from_env(|v| v == "AWS_REGION"), SfnMode::Aws);
    }
}
