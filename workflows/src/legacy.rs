//! The support workflow deployed on its own, as the desk still drives it:
//! three activities and one state machine. [`crate::deploy`] deploys any
//! case type; the desk moves to it with the generic answer path.

use aws_sdk_sfn::Client;

use crate::deploy::put_machine;
use crate::{WorkflowError, sfn};

/// The support workflow, as importable into Workflow Studio.
pub const CASE_DEFINITION: &str = include_str!("../support/support.asl.json");

/// The human steps, as (substitution key, activity name suffix).
pub const HUMAN_STEPS: [(&str, &str); 3] = [
    ("AssignActivityArn", "AssignCase"),
    ("WorkActivityArn", "WorkOnCase"),
    ("EscalateActivityArn", "EscalateCase"),
];

/// The ARNs of a deployed case workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The state machine.
    pub machine_arn: String,
    /// `AssignCase`'s activity.
    pub assign_arn: String,
    /// `WorkOnCase`'s activity.
    pub work_arn: String,
    /// `EscalateCase`'s activity.
    pub escalate_arn: String,
}

/// Deploys the case workflow as state machine `name`, with activities named
/// `<name>-<step>`: creates what is missing, updates a changed definition.
#[tracing::instrument(skip(client))]
pub async fn deploy(
    client: &Client,
    name: &str,
    role_arn: &str,
) -> Result<Deployment, WorkflowError> {
    let mut definition = CASE_DEFINITION.to_owned();
    let mut arns = Vec::with_capacity(HUMAN_STEPS.len());
    for (key, step) in HUMAN_STEPS {
        let out = client
            .create_activity()
            .name(format!("{name}-{step}"))
            .send()
            .await;
        let arn = out.map_err(sfn("creating an activity"))?.activity_arn;
        definition = definition.replace(&format!("${{{key}}}"), &arn);
        arns.push(arn);
    }
    let machine_arn = put_machine(client, name, &definition, role_arn).await?;
    let [assign_arn, work_arn, escalate_arn] = <[String; 3]>::try_from(arns)
        .map_err(|_| WorkflowError::Unexpected("three activities expected".into()))?;
    Ok(Deployment {
        machine_arn,
        assign_arn,
        work_arn,
        escalate_arn,
    })
}
