//! The server side of the listing: role check, parsing, cursor, formatting.

use db::cases::{CaseFilter, CaseStatus, CaseSummary, Cursor, Priority, Sort};

use super::{CasePage, CaseQuery, CaseRow};
use crate::auth::{Role, ssr::require};
use crate::error::AppError;
use crate::state::pool;
use crate::time::{short, sla};

/// Rows per page.
const PAGE: i64 = 25;

pub(super) async fn list_cases(query: CaseQuery) -> Result<CasePage, AppError> {
    require(Role::Operator).await?;
    let filter = CaseFilter {
        status: query.status.as_deref().map(CaseStatus::parse).transpose()?,
        step: query.step.clone(),
        assignee: query.assignee.as_deref().map(|a| a.trim().to_lowercase()),
        priority: query.priority.as_deref().map(Priority::parse).transpose()?,
        escalated: match query.escalated.as_deref() {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(other) => {
                return Err(AppError::Invalid(format!(
                    "Escalated is yes or no, not {other:?}."
                )));
            }
        },
        text: query.q.clone(),
        ..Default::default()
    };
    let sort = query
        .sort
        .as_deref()
        .map(Sort::parse)
        .transpose()?
        .unwrap_or_default();
    let cursor = query.after.as_deref().map(parse_cursor).transpose()?;
    let pool = pool()?;
    let mut rows = db::cases::list(&pool, &filter, sort, cursor.as_ref(), PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| format!("{}~{}", r.sort_key, r.id))
    } else {
        None
    };
    let assignees = db::users::list(&pool)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect();
    Ok(CasePage {
        rows: rows.into_iter().map(to_row).collect(),
        next,
        assignees,
    })
}

/// A cursor travels as `<sort key>~<case id>`, exactly as stored.
fn parse_cursor(s: &str) -> Result<Cursor, AppError> {
    let (key, id) = s
        .rsplit_once('~')
        .ok_or_else(|| AppError::Invalid("That page link is not valid any more.".into()))?;
    Ok(Cursor {
        key: key.to_owned(),
        id: id.to_owned(),
    })
}

fn to_row(c: CaseSummary) -> CaseRow {
    let (sla_due, sla_breached) = sla(c.sla_due_at, c.status.is_live());
    CaseRow {
        sla_breached,
        id: c.id,
        title: c.title,
        priority: c.priority.as_str().to_owned(),
        status: c.status.as_str().to_owned(),
        current_step: c.current_step,
        escalated: c.escalated,
        assignee: c.assignee,
        sla_due,
        updated: short(c.updated_at),
    }
}
