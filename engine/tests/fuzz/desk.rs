//! A fresh engine per case, seeded with one of everything a request can
//! name, and a snapshot of all that the API shows of it.

use std::sync::Arc;
use std::time::Duration;

use engine::clock::ManualClock;
use engine::{ApiError, Engine, EngineConfig};
use serde_json::{Value, json};

/// The role every machine is created with.
pub const ROLE: &str = "arn:aws:iam::123456789012:role/fuzz";

/// A definition with a human step: the activity, then success.
pub fn task_definition(activity: &str) -> String {
    json!({
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": activity,
                "HeartbeatSeconds": 60,
                "Next": "Done"
            },
            "Done": { "Type": "Succeed" }
        }
    })
    .to_string()
}

/// A definition that fails at once (its executions can be redriven).
pub const FAILING: &str =
    r#"{"StartAt":"No","States":{"No":{"Type":"Fail","Error":"Fuzz","Cause":"seeded"}}}"#;

/// An engine on frozen time holding an activity, a machine with a running
/// execution whose task was handed out, and a failed execution.
pub struct Desk {
    pub engine: Engine,
    pub clock: Arc<ManualClock>,
    pub activity: String,
    pub machine: String,
    pub failing_machine: String,
    pub running: String,
    pub failed: String,
    pub token: String,
}

impl Desk {
    /// Opens a throwaway engine and seeds it.
    pub async fn open() -> Self {
        let clock = Arc::new(ManualClock::new(1_780_000_000_000));
        let mut config = EngineConfig::new(":memory:");
        config.poll_timeout = Duration::ZERO;
        let engine = Engine::open_with_clock(config, clock.clone()).expect("engine opens");
        let call = |action: &'static str, body: Value| {
            let engine = engine.clone();
            async move {
                engine
                    .call(action, body.to_string().as_bytes())
                    .await
                    .unwrap_or_else(|e| panic!("seeding {action}: {e:?}"))
            }
        };
        let activity = call("CreateActivity", json!({ "name": "work" })).await["activityArn"]
            .as_str()
            .expect("activity arn")
            .to_owned();
        let machine = call(
            "CreateStateMachine",
            json!({
                "name": "flow", "roleArn": ROLE, "definition": task_definition(&activity),
                "tags": [{ "key": "team", "value": "desk" }],
            }),
        )
        .await["stateMachineArn"]
            .as_str()
            .expect("machine arn")
            .to_owned();
        let failing_machine = call(
            "CreateStateMachine",
            json!({ "name": "failing", "roleArn": ROLE, "definition": FAILING }),
        )
        .await["stateMachineArn"]
            .as_str()
            .expect("machine arn")
            .to_owned();
        let running = call(
            "StartExecution",
            json!({ "stateMachineArn": machine, "name": "running", "input": "{\"n\":1}" }),
        )
        .await["executionArn"]
            .as_str()
            .expect("execution arn")
            .to_owned();
        let token = call("GetActivityTask", json!({ "activityArn": activity })).await["taskToken"]
            .as_str()
            .expect("a task token")
            .to_owned();
        let failed = call(
            "StartExecution",
            json!({ "stateMachineArn": failing_machine, "name": "failed" }),
        )
        .await["executionArn"]
            .as_str()
            .expect("execution arn")
            .to_owned();
        Self {
            engine,
            clock,
            activity,
            machine,
            failing_machine,
            running,
            failed,
            token,
        }
    }

    /// The seeded value a placeholder stands for.
    pub fn seed(&self, placeholder: &str) -> Option<&str> {
        Some(match placeholder {
            "$activity" => &self.activity,
            "$machine" => &self.machine,
            "$failing_machine" => &self.failing_machine,
            "$running" => &self.running,
            "$failed" => &self.failed,
            "$token" => &self.token,
            _ => return None,
        })
    }

    /// `v` with every string that is a placeholder replaced by its seed.
    pub fn resolve(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::from(self.seed(s).unwrap_or(s)),
            Value::Array(items) => items.iter().map(|v| self.resolve(v)).collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), self.resolve(v)))
                .collect(),
            v => v.clone(),
        }
    }

    pub async fn call(&self, action: &str, body: &[u8]) -> Result<Value, ApiError> {
        self.engine.call(action, body).await
    }

    async fn read(&self, action: &str, body: Value) -> Value {
        self.call(action, body.to_string().as_bytes())
            .await
            .unwrap_or_else(|e| json!({ "error": e.name() }))
    }

    /// Everything the read-only actions show: machines, activities,
    /// executions with their histories, tags.
    pub async fn snapshot(&self) -> Value {
        let mut out = serde_json::Map::new();
        let machines = self
            .read("ListStateMachines", json!({ "maxResults": 1000 }))
            .await;
        out.insert("machines".into(), machines.clone());
        for m in machines["stateMachines"].as_array().into_iter().flatten() {
            let arn = m["stateMachineArn"].clone();
            let key = arn.as_str().unwrap_or_default().to_owned();
            let described = self
                .read("DescribeStateMachine", json!({ "stateMachineArn": arn }))
                .await;
            let tags = self
                .read("ListTagsForResource", json!({ "resourceArn": arn }))
                .await;
            let executions = self
                .read(
                    "ListExecutions",
                    json!({ "stateMachineArn": arn, "maxResults": 1000 }),
                )
                .await;
            let mut runs = Vec::new();
            for e in executions["executions"].as_array().into_iter().flatten() {
                let arn = e["executionArn"].clone();
                runs.push(json!({
                    "describe": self.read("DescribeExecution", json!({ "executionArn": arn })).await,
                    "history": self.read("GetExecutionHistory", json!({ "executionArn": arn, "maxResults": 1000 })).await,
                }));
            }
            out.insert(
                key,
                json!({ "describe": described, "tags": tags, "executions": executions, "runs": runs }),
            );
        }
        let activities = self
            .read("ListActivities", json!({ "maxResults": 1000 }))
            .await;
        for a in activities["activities"].as_array().into_iter().flatten() {
            let arn = a["activityArn"].clone();
            let key = arn.as_str().unwrap_or_default().to_owned();
            let described = self
                .read("DescribeActivity", json!({ "activityArn": arn }))
                .await;
            let tags = self
                .read("ListTagsForResource", json!({ "resourceArn": arn }))
                .await;
            out.insert(key, json!({ "describe": described, "tags": tags }));
        }
        out.insert("activities".into(), activities);
        Value::Object(out)
    }

    pub fn close(self) {
        self.engine.shutdown();
    }
}

/// Checks an error's shape: an AWS name, a `__type` in AWS's namespace, a
/// message, and never an internal failure.
pub fn check_error(e: &ApiError) -> Result<(), String> {
    if e.is_internal() {
        return Err(format!("internal failure: {e}"));
    }
    let type_name = e.type_name();
    let namespace = type_name.split_once('#').map(|(n, _)| n);
    if !matches!(
        namespace,
        Some("com.amazonaws.swf.service.v2.model" | "com.amazon.coral.service")
    ) {
        return Err(format!("__type outside AWS's namespaces: {type_name}"));
    }
    if e.to_string().trim().is_empty() {
        return Err(format!("{} without a message", e.name()));
    }
    Ok(())
}
