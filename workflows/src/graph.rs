//! Draws a state machine as an SVG picture, with a text equivalent.
//!
//! The case page and the admin Workflows page show a definition (Amazon
//! States Language as [`Value`]) with the steps an execution is at, went
//! through or failed in. The server renders the SVG; the browser runs no code.
//!
//! # Layout
//! - `kind`: [`StepKind`], how the pictures tell states apart.
//! - `metrics`: how big states, groups and texts are drawn.
//! - `model`: reads the definition into states and edges, or a [`GraphError`].
//! - `labels`: the short texts on edges and how wide a text is drawn.
//! - `layout`: places the states with `layout-rs`, groups (Parallel, Map)
//!   laid out inside their frames, recursively.
//! - `route`: draws each edge as a curve through the layout's slots for it.
//! - `scene`: the placed shapes, in the coordinates of their frame.
//! - `svg` and `style`: writes a scene as SVG with classes and default colours.
//! - `steps`: [`steps`], the same graph as a list for screen readers.
//! - `marks`: [`marks_from_events`], the marks an execution history gives.

mod kind;
mod labels;
mod layout;
mod marks;
mod metrics;
mod model;
mod route;
mod scene;
mod steps;
mod style;
mod svg;

use std::collections::HashMap;

use serde_json::Value;

pub use kind::StepKind;
pub use marks::marks_from_events;
pub use steps::{StepLine, steps};

/// How an execution has met a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// The execution is in this state now.
    Current,
    /// The execution went through this state.
    Visited,
    /// The execution failed in this state.
    Failed,
}

impl Mark {
    /// The CSS class a marked state carries.
    pub fn class(self) -> &'static str {
        match self {
            Self::Current => "is-current",
            Self::Visited => "is-visited",
            Self::Failed => "is-failed",
        }
    }

    /// The mark in words, for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Visited => "done",
            Self::Failed => "failed",
        }
    }
}

/// A definition that cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// The definition, a branch or a state is not a JSON object.
    #[error("{at} is not a JSON object")]
    NotAnObject {
        /// Which part of the definition.
        at: String,
    },
    /// A required field is missing or has the wrong type.
    #[error("{at} has no {field} (or it is not {expected})")]
    BadField {
        /// Which part of the definition.
        at: String,
        /// The field's name.
        field: &'static str,
        /// What the field should hold.
        expected: &'static str,
    },
    /// `StartAt`, `Next`, `Default` or a `Catch` names a state that does not exist.
    #[error("{at} goes to \"{target}\", which is not among its states")]
    UnknownState {
        /// Which part of the definition.
        at: String,
        /// The missing state's name.
        target: String,
    },
    /// Groups are nested deeper than a picture can show.
    #[error("the definition nests Parallel and Map states more than {0} deep")]
    TooDeep(usize),
    /// The definition has more states than a picture can show.
    #[error("the definition has more than {0} states")]
    TooLarge(usize),
    /// So many edges reach so far that laying them out would take too long.
    #[error("the definition has too many far-reaching edges to draw")]
    TooTangled,
    /// The layout engine could not place the states.
    #[error("the states of this definition could not be laid out")]
    Layout,
}

/// Draws `definition` as an SVG element, with `marks` (by state name) shown.
///
/// The picture scales to its container's width; every text is escaped; the
/// same input always gives the same bytes.
pub fn render_svg(definition: &Value, marks: &HashMap<String, Mark>) -> Result<String, GraphError> {
    let machine = model::Machine::parse(definition)?;
    let scene = layout::lay_out(&machine)?;
    let title = title(&machine, marks);
    let desc = definition.get("Comment").and_then(Value::as_str);
    Ok(svg::write(&scene, marks, &title, desc))
}

/// The picture's accessible name: its size, start and where executions are.
fn title(machine: &model::Machine, marks: &HashMap<String, Mark>) -> String {
    let mut title = format!(
        "Workflow of {} steps, starting at {}",
        machine.count(),
        machine.start_name()
    );
    let mut current: Vec<&str> = machine
        .names()
        .into_iter()
        .filter(|name| marks.get(*name) == Some(&Mark::Current))
        .collect();
    current.dedup();
    if !current.is_empty() {
        title.push_str("; now at ");
        title.push_str(&current.join(", "));
    }
    title
}

#[cfg(test)]
mod tests;
