//! Middleware: signed-in and role checks for pages, and the same-origin rule for POSTs.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::{from_db, user_of};
use crate::auth::Role;
use crate::state::AppState;

/// The role a page needs, or `None` for public pages and files.
pub fn required_role(path: &str) -> Option<Role> {
    let path = path.trim_end_matches('/');
    match path {
        "" | "/cases" => Some(Role::Operator),
        "/escalations" => Some(Role::Manager),
        _ if path.starts_with("/cases/") => Some(Role::Operator),
        _ if path == "/admin" || path.starts_with("/admin/") => Some(Role::Admin),
        _ => None,
    }
}

/// Sends anonymous visitors of a protected page to the sign-in page and
/// answers 403 (with the page's own refusal) to a role that may not see it.
/// Server functions check roles themselves.
pub async fn guard_pages(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let Some(role) = required_role(req.uri().path()) else {
        return next.run(req).await;
    };
    match user_of(&session, &state).await {
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Ok(None) => {
            let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
            Redirect::to(&format!("/login?next={}", encode_component(here))).into_response()
        }
        Ok(Some(user)) if !from_db(user.role).allows(role) => {
            let mut res = next.run(req).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
        Ok(Some(_)) => next.run(req).await,
    }
}

/// Refuses state-changing requests whose `Origin` (or, lacking it, `Referer`)
/// is not this site: the request's `Host` or one of the configured origins.
pub async fn same_origin_posts(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_origin(req.headers(), &state.allowed_origins) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-origin request refused");
        (StatusCode::FORBIDDEN, "Cross-origin request refused.").into_response()
    }
}

fn is_same_origin(headers: &HeaderMap, allowed: &[String]) -> bool {
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(source) = source else {
        return false;
    };
    let origin = origin_of(source);
    if allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    matches!((host, authority), (Some(h), Some(a)) if h.eq_ignore_ascii_case(a))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest
                .find(['/', '?', '#'])
                .map_or(url.len(), |i| scheme.len() + 3 + i);
            &url[..end]
        }
        None => url,
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn pages_need_the_roles_in_the_table() {
        assert_eq!(required_role("/"), Some(Role::Operator));
        assert_eq!(required_role("/cases"), Some(Role::Operator));
        assert_eq!(required_role("/escalations"), Some(Role::Manager));
        assert_eq!(required_role("/admin/users"), Some(Role::Admin));
        assert_eq!(required_role("/login"), None);
        assert_eq!(required_role("/pkg/stepdesk.css"), None);
    }

    #[test]
    fn a_post_from_this_host_is_same_origin() {
        let h = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3000"),
        ]);
        assert!(is_same_origin(&h, &[]));
    }

    #[test]
    fn a_post_from_elsewhere_or_from_nowhere_is_refused() {
        let other = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://evil.example"),
        ]);
        let none = headers(&[(header::HOST, "127.0.0.1:3000")]);
        assert!(!is_same_origin(&other, &[]));
        assert!(!is_same_origin(&none, &[]));
    }

    #[test]
    fn a_referer_stands_in_for_a_missing_origin_and_configured_origins_pass() {
        let referer = headers(&[
            (header::HOST, "localhost:3000"),
            (header::REFERER, "http://localhost:3000/login?next=%2F"),
        ]);
        let proxied = headers(&[
            (header::HOST, "10.0.0.5:3000"),
            (header::ORIGIN, "https://desk.example.com"),
        ]);
        assert!(is_same_origin(&referer, &[]));
        assert!(is_same_origin(
            &proxied,
            &["https://desk.example.com/".to_owned()]
        ));
    }

    #[test]
    fn next_paths_are_percent_encoded() {
        assert_eq!(
            encode_component("/cases?status=open&x=1"),
            "/cases%3Fstatus%3Dopen%26x%3D1"
        );
    }
}
