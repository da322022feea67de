//! The HTML shell, the routes, and the layout around every signed-in page.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::auth::{CurrentUser, LoginPage, LogoutButton, Role, get_current_user};
use crate::case_detail::CaseDetailPage;
use crate::cases::CasesPage;
use crate::escalations::EscalationsPage;
use crate::loaded::load;
use crate::my_work::MyWorkPage;
use crate::new_case::NewCasePage;
use crate::users::UsersPage;
use crate::workflows_page::WorkflowsPage;

/// The whole HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                // In the shell, not through leptos_meta's <Stylesheet>: a
                // registered <link> fails to hydrate in leptos_meta 0.8.
                <link id="leptos" rel="stylesheet" href="/pkg/stepdesk.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: stylesheet, title and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| format!("{page} · Stepdesk") />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("") view=Layout>
                    <Route path=path!("") view=MyWorkPage ssr=SsrMode::Async />
                    <Route path=path!("cases") view=CasesPage ssr=SsrMode::Async />
                    <Route path=path!("cases/new") view=NewCasePage ssr=SsrMode::Async />
                    <Route path=path!("cases/:id") view=CaseDetailPage ssr=SsrMode::Async />
                    <Route path=path!("escalations") view=EscalationsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("admin/workflows") view=WorkflowsPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The frame of every signed-in page: header, navigation, content. The
/// page itself renders outside the header's Suspense, so that its own
/// resources are created once, in the same order on the server and in the
/// browser.
#[component]
fn Layout() -> impl IntoView {
    let user = load(|| (), |()| get_current_user());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Stepdesk"
                </A>
                <Suspense fallback=|| view! { <div class="nav loading-bar" aria-hidden="true"></div> }>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(me)) => view! { <SignedIn me /> }.into_any(),
                            Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                            Err(err) => view! {
                                <p class="alert alert-error" role="alert">{err.to_string()}</p>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">
            <Outlet />
        </main>
    }
}

/// The navigation and the signed-in user, in the top bar.
#[component]
fn SignedIn(me: CurrentUser) -> impl IntoView {
    let manager = me.role.allows(Role::Manager);
    let admin = me.role.allows(Role::Admin);
    view! {
        {me.demo.then(|| view! {
            <p class="demo-banner" role="note">
                "Demo: every demo user's password is public. Do not enter real data."
            </p>
        })}
        <nav class="nav" aria-label="Main">
            <A href="/" exact=true>"My work"</A>
            <A href="/cases">"Cases"</A>
            {manager.then(|| view! { <A href="/escalations">"Escalations"</A> })}
            {admin.then(|| view! { <A href="/admin/workflows">"Workflows"</A> })}
            {admin.then(|| view! { <A href="/admin/users">"Users"</A> })}
        </nav>
        <div class="who">
            <span class="who-name">{me.name.clone()}</span>
            <span class="badge badge-role">{me.role.label()}</span>
            <LogoutButton />
        </div>
    }
}

/// The page's Content-Security-Policy: scripts only with this response's
/// nonce (the hydration script; what it loads is trusted through it) and
/// WebAssembly; styles from this site (and style attributes, which the
/// workflow graph's SVG uses); no framing, no plugins, forms post here.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(response), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="content">
            <section class="panel empty">
                <h1>"Page not found"</h1>
                <p class="muted">"There is nothing at this address."</p>
                <a class="button" href="/">"Back to My work"</a>
            </section>
        </main>
    }
}
