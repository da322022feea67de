//! The sidecar of a case type (`workflows/<name>/<name>.case.json`): what
//! the Amazon States Language cannot say about a workflow's screens.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A case type: a workflow teams work cases through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseType {
    /// Its name: lower-case letters, digits and `-` (also its folder's name).
    pub name: String,
    /// What people call it ("Support case").
    pub label: String,
    /// One or two sentences for the New case screen.
    #[serde(default)]
    pub description: String,
    /// The state machine's name after the deployment's prefix; defaults to
    /// the name in capitalized words (`support` → `StepdeskSupport`).
    #[serde(default)]
    pub state_machine: Option<String>,
    /// Whether people open cases of this type from New case; false for a
    /// type only ever started by another workflow (a nested state machine).
    #[serde(default = "yes")]
    pub openable: bool,
    /// Other deployed case types this one starts, as the substitution that
    /// names each one's state machine ARN (`"EscalationMachineArn": "support-escalation"`).
    #[serde(default)]
    pub machines: BTreeMap<String, String>,
    /// The case's own fields, beyond its title and priority.
    #[serde(default)]
    pub fields: Vec<CaseField>,
    /// The human steps, one per activity substitution.
    pub steps: Vec<Step>,
    /// Seconds per priority, passed to the workflow as `SlaSeconds` (the
    /// value its `TimeoutSecondsPath` reads).
    #[serde(default)]
    pub sla: Option<Sla>,
    /// The step that receives escalations, if the type has them: while it
    /// waits the case shows as escalated and in the managers' list.
    #[serde(default)]
    pub escalation_step: Option<String>,
    /// The smoke run: a case's fields and each step's answer, played by
    /// `stepdesk smoke` against the deployed workflow.
    #[serde(default)]
    pub smoke: Option<Smoke>,
}

/// A scripted case for the smoke run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smoke {
    /// The case's field values.
    #[serde(default)]
    pub fields: serde_json::Map<String, Value>,
    /// The answers, in the order their tasks are taken.
    pub answers: Vec<SmokeAnswer>,
    /// How the execution must end: `SUCCEEDED` unless said otherwise.
    #[serde(default = "succeeded")]
    pub status: String,
}

fn succeeded() -> String {
    "SUCCEEDED".to_owned()
}

/// One scripted answer of the smoke run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmokeAnswer {
    /// The step (its Task state's name).
    pub step: String,
    /// The task's output, as the form would build it.
    pub output: serde_json::Map<String, Value>,
}

fn yes() -> bool {
    true
}

impl CaseType {
    /// The step acting on Task state `state`.
    pub fn step(&self, state: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.state == state)
    }

    /// The case field named `name`.
    pub fn field(&self, name: &str) -> Option<&CaseField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The input a case's execution starts with: the same every time it is
    /// built from the same case, so `StartExecution` can be repeated.
    pub fn execution_input(&self, case: &CaseStart<'_>) -> Value {
        let mut input = serde_json::Map::new();
        input.insert("CaseId".into(), case.id.into());
        input.insert("CaseType".into(), self.name.clone().into());
        input.insert("Title".into(), case.title.into());
        input.insert("Priority".into(), case.priority.into());
        if let Some(seconds) = self.sla_seconds(case.priority) {
            input.insert("SlaSeconds".into(), seconds.into());
        }
        if let Some(by) = case.opened_by {
            input.insert("OpenedBy".into(), by.into());
        }
        for field in &self.fields {
            if let Some(value) = case.fields.get(&field.name) {
                input.insert(field.name.clone(), value.clone());
            }
        }
        Value::Object(input)
    }

    /// The SLA in seconds for a priority (`low`, `normal`, `high`, `urgent`).
    pub fn sla_seconds(&self, priority: &str) -> Option<i64> {
        let sla = self.sla.as_ref()?;
        Some(match priority {
            "low" => sla.low,
            "high" => sla.high,
            "urgent" => sla.urgent,
            _ => sla.normal,
        })
    }
}

/// What a case's execution input is built from.
#[derive(Debug, Clone, Copy)]
pub struct CaseStart<'a> {
    /// The case id (also the execution's name).
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: &'a str,
    /// Who opened it, when a person did.
    pub opened_by: Option<&'a str>,
    /// Its field values.
    pub fields: &'a serde_json::Map<String, Value>,
}

/// Seconds a case may wait in its SLA step, per priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// For low-priority cases.
    pub low: i64,
    /// For normal cases.
    pub normal: i64,
    /// For high-priority cases.
    pub high: i64,
    /// For urgent cases.
    pub urgent: i64,
}

/// The kinds of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Paragraphs of text.
    LongText,
    /// A number (whole when the field says so).
    Number,
    /// An amount with its currency: `{"Value": 12.5, "Currency": "EUR"}`.
    Money,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A moment, RFC 3339 in UTC.
    DateTime,
    /// One of a list of values.
    Choice,
    /// A Stepdesk user, by name.
    User,
    /// Yes or no.
    YesNo,
}

/// One value of a choice, with what people see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The value stored and sent to the workflow (a string or a number).
    pub value: Value,
    /// What the person sees.
    pub label: String,
}

