//! State machine actions.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{date, decode_token, encode_token, page_size};
use crate::arn::{self, Kind};
use crate::engine::Engine;
use crate::error::ApiError;
use crate::store::{self, MachineRow};
use crate::validate::{self, Diagnostic};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Create {
    name: String,
    definition: String,
    role_arn: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    tags: Option<Vec<super::tags::Tag>>,
    version_description: Option<String>,
}

/// Parses and validates a definition, as `InvalidDefinition` on failure.
pub(crate) fn checked_definition(text: &str) -> Result<(), ApiError> {
    let diagnostics = diagnose(text);
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidDefinition(validate::message(&diagnostics)))
    }
}

fn diagnose(text: &str) -> Vec<Diagnostic> {
    if text.len() > 1024 * 1024 {
        return vec![validate::schema("The definition is larger than 1 MiB", "/")];
    }
    match crate::definition::parse(text) {
        Ok(sm) => validate::validate(&sm),
        Err(message) => {
            let (code, message) = message
                .split_once(": ")
                .unwrap_or(("SCHEMA_VALIDATION_FAILED", &message));
            let code = if code == "INVALID_JSON_DESCRIPTION" {
                "INVALID_JSON_DESCRIPTION"
            } else {
                "SCHEMA_VALIDATION_FAILED"
            };
            vec![Diagnostic {
                code,
                message: message.to_owned(),
                location: "/".into(),
            }]
        }
    }
}

fn check_type(kind: Option<&str>) -> Result<String, ApiError> {
    match kind.unwrap_or("STANDARD") {
        k @ ("STANDARD" | "EXPRESS") => Ok(k.to_owned()),
        other => Err(ApiError::ValidationException(format!(
            "1 validation error detected: Value '{other}' at 'type' failed to satisfy constraint: \
             Member must satisfy enum value set: [STANDARD, EXPRESS]"
        ))),
    }
}

pub(super) fn create(engine: &Engine, req: Create) -> Result<Value, ApiError> {
    arn::check_name(&req.name)?;
    checked_definition(&req.definition)?;
    let kind = check_type(req.kind.as_deref())?;
    engine.with_core(|core, batch| {
        let arn = core.partition.arn(Kind::StateMachine, &req.name);
        if let Some(existing) = store::machine(&core.conn, &arn)? {
            let same_definition = store::revision(&core.conn, existing.revision_id)?.as_deref()
                == Some(&req.definition);
            if same_definition && existing.role_arn == req.role_arn && existing.kind == kind {
                return Ok(
                    json!({ "stateMachineArn": arn, "creationDate": date(existing.created_at) }),
                );
            }
            return Err(ApiError::StateMachineAlreadyExists(format!(
                "State Machine Already Exists: '{arn}'"
            )));
        }
        let revision_id = store::insert_revision(&core.conn, &arn, &req.definition, batch.now)?;
        store::insert_machine(
            &core.conn,
            &MachineRow {
                arn: arn.clone(),
                name: req.name.clone(),
                revision_id,
                role_arn: req.role_arn.clone(),
                kind,
                description: req.version_description.clone().unwrap_or_default(),
                created_at: batch.now,
                updated_at: None,
            },
        )?;
        for tag in req.tags.iter().flatten() {
            store::put_tag(&core.conn, &arn, &tag.key, &tag.value)?;
        }
        Ok(json!({ "stateMachineArn": arn, "creationDate": date(batch.now) }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Update {
    state_machine_arn: String,
    definition: Option<String>,
    role_arn: Option<String>,
}

pub(super) fn update(engine: &Engine, req: Update) -> Result<Value, ApiError> {
    arn::parse(&req.state_machine_arn, Kind::StateMachine)?;
    if req.definition.is_none() && req.role_arn.is_none() {
        return Err(ApiError::ValidationException(
            "Either the definition or the roleArn must be specified".into(),
        ));
    }
    if let Some(d) = &req.definition {
        checked_definition(d)?;
    }
    engine.with_core(|core, batch| {
        let mut m = existing(&core.conn, &req.state_machine_arn)?;
        if let Some(d) = &req.definition {
            m.revision_id = store::insert_revision(&core.conn, &m.arn, d, batch.now)?;
        }
        if let Some(r) = &req.role_arn {
            m.role_arn = r.clone();
        }
        m.updated_at = Some(batch.now);
        store::update_machine(&core.conn, &m)?;
        Ok(json!({ "updateDate": date(batch.now), "revisionId": m.revision_id.to_string() }))
    })
}

pub(crate) fn existing(conn: &rusqlite::Connection, arn: &str) -> Result<MachineRow, ApiError> {
    store::machine(conn, arn)?.ok_or_else(|| {
        ApiError::StateMachineDoesNotExist(format!("State Machine Does Not Exist: '{arn}'"))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ByArn {
    state_machine_arn: String,
}

pub(super) fn describe(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    arn::parse(&req.state_machine_arn, Kind::StateMachine)?;
    engine.with_core(|core, _| {
        let m = existing(&core.conn, &req.state_machine_arn)?;
        let definition = store::revision(&core.conn, m.revision_id)?.unwrap_or_default();
        Ok(description(&m, &definition))
    })
}

/// `DescribeStateMachine`'s answer (also used for executions).
pub(crate) fn description(m: &MachineRow, definition: &str) -> Value {
    let mut out = json!({
        "stateMachineArn": m.arn,
        "name": m.name,
        "status": "ACTIVE",
        "definition": definition,
        "roleArn": m.role_arn,
        "type": m.kind,
        "creationDate": date(m.created_at),
        "loggingConfiguration": { "level": "OFF", "includeExecutionData": false },
        "tracingConfiguration": { "enabled": false },
        "revisionId": m.revision_id.to_string(),
    });
    if !m.description.is_empty() {
        out["description"] = json!(m.description);
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Page {
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub(super) fn list(engine: &Engine, req: Page) -> Result<Value, ApiError> {
    let limit = page_size(req.max_results)?;
    let after = decode_token(req.next_token.as_deref())?.unwrap_or_default();
    engine.with_core(|core, _| {
        let rows = store::machines(&core.conn, &after, limit + 1)?;
        let more = rows.len() > limit;
        let items: Vec<Value> = rows.iter().take(limit).map(|m| json!({
            "stateMachineArn": m.arn, "name": m.name, "type": m.kind, "creationDate": date(m.created_at),
        })).collect();
        let mut out = json!({ "stateMachines": items });
        if more {
            out["nextToken"] = json!(encode_token(&rows[limit - 1].name));
        }
        Ok(out)
    })
}

pub(super) fn delete(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    arn::parse(&req.state_machine_arn, Kind::StateMachine)?;
    engine.with_core(|core, _| {
        store::delete_machine(&core.conn, &req.state_machine_arn)?;
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Validate {
    definition: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub(super) fn validate_definition(req: Validate) -> Result<Value, ApiError> {
    check_type(req.kind.as_deref())?;
    let diagnostics: Vec<Value> = diagnose(&req.definition)
        .iter()
        .map(|d| {
            json!({
                "severity": "ERROR", "code": d.code, "message": d.message, "location": d.location,
            })
        })
        .collect();
    let result = if diagnostics.is_empty() { "OK" } else { "FAIL" };
    Ok(json!({ "result": result, "diagnostics": diagnostics, "truncated": false }))
}
