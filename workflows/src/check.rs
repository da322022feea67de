//! The checks of a case type: its definition and its sidecar read together.
//!
//! Refused: a sidecar that does not parse, an unknown field type, a
//! substitution with no step, a step naming no Task state (or one whose
//! `Resource` is not its activity), a form schema that does not compile,
//! unknown roles, teams (not yet supported), reserved or repeated names.
//! Warned: a Choice that reads a task output field no form can produce.

use std::collections::BTreeSet;
use std::path::Path;

use casetype::{CaseType, FieldKind, RESERVED_INPUT_KEYS};
use serde_json::Value;

use crate::catalog::{LoadedType, Problem, error, warning};
use crate::definition::{self, substitutions};

const FIELD_TYPES: [&str; 9] = [
    "text",
    "long_text",
    "number",
    "money",
    "date",
    "date_time",
    "choice",
    "user",
    "yes_no",
];
const ROLES: [&str; 3] = ["operator", "manager", "admin"];

/// Checks one case type's two files together.
pub fn case_type(
    asl_file: &Path,
    asl_text: &str,
    sidecar_file: &Path,
    sidecar_text: &str,
) -> (Option<LoadedType>, Vec<Problem>) {
    match parse_sidecar(sidecar_file, sidecar_text) {
        Ok(spec) => with_sidecar(spec, asl_file, asl_text, sidecar_file),
        Err(p) => (None, p),
    }
}

/// Checks a definition's text against a sidecar already read.
pub fn with_sidecar(
    spec: CaseType,
    asl_file: &Path,
    asl_text: &str,
    sidecar_file: &Path,
) -> (Option<LoadedType>, Vec<Problem>) {
    let mut problems = Vec::new();
    let asl: Value = match serde_json::from_str(asl_text) {
        Ok(v @ Value::Object(_)) if v["States"].is_object() => v,
        Ok(_) => {
            let message = "not a state machine: an object with \"States\" is expected".into();
            return (None, vec![error(asl_file, "", message)]);
        }
        Err(e) => return (None, vec![error(asl_file, "", format!("not JSON: {e}"))]),
    };
    let side = |field: &str, message: String| error(sidecar_file, field, message);
    names(&spec, &side, &mut problems);
    steps(&spec, &asl, sidecar_file, &mut problems);
    for key in substitutions(asl_text) {
        let known =
            spec.steps.iter().any(|s| s.activity == key) || spec.machines.contains_key(&key);
        if !known {
            problems.push(error(
                asl_file,
                &format!("${{{key}}}"),
                format!("the substitution {key} has no step: add a step with \"activity\": \"{key}\" to the sidecar, or name the machine it stands for under \"machines\""),
            ));
        }
    }
    for (state, task) in definition::task_states(&asl) {
        let resource = task["Resource"].as_str().unwrap_or_default();
        if resource.contains(":activity:") {
            problems.push(error(
                asl_file,
                &format!("States.{state}.Resource"),
                format!("{state} runs the activity {resource} directly: name it through a substitution that a step declares"),
            ));
        }
    }
    choices_read_form_fields(&spec, &asl, asl_file, &mut problems);
    let failed = problems
        .iter()
        .any(|p| p.severity == crate::catalog::Severity::Error);
    let loaded = (!failed).then(|| LoadedType {
        spec,
        definition: asl_text.to_owned(),
        asl,
        asl_file: asl_file.to_path_buf(),
        sidecar_file: sidecar_file.to_path_buf(),
    });
    (loaded, problems)
}

