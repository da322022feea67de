//! The axum application: Leptos pages, server functions, sessions and guards.

use std::net::SocketAddr;

use anyhow::Context;
use app::auth::ssr::{LoginLimiter, guard_pages, same_origin_posts};
use app::{App, AppState, shell};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use db::{Desk, SqlitePool};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use crate::config::{Config, SfnMode};
use crate::stepfunctions::Connection;
use crate::workers::{self, Workers};

/// A bound, ready server: its address, its database, and its router.
pub struct Application {
    listener: TcpListener,
    router: Router,
    /// The mirror database.
    pub pool: SqlitePool,
    /// The mirror and the workflow.
    pub desk: Desk,
    connection: Connection,
    workers: Workers,
}

impl Application {
    /// Opens and migrates the mirror, seeds the demo if asked, binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let pool = db::connect(&config.db)
            .await
            .with_context(|| format!("opening the mirror {}", config.db.display()))?;
        db::migrate(&pool).await.context("migrating the mirror")?;
        if !config.demo {
            crate::demo::refuse_demo_passwords(&pool).await?;
        }
        let connection = match config.sfn {
            SfnMode::Embedded => Connection::embedded(&config.engine_db).await?,
            SfnMode::Aws => Connection::aws().await,
        };
        tracing::info!(endpoint = %connection.endpoint, "Step Functions");
        let desk = crate::deploy_desk(
            pool.clone(),
            &connection,
            &config.workflows,
            &config.machine_prefix,
            &config.role_arn,
        )
        .await?;
        desk.reconcile(chrono::Utc::now(), config.intervals.reconcile_budget())
            .await
            .context("reconciling cases")?;
        if config.demo {
            crate::demo::seed(&desk).await.context("seeding the demo")?;
        }
        let worker_name = format!("stepdesk-{}", std::process::id());
        let workers = workers::start(&desk, &worker_name, config.intervals);
        let sessions = session_layer(&config, &pool).await?;
        let state = AppState {
            leptos_options: config.leptos.clone(),
            pool: pool.clone(),
            desk: desk.clone(),
            login_limiter: LoginLimiter::default(),
            allowed_origins: config.public_origins.clone(),
            session_lifetime: config.session_lifetime,
            demo: config.demo,
            trust_forwarded_for: config.trust_forwarded_for,
        };
        let router = router(state).layer(sessions);
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        Ok(Self {
            listener,
            router,
            pool,
            desk,
            connection,
            workers,
        })
    }

    /// The address the server listens on (useful with port 0).
    pub fn addr(&self) -> anyhow::Result<SocketAddr> {
        self.listener
            .local_addr()
            .context("reading the bound address")
    }

    /// Serves until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving HTTP");
        drop(self.workers);
        self.connection.shutdown();
        served
    }
}

/// Sessions in the mirror's SQLite: `HttpOnly`, `SameSite=Lax`, `Secure`
/// behind https, ending after `session_idle` without activity (and, checked
/// on every request, `session_lifetime` after sign-in); expired rows are
/// swept hourly.
async fn session_layer(
    config: &Config,
    pool: &SqlitePool,
) -> anyhow::Result<SessionManagerLayer<SqliteStore>> {
    let store = SqliteStore::new(pool.clone());
    store
        .migrate()
        .await
        .context("creating the sessions table")?;
    tokio::spawn({
        let store = store.clone();
        async move {
            if let Err(err) = store
                .continuously_delete_expired(std::time::Duration::from_secs(3600))
                .await
            {
                tracing::error!(error = %err, "sweeping expired sessions stopped");
            }
        }
    });
    let idle = time::Duration::try_from(config.session_idle).context("session idle time")?;
    Ok(SessionManagerLayer::new(store)
        .with_name("stepdesk_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle)))
}

/// The routes: Leptos pages and server functions, static files, guards.
fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), guard_pages))
        .layer(from_fn_with_state(state.clone(), same_origin_posts))
        .layer(axum::middleware::from_fn(no_store_but_assets))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .with_state(state)
}

/// `Cache-Control: no-store` on every answer but the site's static assets
/// (the wasm, the script, the stylesheet, the icon): pages and server
/// functions carry people's cases, and a shared or back-button cache must
/// not keep them.
async fn no_store_but_assets(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let asset = path.starts_with("/pkg/") || path == "/favicon.svg";
    let mut response = next.run(request).await;
    if !asset {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
