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
    /// A short code for the error, used in the URL when a form posted
    /// without JavaScript is sent back to its page.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::BadCredentials => "credentials",
            Self::TooManyAttempts { .. } => "throttled",
            Self::Invalid(_) => "invalid",
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
            other => {
                tracing::error!(error = ?other, "database failure in a server function");
                Self::Internal
            }
        }
    }
}
