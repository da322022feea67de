//! The server through HTTP, as a browser drives it: the real `stepdesk`
//! binary on a random port with a fresh mirror and engine database each.

mod access;
mod cases;
mod engine_port;
mod fuzz;
mod generated;
mod hardening;
mod helpers;
mod matrix;
mod pull;
mod refund;
mod restart;
mod security;
