//! The desk against the real engine: what changes outside Stepdesk shows up
//! in the mirror.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_sfn::config::{
    BehaviorVersion, ConfigBag, Credentials, Intercept, Region, RuntimeComponents,
};
use chrono::{DateTime, Utc};
use db::desk::CaseForm;
use db::{Desk, Role, UserName};

struct Fixture {
    desk: Desk,
    calls: Calls,
    _engine: engine::Engine,
}

/// Counts the Step Functions calls the desk's client makes, by operation
/// (every attempt of a retried call counts).
#[derive(Debug, Clone, Default)]
struct Calls(std::sync::Arc<std::sync::Mutex<BTreeMap<String, usize>>>);

impl Calls {
    /// Calls of `operation` so far (`SendTaskHeartbeat`).
    fn of(&self, operation: &str) -> usize {
        self.0
            .lock()
            .expect("calls")
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Calls of `operation` made by `act`.
    async fn during<T>(&self, operation: &str, act: impl Future<Output = T>) -> (T, usize) {
        let before = self.of(operation);
        let out = act.await;
        (out, self.of(operation) - before)
    }
}

impl Intercept for Calls {
    fn name(&self) -> &'static str {
        "Calls"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let target = context
            .request()
            .headers()
            .get("x-amz-target")
            .unwrap_or("");
        let operation = target.rsplit('.').next().unwrap_or(target).to_owned();
        *self.0.lock().expect("calls").entry(operation).or_default() += 1;
        Ok(())
    }
}

async fn fixture() -> Fixture {
    let engine = engine::Engine::open(engine::EngineConfig::new(":memory:")).expect("engine");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let auth = engine::http::Auth::SigV4(engine::http::AccessKey::new("t", "t"));
    let calls = Calls::default();
    tokio::spawn(engine::http::serve(listener, engine.clone(), auth));
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("t", "t", None, None, "test"))
        .endpoint_url(endpoint)
        .interceptor(calls.clone())
        .build();
    let client = Client::from_conf(config);
    let pool = db::connect(std::path::Path::new(":memory:"))
        .await
        .expect("mirror");
    db::migrate(&pool).await.expect("migrate");
    let catalog = workflows::load_dir(&workflows::shipped_dir()).expect("case types");
    let desk = Desk::deploy(
        pool,
        client,
        catalog,
        "DeskTest",
        "arn:aws:iam::123456789012:role/t",
    )
    .await
    .expect("deploy");
    Fixture {
        desk,
        calls,
        _engine: engine,
    }
}

