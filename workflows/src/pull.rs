//! Bringing a deployed definition home: `stepdesk workflows pull NAME`
//! reads the state machine (perhaps edited in Workflow Studio), turns its
//! ARNs back into their `${...}` substitutions and writes the `.asl.json`,
//! so the edit arrives as a reviewable diff. It refuses when the pulled
//! definition no longer matches the sidecar.

use std::collections::BTreeMap;

use aws_sdk_sfn::Client;
use serde_json::Value;

use crate::catalog::{Catalog, LoadedType, Severity};
use crate::deploy::{find_machine, machine_name};
use crate::{WorkflowError, check, sfn};

/// What a pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    /// The deployed definition is the local one.
    Unchanged,
    /// The local file was rewritten.
    Written,
}

/// Pulls case type `t` of `catalog`, deployed under `prefix`.
pub async fn pull(
    client: &Client,
    prefix: &str,
    catalog: &Catalog,
    t: &LoadedType,
) -> Result<Pulled, WorkflowError> {
    let name = machine_name(prefix, t);
    let arn = find_machine(client, &name).await?.ok_or_else(|| {
        WorkflowError::Unexpected(format!("no state machine named {name} is deployed"))
    })?;
    let deployed = client
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .map_err(sfn("describing the state machine"))?
        .definition;
    let arns = substitution_arns(client, prefix, catalog, t, &name).await?;
    let text = unsubstitute(&deployed, &arns)?;
    let (_, problems) = check::with_sidecar(t.spec.clone(), &t.asl_file, &text, &t.sidecar_file);
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(WorkflowError::Unexpected(format!(
            "the deployed {name} no longer matches {}; nothing was written:\n{}",
            t.sidecar_file.display(),
            errors.join("\n")
        )));
    }
    let pulled: Value =
        serde_json::from_str(&text).map_err(|e| WorkflowError::Unexpected(e.to_string()))?;
    if pulled == t.asl {
        return Ok(Pulled::Unchanged);
    }
    let pretty = serde_json::to_string_pretty(&pulled)
        .map_err(|e| WorkflowError::Unexpected(e.to_string()))?;
    std::fs::write(&t.asl_file, pretty + "\n")
        .map_err(|e| WorkflowError::Unexpected(format!("writing {}: {e}", t.asl_file.display())))?;
    Ok(Pulled::Written)
}

/// The ARN each substitution of `t` stands for, as deployed.
async fn substitution_arns(
    client: &Client,
    prefix: &str,
    catalog: &Catalog,
    t: &LoadedType,
    machine: &str,
) -> Result<BTreeMap<String, String>, WorkflowError> {
    let mut by_name = BTreeMap::new();
    let mut pages = client.list_activities().into_paginator().send();
    while let Some(page) = pages.next().await {
        for a in page.map_err(sfn("listing activities"))?.activities {
            by_name.insert(a.name, a.activity_arn);
        }
    }
    let mut arns = BTreeMap::new();
    for step in &t.spec.steps {
        if let Some(arn) = by_name.get(&format!("{machine}-{}", step.state)) {
            arns.insert(step.activity.clone(), arn.clone());
        }
    }
    for (key, other) in &t.spec.machines {
        let Some(o) = catalog.get(other) else {
            continue;
        };
        if let Some(arn) = find_machine(client, &machine_name(prefix, o)).await? {
            arns.insert(key.clone(), arn);
        }
    }
    Ok(arns)
}

/// `definition` with each ARN string of `arns` turned back into its
/// `${key}`; only whole JSON strings are replaced.
pub fn unsubstitute(
    definition: &str,
    arns: &BTreeMap<String, String>,
) -> Result<String, WorkflowError> {
    let mut value: Value = serde_json::from_str(definition).map_err(|e| {
        WorkflowError::Unexpected(format!("the deployed definition is not JSON: {e}"))
    })?;
    let by_arn: BTreeMap<&str, String> = arns
        .iter()
        .map(|(k, a)| (a.as_str(), format!("${{{k}}}")))
        .collect();
    replace_strings(&mut value, &by_arn);
    serde_json::to_string_pretty(&value).map_err(|e| WorkflowError::Unexpected(e.to_string()))
}

fn replace_strings(v: &mut Value, by_arn: &BTreeMap<&str, String>) {
    match v {
        Value::String(s) => {
            if let Some(key) = by_arn.get(s.as_str()) {
                *s = key.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace_strings(i, by_arn)),
        Value::Object(map) => map.values_mut().for_each(|i| replace_strings(i, by_arn)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_arn_strings_become_substitutions() {
        // Arrange
        let arn = "arn:aws:states:us-east-1:123456789012:activity:M-Review";
        let definition = format!(
            r#"{{"States": {{"Review": {{"Resource": "{arn}"}}, "Other": {{"Resource": "{arn}X", "Comment": "see {arn}"}}}}}}"#
        );
        let arns = BTreeMap::from([("ReviewActivityArn".to_owned(), arn.to_owned())]);

        // Act
        let text = unsubstitute(&definition, &arns).expect("json");

        // Assert
        let v: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["States"]["Review"]["Resource"], "${ReviewActivityArn}");
        assert_eq!(v["States"]["Other"]["Resource"], format!("{arn}X"));
        assert_eq!(v["States"]["Other"]["Comment"], format!("see {arn}"));
    }
}
