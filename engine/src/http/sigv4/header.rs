//! Reading an `Authorization` header and checking its credential scope.

use super::{ALGORITHM, SERVICE, incomplete};
use crate::error::ApiError;

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq)]
pub(super) struct Authorization<'a> {
    pub key_id: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub terminator: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

/// Reads the header's algorithm, credential scope, signed headers and signature.
pub(super) fn parse(header: &str) -> Result<Authorization<'_>, ApiError> {
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
pub(super) fn check_scope(auth: &Authorization<'_>, date_time: &str) -> Result<(), ApiError> {
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
}
