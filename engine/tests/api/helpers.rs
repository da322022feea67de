//! Spawning an engine on a loopback port with a fresh store, and an SDK client for it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Once};
use std::time::Duration;

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sfn::types::ExecutionStatus;
use engine::clock::{Clock, SystemClock};
use engine::http::{AccessKey, Auth};
use engine::{Engine, EngineConfig};
use tokio::task::JoinHandle;

/// A running engine and a client pointed at it.
pub struct TestEngine {
    pub client: Client,
    pub engine: Engine,
    pub addr: SocketAddr,
    server: JoinHandle<()>,
    _dir: Option<tempfile::TempDir>,
}

fn init_tracing() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            tracing_subscriber::fmt()
                .with_env_filter("debug")
                .with_test_writer()
                .init();
        }
    });
}

/// An engine on wall-clock time with a fresh store.
pub async fn spawn_engine() -> TestEngine {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("engine.db");
    let mut t = spawn_on(db, Arc::new(SystemClock), Duration::from_secs(60)).await;
    t._dir = Some(dir);
    t
}

/// The access key the test engines require (but [`spawn_open`]'s).
pub const KEY_ID: &str = "STEPDESKTESTKEY00001";
/// Its secret.
pub const SECRET: &str = "test/secret+of+the+engine+under+test0000";

/// An engine that accepts any caller, signed or not, with a fresh store.
pub async fn spawn_open() -> TestEngine {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("engine.db");
    let clock = Arc::new(SystemClock);
    let mut t = spawn_with(db, clock, Duration::from_secs(60), Auth::Open).await;
    t._dir = Some(dir);
    t
}

/// An engine on the given store and clock (for restarts and frozen time),
/// requiring requests signed with [`KEY_ID`].
pub async fn spawn_on(db: PathBuf, clock: Arc<dyn Clock>, poll_timeout: Duration) -> TestEngine {
    let auth = Auth::SigV4(AccessKey::new(KEY_ID, SECRET));
    spawn_with(db, clock, poll_timeout, auth).await
}

async fn spawn_with(
    db: PathBuf,
    clock: Arc<dyn Clock>,
    poll_timeout: Duration,
    auth: Auth,
) -> TestEngine {
    init_tracing();
    let mut config = EngineConfig::new(db.to_string_lossy());
    config.poll_timeout = poll_timeout;
    let engine = Engine::open_with_clock(config, clock).expect("engine opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn({
        let engine = engine.clone();
        async move {
            let _ = engine::http::serve(listener, engine, auth).await;
        }
    });
    TestEngine {
        client: client_for(addr),
        engine,
        addr,
        server,
        _dir: None,
    }
}

/// An SDK client for an engine at `addr`, with the engine's key.
pub fn client_for(addr: SocketAddr) -> Client {
    client_with(addr, KEY_ID, SECRET)
}

/// An SDK client for an engine at `addr`, with the given key.
pub fn client_with(addr: SocketAddr, key_id: &str, secret: &str) -> Client {
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(key_id, secret, None, None, "tests"))
        .endpoint_url(format!("http://{addr}"))
        .build();
    Client::from_conf(config)
}

impl TestEngine {
    /// Stops the server and the engine, leaving the store as a crash would.
    pub fn stop(self) -> Option<tempfile::TempDir> {
        self.server.abort();
        self.engine.shutdown();
        self._dir
    }

    /// Creates a state machine and returns its ARN.
    pub async fn machine(&self, name: &str, definition: &str) -> String {
        self.client
            .create_state_machine()
            .name(name)
            .definition(definition)
            .role_arn("arn:aws:iam::123456789012:role/stepdesk")
            .send()
            .await
            .expect("state machine created")
            .state_machine_arn
    }

    /// Creates an activity and returns its ARN.
    pub async fn activity(&self, name: &str) -> String {
        self.client
            .create_activity()
            .name(name)
            .send()
            .await
            .expect("activity created")
            .activity_arn
    }

    /// Starts an execution and returns its ARN.
    pub async fn start(&self, machine: &str, name: &str, input: &str) -> String {
        self.client
            .start_execution()
            .state_machine_arn(machine)
            .name(name)
            .input(input)
            .send()
            .await
            .expect("execution started")
            .execution_arn
    }

    /// Waits (at most 10 s) until the execution is no longer running; returns
    /// its status and output or error.
    pub async fn finished(
        &self,
        execution: &str,
    ) -> (ExecutionStatus, Option<String>, Option<String>) {
        for _ in 0..1000 {
            let d = self
                .client
                .describe_execution()
                .execution_arn(execution)
                .send()
                .await
                .expect("described");
            if d.status != ExecutionStatus::Running {
                return (d.status, d.output, d.error);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("execution {execution} still running after 10 s")
    }

    /// Takes the next task of an activity (polls until one arrives).
    pub async fn take(&self, activity: &str) -> (String, serde_json::Value) {
        let out = self
            .client
            .get_activity_task()
            .activity_arn(activity)
            .worker_name("tests")
            .send()
            .await
            .expect("polled");
        let token = out
            .task_token
            .filter(|t| !t.is_empty())
            .expect("a task arrived");
        let input =
            serde_json::from_str(out.input.as_deref().unwrap_or("null")).expect("input is JSON");
        (token, input)
    }

    /// Completes a task with `output`.
    pub async fn succeed(&self, token: &str, output: &str) {
        self.client
            .send_task_success()
            .task_token(token)
            .output(output)
            .send()
            .await
            .expect("task completed");
    }

    /// The event types of an execution's history, in order.
    pub async fn history(&self, execution: &str) -> Vec<String> {
        let out = self
            .client
            .get_execution_history()
            .execution_arn(execution)
            .max_results(1000)
            .send()
            .await
            .expect("history");
        out.events
            .iter()
            .map(|e| e.r#type.as_str().to_owned())
            .collect()
    }
}

/// A machine of one activity task.
pub fn task_machine(activity: &str) -> String {
    format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{activity}","End":true}}}}}}"#
    )
}

/// An engine with the case workflow and its nested escalation workflow
/// deployed: (engine, assign, work, decide escalation, machine).
pub async fn case_engine() -> (TestEngine, String, String, String, String) {
    let t = spawn_engine().await;
    let (assign, work, escalate, machine) = t.case_machines().await;
    (t, assign, work, escalate, machine)
}

impl TestEngine {
    /// Deploys the support case workflow and the escalation workflow it
    /// starts: (assign, work, escalate activities, the case machine).
    pub async fn case_machines(&self) -> (String, String, String, String) {
        let assign = self.activity("AssignCase").await;
        let work = self.activity("WorkOnCase").await;
        let escalate = self.activity("DecideEscalation").await;
        let escalation = self
            .machine(
                "CaseEscalation",
                &include_str!("../../../workflows/support-escalation/support-escalation.asl.json")
                    .replace("${DecideActivityArn}", &escalate),
            )
            .await;
        let machine = self
            .machine(
                "Case",
                &include_str!("../../../workflows/support/support.asl.json")
                    .replace("${AssignActivityArn}", &assign)
                    .replace("${WorkActivityArn}", &work)
                    .replace("${EscalationMachineArn}", &escalation),
            )
            .await;
        (assign, work, escalate, machine)
    }
}

/// The SDK error's AWS code, e.g. `ExecutionAlreadyExists`.
pub fn code<E: aws_sdk_sfn::error::ProvideErrorMetadata>(
    e: &aws_sdk_sfn::error::SdkError<E>,
) -> String {
    aws_sdk_sfn::error::ProvideErrorMetadata::code(e)
        .unwrap_or("<none>")
        .to_owned()
}
