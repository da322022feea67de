//! `GetExecutionHistory`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{decode_token, encode_token, executions::record, page_size};
use crate::engine::Engine;
use crate::error::ApiError;
use crate::store;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Request {
    execution_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
    reverse_order: Option<bool>,
    include_execution_data: Option<bool>,
}

pub(super) fn get(engine: &Engine, req: Request) -> Result<Value, ApiError> {
    let limit = page_size(req.max_results)?;
    let after = match decode_token(req.next_token.as_deref())? {
        Some(t) => t
            .parse::<u64>()
            .map_err(|_| ApiError::ValidationException("Invalid nextToken".into()))?,
        None => 0,
    };
    let reverse = req.reverse_order.unwrap_or(false);
    let include = req.include_execution_data.unwrap_or(true);
    engine.with_core(|core, _| {
        let rec = record(core, &req.execution_arn)?;
        let events = store::events(&core.conn, rec.id, after, reverse, limit + 1)?;
        let more = events.len() > limit;
        let items: Vec<Value> = events
            .iter()
            .take(limit)
            .map(|e| e.to_json(include))
            .collect();
        let mut out = json!({ "events": items });
        if more {
            out["nextToken"] = json!(encode_token(&events[limit - 1].id.to_string()));
        }
        Ok(out)
    })
}
