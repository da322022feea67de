//! The desk against the real engine: what changes outside Stepdesk shows up
//! in the mirror.

use std::time::Duration;

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use db::desk::CaseForm;
use db::sfn::Sfn;
use db::tasks::TaskKind;
use db::{Desk, Role, UserName};

struct Fixture {
    desk: Desk,
    _engine: engine::Engine,
}

async fn fixture() -> Fixture {
    let engine = engine::Engine::open(engine::EngineConfig::new(":memory:")).expect("engine");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(engine::http::serve(listener, engine.clone()));
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("t", "t", None, None, "test"))
        .endpoint_url(endpoint)
        .build();
    let client = Client::from_conf(config);
    let deployment = workflows::deploy(&client, "DeskTest", "arn:aws:iam::123456789012:role/t")
        .await
        .expect("deploy");
    let pool = db::connect(std::path::Path::new(":memory:"))
        .await
        .expect("mirror");
    db::migrate(&pool).await.expect("migrate");
    Fixture {
        desk: Desk {
            pool,
            sfn: Sfn { client, deployment },
        },
        _engine: engine,
    }
}

async fn operator(desk: &Desk) -> db::User {
    let name = UserName::parse("olivia").expect("name");
    db::users::insert(&desk.pool, &name, Role::Operator, "x")
        .await
        .expect("user")
}

/// Polls one activity and stores what it gets, as the server's poller does.
async fn take_task(desk: &Desk, kind: TaskKind) {
    let arn = match kind {
        TaskKind::Assign => &desk.sfn.deployment.assign_arn,
        TaskKind::Work => &desk.sfn.deployment.work_arn,
        TaskKind::Escalate => &desk.sfn.deployment.escalate_arn,
    };
    let (token, input) = desk
        .sfn
        .poll(arn, "test")
        .await
        .expect("poll")
        .expect("a task");
    desk.task_arrived(kind, arn, &token, &input)
        .await
        .expect("stored");
}

#[tokio::test]
async fn a_case_stopped_from_outside_shows_as_aborted_and_its_task_expires() {
    // Arrange
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let form = CaseForm {
        title: "Stopped from the console".into(),
        priority: "normal".into(),
        ..Default::default()
    };
    let id = f.desk.open_case(&olivia, &form).await.expect("opened");
    take_task(&f.desk, TaskKind::Assign).await;
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
    let changed = f.desk.reconcile().await.expect("reconciled");

    // Assert
    assert_eq!(changed, 1);
    let case = db::cases::get(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("case");
    assert_eq!(case.status, db::cases::CaseStatus::Aborted);
    assert!(case.closed_at.is_some());
    let open = db::tasks::open_for_case(&f.desk.pool, &id)
        .await
        .expect("read");
    assert_eq!(open, None, "the assignment expired with the execution");
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
        .state_machine_arn(&f.desk.sfn.deployment.machine_arn)
        .name("EXT-1")
        .input(input)
        .send()
        .await
        .expect("started");

    // Act
    let found = f.desk.discover(50).await.expect("discovered");
    take_task(&f.desk, TaskKind::Assign).await;
    let assign = db::tasks::open_for_case(&f.desk.pool, "EXT-1")
        .await
        .expect("read")
        .expect("an assignment");
    f.desk
        .answer(
            &olivia,
            &assign.id,
            db::desk::Answer::Assign {
                assignee: "olivia".into(),
            },
        )
        .await
        .expect("claimed");
    take_task(&f.desk, TaskKind::Work).await;
    // Nobody works it: the SLA runs out and the workflow escalates.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    take_task(&f.desk, TaskKind::Escalate).await;

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
    let expired_work = db::tasks::my_work(&f.desk.pool, olivia.id, false)
        .await
        .expect("read");
    assert!(
        expired_work.is_empty(),
        "the timed-out work task left olivia's list: {expired_work:?}"
    );
}

#[tokio::test]
async fn a_next_task_arriving_before_an_answer_is_recorded_does_not_expire_that_answer() {
    // Arrange: an answer taken and delivered, not yet recorded.
    let f = fixture().await;
    let olivia = operator(&f.desk).await;
    let form = CaseForm {
        title: "Fast workflow".into(),
        priority: "high".into(),
        ..Default::default()
    };
    let id = f.desk.open_case(&olivia, &form).await.expect("opened");
    take_task(&f.desk, TaskKind::Assign).await;
    let assign = db::tasks::open_for_case(&f.desk.pool, &id)
        .await
        .expect("read")
        .expect("an assignment");
    let output = r#"{"Assignee":"olivia","AssignedBy":"olivia"}"#;
    assert!(
        db::tasks::begin_completion(&f.desk.pool, &assign.id, olivia.id, output)
            .await
            .expect("taken")
    );
    f.desk
        .sfn
        .send_success(&assign.token, output)
        .await
        .expect("delivered");

    // Act: the poller stores the work task first; then the answer is recorded.
    take_task(&f.desk, TaskKind::Work).await;
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
