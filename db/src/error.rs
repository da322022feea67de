//! The crate's one error type.

/// What can go wrong in the domain library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed or refused a query.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row with the same unique key exists already.
    #[error("{0} exists already")]
    Conflict(&'static str),
    /// An input was refused; the message says why, for the person who typed it.
    #[error("{0}")]
    Invalid(String),
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
