//! Requests written by hand on a TCP socket, signed (with `aws-sigv4`, as
//! the SDK signs) or not, for what an SDK would never send.

use std::net::SocketAddr;
use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{KEY_ID, SECRET};

/// A request to send.
pub struct Request<'a> {
    pub method: &'a str,
    /// The action (`X-Amz-Target: AWSStepFunctions.<action>`), if any.
    pub target: Option<&'a str>,
    pub body: &'a [u8],
    /// Extra headers, such as a signature's.
    pub headers: Vec<(String, String)>,
}

impl<'a> Request<'a> {
    /// An unsigned POST of `action` with `body`.
    pub fn post(action: &'a str, body: &'a [u8]) -> Self {
        Self {
            method: "POST",
            target: Some(action),
            body,
            headers: Vec::new(),
        }
    }

    /// The request signed for the engine at `addr` with the test engines'
    /// key, now.
    pub fn signed(self, addr: SocketAddr) -> Self {
        self.signed_with(addr, KEY_ID, SECRET, SystemTime::now())
    }

    /// The request signed for the engine at `addr` with a key at a time.
    pub fn signed_with(
        mut self,
        addr: SocketAddr,
        key_id: &str,
        secret: &str,
        time: SystemTime,
    ) -> Self {
        let host = addr.to_string();
        let target = self.target.map(|t| format!("AWSStepFunctions.{t}"));
        let mut headers = vec![
            ("content-type", "application/x-amz-json-1.0"),
            ("host", host.as_str()),
        ];
        if let Some(t) = &target {
            headers.push(("x-amz-target", t));
        }
        let identity = Identity::from(aws_credential_types::Credentials::new(
            key_id, secret, None, None, "tests",
        ));
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("states")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let signable = SignableRequest::new(
            self.method,
            format!("http://{host}/"),
            headers.into_iter(),
            SignableBody::Bytes(self.body),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("signed").into_parts();
        for (name, value) in instructions.headers() {
            self.headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Sends the request to `addr` and returns (status, body as JSON or text).
    pub async fn send(&self, addr: SocketAddr) -> (u16, Value) {
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let mut head = format!(
            "{} / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.method,
            self.body.len()
        );
        if let Some(t) = self.target {
            head.push_str(&format!("X-Amz-Target: AWSStepFunctions.{t}\r\n"));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.expect("write head");
        let _ = stream.write_all(self.body).await;
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out).await;
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        (
            status,
            serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())),
        )
    }
}
