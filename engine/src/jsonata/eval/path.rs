//! Paths: steps over sequences, tuple streams for `@`, `#` and `%`,
//! predicates, grouping and order-by.

use std::rc::Rc;

use indexmap::IndexMap;

use super::super::compile::{Node, NodeKind, Stage};
use super::super::error::{Code, Error, Result};
use super::super::value::{Flags, Map, Tuple, Value};
use super::{Env, Ev};

/// A field of an object, or of each object in an array (flattened one level).
pub(crate) fn lookup(input: &Value, key: &str) -> Value {
    match input {
        Value::Arr(items, _) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match lookup(item, key) {
                    Value::Undefined => {}
                    Value::Arr(inner, _) => out.extend(inner.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::sequence(out)
        }
        Value::Obj(map) => map.get(key).cloned().unwrap_or_default(),
        _ => Value::Undefined,
    }
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Arr(items, _) => items.iter().for_each(|i| flatten_into(i, out)),
        v => out.push(v.clone()),
    }
}

pub(super) fn wildcard(input: &Value) -> Value {
    let mut out = Vec::new();
    let input = match input {
        Value::Arr(items, f) if f.outer_wrapper => items.first().unwrap_or(input),
        v => v,
    };
    let values: Vec<&Value> = match input {
        Value::Obj(map) => map.values().collect(),
        Value::Arr(items, _) => items.iter().collect(),
        _ => Vec::new(),
    };
    for v in values {
        flatten_into(v, &mut out);
    }
    Value::sequence(out)
}

pub(super) fn descendants(input: &Value) -> Value {
    if input.is_undefined() {
        return Value::Undefined;
    }
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Arr(items, _) => items.iter().for_each(|i| walk(i, out)),
            Value::Obj(map) => {
                out.push(v.clone());
                map.values().for_each(|i| walk(i, out));
            }
            v => out.push(v.clone()),
        }
    }
    let mut out = Vec::new();
    walk(input, &mut out);
    match out.len() {
        1 => out.pop().unwrap_or_default(),
        _ => Value::sequence(out),
    }
}

fn items(v: &Value) -> &[Value] {
    match v {
        Value::Arr(items, _) => items,
        v => std::slice::from_ref(v),
    }
}

fn tuple_get(t: &Tuple, name: &str) -> Value {
    t.iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn tuple_set(t: &mut Vec<(Rc<str>, Value)>, name: &str, value: Value) {
    match t.iter_mut().find(|(k, _)| &**k == name) {
        Some(slot) => slot.1 = value,
        None => t.push((name.into(), value)),
    }
}

fn context_tuple(v: Value) -> Tuple {
    Rc::new(vec![("@".into(), v)])
}

/// Appends as `$append` does: arrays are joined, single values wrapped.
pub(crate) fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut out = a.members();
    out.extend(b.members());
    Value::array(out)
}

