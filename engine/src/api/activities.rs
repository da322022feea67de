//! Activity actions.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{date, decode_token, encode_token, page_size};
use crate::arn::{self, Kind};
use crate::engine::Engine;
use crate::error::ApiError;
use crate::store;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Create {
    name: String,
    tags: Option<Vec<super::tags::Tag>>,
}

/// Creating an activity that exists returns it (CreateActivity is idempotent).
pub(super) fn create(engine: &Engine, req: Create) -> Result<Value, ApiError> {
    arn::check_name(&req.name)?;
    engine.with_core(|core, batch| {
        let arn = core.partition.arn(Kind::Activity, &req.name);
        if let Some((_, _, created)) = store::activity(&core.conn, &arn)? {
            return Ok(json!({ "activityArn": arn, "creationDate": date(created) }));
        }
        store::insert_activity(&core.conn, &arn, &req.name, batch.now)?;
        for tag in req.tags.iter().flatten() {
            store::put_tag(&core.conn, &arn, &tag.key, &tag.value)?;
        }
        core.activities.insert(arn.clone());
        Ok(json!({ "activityArn": arn, "creationDate": date(batch.now) }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ByArn {
    activity_arn: String,
}

pub(super) fn describe(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    arn::parse(&req.activity_arn, Kind::Activity)?;
    engine.with_core(|core, _| {
        let (arn, name, created) = store::activity(&core.conn, &req.activity_arn)?
            .ok_or_else(|| does_not_exist(&req.activity_arn))?;
        Ok(json!({ "activityArn": arn, "name": name, "creationDate": date(created) }))
    })
}

pub(crate) fn does_not_exist(arn: &str) -> ApiError {
    ApiError::ActivityDoesNotExist(format!("Activity Does Not Exist: '{arn}'"))
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
        let rows = store::activities(&core.conn, &after, limit + 1)?;
        let more = rows.len() > limit;
        let items: Vec<Value> = rows
            .iter()
            .take(limit)
            .map(|(arn, name, created)| json!({ "activityArn": arn, "name": name, "creationDate": date(*created) }))
            .collect();
        let mut out = json!({ "activities": items });
        if more {
            out["nextToken"] = json!(encode_token(&rows[limit - 1].1));
        }
        Ok(out)
    })
}

pub(super) fn delete(engine: &Engine, req: ByArn) -> Result<Value, ApiError> {
    arn::parse(&req.activity_arn, Kind::Activity)?;
    engine.with_core(|core, _| {
        store::delete_activity(&core.conn, &req.activity_arn)?;
        core.activities.remove(&req.activity_arn);
        Ok(json!({}))
    })
}
