//! The server side of the listings: role check, cursor, formatting.

use chrono::{DateTime, Utc};
use db::cases::{CaseFilter, CaseStatus, CaseSummary, Cursor};

use super::{CasePage, CaseRow};
use crate::auth::{Role, ssr::require};
use crate::error::AppError;
use crate::state::pool;

/// Rows per page.
const PAGE: i64 = 50;

pub(super) async fn list_cases(
    role: Role,
    status: Option<String>,
    after: Option<String>,
) -> Result<CasePage, AppError> {
    require(role).await?;
    let filter = CaseFilter {
        status: status.as_deref().map(parse_status).transpose()?,
        assignee_id: None,
    };
    let cursor = after.as_deref().map(parse_cursor).transpose()?;
    let mut rows = db::cases::list(&pool()?, &filter, cursor.as_ref(), PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(cursor_of)
    } else {
        None
    };
    Ok(CasePage {
        rows: rows.into_iter().map(to_row).collect(),
        next,
    })
}

fn parse_status(s: &str) -> Result<CaseStatus, AppError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| AppError::Invalid(format!("Unknown status {s:?}.")))
}

/// A cursor travels as `<unix nanos>~<case id>`, exact to what was stored.
fn parse_cursor(s: &str) -> Result<Cursor, AppError> {
    let bad = || AppError::Invalid("That page link is not valid any more.".into());
    let (nanos, id) = s.split_once('~').ok_or_else(bad)?;
    let nanos: i64 = nanos.parse().map_err(|_| bad())?;
    let updated_at = DateTime::<Utc>::from_timestamp_nanos(nanos);
    Ok(Cursor {
        updated_at,
        id: id.to_owned(),
    })
}

fn cursor_of(row: &CaseSummary) -> String {
    let nanos = row.updated_at.timestamp_nanos_opt().unwrap_or_default();
    format!("{nanos}~{}", row.id)
}

fn to_row(c: CaseSummary) -> CaseRow {
    CaseRow {
        id: c.id,
        title: c.title,
        priority: format!("{:?}", c.priority).to_lowercase(),
        status: serde_json::to_value(c.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        current_step: c.current_step,
        assignee: c.assignee,
        sla_due: c
            .sla_due_at
            .map(|d| d.format("%b %e, %H:%M UTC").to_string()),
        updated: c.updated_at.format("%b %e, %H:%M").to_string(),
    }
}
