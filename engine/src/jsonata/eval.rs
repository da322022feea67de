//! The evaluator: walks the compiled tree over a value, with frames of
//! variables, closures, tail calls and the depth and time limits.

mod ops;
mod path;
mod transform;

pub(crate) use path::{append, lookup, merge_sort};
pub(crate) use transform::deep_clone;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use regex::Regex;

use super::compile::{LambdaDef, Node, NodeKind, TransformDef};
use super::error::{Code, Error, Result};
use super::functions::{self, Builtin};
use super::value::{Flags, Value};

/// A frame of variables; closures keep theirs alive.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    vars: RefCell<HashMap<Rc<str>, Value>>,
    parent: Option<Env>,
}

pub(crate) type Env = Rc<Frame>;

impl Frame {
    pub(crate) fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.vars.borrow().get(name) {
            return Some(v.clone());
        }
        match &self.parent {
            Some(p) => p.lookup(name),
            None => functions::lookup(name).map(|b| Value::Func(Rc::new(Func::Builtin(b)))),
        }
    }

    pub(crate) fn bind(&self, name: &str, value: Value) {
        self.vars.borrow_mut().insert(name.into(), value);
    }
}

/// Something that can be called.
#[derive(Debug)]
pub(crate) enum Func {
    Lambda {
        def: Arc<LambdaDef>,
        env: Env,
        input: Value,
    },
    Builtin(&'static Builtin),
    /// A partial application: `None` marks each `?`.
    Partial {
        func: Value,
        args: Vec<Option<Value>>,
    },
    /// `$f ~> $g`: `$g($f(x))`.
    Chain(Value, Value),
    Regex(Arc<Regex>),
    Transform {
        def: Arc<TransformDef>,
        env: Env,
    },
    /// A call in tail position, to be made by the caller's loop.
    Thunk {
        func: Value,
        args: Vec<Value>,
    },
}

impl Func {
    /// How many arguments a higher-order function should pass it.
    pub(crate) fn arity(&self) -> usize {
        match self {
            Func::Lambda { def, .. } => def.params.len(),
            Func::Builtin(b) => b.arity(),
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Chain(..) | Func::Regex(_) | Func::Transform { .. } | Func::Thunk { .. } => 1,
        }
    }
}

/// Limits and inputs of one evaluation.
pub(crate) struct Ev<'a> {
    pub(crate) labels: &'a [String],
    depth: usize,
    max_depth: usize,
    started: Instant,
    time_limit: Option<std::time::Duration>,
    ticks: u32,
    frames: Vec<Env>,
    pub(crate) now_millis: i64,
}

impl Drop for Ev<'_> {
    fn drop(&mut self) {
        // Closures bound in their own frame form cycles: clearing the frames frees them.
        for frame in &self.frames {
            frame.vars.borrow_mut().clear();
        }
    }
}

impl<'a> Ev<'a> {
    pub(crate) fn new(
        labels: &'a [String],
        max_depth: usize,
        time_limit: Option<std::time::Duration>,
        now_millis: i64,
    ) -> Self {
        Ev {
            labels,
            depth: 0,
            max_depth,
            started: Instant::now(),
            time_limit,
            ticks: 0,
            frames: Vec::new(),
            now_millis,
        }
    }

    pub(crate) fn frame(&mut self, parent: &Env) -> Env {
        let frame = Rc::new(Frame {
            vars: RefCell::default(),
            parent: Some(parent.clone()),
        });
        self.frames.push(frame.clone());
        frame
    }

    pub(crate) fn root_frame(&mut self) -> Env {
        let frame = Rc::new(Frame::default());
        self.frames.push(frame.clone());
        frame
    }

