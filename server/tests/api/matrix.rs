//! The authorization matrix: every server function and every page, called
//! by each kind of caller (signed out, an operator, another operator, a
//! manager, an admin) on their own resource and on someone else's, with the
//! outcome each must get. The server functions come from the registry the
//! server dispatches from and the pages from the router's route list, so a
//! server function or page added without a row here fails this test.
//!
//! A refused call must also change nothing: the task stays pending, the
//! user stays enabled, their sessions stay, no case or user appears.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, Reply, Server, pending};

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    SignedOut,
    Operator,
    OtherOperator,
    Manager,
    Admin,
}

/// The callers, in the order of the matrix's columns.
pub(crate) const WHO: [Who; 5] = [
    Who::SignedOut,
    Who::Operator,
    Who::OtherOperator,
    Who::Manager,
    Who::Admin,
];

impl Who {
    /// The demo user this caller is, if signed in.
    pub(crate) fn name(self) -> Option<&'static str> {
        match self {
            Who::SignedOut => None,
            Who::Operator => Some("olivia"),
            Who::OtherOperator => Some("oscar"),
            Who::Manager => Some("maria"),
            Who::Admin => Some("ada"),
        }
    }

    /// Someone other than this caller, who owns "someone else's" resource.
    fn someone_else(self) -> &'static str {
        match self {
            Who::Operator => "oscar",
            _ => "olivia",
        }
    }

    /// Who owns the resource a call by this caller on `whose` names.
    fn owner(self, whose: Whose) -> &'static str {
        match (whose, self.name()) {
            (Whose::Own, Some(me)) => me,
            _ => self.someone_else(),
        }
    }
}

/// Whose resource the call is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Whose {
    /// The caller's own (a case they opened, a task assigned to them, their
    /// own account).
    Own,
    /// Someone else's.
    Others,
    /// The call names no resource.
    Nobody,
}

/// What a call must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// 2xx.
    Allowed,
    /// 401: sign in first.
    SignIn,
    /// 403: not for this caller.
    Refused,
    /// A page sends the signed-out visitor to the sign-in page (303).
    ToLogin,
    /// No such combination (the signed out own nothing).
    NotApplicable,
}

use Outcome::{Allowed as OK, NotApplicable as NA, Refused as NO, SignIn as IN, ToLogin as GO};

/// One server function or page and the outcomes per caller.
struct Row {
    /// The server function's endpoint or the page's route.
    name: &'static str,
    /// Outcomes on the caller's own resource, per [`WHO`]; `None` when the
    /// call names no resource.
    own: Option<[Outcome; 5]>,
    /// Outcomes on someone else's resource (or on none), per [`WHO`].
    others: [Outcome; 5],
}

const fn plain(name: &'static str, outcomes: [Outcome; 5]) -> Row {
    Row {
        name,
        own: None,
        others: outcomes,
    }
}

const fn owned(name: &'static str, own: [Outcome; 5], others: [Outcome; 5]) -> Row {
    Row {
        name,
        own: Some(own),
        others,
    }
}

/// Every server function. Columns: signed out, operator, another operator,
/// manager, admin.
const SERVER_FNS: &[Row] = &[
    plain("current_user", [OK, OK, OK, OK, OK]),
    // Own: one's own name and password; someone else's: their name with a
    // wrong password.
    owned("login", [NA, OK, OK, OK, OK], [IN, IN, IN, IN, IN]),
    plain("logout", [OK, OK, OK, OK, OK]),
    // Ends the caller's sessions only: someone else's stay.
    plain("logout_everywhere", [IN, OK, OK, OK, OK]),
    // The desk is shared: every role sees every case.
    owned("get_case", [NA, OK, OK, OK, OK], [IN, OK, OK, OK, OK]),
    plain("case_filters", [IN, OK, OK, OK, OK]),
    plain("list_cases", [IN, OK, OK, OK, OK]),
    plain("my_work", [IN, OK, OK, OK, OK]),
    plain("case_type_form", [IN, OK, OK, OK, OK]),
    plain("open_case", [IN, OK, OK, OK, OK]),
    // Own: a case assigned to the caller; someone else's: assigned to an
    // operator, which only a manager or an admin may answer for them.
    owned("submit_task", [NA, OK, OK, OK, OK], [IN, NO, NO, OK, OK]),
    plain("list_escalations", [IN, NO, NO, OK, OK]),
    plain("list_users", [IN, NO, NO, NO, OK]),
    plain("list_conflicts", [IN, NO, NO, NO, OK]),
    plain("list_workflows", [IN, NO, NO, NO, OK]),
    plain("add_user", [IN, NO, NO, NO, OK]),
    // Nobody disables themselves, admins included.
    owned(
        "set_user_disabled",
        [NA, NO, NO, NO, NO],
        [IN, NO, NO, NO, OK],
    ),
    owned("reset_password", [NA, NO, NO, NO, OK], [IN, NO, NO, NO, OK]),
];