fn support_form(title: &str, priority: &str) -> CaseForm {
    CaseForm {
        case_type: "support".into(),
        title: title.into(),
        priority: priority.into(),
        ..Default::default()
    }
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The one open task of a case.
async fn only_task(desk: &Desk, case_id: &str) -> db::tasks::Task {
    let mut open = db::tasks::open_for_case(&desk.pool, case_id)
        .await
        .expect("read");
    assert_eq!(open.len(), 1, "one open task: {open:?}");
    open.remove(0)
}

async fn user(desk: &Desk, name: &str, role: Role) -> db::User {
    let name = UserName::parse(name).expect("name");
    db::users::insert(&desk.pool, &name, role, "x")
        .await
        .expect("user")
}

/// A refund of `amount` EUR opened by `by`, reviewed and approved by `reviewer`.
async fn reviewed_refund(f: &Fixture, by: &db::User, reviewer: &db::User, amount: &str) -> String {
    let form = CaseForm {
        case_type: "refund".into(),
        title: "Refund order 5531".into(),
        priority: "normal".into(),
        fields: values(&[
            ("Amount", amount),
            ("Amount.currency", "EUR"),
            ("OrderRef", "ORD-5531"),
            ("Reason", "Arrived broken"),
        ]),
    };
    let id = f.desk.open_case(by, &form).await.expect("opened");
    take_task_of(&f.desk, "refund", "ReviewRefund").await;
    let review = only_task(&f.desk, &id).await;
    f.desk
        .submit(reviewer, &review.id, &values(&[("Decision", "approve")]))
        .await
        .expect("reviewed");
    id
}

/// Claims support case `id` for `who` and takes its work step.
async fn claimed_work(desk: &Desk, who: &db::User, id: &str) -> db::tasks::Task {
    take_task(desk, "AssignCase").await;
    let assign = only_task(desk, id).await;
    desk.submit(who, &assign.id, &values(&[("Assignee", who.name.as_str())]))
        .await
        .expect("claimed");
    take_task(desk, "WorkOnCase").await;
    only_task(desk, id).await
}

/// Takes both approvals of a reviewed refund: (finance, manager).
async fn both_approvals(desk: &Desk, case_id: &str) -> (db::tasks::Task, db::tasks::Task) {
    take_task_of(desk, "refund", "FinanceApproval").await;
    take_task_of(desk, "refund", "ManagerApproval").await;
    (
        task_at(desk, case_id, "FinanceApproval").await,
        task_at(desk, case_id, "ManagerApproval").await,
    )
}

/// The case's open task of `step`.
async fn task_at(desk: &Desk, case_id: &str, step: &str) -> db::tasks::Task {
    db::tasks::open_for_case(&desk.pool, case_id)
        .await
        .expect("read")
        .into_iter()
        .find(|t| t.step == step)
        .unwrap_or_else(|| panic!("no open {step} task"))
}

async fn operator(desk: &Desk) -> db::User {
    let name = UserName::parse("olivia").expect("name");
    db::users::insert(&desk.pool, &name, Role::Operator, "x")
        .await
        .expect("user")
}

/// Polls the support step `state`'s activity and stores what it gets, as
/// the server's poller does.
async fn take_task(desk: &Desk, state: &str) {
    take_task_of(desk, "support", state).await;
}

/// Polls `case_type`'s step `state` and stores what it gets.
async fn take_task_of(desk: &Desk, case_type: &str, state: &str) {
    let arn = desk
        .sfn
        .deployment(case_type)
        .and_then(|d| d.steps.iter().find(|s| s.state == state))
        .map(|s| s.activity_arn.clone())
        .expect("a step of the case type");
    let (token, input) = desk
        .sfn
        .poll(&arn, "test")
        .await
        .expect("poll")
        .expect("a task");
    desk.task_arrived(&arn, &token, &input)
        .await
        .expect("stored");
}

#[tokio::test]
async fn a_case_stopped_from_outside_shows_as_aborted_and_its_task_expires() {
    // Arrange
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let form = support_form("Stopped from the console", "normal");
    let id = f.desk.open_case(&olivia, &form).await.expect("opened");
    take_task(&f.desk, "AssignCase").await;
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    let arn = case.execution_arn.expect("started");

    // Act
    f.desk
        .sfn
        .client
        .stop_execution()
        .execution_arn(&arn)
        .send()
        .await
        .expect("stopped");
    let round = f.desk.reconcile(Utc::now(), 10).await.expect("reconciled");

    // Assert
    assert_eq!(round.changed, 1);
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Aborted);
    assert!(case.closed_at.is_some());
    let open = db::tasks::open_for_case(&f.desk.pool, &id)
        .await
        .expect("read");
    assert_eq!(open, [], "the assignment expired with the execution");
}

#[tokio::test]
async fn an_execution_started_outside_stepdesk_becomes_a_case_and_its_sla_escalates_it() {
    // Arrange: started with the CLI's shape of input, a one-second SLA.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let input = r#"{"CaseId":"EXT-1","Title":"Phoned in","Priority":"urgent","SlaSeconds":1}"#;
    f.desk
        .sfn
        .client
        .start_execution()
        .state_machine_arn(
            &f.desk
                .sfn
                .deployment("support")
                .expect("support")
                .machine_arn,
        )
        .name("EXT-1")
        .input(input)
        .send()
        .await
        .expect("started");

    // Act
    let found = f.desk.discover(50).await.expect("discovered");
    take_task(&f.desk, "AssignCase").await;
    let assign = only_task(&f.desk, "EXT-1").await;
    f.desk
        .submit(&olivia, &assign.id, &values(&[("Assignee", "olivia")]))
        .await
        .expect("claimed");
    take_task(&f.desk, "WorkOnCase").await;
    // Nobody works it: the SLA runs out and the workflow escalates.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    take_task_of(&f.desk, "support-escalation", "DecideEscalation").await;

    // Assert
    assert_eq!(found, 1);
    let case = db::cases::get(&f.desk.pool, "EXT-1")
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.title, "Phoned in");
    assert_eq!(case.priority, db::cases::Priority::Urgent);
    assert_eq!(case.status, db::cases::CaseStatus::Escalated);
    assert_eq!(case.current_step.as_deref(), Some("EscalateCase"));
    assert!(case.escalated);
    for list in [db::tasks::WorkList::Mine, db::tasks::WorkList::Claimable] {
        let expired_work = db::tasks::my_work(&f.desk.pool, olivia.id, "operator", list, None, 50)
            .await
            .expect("read");
        assert!(
            expired_work.items.is_empty(),
            "the timed-out work task left olivia's {list:?} list: {expired_work:?}"
        );
    }
}

