//! What a case type is, as data: its case fields, its human steps and each
//! step's form. The same types are read from a case type's sidecar file on
//! the server and sent to the browser, and the same [`check`] turns what a
//! person typed into the values a step's output carries, with the same
//! messages on both sides.
//!
//! # Layout
//! - [`spec`]: the sidecar's types ([`CaseType`], [`CaseField`], [`Step`],
//!   [`Form`]).
//! - [`field`]: [`FieldView`], one field as a form draws it, built from a
//!   case field or from a form's JSON Schema property.
//! - [`check`]: typed values from submitted text, every problem at once.
//! - [`path`]: dotted paths (`$.Case.Title`) into a task's input.
//! - [`display`]: a stored value as a person reads it.

pub mod check;
pub mod display;
pub mod field;
pub mod path;
pub mod spec;

pub use check::{Problem, check};
pub use field::{FieldView, Widget};
pub use spec::{
    Assignment, CaseField, CaseStart, CaseType, Choice, FailOutcome, FieldKind, Form, Shown, Sla,
    Smoke, SmokeAnswer, Step, UiHint,
};

/// The keys of a case's execution input that Stepdesk sets itself; a case
/// field may not use them.
pub const RESERVED_INPUT_KEYS: [&str; 6] = [
    "CaseId",
    "CaseType",
    "Title",
    "Priority",
    "SlaSeconds",
    "OpenedBy",
];