/// Every page.
const PAGES: &[Row] = &[
    plain("/login", [OK, OK, OK, OK, OK]),
    plain("/", [GO, OK, OK, OK, OK]),
    plain("/cases", [GO, OK, OK, OK, OK]),
    plain("/cases/new", [GO, OK, OK, OK, OK]),
    owned("/cases/{id}", [NA, OK, OK, OK, OK], [GO, OK, OK, OK, OK]),
    plain("/escalations", [GO, NO, NO, OK, OK]),
    plain("/admin/users", [GO, NO, NO, NO, OK]),
    plain("/admin/workflows", [GO, NO, NO, NO, OK]),
];

/// Every registered server function's endpoint.
pub(crate) fn registered_server_fns() -> BTreeSet<String> {
    // Naming the app links its server functions into this test.
    let _ = app::App;
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect()
}

/// Every page route of the app.
fn registered_pages() -> BTreeSet<String> {
    leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_owned())
        .collect()
}

fn names(rows: &[Row]) -> BTreeSet<String> {
    rows.iter().map(|r| r.name.to_owned()).collect()
}

#[test]
fn every_server_function_and_page_has_a_row_in_the_matrix() {
    let fns = registered_server_fns();
    assert!(fns.len() >= 18, "the registry is read: {fns:?}");
    assert_eq!(
        fns,
        names(SERVER_FNS),
        "every server function needs its row in SERVER_FNS, and every row a server function"
    );
    assert_eq!(
        registered_pages(),
        names(PAGES),
        "every page needs its row in PAGES, and every row a page"
    );
}

/// The callers' clients and a supply of fresh resources.
pub(crate) struct Desk {
    pub(crate) server: Server,
    /// Per [`WHO`]: the caller's client (the signed out one has no cookie).
    clients: Vec<Client>,
    pub(crate) admin: Client,
    fresh: AtomicUsize,
}

impl Desk {
    pub(crate) async fn open(server: Server) -> Self {
        let mut clients = Vec::new();
        for who in WHO {
            clients.push(match who.name() {
                Some(name) => server.signed_in(name).await,
                None => server.client(),
            });
        }
        let admin = server.signed_in("ada").await;
        Self {
            server,
            clients,
            admin,
            fresh: AtomicUsize::new(0),
        }
    }

    pub(crate) fn client(&self, who: Who) -> &Client {
        &self.clients[WHO.iter().position(|w| *w == who).expect("a caller")]
    }