/// The case, read again.
async fn case_of(desk: &Desk, id: &str) -> db::cases::Case {
    db::cases::get(&desk.pool, id)
        .await
        .expect("read")
        .expect("case")
}

/// Reconciles the case until it is no longer live (at most five seconds).
async fn until_ended(desk: &Desk, id: &str) -> db::cases::Case {
    for _ in 0..50 {
        desk.reconcile_case(id).await;
        let case = case_of(desk, id).await;
        if !case.status.is_live() {
            return case;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("case {id} did not end");
}

#[tokio::test]
async fn an_escalation_runs_as_a_nested_workflow_whose_task_belongs_to_the_case() {
    // Arrange: olivia cannot resolve the case.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let maria = user(&f.desk, "maria", Role::Manager).await;
    let id = f
        .desk
        .open_case(&olivia, &support_form("Printer on fire", "high"))
        .await
        .expect("opened");
    let work = claimed_work(&f.desk, &olivia, &id).await;
    f.desk
        .submit(
            &olivia,
            &work.id,
            &values(&[("Status", "0"), ("Notes", "Beyond me")]),
        )
        .await
        .expect("worked");

    // Act: the escalation's own execution asks for the decision.
    take_task_of(&f.desk, "support-escalation", "DecideEscalation").await;

    // Assert: the task is the case's, the run is recorded with its parent.
    let decide = only_task(&f.desk, &id).await;
    assert_eq!(decide.step, "DecideEscalation");
    let case = case_of(&f.desk, &id).await;
    let own = case.execution_arn.clone().expect("started");
    assert_ne!(decide.execution_arn.as_deref(), Some(own.as_str()));
    assert_eq!(case.status, db::cases::CaseStatus::Escalated);
    assert_eq!(case.current_step.as_deref(), Some("EscalateCase"));
    let runs = db::runs::for_case(&f.desk.pool, &id).await.expect("read");
    assert_eq!(runs.len(), 1);
    assert_eq!(Some(&runs[0].execution_arn), decide.execution_arn.as_ref());
    assert_eq!(runs[0].parent_arn, own);
    assert_eq!(runs[0].parent_state.as_deref(), Some("EscalateCase"));
    assert_eq!(runs[0].case_type, "support-escalation");
    let escalations =
        db::tasks::escalations(&f.desk.pool, &f.desk.escalation_activities(), None, 20)
            .await
            .expect("read")
            .items;
    assert_eq!(
        escalations.iter().map(|e| &e.task_id).collect::<Vec<_>>(),
        [&decide.id]
    );
    assert_eq!(escalations[0].notes.as_deref(), Some("Beyond me"));
    assert!(f.desk.conflicts(10).await.expect("read").is_empty());

    // Act: the manager closes it; the decision flows back to the case.
    f.desk
        .submit(
            &maria,
            &decide.id,
            &values(&[("Decision", "close"), ("Reason", "Replaced the printer")]),
        )
        .await
        .expect("decided");

    // Assert
    let case = until_ended(&f.desk, &id).await;
    assert_eq!(case.status, db::cases::CaseStatus::Closed);
    let output = f
        .desk
        .sfn
        .client
        .describe_execution()
        .execution_arn(&own)
        .send()
        .await
        .expect("described")
        .output
        .expect("output");
    let output: serde_json::Value = serde_json::from_str(&output).expect("JSON");
    assert_eq!(output["Case"]["Escalation"]["Decision"], "close");
    assert_eq!(output["Case"]["Escalation"]["DecidedBy"], "maria");
    assert_eq!(
        output["Case"]["Escalation"]["ExecutionArn"],
        runs[0].execution_arn.as_str()
    );
}

#[tokio::test]
async fn an_escalation_execution_started_from_outside_is_failed_back_and_never_merged() {
    // Arrange: a real case waiting in AssignCase.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let id = f
        .desk
        .open_case(&olivia, &support_form("The real one", "normal"))
        .await
        .expect("opened");
    take_task(&f.desk, "AssignCase").await;
    let real = only_task(&f.desk, &id).await;
    let own = case_of(&f.desk, &id).await.execution_arn.expect("started");
    let machine = f
        .desk
        .sfn
        .deployment("support-escalation")
        .expect("deployed")
        .machine_arn
        .clone();

    // Act: someone starts the escalation machine naming the case, and even
    // claims the case's execution as its parent.
    let forged = f
        .desk
        .sfn
        .client
        .start_execution()
        .state_machine_arn(&machine)
        .name("forged-escalation")
        .input(format!(
            r#"{{"CaseId":"{id}","Case":{{"CaseId":"{id}","Title":"Forged"}},"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"{own}"}}"#
        ))
        .send()
        .await
        .expect("started")
        .execution_arn;
    take_task_of(&f.desk, "support-escalation", "DecideEscalation").await;

    // Assert: nothing of it reached the case; it is a conflict, failed back.
    let open = db::tasks::open_for_case(&f.desk.pool, &id)
        .await
        .expect("read");
    assert_eq!(open.iter().map(|t| &t.id).collect::<Vec<_>>(), [&real.id]);
    assert!(
        db::runs::for_case(&f.desk.pool, &id)
            .await
            .expect("read")
            .is_empty()
    );
    let case = case_of(&f.desk, &id).await;
    assert_eq!(case.status, db::cases::CaseStatus::Open);
    assert_eq!(case.current_step.as_deref(), Some("AssignCase"));
    let seen = f.desk.conflicts(10).await.expect("read");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].execution_arn.as_deref(), Some(forged.as_str()));
    let ended = f
        .desk
        .sfn
        .client
        .describe_execution()
        .execution_arn(&forged)
        .send()
        .await
        .expect("described");
    assert_eq!(ended.status.as_str(), "FAILED");
    assert_eq!(ended.error.as_deref(), Some("Stepdesk.CaseConflict"));
}

