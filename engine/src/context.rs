//! What a path, template or expression reads besides the state's input: the
//! context object (`$$`, `$states.context`) and the workflow variables in scope.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde_json::{Map, Value};

/// The context object of a state, with the variables its scope sees.
///
/// It derefs to the context object, so `ctx["Map"]` reads and writes there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ctx {
    /// The context object: `Execution`, `State`, `StateMachine`, `Task`, `Map`.
    pub object: Value,
    /// Every variable visible from the state, inner scopes over outer ones.
    pub vars: Map<String, Value>,
}

impl Ctx {
    /// A context object with the given variables.
    pub fn new(object: Value, vars: Map<String, Value>) -> Self {
        Self { object, vars }
    }

    /// The value of variable `name` (without the `$`), if it is set.
    pub fn var(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }
}

impl From<Value> for Ctx {
    fn from(object: Value) -> Self {
        Self::new(object, Map::new())
    }
}

impl Deref for Ctx {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.object
    }
}

impl DerefMut for Ctx {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.object
    }
}

impl fmt::Display for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.object.fmt(f)
    }
}