    fn fresh_name(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.fresh.fetch_add(1, Ordering::Relaxed))
    }

    /// A case opened by `name`, assigned to them; returns (case, work task).
    pub(crate) async fn assigned_case(&self, name: &str) -> (String, String) {
        let owner = self.server.signed_in(name).await;
        let id = owner.open_case(&format!("{name}'s case")).await;
        let claimed = owner.claim(&id, name).await;
        assert!(claimed.ok, "{claimed:?}");
        let task = owner.task_of(&id, "WorkOnCase").await;
        (id, task)
    }

    /// A new operator, signed in; returns their name and client.
    pub(crate) async fn new_user(&self) -> (String, Client) {
        let name = self.fresh_name("temp");
        let added = self
            .admin
            .call(
                "add_user",
                &[
                    ("name", &name),
                    ("role", "operator"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert!(added.ok, "{added:?}");
        let client = self.server.signed_in(&name).await;
        (name, client)
    }

    pub(crate) async fn signed_in_as(&self, client: &Client) -> Option<String> {
        let reply = client.call("current_user", &[]).await;
        assert!(reply.ok, "{reply:?}");
        reply.json()["name"].as_str().map(str::to_owned)
    }

    pub(crate) async fn users(&self) -> Vec<Value> {
        let reply = self.admin.call("list_users", &[]).await;
        assert!(reply.ok, "{reply:?}");
        reply.json().as_array().expect("users").clone()
    }

    /// The ids of the cases whose text matches `words`.
    async fn cases_matching(&self, words: &str) -> Vec<Value> {
        let reply = self
            .admin
            .call_json("list_cases", json!({ "query": { "q": words } }))
            .await;
        assert!(reply.ok, "{reply:?}");
        reply.json()["rows"].as_array().expect("rows").clone()
    }

    /// Signs the caller (and the admin the checks use) in again when a
    /// call ended their session.
    pub(crate) async fn restore(&self, who: Who) {
        self.sign_in_again(&self.admin, "ada").await;
        if let Some(name) = who.name() {
            self.sign_in_again(self.client(who), name).await;
        }
    }

    async fn sign_in_again(&self, client: &Client, name: &str) {
        if self.signed_in_as(client).await.as_deref() != Some(name) {
            let reply = client
                .call("login", &[("username", name), ("password", PASSWORD)])
                .await;
            assert!(reply.ok, "signing {name} in again: {reply:?}");
        }
    }
}

/// What a refused call must have left as it was.
enum Unchanged {
    Nothing,
    TaskPending { case: String, step: &'static str },
    NoCase(String),
    UserEnabled(String),
    UserAbsent(String),
    SignedIn(Client, String),
}

impl Unchanged {
    async fn check(self, desk: &Desk, label: &str) {
        match self {
            Unchanged::Nothing => {}
            Unchanged::TaskPending { case, step } => {
                let case = desk.admin.case(&case).await;
                assert!(pending(&case, step).is_some(), "{label}: {case:#}");
            }
            Unchanged::NoCase(title) => {
                let found = desk.cases_matching(&title).await;
                assert!(found.is_empty(), "{label}: {found:?}");
            }
            Unchanged::UserEnabled(name) => {
                let users = desk.users().await;
                let user = users.iter().find(|u| u["name"] == name.as_str());
                assert_eq!(user.map(|u| &u["disabled"]), Some(&json!(false)), "{label}");
            }
            Unchanged::UserAbsent(name) => {
                let users = desk.users().await;
                assert!(users.iter().all(|u| u["name"] != name.as_str()), "{label}");
            }
            Unchanged::SignedIn(client, name) => {
                assert_eq!(desk.signed_in_as(&client).await, Some(name), "{label}");
            }
        }
    }
}

/// Calls server function `endpoint` as `who` on `whose` resource; returns
/// the reply and what a refusal must have left unchanged.
async fn call(desk: &Desk, endpoint: &str, who: Who, whose: Whose) -> (Reply, Unchanged) {
    let client = desk.client(who);
    let me = who.name().unwrap_or("nobody");
    match endpoint {
        "login" => {
            let (name, password) = match whose {
                Whose::Own => (me, PASSWORD),
                _ => (who.someone_else(), "not-their-password"),
            };
            let reply = client
                .call("login", &[("username", name), ("password", password)])
                .await;
            (reply, Unchanged::Nothing)
        }
        "logout_everywhere" => {
            // A bystander's session must outlive anyone else's call.
            let bystander = desk.server.signed_in(who.someone_else()).await;
            let reply = client.call(endpoint, &[]).await;
            let name = who.someone_else().to_owned();
            Unchanged::SignedIn(bystander, name.clone())
                .check(desk, "a bystander's session")
                .await;
            (reply, Unchanged::Nothing)
        }
        "get_case" => {
            let owner = who.owner(whose);
            let (case, _) = desk.assigned_case(owner).await;
            let reply = client.call(endpoint, &[("id", &case)]).await;
            (reply, Unchanged::Nothing)
        }
        "case_filters" | "case_type_form" => {
            let reply = client.call(endpoint, &[("case_type", "support")]).await;
            (reply, Unchanged::Nothing)
        }
        "list_cases" => {
            let reply = client
                .call_json(endpoint, json!({ "query": { "status": "open" } }))
                .await;
            (reply, Unchanged::Nothing)
        }
        "open_case" => {
            let title = desk.fresh_name("Matrixcase");
            let reply = client
                .call(
                    endpoint,
                    &[
                        ("case_type", "support"),
                        ("title", &title),
                        ("priority", "low"),
                        ("values[Description]", "From the matrix."),
                        ("values[CustomerRef]", "M-1"),
                    ],
                )
                .await;
            (reply, Unchanged::NoCase(title))
        }
        "submit_task" => {
            let owner = who.owner(whose);
            let (case, task) = desk.assigned_case(owner).await;
            let reply = client
                .answer(&task, &[("Status", "1"), ("Notes", "From the matrix.")])
                .await;
            let step = "WorkOnCase";
            (reply, Unchanged::TaskPending { case, step })
        }
        "add_user" => {
            let name = desk.fresh_name("added");
            let reply = client
                .call(
                    endpoint,
                    &[("name", &name), ("role", "admin"), ("password", PASSWORD)],
                )
                .await;
            (reply, Unchanged::UserAbsent(name))
        }
        "set_user_disabled" => {
            let name = match whose {
                Whose::Own => me.to_owned(),
                _ => desk.new_user().await.0,
            };
            let reply = client
                .call(endpoint, &[("name", &name), ("disabled", "true")])
                .await;
            (reply, Unchanged::UserEnabled(name))
        }
        "reset_password" => {
            let (name, session) = match whose {
                Whose::Own => (me.to_owned(), None),
                _ => {
                    let (name, client) = desk.new_user().await;
                    (name, Some(client))
                }
            };
            // The password stays the demo one, so the caller can sign in again.
            let reply = client
                .call(endpoint, &[("name", &name), ("password", PASSWORD)])
                .await;
            let unchanged = match session {
                Some(session) => Unchanged::SignedIn(session, name),
                None => Unchanged::Nothing,
            };
            (reply, unchanged)
        }
        // The rest take no arguments.
        _ => (client.call(endpoint, &[]).await, Unchanged::Nothing),
    }
}

/// The outcome a reply stands for.
fn outcome_of(reply: &Reply) -> Outcome {
    match reply.status {
        200..=299 => OK,
        401 => IN,
        403 => NO,
        303 => GO,
        _ => NA,
    }
}

/// Each (row, caller, whose) with its expected outcome.
fn cells(rows: &'static [Row]) -> Vec<(&'static Row, Who, Whose, Outcome)> {
    let mut cells = Vec::new();
    for row in rows {
        for (i, who) in WHO.into_iter().enumerate() {
            match row.own {
                Some(own) => {
                    cells.push((row, who, Whose::Own, own[i]));
                    cells.push((row, who, Whose::Others, row.others[i]));
                }
                None => cells.push((row, who, Whose::Nobody, row.others[i])),
            }
        }
    }
    cells.retain(|(.., expected)| *expected != NA);
    cells
}

#[tokio::test]
async fn every_server_function_answers_each_caller_as_the_matrix_says() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(Server::start(dir.path()).await).await;
    let mut wrong = Vec::new();

    for (row, who, whose, expected) in cells(SERVER_FNS) {
        // Act
        let (reply, unchanged) = call(&desk, row.name, who, whose).await;

        // Assert
        let label = format!("{} by {who:?} on {whose:?}", row.name);
        let got = outcome_of(&reply);
        if got != expected {
            wrong.push(format!(
                "{label}: expected {expected:?}, got {} {}",
                reply.status, reply.body
            ));
        } else if expected != OK {
            unchanged.check(&desk, &label).await;
        }
        desk.restore(who).await;
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn every_page_answers_each_caller_as_the_matrix_says() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(Server::start(dir.path()).await).await;
    let mut wrong = Vec::new();

    for (row, who, whose, expected) in cells(PAGES) {
        let path = match whose {
            Whose::Nobody => row.name.to_owned(),
            _ => {
                let owner = who.owner(whose);
                let (case, _) = desk.assigned_case(owner).await;
                row.name.replace("{id}", &case)
            }
        };

        // Act
        let client = desk.client(who);
        let res = client
            .http
            .get(format!("{}{path}", desk.server.base))
            .send()
            .await
            .expect("the server answers");

        // Assert
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let got = match status {
            200 => OK,
            403 => NO,
            303 if location.starts_with("/login?next=") => GO,
            _ => NA,
        };
        if got != expected {
            wrong.push(format!(
                "{path} by {who:?}: expected {expected:?}, got {status} {location}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
