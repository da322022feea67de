//! Spawning `stepdesk serve` and calling its server functions.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The demo users' password.
pub const PASSWORD: &str = "stepdesk-demo";

/// A running server process; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    dir: PathBuf,
}

impl Server {
    /// Starts a server on fresh databases in `dir`, on its embedded engine.
    pub async fn start(dir: &Path) -> Self {
        Self::start_with(dir, &[]).await
    }

    /// Starts a server with extra environment variables.
    pub async fn start_with(dir: &Path, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_stepdesk"))
            .env_remove("AWS_REGION")
            .env_remove("AWS_ENDPOINT_URL_SFN")
            .envs(env.iter().copied())
            .args(["serve", "--demo", "--reconcile-seconds", "1", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--db")
            .arg(dir.join("mirror.db"))
            .arg("--engine-db")
            .arg(dir.join("engine.db"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the stepdesk binary starts");
        let server = Self {
            child,
            base,
            dir: dir.to_owned(),
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::get(format!("{}/login", self.base)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer within 30 s");
    }

    /// Kills the process without warning (SIGKILL) and waits for it.
    pub fn kill(mut self) -> PathBuf {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
        self.dir.clone()
    }

    /// A browser-like client: cookies kept, this site as its Origin.
    pub fn client(&self) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ORIGIN,
            self.base.parse().expect("origin header"),
        );
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Client {
            http,
            base: self.base.clone(),
        }
    }

    /// A client signed in as `name`.
    pub async fn signed_in(&self, name: &str) -> Client {
        let client = self.client();
        let res = client
            .call("login", &[("username", name), ("password", PASSWORD)])
            .await;
        assert!(res.ok, "signing in as {name}: {}", res.body);
        client
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `stepdesk engine` alone, as a Step Functions endpoint; killed when dropped.
pub struct EngineProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
}

impl EngineProcess {
    /// Starts the engine on a fresh database in `dir`.
    pub async fn start(dir: &Path) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_stepdesk"))
            .args(["engine", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--db")
            .arg(dir.join("standalone-engine.db"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the engine starts");
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the engine did not listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, endpoint }
    }
}

impl Drop for EngineProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// What a server function answered.
#[derive(Debug)]
pub struct Reply {
    /// 2xx (or, for a form post, a redirect).
    pub ok: bool,
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

impl Reply {
    /// The answer `res`: `ok` when 2xx, or a redirect where one means
    /// success (a plain form post is sent back to its page).
    async fn read(res: reqwest::Response, redirect_is_ok: bool) -> Self {
        let status = res.status();
        Self {
            ok: status.is_success() || (redirect_is_ok && status.is_redirection()),
            status: status.as_u16(),
            body: res.text().await.expect("a body"),
        }
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A cookie-keeping client of one server.
pub struct Client {
    /// The HTTP client.
    pub http: reqwest::Client,
    base: String,
}

impl Client {
    /// POSTs a server function with form fields, as `ActionForm` does.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .expect("the server answers");
        Reply::read(res, true).await
    }

    /// POSTs a server function that takes JSON.
    pub async fn call_json(&self, endpoint: &str, body: Value) -> Reply {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("the server answers");
        Reply::read(res, false).await
    }

    /// POSTs any body to a server function, with the given content type
    /// and as coming from `forwarded_for` (which a server started with
    /// `STEPDESK_TRUST_FORWARDED_FOR` believes).
    pub async fn raw(
        &self,
        endpoint: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        forwarded_for: &str,
    ) -> Reply {
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(reqwest::header::ACCEPT, "application/json")
            .header("x-forwarded-for", forwarded_for)
            .body(body);
        if let Some(ct) = content_type {
            req = req.header(reqwest::header::CONTENT_TYPE, ct);
        }
        let res = req.send().await.expect("the server answers");
        Reply::read(res, false).await
    }

    /// The case page's data.
    pub async fn case(&self, id: &str) -> Value {
        let reply = self.call("get_case", &[("id", id)]).await;
        assert!(reply.ok, "get_case {id}: {}", reply.body);
        reply.json()
    }

    /// Opens a case and returns its id.
    pub async fn open_case(&self, title: &str) -> String {
        let reply = self
            .call(
                "open_case",
                &[
                    ("case_type", "support"),
                    ("title", title),
                    ("values[Description]", "From a test."),
                    ("priority", "high"),
                    ("values[CustomerRef]", "T-1"),
                ],
            )
            .await;
        assert!(reply.ok, "open_case: {}", reply.body);
        reply.json().as_str().expect("the case id").to_owned()
    }

    /// Waits until the case has a pending task of `step` and returns its id.
    pub async fn task_of(&self, case_id: &str, step: &str) -> String {
        let found = self.until(case_id, |c| pending(c, step).is_some()).await;
        pending(&found, step)
            .and_then(|t| t["id"].as_str())
            .expect("a task id")
            .to_owned()
    }

    /// Answers a task with its form's values (field name → text).
    pub async fn answer(&self, task_id: &str, values: &[(&str, &str)]) -> Reply {
        let names: Vec<String> = values.iter().map(|(k, _)| format!("values[{k}]")).collect();
        let mut form: Vec<(&str, &str)> = vec![("task_id", task_id)];
        form.extend(
            names
                .iter()
                .map(String::as_str)
                .zip(values.iter().map(|(_, v)| *v)),
        );
        self.call("submit_task", &form).await
    }

    /// Waits for the case's assignment and claims it for `name`.
    pub async fn claim(&self, case_id: &str, name: &str) -> Reply {
        let task = self.task_of(case_id, "AssignCase").await;
        self.answer(&task, &[("Assignee", name)]).await
    }

    /// Waits for the case's work step and records it: `resolved` is `1` or `0`.
    pub async fn work(&self, case_id: &str, resolved: &str, notes: &str) -> Reply {
        let task = self.task_of(case_id, "WorkOnCase").await;
        self.answer(&task, &[("Status", resolved), ("Notes", notes)])
            .await
    }

    /// Polls the case until `done` holds (up to 20 s) and returns it.
    pub async fn until(&self, case_id: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let case = self.case(case_id).await;
            if done(&case) {
                return case;
            }
            assert!(
                Instant::now() < deadline,
                "case {case_id} never got there: {case:#}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The case's pending task of `step`, as `get_case` gives it.
pub fn pending<'c>(case: &'c Value, step: &str) -> Option<&'c Value> {
    case["tasks"]
        .as_array()?
        .iter()
        .find(|t| t["step"] == step && t["status"] == "pending")
}

/// Whether the case waits on a task of `step`.
pub fn has_step(case: &Value, step: &str) -> bool {
    pending(case, step).is_some()
}

/// The shipped case types `names` copied into `dir/wf`, to be changed by a
/// test; returns that workflows directory.
pub fn workflows_copy(dir: &Path, names: &[&str]) -> PathBuf {
    let to = dir.join("wf");
    for name in names {
        let from = workflows::shipped_dir().join(name);
        std::fs::create_dir_all(to.join(name)).expect("folder");
        for ext in ["asl.json", "case.json"] {
            let file = format!("{name}.{ext}");
            std::fs::copy(from.join(&file), to.join(name).join(&file)).expect("copied");
        }
    }
    to
}
