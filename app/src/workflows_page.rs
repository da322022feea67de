//! The admin's Workflows page: each case type with its graph, its deployed
//! revision and how many live cases wait in each of its human steps.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::{ErrorNote, LoadingRows};

/// A human step of a case type and the live cases waiting in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    /// The Task state's name.
    pub state: String,
    /// What people call it.
    pub label: String,
    /// Who may act on it.
    pub roles: Vec<String>,
    /// Live cases waiting in it.
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

/// Every case type as deployed (admins only).
#[server(endpoint = "list_workflows")]
pub async fn list_workflows() -> Result<Vec<WorkflowRow>, AppError> {
    use crate::auth::{Role, ssr::require};
    require(Role::Admin).await?;
    let desk = crate::state::desk()?;
    let waiting = db::tasks::waiting_by_step(&desk.pool).await?;
    let count = |case_type: &str, step: &str| {
        waiting
            .iter()
            .find(|(t, s, _)| t == case_type && s == step)
            .map_or(0, |(_, _, n)| *n)
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
                waiting: count(&spec.name, &s.state),
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
    let rows = Resource::new(|| (), |()| list_workflows());
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
                <thead><tr><th scope="col">"Step"</th><th scope="col">"State"</th><th scope="col">"Who"</th><th scope="col">"Cases waiting"</th></tr></thead>
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