impl Ev<'_> {
    fn tuple_frame(&mut self, env: &Env, tuple: &Tuple) -> Env {
        let frame = self.frame(env);
        for (k, v) in tuple.iter() {
            frame.bind(k, v.clone());
        }
        frame
    }

    pub(super) fn path(
        &mut self,
        node: &Node,
        steps: &[Node],
        keep_singleton: bool,
        input: &Value,
        env: &Env,
    ) -> Result<Value> {
        let first_is_var = matches!(steps.first().map(|s| &s.kind), Some(NodeKind::Var(_)));
        let mut sequence = match input {
            Value::Arr(..) if !first_is_var => input.clone(),
            v => Value::sequence(vec![v.clone()]),
        };
        let mut result = Value::Undefined;
        let mut tuples: Option<Vec<Tuple>> = None;
        let mut tuple_mode = false;
        let last = steps.len().saturating_sub(1);
        for (i, step) in steps.iter().enumerate() {
            tuple_mode |= step.tuple;
            if i == 0 && step.cons_array {
                result = self.eval(step, &sequence, env)?;
            } else if tuple_mode {
                tuples = Some(self.tuple_step(step, &sequence, tuples.take(), env)?);
            } else {
                result = self.step(step, &sequence, env, i == last)?;
            }
            if !tuple_mode {
                let empty = match &result {
                    Value::Undefined => true,
                    Value::Arr(items, _) => items.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                sequence = result.clone();
            }
        }
        let mut stream = None;
        if tuple_mode {
            let tuples = Rc::new(tuples.unwrap_or_default());
            result = if node.tuple {
                Value::Tuples(tuples.clone())
            } else {
                Value::sequence(tuples.iter().map(|t| tuple_get(t, "@")).collect())
            };
            stream = Some(tuples);
        }
        if keep_singleton {
            if let Value::Arr(_, flags) = &result
                && flags.cons
                && !flags.sequence
            {
                result = Value::sequence(vec![result]);
            }
            if let Value::Arr(items, flags) = result {
                result = Value::Arr(
                    items,
                    Flags {
                        keep_singleton: true,
                        ..flags
                    },
                );
            }
        }
        if let Some(group) = &node.group {
            let grouped = match stream {
                Some(ts) => Value::Tuples(ts),
                None => result,
            };
            result = self.group(&group.pairs, group.pos, grouped, env)?;
        }
        Ok(result)
    }

    fn step(&mut self, step: &Node, input: &Value, env: &Env, last: bool) -> Result<Value> {
        if matches!(step.kind, NodeKind::Sort(_)) {
            let mut result = self.sort(step, input.clone(), env)?;
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    result = self.filter(p, result, env)?;
                }
            }
            return Ok(result);
        }
        let mut results = Vec::new();
        for item in items(input) {
            let mut res = self.eval(step, item, env)?;
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    res = self.filter(p, res, env)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last
            && results.len() == 1
            && let Some(Value::Arr(_, flags)) = results.first()
            && !flags.sequence
        {
            return Ok(results.pop().unwrap_or_default());
        }
        let mut out = Vec::with_capacity(results.len());
        for res in results {
            match res {
                Value::Arr(inner, flags) if !flags.cons => out.extend(inner.iter().cloned()),
                v => out.push(v),
            }
        }
        Ok(Value::sequence(out))
    }

    fn tuple_step(
        &mut self,
        step: &Node,
        input: &Value,
        tuples: Option<Vec<Tuple>>,
        env: &Env,
    ) -> Result<Vec<Tuple>> {
        if matches!(step.kind, NodeKind::Sort(_)) {
            let mut result = match tuples {
                Some(ts) => match self.sort(step, Value::Tuples(Rc::new(ts)), env)? {
                    Value::Tuples(ts) => ts.to_vec(),
                    _ => Vec::new(),
                },
                None => {
                    let sorted = self.sort(step, input.clone(), env)?;
                    let mut out = Vec::new();
                    for (i, v) in sorted.members().into_iter().enumerate() {
                        let mut t = vec![("@".into(), v)];
                        if let Some(ix) = &step.index {
                            tuple_set(&mut t, ix, Value::Num(i as f64));
                        }
                        out.push(Rc::new(t));
                    }
                    out
                }
            };
            result = self.stages(step, result, env)?;
            return Ok(result);
        }
        let tuples = tuples.unwrap_or_else(|| {
            items(input)
                .iter()
                .map(|v| context_tuple(v.clone()))
                .collect()
        });
        let mut out = Vec::new();
        for t in &tuples {
            let frame = self.tuple_frame(env, t);
            let context = tuple_get(t, "@");
            let res = self.eval(step, &context, &frame)?;
            let (members, streamed): (Vec<Value>, Option<Rc<Vec<Tuple>>>) = match res {
                Value::Undefined => continue,
                Value::Tuples(ts) => (Vec::new(), Some(ts)),
                Value::Arr(items, _) => (items.to_vec(), None),
                v => (vec![v], None),
            };
            if let Some(ts) = streamed {
                for inner in ts.iter() {
                    let mut tuple = t.to_vec();
                    for (k, v) in inner.iter() {
                        tuple_set(&mut tuple, k, v.clone());
                    }
                    out.push(Rc::new(tuple));
                }
                continue;
            }
            for (bb, member) in members.into_iter().enumerate() {
                let mut tuple = t.to_vec();
                if let Some(focus) = &step.focus {
                    tuple_set(&mut tuple, focus, member);
                    tuple_set(&mut tuple, "@", context.clone());
                } else {
                    tuple_set(&mut tuple, "@", member);
                }
                if let Some(ix) = &step.index {
                    tuple_set(&mut tuple, ix, Value::Num(bb as f64));
                }
                if let Some(slot) = step.ancestor {
                    let label = self.labels.get(slot).cloned().unwrap_or_default();
                    tuple_set(&mut tuple, &label, context.clone());
                }
                out.push(Rc::new(tuple));
            }
        }
        self.stages(step, out, env)
    }

    fn stages(&mut self, step: &Node, mut tuples: Vec<Tuple>, env: &Env) -> Result<Vec<Tuple>> {
        for stage in &step.stages {
            match stage {
                Stage::Filter(p) => {
                    tuples = match self.filter(p, Value::Tuples(Rc::new(tuples)), env)? {
                        Value::Tuples(ts) => ts.to_vec(),
                        _ => Vec::new(),
                    };
                }
                Stage::Index(name) => {
                    for (i, t) in tuples.iter_mut().enumerate() {
                        let mut inner = t.to_vec();
                        tuple_set(&mut inner, name, Value::Num(i as f64));
                        *t = Rc::new(inner);
                    }
                }
            }
        }
        Ok(tuples)
    }

    /// A predicate `[...]`: an index (or indexes), or a condition per member.
    pub(super) fn filter(&mut self, predicate: &Node, input: Value, env: &Env) -> Result<Value> {
        if let Value::Tuples(ts) = &input {
            let mut out = Vec::new();
            let len = ts.len();
            for (index, t) in ts.iter().enumerate() {
                let keep = match predicate.kind {
                    NodeKind::Num(n) => index_matches(n, index, len),
                    _ => {
                        let frame = self.tuple_frame(env, t);
                        let res = self.eval(predicate, &tuple_get(t, "@"), &frame)?;
                        selects(&res, index, len)
                    }
                };
                if keep {
                    out.push(t.clone());
                }
            }
            return Ok(Value::Tuples(Rc::new(out)));
        }
        let members: Vec<Value> = match &input {
            Value::Arr(items, _) => items.to_vec(),
            v => vec![v.clone()],
        };
        let len = members.len();
        let mut out = Vec::new();
        if let NodeKind::Num(n) = predicate.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            if index >= 0.0
                && let Some(item) = members.get(index as usize)
            {
                if let Value::Arr(..) = item {
                    return Ok(item.clone());
                }
                out.push(item.clone());
            }
            return Ok(Value::sequence(out));
        }
        for (index, item) in members.iter().enumerate() {
            let res = self.eval(predicate, item, env)?;
            if selects(&res, index, len) {
                out.push(item.clone());
            }
        }
        Ok(Value::sequence(out))
    }

    /// An object constructor over `input`: pairs of key and value expressions.
    pub(super) fn group(
        &mut self,
        pairs: &[(Node, Node)],
        pos: usize,
        input: Value,
        env: &Env,
    ) -> Result<Value> {
        enum Data {
            Values(Value),
            Tuples(Vec<Tuple>),
        }
        let tuples = match &input {
            Value::Tuples(ts) => Some(ts.to_vec()),
            _ => None,
        };
        let mut members: Vec<Value> = match &input {
            Value::Arr(items, _) => items.to_vec(),
            Value::Tuples(_) => Vec::new(),
            v => vec![v.clone()],
        };
        if members.is_empty() && tuples.as_ref().is_none_or(Vec::is_empty) {
            members.push(Value::Undefined);
        }
        let mut groups: IndexMap<String, (Data, usize)> = IndexMap::new();
        let count = tuples.as_ref().map_or(members.len(), Vec::len);
        for i in 0..count {
            let (context, frame, tuple) = match &tuples {
                Some(ts) => {
                    let Some(t) = ts.get(i) else { continue };
                    (tuple_get(t, "@"), self.tuple_frame(env, t), Some(t.clone()))
                }
                None => (
                    members.get(i).cloned().unwrap_or_default(),
                    env.clone(),
                    None,
                ),
            };
            for (pair_index, (key_node, _)) in pairs.iter().enumerate() {
                let key = match self.eval(key_node, &context, &frame)? {
                    Value::Undefined => continue,
                    Value::Str(s) => s.to_string(),
                    v => return Err(Error::new(Code::T1003).at(pos).value(v.to_json_text())),
                };
                match groups.get_mut(&key) {
                    Some((data, index)) => {
                        if *index != pair_index {
                            return Err(Error::new(Code::D1009).at(pos).value(key));
                        }
                        match (data, &tuple) {
                            (Data::Tuples(ts), Some(t)) => ts.push(t.clone()),
                            (Data::Values(v), _) => *v = append(std::mem::take(v), context.clone()),
                            _ => {}
                        }
                    }
                    None => {
                        let data = match &tuple {
                            Some(t) => Data::Tuples(vec![t.clone()]),
                            None => Data::Values(context.clone()),
                        };
                        groups.insert(key, (data, pair_index));
                    }
                }
            }
        }
        let mut result = Map::new();
        for (key, (data, index)) in groups {
            let Some((_, value_node)) = pairs.get(index) else {
                continue;
            };
            let value = match data {
                Data::Values(context) => self.eval(value_node, &context, env)?,
                Data::Tuples(ts) => {
                    let mut merged: Vec<(Rc<str>, Value)> =
                        ts.first().map(|t| t.to_vec()).unwrap_or_default();
                    for t in ts.iter().skip(1) {
                        for (k, v) in t.iter() {
                            let old = merged
                                .iter()
                                .find(|(n, _)| n == k)
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default();
                            tuple_set(&mut merged, k, append(old, v.clone()));
                        }
                    }
                    let context = merged
                        .iter()
                        .find(|(k, _)| &**k == "@")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    merged.retain(|(k, _)| &**k != "@");
                    let frame = self.tuple_frame(env, &Rc::new(merged));
                    self.eval(value_node, &context, &frame)?
                }
            };
            if !value.is_undefined() {
                result.insert(key, value);
            }
        }
        Ok(Value::object(result))
    }

    /// Order-by `^(...)`: a stable sort on the terms, undefined last.
    pub(super) fn sort(&mut self, node: &Node, input: Value, env: &Env) -> Result<Value> {
        let NodeKind::Sort(terms) = &node.kind else {
            return Ok(input);
        };
        let (members, tuples): (Vec<Value>, Option<Vec<Tuple>>) = match &input {
            Value::Tuples(ts) => (
                ts.iter().map(|t| tuple_get(t, "@")).collect(),
                Some(ts.to_vec()),
            ),
            Value::Arr(items, _) => (items.to_vec(), None),
            Value::Undefined => return Ok(input),
            v => (vec![v.clone()], None),
        };
        if members.len() <= 1 {
            return Ok(input);
        }
        let mut keys = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let frame = match &tuples {
                Some(ts) => match ts.get(i) {
                    Some(t) => self.tuple_frame(env, t),
                    None => env.clone(),
                },
                None => env.clone(),
            };
            let mut row = Vec::with_capacity(terms.len());
            for (_, term) in terms {
                row.push(self.eval(term, member, &frame)?);
            }
            keys.push(row);
        }
        let descending: Vec<bool> = terms.iter().map(|(d, _)| *d).collect();
        let order = merge_sort((0..members.len()).collect(), &mut |a: &usize, b: &usize| {
            let (Some(ka), Some(kb)) = (keys.get(*a), keys.get(*b)) else {
                return Ok(false);
            };
            compare_keys(ka, kb, &descending, node.pos)
        })?;
        Ok(match tuples {
            Some(ts) => Value::Tuples(Rc::new(
                order.iter().filter_map(|i| ts.get(*i).cloned()).collect(),
            )),
            None => Value::array(
                order
                    .iter()
                    .filter_map(|i| members.get(*i).cloned())
                    .collect(),
            ),
        })
    }
}