#[tokio::test]
async fn a_next_task_arriving_before_an_answer_is_recorded_does_not_expire_that_answer() {
    // Arrange: an answer taken and delivered, not yet recorded.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let form = support_form("Fast workflow", "high");
    let id = f.desk.open_case(&olivia, &form).await.expect("opened");
    take_task(&f.desk, "AssignCase").await;
    let assign = only_task(&f.desk, &id).await;
    let output = r#"{"Assignee":"olivia","AssignedBy":"olivia"}"#;
    let answer = db::tasks::Completion {
        actor: olivia.id,
        output,
        fails: false,
        four_eyes: false,
    };
    assert!(
        db::tasks::begin_completion(&f.desk.pool, &assign.id, answer)
            .await
            .expect("taken")
    );
    f.desk
        .sfn
        .send_success(&assign.token, output)
        .await
        .expect("delivered");

    // Act: the poller stores the work task first; then the answer is recorded.
    take_task(&f.desk, "WorkOnCase").await;
    let kept = db::tasks::get(&f.desk.pool, &assign.id)
        .await
        .expect("read");
    let recorded = db::tasks::mark_completed(&f.desk.pool, &assign.id)
        .await
        .expect("recorded");

    // Assert
    assert_eq!(
        kept.map(|t| t.status),
        Some(db::tasks::TaskStatus::Completing)
    );
    assert!(recorded);
}

