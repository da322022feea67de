//! The admin's Workflows page: each case type with its graph, its deployed
//! revision and how many live cases wait in each of its human steps.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::loaded::load;
use crate::widgets::{ErrorNote, LoadingRows};

/// A human step of a case type and the tasks waiting in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    /// The Task state's name.
    pub state: String,
    /// What people call it.
    pub label: String,
    /// Who may act on it.
    pub roles: Vec<String>,
    /// Tasks waiting in it.
    pub waiting: i64,
}

/// One case type as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowRow {
    /// Its name.
    pub name: String,
    /// What people call it.
    pub label: String,
    /// What it is for.
    pub description: String,
    /// The state machine it runs as.
    pub machine: String,
    /// A digest of the deployed definition.
    pub revision: String,
    /// Its human steps.
    pub steps: Vec<StepRow>,
    /// The definition drawn, the steps with waiting cases marked current.
    pub svg: Option<String>,
}

/// An execution that claimed a case it does not own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictRow {
    /// The case it named.
    pub case_id: String,
    /// The execution.
    pub execution_arn: String,
    /// The step whose task it sent.
    pub step: String,
    /// When, formatted.
    pub seen: String,
}

/// The latest executions that claimed cases they do not own (admins only).
#[server(endpoint = "list_conflicts")]
pub async fn list_conflicts() -> Result<Vec<ConflictRow>, AppError> {
    use crate::auth::{Role, ssr::require};
    require(Role::Admin).await?;
    let desk = crate::state::desk()?;
    Ok(desk
        .conflicts(50)
        .await?
        .into_iter()
        .map(|c| ConflictRow {
            case_id: c.case_id,
            execution_arn: c.execution_arn.unwrap_or_else(|| "—".into()),
            step: c.step,
            seen: crate::time::precise(c.seen_at),
        })
        .collect())
}

/// Every case type as deployed (admins only).
#[server(endpoint = "list_workflows")]
pub async fn list_workflows() -> Result<Vec<WorkflowRow>, AppError> {
    use crate::auth::{Role, ssr::require};
    require(Role::Admin).await?;
    let desk = crate::state::desk()?;
    let waiting = db::tasks::waiting_by_activity(&desk.pool).await?;
    let count = |deployment: Option<&workflows::Deployment>, step: &str| {
        let activity = deployment
            .and_then(|d| d.steps.iter().find(|s| s.state == step))
            .map(|s| s.activity_arn.as_str());
        waiting
            .iter()
            .find(|(a, _)| Some(a.as_str()) == activity)
            .map_or(0, |(_, n)| *n)
    };
    let mut rows = Vec::new();
    for t in &desk.catalog.types {
        let spec = &t.spec;
        let deployment = desk.sfn.deployment(&spec.name);
        let steps: Vec<StepRow> = spec
            .steps
            .iter()
            .map(|s| StepRow {
                state: s.state.clone(),
                label: s.label.clone(),
                roles: s.roles.clone(),
                waiting: count(deployment, &s.state),
            })
            .collect();
        let marks = steps
            .iter()
            .filter(|s| s.waiting > 0)
            .map(|s| (s.state.clone(), workflows::graph::Mark::Current))
            .collect();
        let svg = deployment
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.definition).ok())
            .and_then(|definition| match workflows::graph::render_svg(&definition, &marks) {
                Ok(svg) => Some(svg),
                Err(err) => {
                    tracing::warn!(case_type = %spec.name, error = %err, "the workflow cannot be drawn");
                    None
                }
            });
        rows.push(WorkflowRow {
            name: spec.name.clone(),
            label: spec.label.clone(),
            description: spec.description.clone(),
            machine: deployment
                .map(|d| d.machine_name.clone())
                .unwrap_or_default(),
            revision: deployment.map(|d| d.revision.clone()).unwrap_or_default(),
            steps,
            svg,
        });
    }
    Ok(rows)
}

/// The Workflows page.
#[component]
pub fn WorkflowsPage() -> impl IntoView {
    let rows = load(|| (), |()| list_workflows());
    let conflicts = load(|| (), |()| list_conflicts());
    view! {
        <Title text="Workflows" />
        <div class="page-head">
            <div>
                <h1>"Workflows"</h1>
                <p class="muted">"The case types this server runs, as deployed, and how many live cases wait in each human step."</p>
            </div>
        </div>
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => rows.into_iter().map(|row| view! { <WorkflowPanel row /> }).collect_view().into_any(),
                    Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=LoadingRows>
            {move || Suspend::new(async move {
                match conflicts.await {
                    Ok(rows) => view! { <Conflicts rows /> }.into_any(),
                    Err(err) => view! { <ErrorNote message=err.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Executions that named cases they do not own.
#[component]
fn Conflicts(rows: Vec<ConflictRow>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="conflicts">
            <h2 id="conflicts">"Conflicting executions"</h2>
            {if rows.is_empty() {
                view! { <p class="muted">"None: every task came from the execution that owns its case."</p> }.into_any()
            } else {
                view! {
                    <p class="muted">"These executions named a case that another execution owns. Their tasks were failed back (Stepdesk.CaseConflict) and never merged into the case."</p>
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr><th scope="col">"Seen"</th><th scope="col">"Case"</th><th scope="col">"Step"</th><th scope="col">"Execution"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| view! {
                                    <tr>
                                        <td class="muted">{c.seen}</td>
                                        <td class="mono"><a href=format!("/cases/{}", c.case_id)>{c.case_id.clone()}</a></td>
                                        <td class="mono">{c.step}</td>
                                        <td class="mono small">{c.execution_arn}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn WorkflowPanel(row: WorkflowRow) -> impl IntoView {
    let heading = format!("wf-{}", row.name);
    let labelled_by = heading.clone();
    view! {
        <section class="panel workflow" aria-labelledby=labelled_by>
            <h2 id=heading>{row.label.clone()}</h2>
            <p class="muted">{row.description.clone()}</p>
            <dl class="facts">
                <dt>"Case type"</dt><dd class="mono">{row.name.clone()}</dd>
                <dt>"State machine"</dt><dd class="mono">{row.machine.clone()}</dd>
                <dt>"Revision"</dt><dd class="mono" data-testid="revision">{row.revision.clone()}</dd>
            </dl>
            <div class="table-wrap"><table class="table steps-table">
                <caption class="sr-only">{format!("Human steps of {}", row.label)}</caption>
                <thead><tr><th scope="col">"Step"</th><th scope="col">"State"</th><th scope="col">"Who"</th><th scope="col">"Tasks waiting"</th></tr></thead>
                <tbody>
                    {row.steps.into_iter().map(|s| {
                        let marker = s.state.clone();
                        view! {
                        <tr data-step=marker>
                            <td>{s.label}</td>
                            <td class="mono">{s.state}</td>
                            <td>{s.roles.join(", ")}</td>
                            <td class="num" data-testid="waiting">{s.waiting}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table></div>
            {row.svg.map(|svg| view! { <figure class="graph" aria-hidden="true" inner_html=svg></figure> })}
        </section>
    }
}