fn index_matches(n: f64, index: usize, len: usize) -> bool {
    let mut i = n.floor();
    if i < 0.0 {
        i += len as f64;
    }
    i == index as f64
}

fn selects(res: &Value, index: usize, len: usize) -> bool {
    match res {
        Value::Num(n) => index_matches(*n, index, len),
        Value::Arr(items, _) if items.iter().all(|v| matches!(v, Value::Num(_))) => items
            .iter()
            .any(|v| v.as_f64().is_some_and(|n| index_matches(n, index, len))),
        v => v.truthy() == Some(true),
    }
}

/// Whether `a` sorts after `b` (the two should swap).
fn compare_keys(a: &[Value], b: &[Value], descending: &[bool], pos: usize) -> Result<bool> {
    for ((x, y), desc) in a.iter().zip(b).zip(descending) {
        let ordering = match (x, y) {
            (Value::Undefined, Value::Undefined) => continue,
            (Value::Undefined, _) => return Ok(true),
            (_, Value::Undefined) => return Ok(false),
            (Value::Num(p), Value::Num(q)) => p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal),
            (Value::Str(p), Value::Str(q)) => p.cmp(q),
            (Value::Num(_) | Value::Str(_), Value::Num(_) | Value::Str(_)) => {
                return Err(Error::new(Code::T2007)
                    .at(pos)
                    .value(x.to_json_text())
                    .value2(y.to_json_text()));
            }
            _ => {
                let bad = if matches!(x, Value::Num(_) | Value::Str(_)) {
                    y
                } else {
                    x
                };
                return Err(Error::new(Code::T2008).at(pos).value(bad.to_json_text()));
            }
        };
        let ordering = if *desc { ordering.reverse() } else { ordering };
        match ordering {
            std::cmp::Ordering::Equal => continue,
            o => return Ok(o.is_gt()),
        }
    }
    Ok(false)
}

/// A stable merge sort with a fallible "should swap" comparator, as `$sort` defines it.
pub(crate) fn merge_sort<T: Clone>(
    items: Vec<T>,
    swap: &mut dyn FnMut(&T, &T) -> Result<bool>,
) -> Result<Vec<T>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut right = items;
    let left = right.drain(..right.len() / 2).collect();
    let left = merge_sort(left, swap)?;
    let right = merge_sort(right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => {
                if swap(a, b)? {
                    out.extend(r.next());
                } else {
                    out.extend(l.next());
                }
            }
            (Some(_), None) => out.extend(l.by_ref()),
            (None, Some(_)) => out.extend(r.by_ref()),
            (None, None) => break,
        }
    }
    Ok(out)
}