#[tokio::test]
async fn values_that_do_not_fit_the_form_are_refused_per_field_and_nothing_is_sent() {
    // Arrange: a case waiting in WorkOnCase for olivia.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let id = f
        .desk
        .open_case(&olivia, &support_form("Bad values", "normal"))
        .await
        .expect("opened");
    let work = claimed_work(&f.desk, &olivia, &id).await;

    // Act: an outcome the form does not offer, and notes too long.
    let notes = "n".repeat(4001);
    let refused = f
        .desk
        .submit(
            &olivia,
            &work.id,
            &values(&[("Status", "7"), ("Notes", &notes)]),
        )
        .await;

    // Assert
    let Err(db::Error::Fields(problems)) = refused else {
        panic!("expected field errors, got {refused:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["Status", "Notes"], "{problems:?}");
    let still = db::tasks::get(&f.desk.pool, &work.id)
        .await
        .expect("read")
        .expect("task");
    assert_eq!(still.status, db::tasks::TaskStatus::Pending);
    assert_eq!(still.output, None, "nothing was recorded or sent");
    f.desk
        .sfn
        .heartbeat(&work.token)
        .await
        .expect("the token still waits");
}

#[tokio::test]
async fn an_execution_claiming_another_executions_case_is_failed_back_and_never_merged() {
    // Arrange: a real case waiting in AssignCase.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let id = f
        .desk
        .open_case(&olivia, &support_form("The real one", "normal"))
        .await
        .expect("opened");
    take_task(&f.desk, "AssignCase").await;
    let real = only_task(&f.desk, &id).await;
    let machine = f
        .desk
        .sfn
        .deployment("support")
        .expect("support")
        .machine_arn
        .clone();

    // Act: anyone who may start executions forges one naming the same case.
    let forged = f
        .desk
        .sfn
        .client
        .start_execution()
        .state_machine_arn(&machine)
        .name("forged")
        .input(format!(
            r#"{{"CaseId":"{id}","Title":"Forged","Priority":"low","SlaSeconds":600}}"#
        ))
        .send()
        .await
        .expect("started")
        .execution_arn;
    take_task(&f.desk, "AssignCase").await;

    // Assert: the real task is the case's only one, the forgery is recorded.
    let open = db::tasks::open_for_case(&f.desk.pool, &id)
        .await
        .expect("read");
    assert_eq!(open.iter().map(|t| &t.id).collect::<Vec<_>>(), [&real.id]);
    let conflicts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_conflicts WHERE case_id = ? AND execution_arn = ?",
    )
    .bind(&id)
    .bind(&forged)
    .fetch_one(&f.desk.pool)
    .await
    .expect("read");
    assert_eq!(conflicts, 1);
    let seen = f.desk.conflicts(10).await.expect("read");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].step, "AssignCase");
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.title, "The real one");
    assert_ne!(case.execution_arn.as_deref(), Some(forged.as_str()));
}

#[tokio::test]
async fn a_pending_task_keeps_the_form_it_arrived_with_across_a_redeploy() {
    // Arrange: a case waiting in WorkOnCase.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let id = f
        .desk
        .open_case(&olivia, &support_form("Form changes", "normal"))
        .await
        .expect("opened");
    let work = claimed_work(&f.desk, &olivia, &id).await;

    // Act: redeployed with WorkOnCase asking for a new required field.
    let mut catalog = workflows::load_dir(&workflows::shipped_dir()).expect("case types");
    let support = catalog
        .types
        .iter_mut()
        .find(|t| t.spec.name == "support")
        .expect("support");
    let step = support
        .spec
        .steps
        .iter_mut()
        .find(|s| s.state == "WorkOnCase")
        .expect("work step");
    step.form.schema["properties"]["Minutes"] =
        serde_json::json!({"type": "integer", "title": "Minutes spent"});
    step.form.schema["required"] = serde_json::json!(["Status", "Minutes"]);
    let redeployed = Desk::deploy(
        f.desk.pool.clone(),
        f.desk.sfn.client.clone(),
        catalog,
        "DeskTest",
        "arn:aws:iam::123456789012:role/t",
    )
    .await
    .expect("redeployed");
    let answered = redeployed
        .submit(
            &olivia,
            &work.id,
            &values(&[("Status", "1"), ("Notes", "Fixed")]),
        )
        .await;

    // Assert: answered on the form it arrived with; the case closes.
    let answered = answered.expect("the old form's answer is accepted");
    assert_eq!(answered.message, "Recorded as resolved: the case closes.");
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Closed);
    assert_eq!(case.current_step.as_deref(), Some("CloseCase"));
}