fn parse_sidecar(file: &Path, text: &str) -> Result<CaseType, Vec<Problem>> {
    let raw: Value =
        serde_json::from_str(text).map_err(|e| vec![error(file, "", format!("not JSON: {e}"))])?;
    let unknown: Vec<Problem> = raw["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, f)| {
            let ty = f["type"].as_str().unwrap_or_default();
            (!FIELD_TYPES.contains(&ty)).then(|| {
                error(
                    file,
                    &format!("fields[{i}].type"),
                    format!(
                        "unknown field type {ty:?}: use one of {}",
                        FIELD_TYPES.join(", ")
                    ),
                )
            })
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    serde_json::from_value(raw).map_err(|e| vec![error(file, "", e.to_string())])
}

fn names(spec: &CaseType, side: &impl Fn(&str, String) -> Problem, out: &mut Vec<Problem>) {
    let ok_name = !spec.name.is_empty()
        && spec
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok_name {
        out.push(side("name", "use lower-case letters, digits and -".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, f) in spec.fields.iter().enumerate() {
        let at = format!("fields[{i}].name");
        if !definition::is_key(&f.name) {
            out.push(side(
                &at,
                format!(
                    "{:?} is not a key: use letters, digits and _, starting with a letter",
                    f.name
                ),
            ));
        } else if RESERVED_INPUT_KEYS.contains(&f.name.as_str()) {
            out.push(side(
                &at,
                format!("{} is set by Stepdesk itself: choose another name", f.name),
            ));
        } else if !seen.insert(f.name.as_str()) {
            out.push(side(&at, format!("{} is used twice", f.name)));
        }
        if f.kind == FieldKind::Choice && f.options.is_empty() {
            out.push(side(
                &format!("fields[{i}].options"),
                "a choice needs options".into(),
            ));
        }
    }
    if let Some(step) = &spec.escalation_step
        && spec.step(step).is_none()
    {
        out.push(side(
            "escalation_step",
            format!("{step} is not one of the steps"),
        ));
    }
    let sla_steps = spec.steps.iter().filter(|s| s.sla).count();
    if sla_steps > 0 && spec.sla.is_none() {
        out.push(side(
            "sla",
            "a step has \"sla\": true, so the type needs an \"sla\" per priority".into(),
        ));
    }
}

fn steps(spec: &CaseType, asl: &Value, file: &Path, out: &mut Vec<Problem>) {
    let tasks = definition::task_states(asl);
    let mut seen = BTreeSet::new();
    for (i, step) in spec.steps.iter().enumerate() {
        let at = |field: &str| format!("steps[{i}].{field}");
        if !seen.insert(step.state.as_str()) {
            out.push(error(
                file,
                &at("state"),
                format!("{} has two steps", step.state),
            ));
        }
        match tasks.get(step.state.as_str()) {
            None => out.push(error(
                file,
                &at("state"),
                format!("the definition has no Task state named {}", step.state),
            )),
            Some(task) if task["Resource"] != format!("${{{}}}", step.activity) => out.push(error(
                file,
                &at("activity"),
                format!(
                    "{}'s Resource is {}, not ${{{}}}",
                    step.state, task["Resource"], step.activity
                ),
            )),
            Some(_) => {}
        }
        for role in &step.roles {
            if !ROLES.contains(&role.as_str()) {
                out.push(error(
                    file,
                    &at("roles"),
                    format!("unknown role {role:?}: use operator, manager or admin"),
                ));
            }
        }
        if !step.teams.is_empty() {
            out.push(error(
                file,
                &at("teams"),
                "teams are not supported yet: leave it out".into(),
            ));
        }
        for shown in &step.show {
            if casetype::path::keys(&shown.path).is_none() {
                out.push(error(
                    file,
                    &at("show"),
                    format!("{:?} is not a dotted path like $.Case.Title", shown.path),
                ));
            }
        }
        crate::check_form::form(step, file, &at("form"), out);
    }
}

/// Warns about a Choice that reads a step's output (under the step's
/// `ResultPath`) at a key its form does not produce.
fn choices_read_form_fields(spec: &CaseType, asl: &Value, file: &Path, out: &mut Vec<Problem>) {
    let tasks = definition::task_states(asl);
    let reads = definition::choice_variables(asl);
    for step in &spec.steps {
        let Some(result_path) = tasks
            .get(step.state.as_str())
            .and_then(|t| t["ResultPath"].as_str())
        else {
            continue;
        };
        let produced = crate::check_form::produced_keys(step);
        for (choice, variable) in &reads {
            let Some(key) = variable
                .strip_prefix(result_path)
                .and_then(|rest| rest.strip_prefix('.'))
                .map(|rest| rest.split(['.', '[']).next().unwrap_or(rest))
            else {
                continue;
            };
            if !produced.contains(key) {
                out.push(warning(
                    file,
                    &format!("States.{choice}"),
                    format!(
                        "reads {variable}, which the form of {} does not produce",
                        step.state
                    ),
                ));
            }
        }
    }
}

/// Problems across case types: machines that name no case type.
pub fn catalog(types: &[LoadedType]) -> Vec<Problem> {
    let mut out = Vec::new();
    for t in types {
        for (key, name) in &t.spec.machines {
            if !types.iter().any(|o| &o.spec.name == name) {
                out.push(error(
                    &t.sidecar_file,
                    &format!("machines.{key}"),
                    format!("there is no case type named {name:?} in this folder"),
                ));
            }
        }
    }
    out
}
