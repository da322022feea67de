//! The one error type of Stepdesk's server functions, shared with the browser.

use serde::{Deserialize, Serialize};
use server_fn::Encodes;
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Why a server function refused or failed; every message is fit to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Nobody is signed in.
    #[error("Please sign in.")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("Your role does not allow this.")]
    Forbidden,
    /// The user name or password is wrong.
    #[error("Wrong user name or password.")]
    BadCredentials,
    /// Too many failed sign-ins for this name; try again later.
    #[error("Too many failed attempts. Try again in {retry_after_secs} seconds.")]
    TooManyAttempts {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// Too many sign-ins are being checked at once; try again shortly.
    #[error("Signing in is busy right now. Try again in {retry_after_secs} seconds.")]
    Busy {
        /// Seconds to wait before trying again.
        retry_after_secs: u64,
    },
    /// An input was refused; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// Some fields of a form were refused: `(field, message)` pairs.
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" "))]
    Fields(Vec<(String, String)>),
    /// The thing asked for does not exist.
    #[error("{0} was not found.")]
    NotFound(String),
    /// The user may not do this here; the message says why.
    #[error("{0}")]
    Refused(String),
    /// The task is not waiting any more; the message says what happened.
    #[error("{0}")]
    Stale(String),
    /// Step Functions could not be reached; trying again may work.
    #[error("The workflow engine did not answer. Please try again in a moment.")]
    Unavailable,
    /// Something broke on the server; the details are in its log, not here.
    #[error("Something went wrong on the server. Please try again.")]
    Internal,
    /// The request did not reach the function (network, encoding).
    #[error("The server could not be reached: {0}")]
    ServerFn(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::ServerFn(value)
    }

    /// Encodes the error for the response; on the server this is also where
    /// a failed server function's response gets the error's own status
    /// (server functions otherwise answer every error with 500).
    fn ser(&self) -> server_fn::Bytes {
        #[cfg(feature = "ssr")]
        ssr::set_status(self);
        Self::Encoder::encode(self).unwrap_or_else(|err| {
            let fallback = Self::ServerFn(ServerFnErrorErr::Serialization(err.to_string()));
            Self::Encoder::encode(&fallback).unwrap_or_default()
        })
    }
}

impl AppError {
    /// The HTTP status a server function answers this error with: 500 only
    /// for faults of the server itself.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthorized | Self::BadCredentials => 401,
            Self::Forbidden | Self::Refused(_) => 403,
            Self::TooManyAttempts { .. } | Self::Busy { .. } => 429,
            Self::Invalid(_) => 400,
            Self::Fields(_) => 422,
            Self::NotFound(_) => 404,
            Self::Stale(_) => 409,
            Self::Unavailable => 503,
            Self::Internal => 500,
            Self::ServerFn(err) => match err {
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::Deserialization(_)
                | ServerFnErrorErr::MissingArg(_) => 400,
                ServerFnErrorErr::UnsupportedRequestMethod(_) => 405,
                _ => 500,
            },
        }
    }

    /// The message for one field of a form, if this error names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Fields(fields) => fields
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, m)| m.clone()),
            _ => None,
        }
    }

    /// A short code for the error, used in the URL when a form posted
    /// without JavaScript is sent back to its page.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::BadCredentials => "credentials",
            Self::TooManyAttempts { .. } => "throttled",
            Self::Busy { .. } => "busy",
            Self::Invalid(_) | Self::Fields(_) => "invalid",
            Self::NotFound(_) => "not_found",
            Self::Refused(_) => "forbidden",
            Self::Stale(_) => "stale",
            Self::Unavailable => "unavailable",
            Self::Internal | Self::ServerFn(_) => "internal",
        }
    }
}

#[cfg(feature = "ssr")]
impl From<db::Error> for AppError {
    fn from(err: db::Error) -> Self {
        match err {
            db::Error::Invalid(message) => Self::Invalid(message),
            db::Error::Conflict(what) => Self::Invalid(format!("{what} exists already.")),
            db::Error::Fields(fields) => Self::Fields(fields),
            db::Error::NotFound(what) => Self::NotFound(what.to_owned()),
            db::Error::Forbidden(message) => Self::Refused(message),
            db::Error::Stale(message) => Self::Stale(message),
            db::Error::Sfn(message) => {
                tracing::warn!(%message, "Step Functions call failed in a server function");
                Self::Unavailable
            }
            other => {
                tracing::error!(error = ?other, "database failure in a server function");
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use axum::http::header::{ACCEPT, HeaderValue, RETRY_AFTER};
    use axum::http::{StatusCode, request::Parts};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    use super::AppError;

    /// Whether the current request is a plain form post, made without
    /// JavaScript: the browser asks for a page back, not data.
    pub(crate) fn plain_form_post() -> bool {
        use_context::<Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }

    /// Gives the current server function's response the status of `err`
    /// (and `Retry-After` when it is a throttle). A plain form post (no
    /// JavaScript) is left alone: it is answered with a redirect back to its
    /// page, which a 4xx status would stop the browser from following.
    pub(super) fn set_status(err: &AppError) {
        let Some(response) = use_context::<ResponseOptions>() else {
            return;
        };
        if plain_form_post() {
            return;
        }
        let status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        response.set_status(status);
        if let AppError::TooManyAttempts { retry_after_secs }
        | AppError::Busy { retry_after_secs } = err
        {
            response.insert_header(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
    }
}
