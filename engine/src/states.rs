//! One module per state type: how each behaves when the interpreter enters it.

pub mod choice;