#[tokio::test]
async fn a_large_refund_needs_both_parallel_approvals_by_two_people_who_did_not_open_it() {
    // Arrange: olivia opens a refund above the threshold; oscar reviews it.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let oscar = user(&f.desk, "oscar", Role::Operator).await;
    let maria = user(&f.desk, "maria", Role::Manager).await;
    let ada = user(&f.desk, "ada", Role::Admin).await;
    let id = reviewed_refund(&f, &olivia, &oscar, "250").await;
    let (finance, manager) = both_approvals(&f.desk, &id).await;
    let approve = values(&[("Decision", "approve")]);

    // Act
    let by_opener = f.desk.submit(&olivia, &finance.id, &approve).await;
    let by_operator = f.desk.submit(&oscar, &manager.id, &approve).await;
    let first = f.desk.submit(&maria, &finance.id, &approve).await;
    let twice = f.desk.submit(&maria, &manager.id, &approve).await;
    let second = f.desk.submit(&ada, &manager.id, &approve).await;
    take_task_of(&f.desk, "refund", "RecordPayout").await;
    let payout = only_task(&f.desk, &id).await;
    let recorded = f
        .desk
        .submit(&oscar, &payout.id, &values(&[("PayoutRef", "TX-9")]))
        .await;

    // Assert
    let refused = |r: &db::Result<db::desk::Answered>, text: &str| matches!(r, Err(db::Error::Forbidden(m)) if m.contains(text));
    assert!(refused(&by_opener, "you opened this case"), "{by_opener:?}");
    assert!(
        refused(&by_operator, "only a manager or an admin may answer"),
        "{by_operator:?}"
    );
    assert_eq!(
        first.expect("finance approved").message,
        "Approved for finance."
    );
    assert!(refused(&twice, "Four eyes"), "{twice:?}");
    assert_eq!(
        second.expect("manager approved").message,
        "Approved as manager."
    );
    recorded.expect("payout recorded");
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Closed);
    assert_eq!(case.current_step.as_deref(), Some("Refunded"));
}

#[tokio::test]
async fn a_rejected_approval_fails_its_task_and_the_refund_ends_refused_with_the_reason() {
    // Arrange: both approvals waiting; finance approves.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let oscar = user(&f.desk, "oscar", Role::Operator).await;
    let maria = user(&f.desk, "maria", Role::Manager).await;
    let id = reviewed_refund(&f, &olivia, &oscar, "900.50").await;
    let (finance, manager) = both_approvals(&f.desk, &id).await;
    f.desk
        .submit(&oscar, &finance.id, &values(&[("Decision", "approve")]))
        .await
        .expect("finance approved");

    // Act: a rejection without a reason, then with one.
    let bare = f
        .desk
        .submit(&maria, &manager.id, &values(&[("Decision", "reject")]))
        .await;
    let rejected = f
        .desk
        .submit(
            &maria,
            &manager.id,
            &values(&[
                ("Decision", "reject"),
                ("Comment", "Over the goodwill limit."),
            ]),
        )
        .await;

    // Assert
    let Err(db::Error::Fields(problems)) = bare else {
        panic!("a rejection needs its reason: {bare:?}");
    };
    assert_eq!(
        problems,
        [("Comment".to_owned(), "Comment is required.".to_owned())]
    );
    assert_eq!(
        rejected.expect("rejected").message,
        "Rejected: the refund is refused."
    );
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Closed);
    assert_eq!(case.current_step.as_deref(), Some("Refused"));
    let arn = case.execution_arn.expect("an execution");
    let out = f
        .desk
        .sfn
        .client
        .describe_execution()
        .execution_arn(&arn)
        .send()
        .await
        .expect("described");
    let output: serde_json::Value =
        serde_json::from_str(out.output.as_deref().expect("an output")).expect("json");
    assert_eq!(output["Outcome"], "Refused");
    assert_eq!(output["Reason"], "Over the goodwill limit.");
    let history = db::audit::for_case(&f.desk.pool, &id).await.expect("read");
    let failed = history
        .iter()
        .find(|e| e.action == "fail")
        .expect("the rejection is audited");
    assert!(
        failed
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("Over the goodwill limit."))
    );
}

