//! End-to-end benchmark of the engine through `aws-sdk-sfn`.
//!
//! Drives N executions of a workflow with two activity tasks and a Choice
//! over HTTP on loopback, with durable (WAL) commits, and prints executions
//! per second, latency percentiles and the process's resident memory.
//!
//! ```text
//! cargo run --release -p engine --example bench -- [executions] [concurrency]
//! ```

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use engine::{Engine, EngineConfig};
use tokio::sync::{Mutex, Semaphore};

const WORKFLOW: &str = r#"{"StartAt":"First","States":{
  "First":{"Type":"Task","Resource":"ACT1","ResultPath":"$.first","Next":"Second"},
  "Second":{"Type":"Task","Resource":"ACT2","ResultPath":"$.second","Next":"Done?"},
  "Done?":{"Type":"Choice","Choices":[{"Variable":"$.second.Status","NumericEquals":1,"Next":"Closed"}],"Default":"Failed"},
  "Closed":{"Type":"Succeed"},
  "Failed":{"Type":"Fail","Error":"NotDone"}}}"#;

#[derive(Default)]
struct Samples {
    start: Vec<Duration>,
    task: Vec<Duration>,
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

fn client(endpoint: String) -> Client {
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
        .endpoint_url(endpoint)
        .build();
    Client::from_conf(config)
}

struct Worker {
    c: Client,
    activity: String,
    done: Arc<AtomicUsize>,
    total: usize,
    samples: Arc<Mutex<Samples>>,
    /// Set on the last activity: completing it ends an execution.
    window: Option<Arc<Semaphore>>,
    output: &'static str,
}

async fn worker(w: Worker) {
    let mut local = Vec::new();
    while w.done.load(Ordering::Relaxed) < w.total {
        let began = Instant::now();
        let polled =
            w.c.get_activity_task()
                .activity_arn(&w.activity)
                .worker_name("bench")
                .send()
                .await;
        let Some(token) = polled
            .ok()
            .and_then(|t| t.task_token)
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        if w.c
            .send_task_success()
            .task_token(token)
            .output(w.output)
            .send()
            .await
            .is_ok()
        {
            local.push(began.elapsed());
            if let Some(window) = &w.window {
                w.done.fetch_add(1, Ordering::Relaxed);
                window.add_permits(1);
            }
        }
    }
    w.samples.lock().await.task.extend(local);
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let total: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let concurrency: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(32);
    let dir = tempfile::tempdir()?;
    let mut config = EngineConfig::new(dir.path().join("bench.db").to_string_lossy());
    config.poll_timeout = Duration::from_secs(1);
    let engine = Engine::open(config)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    // Signed, as Stepdesk's embedded engine is.
    let auth = engine::http::Auth::SigV4(engine::http::AccessKey::new("bench", "bench"));
    tokio::spawn(engine::http::serve(listener, engine.clone(), auth));
    let c = client(endpoint.clone());
    let a1 = c.create_activity().name("First").send().await?.activity_arn;
    let a2 = c
        .create_activity()
        .name("Second")
        .send()
        .await?
        .activity_arn;
    let machine = c
        .create_state_machine()
        .name("Bench")
        .definition(WORKFLOW.replace("ACT1", &a1).replace("ACT2", &a2))
        .role_arn("arn:aws:iam::123456789012:role/bench")
        .send()
        .await?
        .state_machine_arn;
    println!(
        "engine bench: {total} executions, {concurrency} starters and {concurrency} workers per activity, WAL store"
    );
    println!("rss at start: {:.1} MiB", rss_mib());

    let done = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Samples::default()));
    let began = Instant::now();
    let mut handles = Vec::new();
    // A closed loop: at most `window` executions in flight, as with a fixed
    // number of users, so memory reflects the engine and not a backlog.
    let window = Arc::new(Semaphore::new(concurrency * 4));
    for _ in 0..concurrency {
        for (activity, last, output) in [
            (&a1, false, r#"{"ok":true}"#),
            (&a2, true, r#"{"Status":1}"#),
        ] {
            handles.push(tokio::spawn(worker(Worker {
                c: client(endpoint.clone()),
                activity: activity.clone(),
                done: done.clone(),
                total,
                samples: samples.clone(),
                window: last.then(|| window.clone()),
                output,
            })));
        }
    }
    let mut starters = Vec::new();
    for _ in 0..concurrency {
        let (c, machine, started, samples) = (
            client(endpoint.clone()),
            machine.clone(),
            started.clone(),
            samples.clone(),
        );
        let window = window.clone();
        starters.push(tokio::spawn(async move {
            let mut local = Vec::new();
            loop {
                window.acquire().await.expect("window open").forget();
                let n = started.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let t = Instant::now();
                c.start_execution()
                    .state_machine_arn(&machine)
                    .name(format!("run-{n}"))
                    .input(r#"{"case":1}"#)
                    .send()
                    .await
                    .expect("started");
                local.push(t.elapsed());
            }
            samples.lock().await.start.extend(local);
        }));
    }
    let mut next_report = total / 10;
    while done.load(Ordering::Relaxed) < total {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let d = done.load(Ordering::Relaxed);
        if next_report > 0 && d >= next_report {
            println!(
                "  {d:>8} done  {:>8.0} exec/s  rss {:.1} MiB",
                d as f64 / began.elapsed().as_secs_f64(),
                rss_mib()
            );
            next_report += total / 10;
        }
    }
    let elapsed = began.elapsed();
    for h in starters.into_iter().chain(handles) {
        h.await?;
    }
    let mut s = samples.lock().await;
    println!(
        "executions/s:            {:.0}",
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "StartExecution p50/p99:  {:.2} / {:.2} ms",
        percentile(&mut s.start, 0.5),
        percentile(&mut s.start, 0.99)
    );
    println!(
        "GetActivityTask->SendTaskSuccess p50/p99: {:.2} / {:.2} ms",
        percentile(&mut s.task, 0.5),
        percentile(&mut s.task, 0.99)
    );
    println!("rss at end: {:.1} MiB", rss_mib());
    let failed = c
        .list_executions()
        .state_machine_arn(&machine)
        .status_filter(aws_sdk_sfn::types::ExecutionStatus::Failed)
        .send()
        .await?
        .executions
        .len();
    println!("failed executions: {failed}");
    engine.shutdown();
    Ok(())
}
