//! From the syntax tree to the evaluation tree: binary `.` becomes a path of
//! steps, predicates become stages of their step, `@`/`#` bind on steps, and
//! each parent operator `%` is resolved to the step whose context it names.

use std::sync::Arc;

use regex::Regex;

use super::error::{Code, Error, Result};
use super::parse::{Ast, AstKind};
use super::signature::Signature;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) pos: usize,
    pub(crate) keep_array: bool,
    /// Predicates of a step inside a path (and `#` bindings between them).
    pub(crate) stages: Vec<Stage>,
    /// Predicates of an expression that is not a path step.
    pub(crate) predicates: Vec<Node>,
    pub(crate) group: Option<Box<Group>>,
    pub(crate) focus: Option<Arc<str>>,
    pub(crate) index: Option<Arc<str>>,
    /// The step binds names (`@`, `#`, `%`): its path runs as a tuple stream.
    pub(crate) tuple: bool,
    /// The slot (see [`Compiled::labels`]) a `%` reads this step's context from.
    pub(crate) ancestor: Option<usize>,
    pub(crate) cons_array: bool,
    pub(crate) seeking_parent: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) enum Stage {
    Filter(Node),
    Index(Arc<str>),
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) pairs: Vec<(Node, Node)>,
    pub(crate) pos: usize,
}

#[derive(Debug)]
pub(crate) struct LambdaDef {
    pub(crate) params: Vec<Arc<str>>,
    pub(crate) signature: Option<Signature>,
    pub(crate) body: Node,
}

#[derive(Debug)]
pub(crate) struct TransformDef {
    pub(crate) pattern: Node,
    pub(crate) update: Node,
    pub(crate) delete: Option<Node>,
    pub(crate) pos: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Path {
        steps: Vec<Node>,
        keep_singleton: bool,
    },
    Name(Arc<str>),
    Str(Arc<str>),
    Num(f64),
    Bool(bool),
    Null,
    Wildcard,
    Descendant,
    Parent(usize),
    Var(Arc<str>),
    Regex(Arc<Regex>),
    Binary(&'static str, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Block(Vec<Node>),
    Bind(Arc<str>, Box<Node>),
    Call {
        procedure: Box<Node>,
        args: Vec<Node>,
        tail: bool,
    },
    Partial {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    Placeholder,
    Lambda(Arc<LambdaDef>),
    Apply(Box<Node>, Box<Node>),
    Transform(Arc<TransformDef>),
    Sort(Vec<(bool, Node)>),
}

impl Node {
    fn new(kind: NodeKind, pos: usize) -> Self {
        Node {
            kind,
            pos,
            keep_array: false,
            stages: Vec::new(),
            predicates: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            cons_array: false,
            seeking_parent: Vec::new(),
        }
    }

    fn is_path(&self) -> bool {
        matches!(self.kind, NodeKind::Path { .. })
    }

    fn into_path(self) -> Node {
        if self.is_path() {
            return self;
        }
        let pos = self.pos;
        Node::new(
            NodeKind::Path {
                steps: vec![self],
                keep_singleton: false,
            },
            pos,
        )
    }

    fn steps_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.kind {
            NodeKind::Path { steps, .. } => Some(steps),
            _ => None,
        }
    }

    /// The node a predicate or binding applies to: a path's last step, or the node itself.
    fn last_step_mut(&mut self) -> &mut Node {
        let has_steps = matches!(&self.kind, NodeKind::Path { steps, .. } if !steps.is_empty());
        if !has_steps {
            return self;
        }
        match &mut self.kind {
            NodeKind::Path { steps, .. } => match steps.last_mut() {
                Some(last) => last,
                None => unreachable_empty(),
            },
            _ => unreachable_empty(),
        }
    }
}

fn unreachable_empty() -> ! {
    panic!("a path with steps has a last step")
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    label: usize,
    level: i32,
}

/// The compiled expression: its tree and the variable names of its parent slots.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) root: Node,
    pub(crate) labels: Vec<String>,
}

pub(crate) fn compile(ast: Ast) -> Result<Compiled> {
    let mut c = Compiler { slots: Vec::new() };
    let root = c.node(ast)?;
    if matches!(root.kind, NodeKind::Parent(_)) || !root.seeking_parent.is_empty() {
        return Err(Error::new(Code::S0217).at(root.pos).token("parent"));
    }
    let labels = c.slots.iter().map(|s| format!("!{}", s.label)).collect();
    Ok(Compiled { root, labels })
}