#[tokio::test]
async fn a_small_refund_goes_straight_from_review_to_the_payout() {
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let oscar = user(&f.desk, "oscar", Role::Operator).await;
    let id = reviewed_refund(&f, &olivia, &oscar, "40").await;
    take_task_of(&f.desk, "refund", "RecordPayout").await;
    let payout = only_task(&f.desk, &id).await;
    assert_eq!(payout.step, "RecordPayout");
}

/// How often the tokens of support's `state` are heartbeaten.
fn support_heartbeat(desk: &Desk, state: &str) -> chrono::Duration {
    let step = desk
        .sfn
        .deployment("support")
        .and_then(|d| d.steps.iter().find(|s| s.state == state))
        .expect("a support step");
    assert!(
        step.heartbeat_seconds.is_some(),
        "{state} has HeartbeatSeconds"
    );
    db::desk::heartbeat_interval(step.heartbeat_seconds)
}

/// Opens `n` support cases and takes each one's assignment task.
async fn waiting_assignments(desk: &Desk, n: usize) -> Vec<String> {
    let olivia = operator(desk).await;
    let mut ids = Vec::new();
    for i in 0..n {
        let form = support_form(&format!("Paced {i}"), "normal");
        ids.push(desk.open_case(&olivia, &form).await.expect("opened"));
        take_task(desk, "AssignCase").await;
    }
    ids
}

#[tokio::test]
async fn heartbeats_wait_for_their_interval_and_keep_to_the_budget() {
    // Arrange: five held tokens, the clock frozen where they arrived.
    let f = fixture().await;
    waiting_assignments(&f.desk, 5).await;
    let every = support_heartbeat(&f.desk, "AssignCase");
    let arrived: DateTime<Utc> = Utc::now();
    let heartbeats = |now, budget| {
        f.calls
            .during("SendTaskHeartbeat", f.desk.keep_alive(now, budget))
    };

    // Act and assert: nothing is due before the interval has passed.
    let (round, calls) = heartbeats(arrived, 100).await;
    assert_eq!((round.expect("round").sent, calls), (0, 0));

    // Once due, two a round: 2, 2, 1, then none.
    let due = arrived + every + chrono::Duration::minutes(1);
    let mut per_round = Vec::new();
    for _ in 0..4 {
        let (round, calls) = heartbeats(due, 2).await;
        let round = round.expect("round");
        assert_eq!(round.sent, calls, "one call per heartbeat");
        per_round.push((calls, round.backlog));
    }
    assert_eq!(per_round, [(2, true), (2, true), (1, false), (0, false)]);

    // Each is due again one interval after it was sent, not before.
    let (_, calls) = heartbeats(due + every - chrono::Duration::seconds(1), 100).await;
    assert_eq!(calls, 0);
    let (round, calls) = heartbeats(due + every, 100).await;
    assert_eq!((round.expect("round").sent, calls), (5, 5));
}

#[tokio::test]
async fn a_heartbeat_that_finds_its_token_gone_expires_the_task_and_records_the_case() {
    // Arrange: a held token whose execution is stopped from outside.
    let f = fixture().await;
    let ids = waiting_assignments(&f.desk, 1).await;
    let case = db::cases::get(&f.desk.pool, &ids[0])
        .await
        .expect("read")
        .expect("case");
    f.desk
        .sfn
        .client
        .stop_execution()
        .execution_arn(case.execution_arn.expect("started"))
        .send()
        .await
        .expect("stopped");
    let due = Utc::now() + support_heartbeat(&f.desk, "AssignCase");

    // Act
    let round = f.desk.keep_alive(due, 10).await.expect("round");

    // Assert: the case ends with its next heartbeat, not the reconciler's turn.
    assert_eq!((round.sent, round.expired), (0, 1));
    let case = db::cases::get(&f.desk.pool, &ids[0])
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Aborted);
    let open = db::tasks::open_for_case(&f.desk.pool, &ids[0])
        .await
        .expect("read");
    assert_eq!(open, []);
}

