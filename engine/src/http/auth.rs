//! Who may call the engine's port: anyone, or only callers that sign their
//! requests (SigV4) with the engine's access key.

use std::fmt;

use base64::Engine as _;
use rand::TryRngCore as _;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret as _, SecretString};

/// How the HTTP layer authenticates requests.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Every request is accepted, signed or not, whoever sent it.
    Open,
    /// Only requests signed with this key (AWS Signature Version 4, service
    /// `states`, any region) are accepted; others get AWS's authentication
    /// errors and change nothing.
    SigV4(AccessKey),
}

/// An access key: its id and its secret, as an AWS SDK is configured with.
#[derive(Clone)]
pub struct AccessKey {
    /// The access key id (`AWS_ACCESS_KEY_ID` of a client).
    pub id: String,
    /// The secret access key (`AWS_SECRET_ACCESS_KEY` of a client).
    pub secret: SecretString,
}

impl AccessKey {
    /// A key of the given id and secret.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: SecretString::from(secret.into()),
        }
    }

    /// A fresh key from the operating system's random number generator: an
    /// AWS-like 20-character id and a 40-character secret (240 random bits).
    pub fn random() -> std::io::Result<Self> {
        let mut id = [0u8; 6];
        let mut secret = [0u8; 30];
        OsRng
            .try_fill_bytes(&mut id)
            .and_then(|()| OsRng.try_fill_bytes(&mut secret))
            .map_err(std::io::Error::other)?;
        Ok(Self {
            id: format!("STEPDESK{}", hex::encode_upper(id)),
            secret: SecretString::from(base64::engine::general_purpose::STANDARD.encode(secret)),
        })
    }

    /// The secret, for configuring a client with it.
    pub fn expose_secret(&self) -> &str {
        self.secret.expose_secret()
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_keys_look_like_aws_keys_and_differ() {
        // Arrange and act
        let a = AccessKey::random().expect("random key");
        let b = AccessKey::random().expect("random key");

        // Assert
        assert_eq!((a.id.len(), a.expose_secret().len()), (20, 40));
        assert!(a.id.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a.id, b.id);
        assert_ne!(a.expose_secret(), b.expose_secret());
    }

    #[test]
    fn the_secret_is_never_in_debug_output() {
        let key = AccessKey::new("AKID", "very-secret");
        let shown = format!("{:?}", Auth::SigV4(key));
        assert!(
            shown.contains("AKID") && !shown.contains("very-secret"),
            "{shown}"
        );
    }
}
