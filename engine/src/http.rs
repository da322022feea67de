//! The thin HTTP layer: the Step Functions JSON protocol (AWS JSON 1.0) over axum.
//!
//! `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`; answers are
//! `application/x-amz-json-1.0`, errors HTTP 400 with
//! `{"__type": "com.amazonaws.swf.service.v2.model#<Error>", "message": ...}`.
//! With [`Auth::SigV4`] every request must be signed with the engine's key
//! (checked before anything else); with [`Auth::Open`] anyone may call.

mod auth;
mod sigv4;

use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

pub use auth::{AccessKey, Auth};

use crate::engine::Engine;
use crate::error::ApiError;

const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
const TARGET_PREFIX: &str = "AWSStepFunctions.";

#[derive(Clone)]
struct Served {
    engine: Engine,
    auth: Auth,
}

/// The engine's HTTP routes, admitting the callers that `auth` lets in.
pub fn router(engine: Engine, auth: Auth) -> Router {
    Router::new()
        .route("/", post(handle))
        // Requests carry at most a 1 MiB definition or 256 KiB payloads; the
        // rest of the limit is room for JSON escaping.
        .layer(DefaultBodyLimit::max(4 * 1024 * 1024))
        .with_state(Served { engine, auth })
}

/// Serves the engine on `listener` until the future is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    engine: Engine,
    auth: Auth,
) -> std::io::Result<()> {
    axum::serve(listener, router(engine, auth)).await
}

async fn handle(
    State(Served { engine, auth }): State<Served>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Auth::SigV4(key) = &auth {
        let received = sigv4::Received {
            method: &method,
            uri: &uri,
            headers: &headers,
            body: &body,
        };
        if let Err(e) = sigv4::verify(key, &received, SystemTime::now()) {
            tracing::warn!(error = %e.name(), "unauthenticated api call refused");
            return error_response(&e);
        }
    }
    let action = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix(TARGET_PREFIX))
        .map(str::to_owned);
    let Some(action) = action else {
        let e =
            ApiError::UnknownOperationException("Missing or unknown X-Amz-Target header".into());
        return error_response(&e);
    };
    tracing::debug!(action, bytes = body.len(), "api call");
    match engine.call(&action, &body).await {
        Ok(value) => json_response(StatusCode::OK, value.to_string()),
        Err(e) => {
            if e.is_internal() {
                tracing::error!(action, error = %e, "api call failed");
            } else {
                tracing::debug!(action, error = %e, "api call refused");
            }
            error_response(&e)
        }
    }
}

fn error_response(e: &ApiError) -> Response {
    let (status, message) = if e.is_internal() {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal failure".to_owned(),
        )
    } else {
        (StatusCode::BAD_REQUEST, e.to_string())
    };
    let body = json!({
        "__type": e.type_name(),
        "message": message,
    });
    json_response(status, body.to_string())
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}
