//! The library behind the `stepdesk` binary: configuration, the web server,
//! and the user tools. The binary (`main.rs`) only parses flags and calls in.
//!
//! # Layout
//! - [`config`]: the one typed configuration, from flags and `STEPDESK_*` env.
//! - [`web`]: the axum application: Leptos routes, server functions,
//!   sessions, the page guard and the origin check.
//! - [`demo`]: the demo data set.
//! - [`user_cmd`]: `stepdesk user add`.
//! - [`stepfunctions`]: the embedded engine or AWS, behind one client.
//! - [`workers`]: activity pollers, heartbeats, the reconciler.

pub mod config;
pub mod demo;
pub mod stepfunctions;
pub mod user_cmd;
pub mod web;
pub mod workers;

pub use config::{Config, ServeArgs};
pub use web::Application;