#[tokio::test]
async fn the_reconciler_rechecks_every_live_case_in_rotation_within_its_budget() {
    // Arrange: five live cases, never checked.
    let f = fixture().await;
    let ids = waiting_assignments(&f.desk, 5).await;
    let start: DateTime<Utc> = Utc::now();

    // Act: rounds of two checks, a second apart.
    let mut checked_in = Vec::new();
    for round in 0..5 {
        let now = start + chrono::Duration::seconds(round);
        let (outcome, calls) = f
            .calls
            .during("DescribeExecution", f.desk.reconcile(now, 2))
            .await;
        let outcome = outcome.expect("round");
        assert_eq!((outcome.checked, calls), (2, 2), "round {round}");
        let mut checked = Vec::new();
        for id in &ids {
            let at: Option<DateTime<Utc>> =
                sqlx::query_scalar("SELECT checked_at FROM cases WHERE id = ?")
                    .bind(id)
                    .fetch_one(&f.desk.pool)
                    .await
                    .expect("read");
            if at == Some(now) {
                checked.push(id.clone());
            }
        }
        checked_in.push(checked);
    }

    // Assert: three rounds cover all five; then the longest unchecked come
    // round again (the fifth case and the first two, in order of check).
    let mut covered: Vec<String> = checked_in[..3].concat();
    covered.sort();
    covered.dedup();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(covered, all, "every live case within three rounds");
    assert_eq!(checked_in[0].len(), 2);
    for pair in checked_in.windows(2) {
        assert!(
            pair[0].iter().all(|id| !pair[1].contains(id)),
            "a case checked one round waits its turn: {checked_in:?}"
        );
    }
}

#[tokio::test]
async fn a_long_history_is_read_from_its_end_in_one_call() {
    // Arrange: an execution of 6,000 events (a Pass and a Choice, 1,500 times).
    let f = fixture().await;
    let client = &f.desk.sfn.client;
    let definition = r#"{
      "StartAt": "Count",
      "States": {
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
        "More": {"Type": "Choice",
                 "Choices": [{"Variable": "$.n", "NumericLessThan": 1500, "Next": "Count"}],
                 "Default": "Done"},
        "Done": {"Type": "Succeed"}
      }
    }"#;
    let machine = client
        .create_state_machine()
        .name("LongHistory")
        .definition(definition)
        .role_arn("arn:aws:iam::123456789012:role/t")
        .send()
        .await
        .expect("created")
        .state_machine_arn;
    let arn = client
        .start_execution()
        .state_machine_arn(&machine)
        .input(r#"{"n": 0}"#)
        .send()
        .await
        .expect("started")
        .execution_arn;
    for _ in 0..200 {
        let status = f.desk.sfn.describe(&arn).await.expect("described");
        if status.is_some_and(|s| s.status == "SUCCEEDED") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Act
    let (recent, calls) = f
        .calls
        .during("GetExecutionHistory", f.desk.sfn.recent_history(&arn, 100))
        .await;
    let recent = recent.expect("history");

    // Assert: the last 100, oldest first, ending in the execution's end.
    assert_eq!(calls, 1);
    assert!(recent.earlier);
    assert_eq!(recent.events.len(), 100);
    assert_eq!(
        recent.events.last().map(|e| e.kind.as_str()),
        Some("ExecutionSucceeded")
    );
    assert_eq!(
        recent.events.iter().rev().nth(1).map(|e| e.kind.as_str()),
        Some("SucceedStateExited")
    );
    assert!(recent.events.windows(2).all(|w| w[0].at <= w[1].at));
    let whole = f
        .desk
        .sfn
        .recent_history(&arn, 1000)
        .await
        .expect("history");
    assert_eq!(whole.events.len(), 1000);
    assert!(whole.events.ends_with(&recent.events));
}
