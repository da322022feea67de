//! The transform operator `| pattern | update, delete |`.
//!
//! JSONata mutates the matched objects of a cloned input in place; values here
//! are shared and immutable, so the clone has fresh objects everywhere, the
//! matches are found by identity, and the result is rebuilt with the edits.

use std::collections::HashMap;
use std::rc::Rc;

use super::super::compile::TransformDef;
use super::super::error::{Code, Error, Result};
use super::super::value::{Map, Value};
use super::{Env, Ev};

struct Edit {
    update: Option<Rc<Map>>,
    delete: Vec<String>,
}

/// A copy with a fresh allocation for every object and array.
pub(crate) fn deep_clone(v: &Value) -> Value {
    match v {
        Value::Arr(items, flags) => {
            Value::Arr(Rc::new(items.iter().map(deep_clone).collect()), *flags)
        }
        Value::Obj(map) => Value::object(
            map.iter()
                .map(|(k, v)| (k.clone(), deep_clone(v)))
                .collect(),
        ),
        v => v.clone(),
    }
}

fn rebuild(v: &Value, edits: &HashMap<usize, Edit>) -> Value {
    match v {
        Value::Arr(items, flags) => Value::Arr(
            Rc::new(items.iter().map(|i| rebuild(i, edits)).collect()),
            *flags,
        ),
        Value::Obj(map) => {
            let mut out: Map = map
                .iter()
                .map(|(k, v)| (k.clone(), rebuild(v, edits)))
                .collect();
            if let Some(edit) = edits.get(&(Rc::as_ptr(map) as usize)) {
                if let Some(update) = &edit.update {
                    for (k, v) in update.iter() {
                        out.insert(k.clone(), v.clone());
                    }
                }
                for k in &edit.delete {
                    out.shift_remove(k);
                }
            }
            Value::object(out)
        }
        v => v.clone(),
    }
}

impl Ev<'_> {
    pub(super) fn transform(
        &mut self,
        def: &TransformDef,
        env: &Env,
        target: Value,
    ) -> Result<Value> {
        if target.is_undefined() {
            return Ok(Value::Undefined);
        }
        if !matches!(target, Value::Obj(_) | Value::Arr(..)) {
            return Err(Error::new(Code::T0410)
                .index(1)
                .value(target.to_json_text()));
        }
        let clone = env.lookup("clone").unwrap_or_default();
        if !clone.is_function() {
            return Err(Error::new(Code::T2013).at(def.pos));
        }
        let doc = self.apply(&clone, vec![target], &Value::Undefined)?;
        let matches = self.eval(&def.pattern, &doc, env)?;
        let mut edits: HashMap<usize, Edit> = HashMap::new();
        for m in matches.members() {
            let update = match self.eval(&def.update, &m, env)? {
                Value::Undefined => None,
                Value::Obj(u) => Some(u),
                v => {
                    return Err(Error::new(Code::T2011)
                        .at(def.update.pos)
                        .value(v.to_json_text()));
                }
            };
            let mut delete = Vec::new();
            if let Some(del) = &def.delete {
                let value = self.eval(del, &m, env)?;
                if !value.is_undefined() {
                    for d in value.members() {
                        match d {
                            Value::Str(s) => delete.push(s.to_string()),
                            _ => {
                                return Err(Error::new(Code::T2012)
                                    .at(del.pos)
                                    .value(value.to_json_text()));
                            }
                        }
                    }
                }
            }
            if let Value::Obj(map) = &m {
                let edit = edits.entry(Rc::as_ptr(map) as usize).or_insert(Edit {
                    update: None,
                    delete: Vec::new(),
                });
                if let Some(u) = update {
                    let mut merged: Map = edit.update.as_deref().cloned().unwrap_or_default();
                    merged.extend(u.iter().map(|(k, v)| (k.clone(), v.clone())));
                    edit.update = Some(Rc::new(merged));
                }
                edit.delete.extend(delete);
            }
        }
        Ok(rebuild(&doc, &edits))
    }
}
