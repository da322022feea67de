//! The server side of the listing: role check, parsing, cursor, formatting.

use db::cases::{CaseFilter, CaseStatus, CaseSummary, Cursor, Priority, Sort};

use std::collections::BTreeMap;

use casetype::FieldView;

use super::{CasePage, CaseQuery, CaseRow, Filters};
use crate::auth::{Role, ssr::require};
use crate::error::AppError;
use crate::time::{short, sla};

/// Rows per page.
const PAGE: i64 = 25;

pub(super) async fn filters(case_type: Option<String>) -> Result<Filters, AppError> {
    require(Role::Operator).await?;
    let desk = crate::state::desk()?;
    let chosen = case_type.as_deref().and_then(|t| desk.case_type(t).ok());
    let types = desk
        .catalog
        .types
        .iter()
        .map(|t| (t.spec.name.clone(), t.spec.label.clone()))
        .collect();
    let mut steps: Vec<(String, String)> = Vec::new();
    for t in desk.catalog.types.iter().map(|t| &t.spec) {
        if chosen.is_some_and(|c| c.name != t.name) {
            continue;
        }
        for s in &t.steps {
            if !steps.iter().any(|(state, _)| state == &s.state) {
                steps.push((s.state.clone(), s.label.clone()));
            }
        }
    }
    let fields = chosen
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| f.filter)
                .map(casetype::FieldView::of_case_field)
                .collect()
        })
        .unwrap_or_default();
    Ok(Filters {
        types,
        steps,
        fields,
    })
}

pub(super) async fn list_cases(query: CaseQuery) -> Result<CasePage, AppError> {
    let me = require(Role::Operator).await?;
    let desk = crate::state::desk()?;
    let chosen = match query.case_type.as_deref() {
        Some(name) => Some(
            desk.case_type(name)
                .map_err(|_| AppError::Invalid(format!("There is no case type {name:?}.")))?,
        ),
        None => None,
    };
    let fields = field_filters(chosen, &query.fields)?;
    let filter = CaseFilter {
        case_type: chosen.map(|t| t.name.clone()),
        fields,
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
    };
    let sort = query
        .sort
        .as_deref()
        .map(Sort::parse)
        .transpose()?
        .unwrap_or_default();
    let cursor = query.after.as_deref().map(parse_cursor).transpose()?;
    let pool = desk.pool.clone();
    let mut rows = db::cases::list(&pool, &filter, sort, cursor.as_ref(), PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| {
            cursor_text(&Cursor {
                key: r.sort_key.clone(),
                id: r.id.clone(),
            })
        })
    } else {
        None
    };
    // Those who assign see whom they may filter by; an operator, only
    // themselves: nobody's list of users is sent where it is not needed.
    let assignees = if crate::auth::ssr::from_db(me.role).allows(Role::Manager) {
        db::users::names(&pool).await?
    } else {
        vec![me.name.clone()]
    };
    let columns: Vec<FieldView> = chosen
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| f.column)
                .map(FieldView::of_case_field)
                .collect()
        })
        .unwrap_or_default();
    let labels: BTreeMap<&str, &str> = desk
        .catalog
        .types
        .iter()
        .map(|t| (t.spec.name.as_str(), t.spec.label.as_str()))
        .collect();
    Ok(CasePage {
        rows: rows
            .into_iter()
            .map(|r| to_row(r, &columns, &labels))
            .collect(),
        next,
        assignees,
        columns: columns.iter().map(|c| c.label.clone()).collect(),
    })
}

/// The typed values of the field filters, each checked against the case
/// type (a field that is not filterable is refused).
fn field_filters(
    case_type: Option<&casetype::CaseType>,
    typed: &BTreeMap<String, String>,
) -> Result<Vec<(String, serde_json::Value)>, AppError> {
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    let Some(spec) = case_type else {
        return Err(AppError::Invalid(
            "Choose a case type to filter by its fields.".into(),
        ));
    };
    let mut out = Vec::new();
    for (name, text) in typed {
        let field = spec
            .fields
            .iter()
            .find(|f| &f.name == name && f.filter)
            .ok_or_else(|| {
                AppError::Invalid(format!("{} cannot be filtered by {name:?}.", spec.label))
            })?;
        let view = FieldView::of_case_field(field);
        let values = BTreeMap::from([(name.clone(), text.clone())]);
        let checked =
            casetype::check(std::slice::from_ref(&view), &values).map_err(|problems| {
                AppError::Fields(problems.into_iter().map(|p| (p.field, p.message)).collect())
            })?;
        if let Some(value) = checked.get(name) {
            out.push((name.clone(), value.clone()));
        }
    }
    Ok(out)
}

/// A cursor travels as `<sort key>~<id>`, exactly as stored.
pub(crate) fn parse_cursor(s: &str) -> Result<Cursor, AppError> {
    let (key, id) = s
        .rsplit_once('~')
        .ok_or_else(|| AppError::Invalid("That page link is not valid any more.".into()))?;
    Ok(Cursor {
        key: key.to_owned(),
        id: id.to_owned(),
    })
}

/// A cursor as a page link carries it (see [`parse_cursor`]).
pub(crate) fn cursor_text(c: &Cursor) -> String {
    format!("{}~{}", c.key, c.id)
}

fn to_row(c: CaseSummary, columns: &[FieldView], labels: &BTreeMap<&str, &str>) -> CaseRow {
    let (sla_due, sla_breached) = sla(c.sla_due_at, c.status.is_live());
    let fields = db::cases::object(&c.fields);
    CaseRow {
        sla_breached,
        case_type: labels
            .get(c.case_type.as_str())
            .map_or_else(|| c.case_type.clone(), |l| (*l).to_owned()),
        columns: columns
            .iter()
            .map(|f| {
                fields
                    .get(&f.name)
                    .map(|v| casetype::display::show(f, v))
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "—".to_owned())
            })
            .collect(),
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
