//! Deploying case types: each one's activities are created, their ARNs
//! substituted into its definition, and its state machine created or
//! updated by name. Running it again changes nothing.

use std::collections::BTreeMap;

use aws_sdk_sfn::Client;
use sha2::{Digest, Sha256};

use crate::catalog::{Catalog, LoadedType};
use crate::{WorkflowError, sfn};

/// A human step as deployed: its state, its substitution and its activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployedStep {
    /// The Task state's name.
    pub state: String,
    /// The substitution its `Resource` names.
    pub key: String,
    /// The activity's ARN.
    pub activity_arn: String,
    /// The state's `HeartbeatSeconds`: how long its task may go without a
    /// heartbeat (`None` when the state has none, or reads it from its
    /// input with `HeartbeatSecondsPath`).
    pub heartbeat_seconds: Option<u64>,
}

/// A deployed case type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The case type's name.
    pub case_type: String,
    /// The state machine's name.
    pub machine_name: String,
    /// The state machine's ARN.
    pub machine_arn: String,
    /// The human steps.
    pub steps: Vec<DeployedStep>,
    /// The other machines it starts: (substitution, state machine ARN).
    pub machines: Vec<(String, String)>,
    /// The definition as deployed (substituted).
    pub definition: String,
    /// A digest of the deployed definition: it changes whenever that does.
    pub revision: String,
}

impl Deployment {
    /// The step whose activity is `arn`.
    pub fn step_of_activity(&self, arn: &str) -> Option<&DeployedStep> {
        self.steps.iter().find(|s| s.activity_arn == arn)
    }

    /// Every substitution with the ARN it stands for.
    pub fn substitutions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.steps
            .iter()
            .map(|s| (s.key.as_str(), s.activity_arn.as_str()))
            .chain(self.machines.iter().map(|(k, a)| (k.as_str(), a.as_str())))
    }
}

/// The state machine name of a case type under `prefix`.
pub fn machine_name(prefix: &str, t: &LoadedType) -> String {
    let suffix = t.spec.state_machine.clone().unwrap_or_else(|| {
        t.spec
            .name
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect()
    });
    format!("{prefix}{suffix}")
}

/// A short digest of a definition.
pub fn revision(definition: &str) -> String {
    hex::encode(&Sha256::digest(definition.as_bytes())[..6])
}

/// Deploys every case type of `catalog` under `prefix`, the ones another
/// starts first, so their ARNs can be substituted.
#[tracing::instrument(skip(client, catalog))]
pub async fn deploy_all(
    client: &Client,
    prefix: &str,
    role_arn: &str,
    catalog: &Catalog,
) -> Result<Vec<Deployment>, WorkflowError> {
    let mut done: Vec<Deployment> = Vec::new();
    while done.len() < catalog.types.len() {
        let ready = catalog.types.iter().find(|t| {
            !done.iter().any(|d| d.case_type == t.spec.name)
                && t.spec
                    .machines
                    .values()
                    .all(|n| done.iter().any(|d| &d.case_type == n))
        });
        let Some(t) = ready else {
            return Err(WorkflowError::Unexpected(
                "the case types start each other in a circle".into(),
            ));
        };
        let machines: BTreeMap<&str, &str> = done
            .iter()
            .map(|d| (d.case_type.as_str(), d.machine_arn.as_str()))
            .collect();
        done.push(deploy_type(client, prefix, role_arn, t, &machines).await?);
    }
    Ok(done)
}

/// Deploys one case type; `machines` maps the case types it starts to
/// their state machine ARNs.
pub async fn deploy_type(
    client: &Client,
    prefix: &str,
    role_arn: &str,
    t: &LoadedType,
    machines: &BTreeMap<&str, &str>,
) -> Result<Deployment, WorkflowError> {
    let name = machine_name(prefix, t);
    let asl: serde_json::Value = serde_json::from_str(&t.definition)
        .map_err(|e| WorkflowError::Unexpected(format!("{name}'s definition: {e}")))?;
    let tasks = crate::definition::task_states(&asl);
    let mut steps = Vec::with_capacity(t.spec.steps.len());
    for step in &t.spec.steps {
        let out = client
            .create_activity()
            .name(format!("{name}-{}", step.state))
            .send()
            .await;
        steps.push(DeployedStep {
            state: step.state.clone(),
            key: step.activity.clone(),
            activity_arn: out.map_err(sfn("creating an activity"))?.activity_arn,
            heartbeat_seconds: tasks
                .get(step.state.as_str())
                .and_then(|state| state["HeartbeatSeconds"].as_u64()),
        });
    }
    let machines: Vec<(String, String)> = t
        .spec
        .machines
        .iter()
        .map(|(key, other)| {
            let arn = machines.get(other.as_str()).ok_or_else(|| {
                WorkflowError::Unexpected(format!("{other} is not deployed before {name}"))
            })?;
            Ok((key.clone(), (*arn).to_owned()))
        })
        .collect::<Result<_, WorkflowError>>()?;
    let mut deployment = Deployment {
        case_type: t.spec.name.clone(),
        machine_name: name,
        machine_arn: String::new(),
        steps,
        machines,
        definition: t.definition.clone(),
        revision: String::new(),
    };
    let substituted = substitute(&t.definition, &deployment);
    deployment.machine_arn =
        put_machine(client, &deployment.machine_name, &substituted, role_arn).await?;
    deployment.revision = revision(&substituted);
    deployment.definition = substituted;
    Ok(deployment)
}

/// `definition` with every `${key}` replaced by its ARN.
pub fn substitute(definition: &str, d: &Deployment) -> String {
    d.substitutions()
        .fold(definition.to_owned(), |text, (key, arn)| {
            text.replace(&format!("${{{key}}}"), arn)
        })
}

/// Creates the state machine, or updates it when its definition changed.
pub(crate) async fn put_machine(
    client: &Client,
    name: &str,
    definition: &str,
    role_arn: &str,
) -> Result<String, WorkflowError> {
    if let Some(arn) = find_machine(client, name).await? {
        let current = client
            .describe_state_machine()
            .state_machine_arn(&arn)
            .send()
            .await;
        if current
            .map_err(sfn("describing the state machine"))?
            .definition
            != definition
        {
            let updated = client
                .update_state_machine()
                .state_machine_arn(&arn)
                .definition(definition)
                .send()
                .await;
            updated.map_err(sfn("updating the state machine"))?;
            tracing::info!(%arn, "workflow updated");
        }
        return Ok(arn);
    }
    let created = client
        .create_state_machine()
        .name(name)
        .definition(definition)
        .role_arn(role_arn)
        .send()
        .await;
    let arn = created
        .map_err(sfn("creating the state machine"))?
        .state_machine_arn;
    tracing::info!(%arn, "workflow created");
    Ok(arn)
}

/// The ARN of the state machine named `name`, if there is one.
pub async fn find_machine(client: &Client, name: &str) -> Result<Option<String>, WorkflowError> {
    let mut pages = client.list_state_machines().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(sfn("listing state machines"))?;
        if let Some(m) = page.state_machines.into_iter().find(|m| m.name == name) {
            return Ok(Some(m.state_machine_arn));
        }
    }
    Ok(None)
}
