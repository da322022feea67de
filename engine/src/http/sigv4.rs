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

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq)]
struct Authorization<'a> {
    key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
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

fn parse(header: &str) -> Result<Authorization<'_>, ApiError> {
    let (algorithm, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(&format!(
            "Unsupported AWS 'algorithm': '{algorithm}'. Only '{ALGORITHM}' is supported."
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let missing: Vec<String> = [
        ("Credential", credential.is_none()),
        ("Signature", signature.is_none()),
        ("SignedHeaders", signed_headers.is_none()),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(name, _)| format!("Authorization header requires '{name}' parameter."))
    .collect();
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(incomplete(&missing.join(" ")));
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(&format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
        )));
    };
    Ok(Authorization {
        key_id,
        date,
        region,
        service,
        terminator,
        signed_headers: signed_headers.split(';').collect(),
        signature,
    })
}

/// The credential scope: `<date>/<region>/states/aws4_request`, of the
/// request's own date.
fn check_scope(auth: &Authorization<'_>, date_time: &str) -> Result<(), ApiError> {
    if auth.terminator != "aws4_request" {
        return Err(ApiError::InvalidSignatureException(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            auth.terminator
        )));
    }
    if auth.service != SERVICE {
        return Err(ApiError::InvalidSignatureException(format!(
            "Credential should be scoped to correct service: '{SERVICE}'."
        )));
    }
    if auth.region.is_empty() {
        return Err(ApiError::InvalidSignatureException(
            "Credential should be scoped to a valid region.".into(),
        ));
    }
    let day = date_time.get(..8).unwrap_or(date_time);
    if auth.date != day {
        return Err(ApiError::InvalidSignatureException(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{day}', from '{date_time}'.",
            auth.date
        )));
    }
    Ok(())
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

    const HEADER: &str = "AWS4-HMAC-SHA256 Credential=AKID/20240102/eu-west-1/states/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123";

    #[test]
    fn an_authorization_header_is_read_into_its_parts() {
        let auth = parse(HEADER).expect("parses");
        assert_eq!(
            auth,
            Authorization {
                key_id: "AKID",
                date: "20240102",
                region: "eu-west-1",
                service: "states",
                terminator: "aws4_request",
                signed_headers: vec!["content-type", "host", "x-amz-date", "x-amz-target"],
                signature: "abc123",
            }
        );
    }

    #[test]
    fn malformed_authorization_headers_are_incomplete_signatures() {
        let cases = [
            "Bearer abc",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/states/aws4_request",
            "AWS4-HMAC-SHA256 Credential=AKID/20240102, SignedHeaders=host, Signature=00",
        ];
        for header in cases {
            let err = parse(header).expect_err(header);
            assert_eq!(
                err.name(),
                "IncompleteSignatureException",
                "{header}: {err}"
            );
        }
        let err = parse("AWS4-HMAC-SHA256 SignedHeaders=host").expect_err("incomplete");
        assert_eq!(
            err.to_string(),
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."
        );
    }

    #[test]
    fn the_scope_must_be_states_and_the_requests_own_day() {
        let auth = parse(HEADER).expect("parses");
        assert_eq!(check_scope(&auth, "20240102T101010Z"), Ok(()));
        let err = check_scope(&auth, "20240103T000000Z").expect_err("another day");
        assert_eq!(err.name(), "InvalidSignatureException");
        let lambda = HEADER.replace("/states/", "/lambda/");
        let err = check_scope(&parse(&lambda).expect("parses"), "20240102T101010Z")
            .expect_err("another service");
        assert_eq!(
            err.to_string(),
            "Credential should be scoped to correct service: 'states'."
        );
    }

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
