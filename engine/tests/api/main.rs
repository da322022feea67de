//! The engine through `aws-sdk-sfn` against its HTTP server, as any AWS
//! client would talk to it.

mod activities;
mod auth;
mod executions;
mod fixtures;
mod helpers;
mod jsonata;
mod machines;
mod protocol;
mod restart;
mod smoke;
mod wire;