/// A field of a case (New case asks for it; lists may show it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseField {
    /// Its key in the case's values and in the execution input.
    pub name: String,
    /// What people see.
    pub label: String,
    /// What it holds.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Whether a case needs it.
    #[serde(default)]
    pub required: bool,
    /// Smallest number or amount.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest number or amount.
    #[serde(default)]
    pub max: Option<f64>,
    /// Whether a number must be whole.
    #[serde(default)]
    pub integer: bool,
    /// Longest text, in characters.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// The value New case starts with, as typed.
    #[serde(default)]
    pub default: Option<String>,
    /// The values of a choice.
    #[serde(default)]
    pub options: Vec<Choice>,
    /// The currencies of a money field (ISO 4217 codes), the first the default.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// Shown as a column in case lists.
    #[serde(default)]
    pub column: bool,
    /// Offered as a filter in case lists (indexed).
    #[serde(default)]
    pub filter: bool,
    /// Found by the text search.
    #[serde(default)]
    pub search: bool,
    /// A sentence under the field.
    #[serde(default)]
    pub help: Option<String>,
    /// Example text inside an empty field.
    #[serde(default)]
    pub placeholder: Option<String>,
}

/// How a step's task finds its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    /// Offered to everyone the step's roles allow; whoever answers takes it.
    #[default]
    Claim,
    /// Assigned to the case's assignee (read from the task input at
    /// `assignee_path` when given); managers may act for them.
    Assigned,
}

/// Something of the task's input shown to the person, with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    /// A dotted path into the task input (`$.Case.Amount`).
    pub path: String,
    /// What people see.
    pub label: String,
}

/// A human step: an activity Task state and the form that answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The Task state's name in the definition.
    pub state: String,
    /// The substitution its `Resource` names (`ReviewActivityArn` for
    /// `"Resource": "${ReviewActivityArn}"`).
    pub activity: String,
    /// What people see ("Review the refund").
    pub label: String,
    /// Who may act: the roles `operator`, `manager` and `admin`, each
    /// listed (all three when left out).
    #[serde(default = "every_role")]
    pub roles: Vec<String>,
    /// Teams who may act (reserved: teams come later; must be empty).
    #[serde(default)]
    pub teams: Vec<String>,
    /// Claimed from a shared queue, or assigned to the case's assignee.
    #[serde(default)]
    pub assignment: Assignment,
    /// Where an assigned task's user name is in the task input.
    #[serde(default)]
    pub assignee_path: Option<String>,
    /// What of the task input to show the person.
    #[serde(default)]
    pub show: Vec<Shown>,
    /// The form: the contract of the step's output.
    pub form: Form,
    /// An output key that records who answered (`"WorkedBy"`).
    #[serde(default)]
    pub actor_field: Option<String>,
    /// A user field of the form whose value becomes the case's assignee.
    #[serde(default)]
    pub assigns_case: Option<String>,
    /// Whether the case's SLA clock runs while this step waits.
    #[serde(default)]
    pub sla: bool,
    /// Four eyes: the person who opened the case may not answer, and no one
    /// answers two four-eyes steps of the same case.
    #[serde(default)]
    pub four_eyes: bool,
}

fn every_role() -> Vec<String> {
    ["operator", "manager", "admin"].map(str::to_owned).to_vec()
}

impl Step {
    /// Whether a person with `role` may act on this step.
    pub fn allows(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// A step's form: the JSON Schema of its output and how to draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// A JSON Schema (2020-12) of type object: the step's output.
    pub schema: Value,
    /// Drawing hints per property.
    #[serde(default)]
    pub ui: BTreeMap<String, UiHint>,
    /// The submit button's text (a form with a `buttons` field has none).
    #[serde(default)]
    pub submit: Option<String>,
    /// Outcomes that fail the task instead of completing it.
    #[serde(default)]
    pub failures: Vec<FailOutcome>,
}

/// How one property of a form is drawn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiHint {
    /// `text`, `textarea`, `radio`, `buttons`, `select`, `checkbox`, `user`.
    #[serde(default)]
    pub widget: Option<String>,
    /// What people see (else the schema's `title`, else the name).
    #[serde(default)]
    pub label: Option<String>,
    /// A sentence under the field.
    #[serde(default)]
    pub help: Option<String>,
    /// Example text inside an empty field.
    #[serde(default)]
    pub placeholder: Option<String>,
    /// Labels of enum values, keyed by the value as text (`"1"`, `"close"`).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// What the person is told once the answer is in, per enum value
    /// ("Recorded as resolved: the case closes.").
    #[serde(default)]
    pub done: BTreeMap<String, String>,
    /// What the case's history says they did, per enum value, after their
    /// name ("resolved the case").
    #[serde(default)]
    pub history: BTreeMap<String, String>,
}

/// An outcome that fails the step's task (`SendTaskFailure`), so the
/// workflow can `Catch` it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailOutcome {
    /// The form field that chooses it.
    pub field: String,
    /// The value that chooses it.
    pub equals: Value,
    /// The error name sent (`Rejected`).
    pub error: String,
    /// The form field whose text becomes the cause.
    #[serde(default)]
    pub cause_field: Option<String>,
}

impl Form {
    /// The first of the form's per-value texts (`pick` chooses `done` or
    /// `history`) that the submitted `values` select.
    pub fn chosen_text(
        &self,
        values: &serde_json::Map<String, Value>,
        pick: impl Fn(&UiHint) -> &BTreeMap<String, String>,
    ) -> Option<&str> {
        self.ui.iter().find_map(|(name, hint)| {
            let value = values.get(name)?;
            let key = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            pick(hint).get(&key).map(String::as_str)
        })
    }

    /// The failure an output chooses, if any.
    pub fn failure_for(&self, output: &serde_json::Map<String, Value>) -> Option<&FailOutcome> {
        self.failures
            .iter()
            .find(|f| output.get(&f.field) == Some(&f.equals))
    }
}
