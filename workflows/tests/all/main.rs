//! The workflows crate's integration tests: loading and checking case types
//! from files, deploying them on the engine, and the smoke runs.

mod catalog;
mod deploy;
