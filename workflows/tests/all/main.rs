//! The workflows crate's integration tests: building the support case type
//! in code, loading and checking case types from files, deploying them on the
//! engine, the smoke runs, and the README's example case type.

mod builder;
mod catalog;
mod deploy;
mod readme;