struct Compiler {
    slots: Vec<Slot>,
}

fn push_ancestry(result: &mut Node, value: &Node) {
    result
        .seeking_parent
        .extend(value.seeking_parent.iter().copied());
    if let NodeKind::Parent(slot) = value.kind {
        result.seeking_parent.push(slot);
    }
}

impl Compiler {
    fn boxed(&mut self, ast: Ast) -> Result<Box<Node>> {
        Ok(Box::new(self.node(ast)?))
    }

    /// Compiles one node; an empty predicate `[]` on any expression keeps its singleton arrays.
    fn node(&mut self, ast: Ast) -> Result<Node> {
        let keep_array = ast.keep_array;
        let mut node = self.node_inner(ast)?;
        node.keep_array |= keep_array;
        Ok(node)
    }

    fn node_inner(&mut self, ast: Ast) -> Result<Node> {
        let pos = ast.pos;
        let keep_array = ast.keep_array;
        let mut node = match ast.kind {
            AstKind::Name(n) => {
                let mut step = Node::new(NodeKind::Name(n.into()), pos);
                step.keep_array = keep_array;
                let mut path = step.into_path();
                if keep_array {
                    path.kind = match path.kind {
                        NodeKind::Path { steps, .. } => NodeKind::Path {
                            steps,
                            keep_singleton: true,
                        },
                        k => k,
                    };
                }
                return Ok(path);
            }
            AstKind::Str(s) => Node::new(NodeKind::Str(s.into()), pos),
            AstKind::Num(n) => Node::new(NodeKind::Num(n), pos),
            AstKind::Bool(b) => Node::new(NodeKind::Bool(b), pos),
            AstKind::Null => Node::new(NodeKind::Null, pos),
            AstKind::Var(v) => Node::new(NodeKind::Var(v.into()), pos),
            AstKind::Wildcard => Node::new(NodeKind::Wildcard, pos),
            AstKind::Descendant => Node::new(NodeKind::Descendant, pos),
            AstKind::Placeholder => Node::new(NodeKind::Placeholder, pos),
            AstKind::Regex(pattern, flags) => Node::new(
                NodeKind::Regex(Arc::new(regex(&pattern, &flags, pos)?)),
                pos,
            ),
            AstKind::Parent => {
                let label = self.slots.len();
                self.slots.push(Slot { label, level: 1 });
                Node::new(NodeKind::Parent(label), pos)
            }
            AstKind::Neg(inner) => {
                let inner = self.node(*inner)?;
                if let NodeKind::Num(n) = inner.kind
                    && inner.predicates.is_empty()
                    && inner.group.is_none()
                {
                    return Ok(Node::new(NodeKind::Num(-n), inner.pos));
                }
                let mut node =
                    Node::new(NodeKind::Neg(Box::new(Node::new(NodeKind::Null, pos))), pos);
                push_ancestry(&mut node, &inner);
                node.kind = NodeKind::Neg(Box::new(inner));
                node
            }
            AstKind::Array(items) => {
                let mut node = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let item = self.node(item)?;
                    push_ancestry(&mut node, &item);
                    out.push(item);
                }
                node.kind = NodeKind::Array(out);
                node
            }
            AstKind::Object(pairs) => {
                let mut node = Node::new(NodeKind::Null, pos);
                let pairs = self.pairs(pairs, Some(&mut node))?;
                node.kind = NodeKind::Object(pairs);
                node
            }
            AstKind::Binary(".", lhs, rhs) => return self.path(*lhs, *rhs),
            AstKind::Binary(op, lhs, rhs) => {
                let (lhs, rhs) = (self.node(*lhs)?, self.node(*rhs)?);
                let mut node = Node::new(NodeKind::Null, pos);
                push_ancestry(&mut node, &lhs);
                push_ancestry(&mut node, &rhs);
                node.kind = NodeKind::Binary(op, Box::new(lhs), Box::new(rhs));
                node
            }
            AstKind::Predicate(lhs, rhs) => return self.predicate(*lhs, *rhs, pos),
            AstKind::Group(lhs, pairs) => {
                let mut result = self.node(*lhs)?;
                if result.group.is_some() {
                    return Err(Error::new(Code::S0210).at(pos));
                }
                let pairs = self.pairs(pairs, None)?;
                result.group = Some(Box::new(Group { pairs, pos }));
                return Ok(result);
            }
            AstKind::Sort(lhs, terms) => {
                let mut result = self.node(*lhs)?.into_path();
                let mut sort = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(terms.len());
                for (descending, term) in terms {
                    let term = self.node(term)?;
                    push_ancestry(&mut sort, &term);
                    out.push((descending, term));
                }
                sort.kind = NodeKind::Sort(out);
                if let Some(steps) = result.steps_mut() {
                    steps.push(sort);
                }
                self.resolve_ancestry(&mut result)?;
                return Ok(result);
            }
            AstKind::Focus(lhs, name) => {
                let mut result = self.node(*lhs)?;
                let step = result.last_step_mut();
                if !step.stages.is_empty() || !step.predicates.is_empty() {
                    return Err(Error::new(Code::S0215).at(pos).token("@"));
                }
                if matches!(step.kind, NodeKind::Sort(_)) {
                    return Err(Error::new(Code::S0216).at(pos).token("@"));
                }
                if keep_array {
                    step.keep_array = true;
                }
                step.focus = Some(name.into());
                step.tuple = true;
                if keep_array {
                    keep_singleton(&mut result);
                }
                return Ok(result);
            }
            AstKind::Index(lhs, name) => {
                let mut result = self.node(*lhs)?;
                if !result.is_path() {
                    let preds = std::mem::take(&mut result.predicates);
                    result.stages.extend(preds.into_iter().map(Stage::Filter));
                    result = result.into_path();
                }
                let step = result.last_step_mut();
                if step.stages.is_empty() {
                    step.index = Some(name.into());
                } else {
                    step.stages.push(Stage::Index(name.into()));
                }
                step.tuple = true;
                if keep_array {
                    step.keep_array = true;
                    keep_singleton(&mut result);
                }
                return Ok(result);
            }
            AstKind::Condition(cond, then, otherwise) => {
                let mut node = Node::new(NodeKind::Null, pos);
                let cond = self.node(*cond)?;
                push_ancestry(&mut node, &cond);
                let then = self.node(*then)?;
                push_ancestry(&mut node, &then);
                let otherwise = match otherwise {
                    Some(e) => {
                        let e = self.node(*e)?;
                        push_ancestry(&mut node, &e);
                        Some(Box::new(e))
                    }
                    None => None,
                };
                node.kind = NodeKind::Condition(Box::new(cond), Box::new(then), otherwise);
                node
            }
            AstKind::Block(items) => {
                let mut node = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let part = self.node(item)?;
                    push_ancestry(&mut node, &part);
                    let first_cons = match &part.kind {
                        NodeKind::Path { steps, .. } => steps.first().is_some_and(|s| s.cons_array),
                        _ => false,
                    };
                    if part.cons_array || first_cons {
                        node.cons_array = true;
                    }
                    out.push(part);
                }
                node.kind = NodeKind::Block(out);
                node
            }
            AstKind::Bind(lhs, rhs) => {
                let AstKind::Var(name) = lhs.kind else {
                    return Err(Error::new(Code::S0212).at(pos));
                };
                let rhs = self.node(*rhs)?;
                let mut node = Node::new(NodeKind::Null, pos);
                push_ancestry(&mut node, &rhs);
                node.kind = NodeKind::Bind(name.into(), Box::new(rhs));
                node
            }
            AstKind::Apply(lhs, rhs) => {
                let (lhs, rhs) = (self.node(*lhs)?, self.node(*rhs)?);
                let mut node = Node::new(NodeKind::Null, pos);
                node.keep_array = lhs.keep_array || rhs.keep_array;
                node.kind = NodeKind::Apply(Box::new(lhs), Box::new(rhs));
                node
            }
            AstKind::Call(procedure, args, partial) => {
                let mut node = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(args.len());
                for arg in args {
                    let arg = self.node(arg)?;
                    push_ancestry(&mut node, &arg);
                    out.push(arg);
                }
                let procedure = self.boxed(*procedure)?;
                node.kind = if partial {
                    NodeKind::Partial {
                        procedure,
                        args: out,
                    }
                } else {
                    NodeKind::Call {
                        procedure,
                        args: out,
                        tail: false,
                    }
                };
                node
            }
            AstKind::Lambda(params, signature, body) => {
                let mut body = self.node(*body)?;
                mark_tail_calls(&mut body);
                let params = params.into_iter().map(Into::into).collect();
                Node::new(
                    NodeKind::Lambda(Arc::new(LambdaDef {
                        params,
                        signature,
                        body,
                    })),
                    pos,
                )
            }
            AstKind::Transform(pattern, update, delete) => {
                let pattern = self.node(*pattern)?;
                let update = self.node(*update)?;
                let delete = delete.map(|d| self.node(*d)).transpose()?;
                Node::new(
                    NodeKind::Transform(Arc::new(TransformDef {
                        pattern,
                        update,
                        delete,
                        pos,
                    })),
                    pos,
                )
            }
        };
        node.keep_array |= keep_array;
        Ok(node)
    }

    fn pairs(
        &mut self,
        pairs: Vec<(Ast, Ast)>,
        mut owner: Option<&mut Node>,
    ) -> Result<Vec<(Node, Node)>> {
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.node(k)?;
            let v = self.node(v)?;
            if let Some(owner) = owner.as_deref_mut() {
                push_ancestry(owner, &k);
                push_ancestry(owner, &v);
            }
            out.push((k, v));
        }
        Ok(out)
    }

    fn path(&mut self, lhs: Ast, rhs: Ast) -> Result<Node> {
        let lstep = self.node(lhs)?;
        let parent_slot = match lstep.kind {
            NodeKind::Parent(slot) => Some(slot),
            _ => None,
        };
        let mut result = lstep.into_path();
        if let Some(slot) = parent_slot {
            result.seeking_parent = vec![slot];
        }
        let mut rest = self.node(rhs)?;
        let NodeKind::Path {
            steps,
            keep_singleton,
        } = &mut result.kind
        else {
            return Err(Error::new(Code::S0201).at(result.pos));
        };
        match rest.kind {
            NodeKind::Path { steps: more, .. } => steps.extend(more),
            _ => {
                let preds = std::mem::take(&mut rest.predicates);
                rest.stages.extend(preds.into_iter().map(Stage::Filter));
                steps.push(rest);
            }
        }
        for step in steps.iter_mut() {
            match &step.kind {
                NodeKind::Num(n) => {
                    return Err(Error::new(Code::S0213)
                        .at(step.pos)
                        .value(super::value::format_number(*n)));
                }
                NodeKind::Bool(b) => {
                    return Err(Error::new(Code::S0213).at(step.pos).value(b.to_string()));
                }
                NodeKind::Null => return Err(Error::new(Code::S0213).at(step.pos).value("null")),
                NodeKind::Str(s) => step.kind = NodeKind::Name(s.clone()),
                _ => {}
            }
        }
        if steps.iter().any(|s| s.keep_array) {
            *keep_singleton = true;
        }
        if let Some(first) = steps.first_mut()
            && matches!(first.kind, NodeKind::Array(_))
        {
            first.cons_array = true;
        }
        if let Some(last) = steps.last_mut()
            && matches!(last.kind, NodeKind::Array(_))
        {
            last.cons_array = true;
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    fn predicate(&mut self, lhs: Ast, rhs: Ast, pos: usize) -> Result<Node> {
        let mut result = self.node(lhs)?;
        let in_path = result.is_path();
        let predicate = self.node(rhs)?;
        let step = result.last_step_mut();
        if step.group.is_some() {
            return Err(Error::new(Code::S0209).at(pos));
        }
        if !predicate.seeking_parent.is_empty() {
            for &slot in &predicate.seeking_parent {
                if self.slots.get(slot).is_some_and(|s| s.level == 1) {
                    self.seek_parent(step, slot)?;
                } else if let Some(s) = self.slots.get_mut(slot) {
                    s.level -= 1;
                }
            }
            push_ancestry(step, &predicate);
        }
        if in_path {
            step.stages.push(Stage::Filter(predicate));
        } else {
            step.predicates.push(predicate);
        }
        Ok(result)
    }

    fn level(&self, slot: usize) -> i32 {
        self.slots.get(slot).map_or(0, |s| s.level)
    }

    fn adjust(&mut self, slot: usize, by: i32) {
        if let Some(s) = self.slots.get_mut(slot) {
            s.level += by;
        }
    }

    /// Walks back from `node` to the step whose context the parent slot names.
    fn seek_parent(&mut self, node: &mut Node, slot: usize) -> Result<()> {
        match &mut node.kind {
            NodeKind::Name(_) | NodeKind::Wildcard => {
                self.adjust(slot, -1);
                if self.level(slot) == 0 {
                    if let Some(existing) = node.ancestor {
                        let label = self.slots.get(existing).map_or(existing, |s| s.label);
                        if let Some(s) = self.slots.get_mut(slot) {
                            s.label = label;
                        }
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            NodeKind::Parent(_) => self.adjust(slot, 1),
            NodeKind::Block(items) => {
                if let Some(last) = items.last_mut() {
                    node.tuple = true;
                    self.seek_parent(last, slot)?;
                }
            }
            NodeKind::Path { steps, .. } => {
                node.tuple = true;
                let mut index = steps.len();
                while index > 0 {
                    index -= 1;
                    if let Some(step) = steps.get_mut(index) {
                        self.seek_parent(step, slot)?;
                    }
                    if self.level(slot) <= 0 {
                        break;
                    }
                }
            }
            _ => {
                return Err(Error::new(Code::S0217)
                    .at(node.pos)
                    .token(kind_name(&node.kind)));
            }
        }
        Ok(())
    }

    fn resolve_ancestry(&mut self, path: &mut Node) -> Result<()> {
        let NodeKind::Path { steps, .. } = &mut path.kind else {
            return Ok(());
        };
        let Some(last) = steps.last() else {
            return Ok(());
        };
        let mut slots = last.seeking_parent.clone();
        if let NodeKind::Parent(slot) = last.kind {
            slots.push(slot);
        }
        let mut unresolved = Vec::new();
        for slot in slots {
            let mut index = steps.len() as isize - 2;
            while self.level(slot) > 0 {
                if index < 0 {
                    unresolved.push(slot);
                    break;
                }
                // Contiguous steps that bind the focus count as one.
                let mut at = index as usize;
                index -= 1;
                while index >= 0
                    && steps.get(at).is_some_and(|s| s.focus.is_some())
                    && steps.get(index as usize).is_some_and(|s| s.focus.is_some())
                {
                    at = index as usize;
                    index -= 1;
                }
                if let Some(step) = steps.get_mut(at) {
                    self.seek_parent(step, slot)?;
                }
            }
        }
        path.seeking_parent.extend(unresolved);
        Ok(())
    }
}

fn keep_singleton(node: &mut Node) {
    if let NodeKind::Path { keep_singleton, .. } = &mut node.kind {
        *keep_singleton = true;
    }
}

fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Path { .. } => "path",
        NodeKind::Str(_) => "string",
        NodeKind::Num(_) => "number",
        NodeKind::Bool(_) | NodeKind::Null => "value",
        NodeKind::Var(_) => "variable",
        NodeKind::Call { .. } => "function",
        NodeKind::Lambda(_) => "lambda",
        NodeKind::Condition(..) => "condition",
        NodeKind::Array(_) | NodeKind::Object(_) | NodeKind::Neg(_) => "unary",
        NodeKind::Binary(..) => "binary",
        _ => "expression",
    }
}

/// Marks calls in tail position of a lambda body, so that they run in the
/// caller's loop instead of deepening the stack.
fn mark_tail_calls(node: &mut Node) {
    let plain = node.predicates.is_empty() && node.group.is_none();
    match &mut node.kind {
        NodeKind::Call { tail, .. } if plain => *tail = true,
        NodeKind::Condition(_, then, otherwise) => {
            mark_tail_calls(then);
            if let Some(e) = otherwise {
                mark_tail_calls(e);
            }
        }
        NodeKind::Block(items) => {
            if let Some(last) = items.last_mut() {
                mark_tail_calls(last);
            }
        }
        _ => {}
    }
}

/// A JSONata regex literal as a Rust regex: `i` and `m` flags, JavaScript's
/// escapes that the `regex` crate spells differently.
fn regex(pattern: &str, flags: &str, pos: usize) -> Result<Regex> {
    let mut prefix = String::new();
    if flags.contains('i') {
        prefix.push_str("(?i)");
    }
    if flags.contains('m') {
        prefix.push_str("(?m)");
    }
    Regex::new(&format!("{prefix}{pattern}"))
        .map_err(|e| Error::new(Code::S0303).at(pos).value(e.to_string()))
}
