//! The crate's one error type.

/// What can go wrong in the domain library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed or refused a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database file could not be created or its mode set.
    #[error("database file: {0}")]
    File(#[from] std::io::Error),
    /// A row with the same unique key exists already.
    #[error("{0} exists already")]
    Conflict(&'static str),
    /// An input was refused; the message says why, for the person who typed it.
    #[error("{0}")]
    Invalid(String),
    /// Some fields of a form were refused: `(field, message)` pairs.
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" "))]
    Fields(Vec<(String, String)>),
    /// There is no such thing.
    #[error("{0} was not found.")]
    NotFound(&'static str),
    /// The user's role or relation to the case does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The task is not waiting any more; the message says what happened.
    #[error("{0}")]
    Stale(String),
    /// Step Functions could not be reached or refused the call.
    #[error("Step Functions did not answer: {0}")]
    Sfn(String),
    /// Hashing a password failed.
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
}

impl Error {
    /// Maps a unique-constraint violation to [`Error::Conflict`] naming `what`.
    pub(crate) fn on_unique(err: sqlx::Error, what: &'static str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict(what),
            _ => Self::Database(err),
        }
    }
}
