//! The workflows crate's integration tests: building the support case type in code, loading and checking case types
//! from files, deploying them on the engine, and the smoke runs.

mod builder;
mod catalog;
mod deploy;
