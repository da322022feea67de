//! The `stepdesk` binary.

fn main() {}
