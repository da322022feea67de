//! Tagging actions.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::engine::Engine;
use crate::error::ApiError;
use crate::store;

/// One tag.
#[derive(Deserialize)]
pub(super) struct Tag {
    pub key: String,
    pub value: String,
}

fn must_exist(conn: &rusqlite::Connection, arn: &str) -> Result<(), ApiError> {
    let found = store::machine(conn, arn)?.is_some() || store::activity(conn, arn)?.is_some();
    if found {
        Ok(())
    } else {
        Err(ApiError::ResourceNotFound(format!(
            "Resource not found: '{arn}'"
        )))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TagRequest {
    resource_arn: String,
    tags: Vec<Tag>,
}

pub(super) fn tag(engine: &Engine, req: TagRequest) -> Result<Value, ApiError> {
    engine.with_core(|core, _| {
        must_exist(&core.conn, &req.resource_arn)?;
        let count = store::tags(&core.conn, &req.resource_arn)?.len() + req.tags.len();
        if count > 50 {
            return Err(ApiError::TooManyTags(format!(
                "Too many tags: {count} (at most 50)"
            )));
        }
        for t in &req.tags {
            store::put_tag(&core.conn, &req.resource_arn, &t.key, &t.value)?;
        }
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListRequest {
    resource_arn: String,
}

pub(super) fn list(engine: &Engine, req: ListRequest) -> Result<Value, ApiError> {
    engine.with_core(|core, _| {
        must_exist(&core.conn, &req.resource_arn)?;
        let tags: Vec<Value> = store::tags(&core.conn, &req.resource_arn)?
            .into_iter()
            .map(|(key, value)| json!({ "key": key, "value": value }))
            .collect();
        Ok(json!({ "tags": tags }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UntagRequest {
    resource_arn: String,
    tag_keys: Vec<String>,
}

pub(super) fn untag(engine: &Engine, req: UntagRequest) -> Result<Value, ApiError> {
    engine.with_core(|core, _| {
        must_exist(&core.conn, &req.resource_arn)?;
        for key in &req.tag_keys {
            store::remove_tag(&core.conn, &req.resource_arn, key)?;
        }
        Ok(json!({}))
    })
}
