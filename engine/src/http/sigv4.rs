//! Checking a request's AWS Signature Version 4 (the `Authorization` header)
//! against the engine's access key.
//!
//! The signature is recomputed with `aws-sigv4`, the signer of the AWS SDK
//! for Rust, over the request as received: its method, path and query, the
//! headers it lists in `SignedHeaders` (and only those), and the SHA-256 of
//! its body; then compared in constant time. Any region is accepted in the
//! credential scope; the service must be `states`. Errors are AWS's, by name
//! and text.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use axum::http::{HeaderMap, Method, Uri};
use chrono::{DateTime, NaiveDateTime, Utc};
use subtle::ConstantTimeEq as _;

mod header;

use header::{Authorization, check_scope, parse};

use super::auth::AccessKey;
use crate::error::ApiError;

/// The signing name of Step Functions.
const SERVICE: &str = "states";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far a request's time may be from ours, either way (AWS's 15 minutes).
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
const DATE_TIME: &str = "%Y%m%dT%H%M%SZ";

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. \
     Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const UNRECOGNIZED: &str = "The security token included in the request is invalid.";

/// The received request, as far as its signature covers it.
pub(super) struct Received<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Accepts the request if it is signed with `key` within 15 minutes of `now`.
pub(super) fn verify(
    key: &AccessKey,
    request: &Received<'_>,
    now: SystemTime,
) -> Result<(), ApiError> {
    let Some(header) = request.headers.get("authorization") else {
        return Err(ApiError::MissingAuthenticationTokenException(
            "Missing Authentication Token".into(),
        ));
    };
    let header = header
        .to_str()
        .map_err(|_| incomplete("Authorization header is not ASCII."))?;
    let auth = parse(header)?;
    let date_time = request
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        })?;
    let time = parse_time(date_time)?;
    check_scope(&auth, date_time)?;
    // No session tokens are issued here: a request with one was signed with
    // credentials of somewhere else.
    if auth.key_id != key.id || request.headers.contains_key("x-amz-security-token") {
        return Err(ApiError::UnrecognizedClientException(UNRECOGNIZED.into()));
    }
    check_skew(date_time, time, now)?;
    let expected = signature(key, &auth, request, time)?;
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(())
    } else {
        Err(mismatch())
    }
}

fn parse_time(date_time: &str) -> Result<SystemTime, ApiError> {
    NaiveDateTime::parse_from_str(date_time, DATE_TIME)
        .map(|t| SystemTime::from(t.and_utc()))
        .map_err(|_| {
            incomplete(&format!(
                "Date must be in ISO-8601 'basic format'. Got '{date_time}'. See http://en.wikipedia.org/wiki/ISO_8601"
            ))
        })
}

fn check_skew(date_time: &str, time: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    let stamp = |t: SystemTime| DateTime::<Utc>::from(t).format(DATE_TIME).to_string();
    if time + MAX_SKEW < now {
        return Err(ApiError::InvalidSignatureException(format!(
            "Signature expired: {date_time} is now earlier than {} ({} - 15 min.)",
            stamp(now - MAX_SKEW),
            stamp(now)
        )));
    }
    if time > now + MAX_SKEW {
        return Err(ApiError::InvalidSignatureException(format!(
            "Signature not yet current: {date_time} is still later than {} ({} + 15 min.)",
            stamp(now + MAX_SKEW),
            stamp(now)
        )));
    }
    Ok(())
}

/// The signature `aws-sigv4` makes of the request with `key`, over the
/// headers the caller signed.
fn signature(
    key: &AccessKey,
    auth: &Authorization<'_>,
    request: &Received<'_>,
    time: SystemTime,
) -> Result<String, ApiError> {
    let mut headers = Vec::new();
    for name in &auth.signed_headers {
        // The signer writes X-Amz-Date itself, from `time`.
        if *name == "x-amz-date" {
            continue;
        }
        for value in request.headers.get_all(*name) {
            headers.push((*name, value.to_str().map_err(|_| mismatch())?));
        }
    }
    // The signer takes the host from the headers; a caller that did not sign
    // it gets this placeholder, and so a signature that cannot match.
    let path = request.uri.path_and_query().map_or("/", |p| p.as_str());
    let uri = format!("http://localhost{path}");
    let signable = SignableRequest::new(
        request.method.as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body),
    )
    .map_err(|_| mismatch())?;
    let mut settings = SigningSettings::default();
    // Exactly the headers the caller listed are signed, whatever they are.
    settings.excluded_headers = Some(Vec::new());
    let identity = Identity::from(aws_credential_types::Credentials::new(
        key.id.clone(),
        key.expose_secret(),
        None,
        None,
        "engine",
    ));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name(SERVICE)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| ApiError::InternalFailure(format!("signing parameters: {e}")))?
        .into();
    let (_, signature) = sign(signable, &params)
        .map_err(|_| mismatch())?
        .into_parts();
    Ok(signature)
}

fn incomplete(message: &str) -> ApiError {
    ApiError::IncompleteSignatureException(message.to_owned())
}

fn mismatch() -> ApiError {
    ApiError::InvalidSignatureException(MISMATCH.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_more_than_15_minutes_off_has_an_expired_signature() {
        // Arrange
        let now = parse_time("20240102T120000Z").expect("time");
        let early = "20240102T114400Z";
        let late = "20240102T121600Z";

        // Act
        let expired = check_skew(early, parse_time(early).expect("time"), now);
        let future = check_skew(late, parse_time(late).expect("time"), now);
        let fine = check_skew("20240102T114600Z", now - Duration::from_secs(14 * 60), now);

        // Assert
        assert_eq!(
            expired.expect_err("expired").to_string(),
            "Signature expired: 20240102T114400Z is now earlier than 20240102T114500Z (20240102T120000Z - 15 min.)"
        );
        assert_eq!(
            future.expect_err("not yet").to_string(),
            "Signature not yet current: 20240102T121600Z is still later than 20240102T121500Z (20240102T120000Z + 15 min.)"
        );
        assert_eq!(fine, Ok(()));
    }
}