    /// Counts time: long loops inside functions call it too.
    pub(crate) fn tick(&mut self) -> Result<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(1024)
            && let Some(limit) = self.time_limit
            && self.started.elapsed() > limit
        {
            return Err(Error::new(Code::U1002));
        }
        Ok(())
    }

    pub(crate) fn eval(&mut self, node: &Node, input: &Value, env: &Env) -> Result<Value> {
        self.depth += 1;
        if self.depth > self.max_depth {
            self.depth -= 1;
            return Err(Error::new(Code::U1001).at(node.pos));
        }
        let result = self.tick().and_then(|()| self.eval_node(node, input, env));
        self.depth -= 1;
        let mut result = result?;
        if let Value::Arr(items, flags) = &result
            && flags.sequence
        {
            let mut flags = *flags;
            if node.keep_array {
                flags.keep_singleton = true;
            }
            result = match items.len() {
                0 => Value::Undefined,
                1 if !flags.keep_singleton => items.first().cloned().unwrap_or_default(),
                _ => Value::Arr(items.clone(), flags),
            };
        }
        Ok(result)
    }

    fn eval_node(&mut self, node: &Node, input: &Value, env: &Env) -> Result<Value> {
        let mut result = match &node.kind {
            NodeKind::Path {
                steps,
                keep_singleton,
            } => return self.path(node, steps, *keep_singleton, input, env),
            NodeKind::Name(name) => path::lookup(input, name),
            NodeKind::Str(s) => Value::Str(Rc::from(&**s)),
            NodeKind::Num(n) => Value::Num(*n),
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Null => Value::Null,
            NodeKind::Wildcard => path::wildcard(input),
            NodeKind::Descendant => path::descendants(input),
            NodeKind::Parent(slot) => {
                let label = self.labels.get(*slot).map_or("", String::as_str);
                env.lookup(label).unwrap_or_default()
            }
            NodeKind::Var(name) => self.variable(name, input, env),
            NodeKind::Regex(re) => Value::Func(Rc::new(Func::Regex(re.clone()))),
            NodeKind::Binary(op, lhs, rhs) => self
                .binary(op, lhs, rhs, input, env)
                .map_err(|e| e.at(node.pos))?,
            NodeKind::Neg(inner) => match self.eval(inner, input, env)? {
                Value::Undefined => Value::Undefined,
                Value::Num(n) => Value::Num(-n),
                v => return Err(Error::new(Code::D1002).at(node.pos).value(v.to_json_text())),
            },
            NodeKind::Array(items) => self.array(node, items, input, env)?,
            NodeKind::Object(pairs) => self.group(pairs, node.pos, input.clone(), env)?,
            NodeKind::Condition(cond, then, otherwise) => {
                if self.eval(cond, input, env)?.truthy() == Some(true) {
                    self.eval(then, input, env)?
                } else if let Some(e) = otherwise {
                    self.eval(e, input, env)?
                } else {
                    Value::Undefined
                }
            }
            NodeKind::Block(items) => {
                let frame = self.frame(env);
                let mut last = Value::Undefined;
                for item in items {
                    last = self.eval(item, input, &frame)?;
                }
                last
            }
            NodeKind::Bind(name, rhs) => {
                let value = self.eval(rhs, input, env)?;
                env.bind(name, value.clone());
                value
            }
            NodeKind::Call {
                procedure,
                args,
                tail,
            } => self.call(node, procedure, args, *tail, None, input, env)?,
            NodeKind::Partial { procedure, args } => {
                self.partial(node, procedure, args, input, env)?
            }
            NodeKind::Placeholder => Value::Undefined,
            NodeKind::Lambda(def) => Value::Func(Rc::new(Func::Lambda {
                def: def.clone(),
                env: env.clone(),
                input: input.clone(),
            })),
            NodeKind::Apply(lhs, rhs) => self.apply_op(node, lhs, rhs, input, env)?,
            NodeKind::Transform(def) => Value::Func(Rc::new(Func::Transform {
                def: def.clone(),
                env: env.clone(),
            })),
            NodeKind::Sort(_) => self.sort(node, input.clone(), env)?,
        };
        for predicate in &node.predicates {
            result = self.filter(predicate, result, env)?;
        }
        if let Some(group) = &node.group {
            result = self.group(&group.pairs, group.pos, result, env)?;
        }
        Ok(result)
    }

    fn variable(&mut self, name: &str, input: &Value, env: &Env) -> Value {
        if name.is_empty() {
            if let Value::Arr(items, flags) = input
                && flags.outer_wrapper
            {
                return items.first().cloned().unwrap_or_default();
            }
            return input.clone();
        }
        env.lookup(name).unwrap_or_default()
    }

    fn array(&mut self, node: &Node, items: &[Node], input: &Value, env: &Env) -> Result<Value> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let value = self.eval(item, input, env)?;
            match value {
                Value::Undefined => {}
                Value::Arr(inner, _) if !matches!(item.kind, NodeKind::Array(_)) => {
                    out.extend(inner.iter().cloned())
                }
                v => out.push(v),
            }
        }
        let flags = Flags {
            cons: node.cons_array,
            ..Flags::default()
        };
        Ok(Value::Arr(Rc::new(out), flags))
    }

    /// The name a call reports in errors: the function's variable or step name.
    fn procedure_name(procedure: &Node) -> Option<String> {
        match &procedure.kind {
            NodeKind::Var(v) => Some(v.to_string()),
            NodeKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
                Some(NodeKind::Name(n)) => Some(n.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    fn forgot_dollar(procedure: &Node, env: &Env) -> Option<String> {
        match &procedure.kind {
            NodeKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
                Some(NodeKind::Name(n)) if env.lookup(n).is_some() => Some(n.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    #[expect(clippy::too_many_arguments, reason = "the parts of one call node")]
    fn call(
        &mut self,
        node: &Node,
        procedure: &Node,
        args: &[Node],
        tail: bool,
        applied_to: Option<Value>,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let func = self.eval(procedure, input, env)?;
        if func.is_undefined()
            && let Some(name) = Self::forgot_dollar(procedure, env)
        {
            return Err(Error::new(Code::T1005).at(node.pos).token(name));
        }
        let mut values: Vec<Value> = applied_to.into_iter().collect();
        for arg in args {
            values.push(self.eval(arg, input, env)?);
        }
        if tail && func.is_function() {
            return Ok(Value::Func(Rc::new(Func::Thunk { func, args: values })));
        }
        self.apply(&func, values, input).map_err(|mut e| {
            if e.token.is_none() {
                e.token = Self::procedure_name(procedure);
            }
            e.at(node.pos)
        })
    }

    fn partial(
        &mut self,
        node: &Node,
        procedure: &Node,
        args: &[Node],
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let mut bound = Vec::with_capacity(args.len());
        for arg in args {
            bound.push(match arg.kind {
                NodeKind::Placeholder => None,
                _ => Some(self.eval(arg, input, env)?),
            });
        }
        let func = self.eval(procedure, input, env)?;
        if !func.is_function() {
            if func.is_undefined()
                && let Some(name) = Self::forgot_dollar(procedure, env)
            {
                return Err(Error::new(Code::T1007).at(node.pos).token(name));
            }
            let name = Self::procedure_name(procedure).unwrap_or_default();
            return Err(Error::new(Code::T1008).at(node.pos).token(name));
        }
        Ok(Value::Func(Rc::new(Func::Partial { func, args: bound })))
    }

    fn apply_op(
        &mut self,
        node: &Node,
        lhs: &Node,
        rhs: &Node,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        if let NodeKind::Call {
            procedure, args, ..
        } = &rhs.kind
        {
            let context = self.eval(lhs, input, env)?;
            return self.call(rhs, procedure, args, false, Some(context), input, env);
        }
        let value = self.eval(lhs, input, env)?;
        let func = self.eval(rhs, input, env)?;
        if !func.is_function() {
            return Err(Error::new(Code::T2006)
                .at(node.pos)
                .value(func.to_json_text()));
        }
        if value.is_function() {
            return Ok(Value::Func(Rc::new(Func::Chain(value, func))));
        }
        self.apply(&func, vec![value], &Value::Null)
            .map_err(|e| e.at(node.pos))
    }

    /// Calls a function value, running tail calls in a loop.
    pub(crate) fn apply(&mut self, func: &Value, args: Vec<Value>, input: &Value) -> Result<Value> {
        let mut result = self.apply_inner(func, args, input)?;
        loop {
            let next = match &result {
                Value::Func(f) => match &**f {
                    Func::Thunk { func, args } => Some((func.clone(), args.clone())),
                    _ => None,
                },
                _ => None,
            };
            let Some((func, args)) = next else {
                return Ok(result);
            };
            self.tick()?;
            result = self.apply_inner(&func, args, input)?;
        }
    }

    fn apply_inner(&mut self, func: &Value, args: Vec<Value>, input: &Value) -> Result<Value> {
        let Value::Func(f) = func else {
            return Err(Error::new(Code::T1006));
        };
        match &**f {
            Func::Lambda {
                def,
                env,
                input: captured,
            } => {
                let args = match &def.signature {
                    Some(sig) => sig.validate(args, input)?,
                    None => args,
                };
                let frame = self.frame(env);
                let mut args = args.into_iter();
                for param in &def.params {
                    frame.bind(param, args.next().unwrap_or_default());
                }
                self.eval(&def.body, captured, &frame)
            }
            Func::Builtin(b) => {
                // Infinity and NaN are not JSON numbers: JSONata refuses them as arguments.
                if b.name != "string"
                    && let Some(n) = args
                        .iter()
                        .find_map(|a| a.as_f64().filter(|n| !n.is_finite()))
                {
                    return Err(Error::new(Code::D1001)
                        .value(super::value::format_number(n))
                        .token(b.name));
                }
                let args = match b.signature() {
                    Some(sig) => sig.validate(args, input).map_err(|e| e.token(b.name))?,
                    None => args,
                };
                (b.imp)(self, &args, input).map_err(|e| {
                    if e.token.is_none() {
                        e.token(b.name)
                    } else {
                        e
                    }
                })
            }
            Func::Partial { func, args: bound } => {
                let mut given = args.into_iter();
                let filled = bound
                    .iter()
                    .map(|a| {
                        a.clone()
                            .unwrap_or_else(|| given.next().unwrap_or_default())
                    })
                    .collect();
                self.apply_inner(func, filled, &Value::Undefined)
            }
            Func::Chain(first, second) => {
                let mid = self.apply(first, args, input)?;
                self.apply(second, vec![mid], input)
            }
            Func::Regex(re) => {
                let text = args
                    .first()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                Ok(functions::regex_match_object(re, &text, 0))
            }
            Func::Transform { def, env } => {
                let target = args.into_iter().next().unwrap_or_default();
                self.transform(def, env, target)
            }
            Func::Thunk { func, args } => self.apply_inner(func, args.clone(), input),
        }
    }
}
