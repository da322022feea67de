//! Password hashing with argon2id (PHC strings in the database).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::{Error, Result};

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes `password` with argon2id and a fresh salt; refuses passwords shorter than [`MIN_LEN`].
pub fn hash(password: &str) -> Result<String> {
    if password.chars().count() < MIN_LEN {
        return Err(Error::Invalid(format!(
            "A password needs at least {MIN_LEN} characters."
        )));
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::PasswordHash(e.to_string()))
}

/// Tells whether `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one verification, so that an unknown user name takes as
/// long to refuse as a wrong password.
pub fn verify_dummy(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RlcGRlc2tkdW1teQ$0hL9mEo4xMAkBLLp5r4fAAOH4dhwfbSqcnodU8q0xyU";
    let _ = verify(password, DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        // Arrange
        let hashed = hash("correct horse").expect("hashes");
        // Act
        let right = verify("correct horse", &hashed);
        let wrong = verify("wrong horse!", &hashed);
        // Assert
        assert!(hashed.starts_with("$argon2id$"));
        assert!(right);
        assert!(!wrong);
    }

    #[test]
    fn a_short_password_is_refused() {
        // Act
        let result = hash("short");
        // Assert
        assert!(matches!(result, Err(Error::Invalid(_))));
    }

    #[test]
    fn a_malformed_hash_never_matches() {
        assert!(!verify("anything", "not a hash"));
    }
}
