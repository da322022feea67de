//! The one error type of Stepdesk's server functions, shared with the browser.

use serde::{Deserialize, Serialize};
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
}

impl AppError {
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
