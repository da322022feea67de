//! JSONata 2.0.6, the query language of Step Functions' JSONata states.
//!
//! The flow is lex → parse → compile → evaluate, in the style of jaq: the
//! tokenizer feeds a Pratt parser whose tree still mirrors the operators,
//! the compiler turns it into paths of steps (resolving each parent operator
//! `%` to the step it names), and the evaluator walks that tree. Every error
//! is an [`Error`] with JSONata's code; nothing panics on user input, and
//! deep recursion or long loops stop at the [`Limits`].
//!
//! ```
//! use engine::jsonata::Expr;
//!
//! let expr = Expr::parse("$sum(items.price) * (1 + $tax)").unwrap();
//! let input = serde_json::json!({"items": [{"price": 10}, {"price": 5}]});
//! let mut bindings = serde_json::Map::new();
//! bindings.insert("tax".into(), serde_json::json!(0.2));
//! let result = expr.evaluate(&input, &bindings).unwrap();
//! assert_eq!(result, Some(serde_json::json!(18)));
//! ```
//!
//! # Layout
//! - `lex`: characters to tokens.
//! - `parse`: tokens to a syntax tree (Pratt parser).
//! - `signature`: function signatures such as `<s-n?:s>`.
//! - `compile`: the syntax tree to the evaluation tree.
//! - `eval`: the evaluator (paths, operators, transforms).
//! - `functions`: the built-in functions.
//! - `value`: JSONata values and JSON conversion.
//! - [`error`]: the error codes.

mod compile;
pub mod error;
mod eval;
mod functions;
mod lex;
mod names;
mod parse;
mod signature;
mod value;

use std::rc::Rc;
use std::time::Duration;

pub use error::{Code, Error};
use value::{Flags, Value};

/// Variables given to an expression, by name without the `$`.
pub type Bindings = serde_json::Map<String, serde_json::Value>;

/// Bounds on one evaluation.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How deeply evaluation may nest (JSONata counts one per evaluated node);
    /// beyond it, `U1001`.
    pub max_depth: usize,
    /// How long evaluation may run; beyond it, `U1002`.
    pub time_limit: Option<Duration>,
    /// The time `$now()` and `$millis()` report, in milliseconds since the
    /// epoch; `None` reads the clock once at the start.
    pub now_millis: Option<i64>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 500,
            time_limit: Some(Duration::from_secs(10)),
            now_millis: None,
        }
    }
}

/// A parsed JSONata expression, ready to evaluate any number of times.
#[derive(Debug)]
pub struct Expr {
    compiled: compile::Compiled,
}

impl Expr {
    /// Parses an expression; syntax errors carry JSONata's `S0xxx` codes.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let ast = parse::parse(text)?;
        Ok(Self {
            compiled: compile::compile(ast)?,
        })
    }

    /// Evaluates against `input` with `bindings` and the default [`Limits`];
    /// `Ok(None)` is JSONata's `undefined`.
    pub fn evaluate(
        &self,
        input: &serde_json::Value,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>, Error> {
        self.evaluate_with(Some(input), bindings, &Limits::default())
    }

    /// Evaluates with an optional input (`None` is `undefined`) and explicit limits.
    ///
    /// Evaluation runs on its own thread with a large stack, so that the depth
    /// limit, not the caller's stack, bounds recursion.
    pub fn evaluate_with(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
        limits: &Limits,
    ) -> Result<Option<serde_json::Value>, Error> {
        let stack = STACK_PER_LEVEL
            .saturating_mul(limits.max_depth)
            .max(MIN_STACK);
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("jsonata".into())
                .stack_size(stack)
                .spawn_scoped(scope, || self.evaluate_here(input, bindings, limits))
                .map_err(|_| Error::new(Code::U1001))?
                .join()
                .unwrap_or_else(|_| Err(Error::new(Code::U1001)))
        })
    }

    fn evaluate_here(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
        limits: &Limits,
    ) -> Result<Option<serde_json::Value>, Error> {
        let now = limits
            .now_millis
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let mut ev = eval::Ev::new(
            &self.compiled.labels,
            limits.max_depth,
            limits.time_limit,
            now,
        );
        let mut input = input.map_or(Value::Undefined, Value::from_json);
        if let Value::Arr(items, _) = &input {
            let wrapped = Flags {
                sequence: true,
                outer_wrapper: true,
                ..Flags::default()
            };
            input = Value::Arr(
                Rc::new(vec![Value::Arr(items.clone(), Flags::default())]),
                wrapped,
            );
        }
        let root = ev.root_frame();
        root.bind("$", input.clone());
        for (name, value) in bindings {
            root.bind(name, Value::from_json(value));
        }
        let result = ev.eval(&self.compiled.root, &input, &root)?;
        result.to_json()
    }
}

/// The field names `text` reads from the context item at its top level
/// (empty when it reads none, or does not parse).
pub(crate) fn top_level_names(text: &str) -> Vec<String> {
    parse::parse(text)
        .map(|ast| names::top_level_names(&ast))
        .unwrap_or_default()
}

/// Stack reserved per level of evaluation depth (generous for debug builds;
/// it is address space, committed only as used).
const STACK_PER_LEVEL: usize = 64 * 1024;
const MIN_STACK: usize = 8 * 1024 * 1024;

#[cfg(test)]
mod tests;
