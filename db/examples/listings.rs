//! The listings benchmark: server time of every listing query over a mirror
//! of a million cases, p50 and p99, and the process's memory.
//!
//! ```text
//! cargo run --release -p db --example listings -- [--cases 1000000] [--db FILE] [--rounds 50]
//! ```
//!
//! The mirror at `--db` (default `target/bench/mirror.db`) is filled first
//! when it holds fewer cases than `--cases`: cases of every shipped case
//! type with their fields and search text, assignees, SLAs, 60 % of them
//! live with a pending task each (escalated ones with a manager's decision),
//! the rest closed. It is a mirror only: no engine is behind it, so it
//! measures the queries, not Step Functions (`stepdesk demo` builds data
//! that `stepdesk serve --demo` can run).

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::path::PathBuf;
use std::time::Instant;

use db::cases::{CaseFilter, CaseStatus, Cursor, Priority, Sort};
use db::tasks::WorkList;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::SqlitePool;

const USERS: i64 = 50;
const PAGE: i64 = 51;
const ESCALATION: &str = "arn:bench:activity:support-escalation-DecideEscalation";
const COMMON: [&str; 12] = [
    "printer", "invoice", "login", "order", "refund", "delivery", "password", "account", "email",
    "charge", "scanner", "address",
];
const RARE: [&str; 4] = ["zeppelin", "quokka", "marzipan", "obsidian"];

struct Args {
    cases: u64,
    db: PathBuf,
    rounds: usize,
    /// Only the queries whose label starts with this.
    only: String,
}

fn args() -> Args {
    let mut out = Args {
        cases: 1_000_000,
        db: PathBuf::from("target/bench/mirror.db"),
        rounds: 50,
        only: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--cases" => out.cases = value.parse().expect("--cases takes a number"),
            "--db" => out.db = PathBuf::from(value),
            "--rounds" => out.rounds = value.parse().expect("--rounds takes a number"),
            "--only" => out.only = value,
            other => panic!("unknown flag {other}"),
        }
    }
    out
}

#[tokio::main]
async fn main() -> Result<(), db::Error> {
    let args = args();
    if let Some(dir) = args.db.parent() {
        std::fs::create_dir_all(dir).expect("the benchmark's folder");
    }
    let pool = db::connect(&args.db).await?;
    db::migrate(&pool).await?;
    db::cases::ensure_field_indexes(
        &pool,
        &[
            ("support".into(), "CustomerRef".into()),
            ("refund".into(), "OrderRef".into()),
            ("access-request".into(), "System".into()),
        ],
    )
    .await?;
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&pool)
        .await?;
    if (have as u64) < args.cases {
        let started = Instant::now();
        fill(&pool, have as u64, args.cases).await?;
        println!(
            "filled {} cases in {:.1} s",
            args.cases - have as u64,
            started.elapsed().as_secs_f64()
        );
    }
    let counts = db::cases::count_by_status(&pool).await?;
    println!("mirror: {} ({counts:?})", args.db.display());
    println!("rss before: {} MiB", rss_mib());
    println!("{:<70} {:>9} {:>9}", "query", "p50 ms", "p99 ms");
    let timer = Timer {
        rounds: args.rounds,
        only: &args.only,
    };
    let mut worst_list = 0.0f64;
    for filter in filters() {
        for sort in [Sort::Updated, Sort::Newest, Sort::Oldest, Sort::Sla] {
            let label = format!("list {} {sort:?}", describe(&filter));
            if !label.starts_with(&args.only) {
                continue;
            }
            let first = db::cases::list(&pool, &filter, sort, None, PAGE).await?;
            let (_, p99) = timer
                .time(&label, || db::cases::list(&pool, &filter, sort, None, PAGE))
                .await?;
            worst_list = worst_list.max(p99);
            if let Some(last) = first.get(49) {
                let cursor = Cursor {
                    key: last.sort_key.clone(),
                    id: last.id.clone(),
                };
                let (_, p99) = timer
                    .time(&format!("{label} page 2"), || {
                        db::cases::list(&pool, &filter, sort, Some(&cursor), PAGE)
                    })
                    .await?;
                worst_list = worst_list.max(p99);
            }
        }
    }
    let mut worst_text = 0.0f64;
    for (label, filter) in texts() {
        let (_, p99) = timer
            .time(&label, || {
                db::cases::list(&pool, &filter, Sort::Updated, None, PAGE)
            })
            .await?;
        worst_text = worst_text.max(p99);
    }
    for (label, list) in [
        ("my work: assigned to me", WorkList::Mine),
        ("my work: unassigned", WorkList::Claimable),
    ] {
        let first = db::tasks::my_work(&pool, 7, "operator", list, None, 50).await?;
        timer
            .time(label, || {
                db::tasks::my_work(&pool, 7, "operator", list, None, 50)
            })
            .await?;
        if let Some(next) = first.next {
            timer
                .time(&format!("{label} page 2"), || {
                    db::tasks::my_work(&pool, 7, "operator", list, Some(&next), 50)
                })
                .await?;
        }
    }
    let activities = [ESCALATION.to_owned()];
    let first = db::tasks::escalations(&pool, &activities, None, 20).await?;
    timer
        .time("escalations", || {
            db::tasks::escalations(&pool, &activities, None, 20)
        })
        .await?;
    if let Some(next) = first.next {
        timer
            .time("escalations page 2", || {
                db::tasks::escalations(&pool, &activities, Some(&next), 20)
            })
            .await?;
    }
    if "case page".starts_with(timer.only) || timer.only.starts_with("case page") {
        let (sfn, arn, _engine) = long_execution(10_000).await?;
        let id: String = sqlx::query_scalar("SELECT id FROM cases WHERE status = 'open' LIMIT 1")
            .fetch_one(&pool)
            .await?;
        let mut pages = sfn
            .client
            .get_execution_history()
            .execution_arn(&arn)
            .into_paginator()
            .send();
        let mut total = 0;
        while let Some(page) = pages.next().await {
            total += page
                .map_err(|e| db::Error::Sfn(e.to_string()))?
                .events
                .len();
        }
        println!("long execution: {total} history events");
        timer
            .time("case page: 10,000 history events", || {
                case_page(&pool, &sfn, &id, &arn)
            })
            .await?;
    }
    timer
        .time("counts by status", || db::cases::count_by_status(&pool))
        .await?;
    timer
        .time("tasks waiting by activity", || {
            db::tasks::waiting_by_activity(&pool)
        })
        .await?;
    println!("worst list p99: {worst_list:.2} ms; worst text search p99: {worst_text:.2} ms");
    println!("rss after: {} MiB (peak {} MiB)", rss_mib(), peak_mib());
    Ok(())
}

/// What a case page reads: the case, its people's events, runs and open
/// tasks from the mirror, and its execution's latest 1,000 events.
async fn case_page(
    pool: &SqlitePool,
    sfn: &db::sfn::Sfn,
    id: &str,
    arn: &str,
) -> Result<usize, db::Error> {
    let case = db::cases::get(pool, id).await?;
    let audit = db::audit::for_case(pool, id).await?;
    let runs = db::runs::for_case(pool, id).await?;
    let tasks = db::tasks::open_for_case(pool, id).await?;
    let history = sfn
        .recent_history(arn, 1000)
        .await
        .map_err(|e| db::Error::Sfn(e.to_string()))?;
    Ok(usize::from(case.is_some()) + audit.len() + runs.len() + tasks.len() + history.events.len())
}

/// An embedded engine on loopback with one ended execution of about
/// `events` history events (a Pass and a Choice in a loop), and a client
/// for it: the execution a long-running case's page shows.
async fn long_execution(events: u64) -> Result<(db::sfn::Sfn, String, engine::Engine), db::Error> {
    use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
    let engine = engine::Engine::open(engine::EngineConfig::new(":memory:"))
        .map_err(|e| db::Error::Sfn(e.to_string()))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    let auth = engine::http::Auth::SigV4(engine::http::AccessKey::new("b", "b"));
    tokio::spawn(engine::http::serve(listener, engine.clone(), auth));
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("b", "b", None, None, "bench"))
        .endpoint_url(endpoint)
        .build();
    let client = aws_sdk_sfn::Client::from_conf(config);
    let rounds = events / 4;
    let definition = json!({
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
            "More": {"Type": "Choice",
                     "Choices": [{"Variable": "$.n", "NumericLessThan": rounds, "Next": "Count"}],
                     "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    });
    let sfn_error = |e: &dyn std::fmt::Display| db::Error::Sfn(e.to_string());
    let machine = client
        .create_state_machine()
        .name("LongHistory")
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/bench")
        .send()
        .await
        .map_err(|e| sfn_error(&e))?
        .state_machine_arn;
    let arn = client
        .start_execution()
        .state_machine_arn(machine)
        .input(r#"{"n": 0}"#)
        .send()
        .await
        .map_err(|e| sfn_error(&e))?
        .execution_arn;
    let sfn = db::sfn::Sfn {
        client,
        deployments: Vec::new(),
    };
    loop {
        let state = sfn.describe(&arn).await.map_err(|e| sfn_error(&e))?;
        if state.is_some_and(|s| s.status != "RUNNING") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok((sfn, arn, engine))
}

/// Times queries: each `rounds` times, those whose label starts with `only`.
struct Timer<'a> {
    rounds: usize,
    only: &'a str,
}

impl Timer<'_> {
    /// Runs `query` `rounds` times; prints and returns (p50, p99) in ms.
    async fn time<F, Fut, T>(&self, label: &str, mut query: F) -> Result<(f64, f64), db::Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, db::Error>>,
    {
        if !label.starts_with(self.only) {
            return Ok((0.0, 0.0));
        }
        let mut ms = Vec::with_capacity(self.rounds);
        for _ in 0..self.rounds.max(1) {
            let started = Instant::now();
            query().await?;
            ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        let (p50, p99) = (at(0.5), at(0.99));
        println!("{label:<70} {p50:>9.2} {p99:>9.2}");
        Ok((p50, p99))
    }
}

fn describe(f: &CaseFilter) -> String {
    let mut parts = Vec::new();
    if let Some(s) = f.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(s) = &f.step {
        parts.push(format!("step={s}"));
    }
    if let Some(a) = &f.assignee {
        parts.push(format!("assignee={a}"));
    }
    if let Some(p) = f.priority {
        parts.push(format!("priority={}", p.as_str()));
    }
    if let Some(e) = f.escalated {
        parts.push(format!("escalated={e}"));
    }
    if let Some(t) = &f.case_type {
        parts.push(format!("type={t}"));
    }
    for (k, v) in &f.fields {
        parts.push(format!("{k}={v}"));
    }
    if parts.is_empty() {
        "all".into()
    } else {
        parts.join(" ")
    }
}

/// Every filter alone and every two together.
fn filters() -> Vec<CaseFilter> {
    let none = CaseFilter::default;
    let singles = vec![
        CaseFilter {
            status: Some(CaseStatus::Open),
            ..none()
        },
        CaseFilter {
            status: Some(CaseStatus::Closed),
            ..none()
        },
        CaseFilter {
            step: Some("WorkOnCase".into()),
            ..none()
        },
        CaseFilter {
            assignee: Some("user7".into()),
            ..none()
        },
        CaseFilter {
            assignee: Some("-".into()),
            ..none()
        },
        CaseFilter {
            priority: Some(Priority::Urgent),
            ..none()
        },
        CaseFilter {
            escalated: Some(true),
            ..none()
        },
        CaseFilter {
            case_type: Some("refund".into()),
            ..none()
        },
        CaseFilter {
            case_type: Some("support".into()),
            fields: vec![("CustomerRef".into(), Value::String("ACME-17".into()))],
            ..none()
        },
    ];
    let mut all = vec![none()];
    all.extend(singles.iter().cloned());
    for (i, a) in singles.iter().enumerate() {
        all.extend(singles[i + 1..].iter().filter_map(|b| a.and(b)));
    }
    all
}

fn texts() -> Vec<(String, CaseFilter)> {
    let text = |t: &str| CaseFilter {
        text: Some(t.into()),
        ..CaseFilter::default()
    };
    vec![
        ("text: common word".into(), text("printer")),
        ("text: rare word".into(), text("zeppelin")),
        ("text: two common words".into(), text("printer invoice")),
        ("text: a customer ref".into(), text("ACME-17")),
        (
            "text: common word + status + priority".into(),
            CaseFilter {
                status: Some(CaseStatus::Open),
                priority: Some(Priority::Urgent),
                ..text("printer")
            },
        ),
        (
            "text: rare word + status".into(),
            CaseFilter {
                status: Some(CaseStatus::Open),
                ..text("quokka")
            },
        ),
        (
            "text: common word + assignee".into(),
            CaseFilter {
                assignee: Some("user7".into()),
                ..text("invoice")
            },
        ),
    ]
}

/// Adds cases `from..to` (and their tasks) in transactions of 20,000.
async fn fill(pool: &SqlitePool, from: u64, to: u64) -> Result<(), db::Error> {
    for u in 1..=USERS {
        sqlx::query("INSERT OR IGNORE INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, 'operator', 'x', '2026-01-01T00:00:00+00:00')")
            .bind(u)
            .bind(format!("user{u}"))
            .execute(pool)
            .await?;
    }
    let mut rng = StdRng::seed_from_u64(from);
    let year_start = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("a date")
        .to_utc();
    let mut n = from;
    while n < to {
        let mut tx = pool.begin().await?;
        let end = (n + 20_000).min(to);
        for i in n..end {
            let case = synthetic(&mut rng, i, year_start);
            sqlx::query(
                "INSERT INTO cases (id, execution_arn, title, priority, status, current_step, escalated,
                                    assignee_id, sla_due_at, created_by, created_at, updated_at, closed_at,
                                    case_type, fields, search_text)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&case.id)
            .bind(format!("arn:bench:execution:{}", case.id))
            .bind(&case.title)
            .bind(case.priority)
            .bind(case.status)
            .bind(&case.step)
            .bind(case.escalated)
            .bind(case.assignee)
            .bind(case.sla_due_at)
            .bind(case.created_at)
            .bind(case.updated_at)
            .bind(case.closed_at)
            .bind(case.case_type)
            .bind(case.fields.to_string())
            .bind(&case.search_text)
            .execute(&mut *tx)
            .await?;
            if let Some((step, activity, roles, assignee)) = case.task {
                let spec = json!({ "state": step, "label": step, "roles": roles }).to_string();
                sqlx::query(
                    "INSERT INTO tasks (id, case_id, step, token, activity_arn, spec, input, status,
                                        assignee_id, created_at, heartbeat_due_at)
                     VALUES (?, ?, ?, ?, ?, ?, '{}', 'pending', ?, ?, ?)",
                )
                .bind(format!("t-{}", case.id))
                .bind(&case.id)
                .bind(step)
                .bind(format!("token-{}", case.id))
                .bind(activity)
                .bind(spec)
                .bind(assignee)
                .bind(case.updated_at)
                .bind(case.updated_at + chrono::Duration::hours(2))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        n = end;
        eprint!("\r{n} cases");
    }
    eprintln!();
    Ok(())
}

struct Synthetic {
    id: String,
    title: String,
    priority: &'static str,
    status: &'static str,
    step: Option<String>,
    escalated: bool,
    assignee: Option<i64>,
    sla_due_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    closed_at: Option<chrono::DateTime<chrono::Utc>>,
    case_type: &'static str,
    fields: Value,
    search_text: String,
    /// (step, activity, roles, assignee) of the pending task of a live case.
    task: Option<(&'static str, String, Vec<&'static str>, Option<i64>)>,
}

/// Case number `i`: a support case most often, then refunds and access
/// requests; 60 % live.
fn synthetic(rng: &mut StdRng, i: u64, year_start: chrono::DateTime<chrono::Utc>) -> Synthetic {
    let id = format!("CASE-{i:07}");
    let pick = |rng: &mut StdRng, words: &[&'static str]| words[rng.random_range(0..words.len())];
    let mut words = vec![pick(rng, &COMMON), pick(rng, &COMMON)];
    if rng.random_range(0..1000) == 0 {
        words.push(pick(rng, &RARE));
    }
    let title = format!("{} {} issue {i}", words[0], words[1..].join(" "));
    let priority = ["low", "normal", "normal", "normal", "high", "urgent"][rng.random_range(0..6)];
    let created_at = year_start + chrono::Duration::seconds(rng.random_range(0..30_000_000));
    let updated_at = created_at + chrono::Duration::seconds(rng.random_range(0..2_000_000));
    let sla_hours = match priority {
        "low" => 168,
        "normal" => 72,
        "high" => 24,
        _ => 4,
    };
    let customer = format!("ACME-{}", rng.random_range(0..5000));
    let (case_type, fields, steps): (&str, Value, &[&str]) = match rng.random_range(0..10) {
        0..7 => (
            "support",
            json!({ "Description": format!("The {} stopped working", words[0]), "CustomerRef": customer }),
            &["AssignCase", "WorkOnCase"],
        ),
        7..9 => (
            "refund",
            json!({ "Amount": { "amount": "49.90", "currency": "EUR" }, "OrderRef": format!("ORD-{}", rng.random_range(0..100_000)), "Reason": "Arrived broken" }),
            &[
                "ReviewRefund",
                "FinanceApproval",
                "ManagerApproval",
                "RecordPayout",
            ],
        ),
        _ => (
            "access-request",
            json!({ "System": pick(rng, &["crm", "billing", "warehouse"]), "Days": 30, "Justification": "On call" }),
            &["ApproveAccess"],
        ),
    };
    let search_text = fields
        .as_object()
        .map(|o| {
            o.values()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let live = rng.random_range(0..10) < 6;
    let escalated = case_type == "support" && rng.random_range(0..20) == 0;
    let assignee = (rng.random_range(0..10) < 7).then(|| rng.random_range(1..=USERS));
    let (status, step, closed_at, task) = if live {
        let (status, step, activity, roles, task_assignee) = if escalated {
            (
                "escalated",
                "EscalateCase",
                ESCALATION.to_owned(),
                vec!["manager", "admin"],
                None,
            )
        } else {
            let step = if assignee.is_some() {
                steps[steps.len().min(2) - 1]
            } else {
                steps[0]
            };
            (
                "open",
                step,
                format!("arn:bench:activity:{case_type}-{step}"),
                vec!["operator", "manager", "admin"],
                assignee.filter(|_| step != steps[0]),
            )
        };
        (
            status,
            Some(step.to_owned()),
            None,
            Some((step, activity, roles, task_assignee)),
        )
    } else {
        let status = ["closed", "closed", "closed", "failed", "aborted"][rng.random_range(0..5)];
        (status, None, Some(updated_at), None)
    };
    Synthetic {
        id,
        title,
        priority,
        status,
        step,
        escalated: escalated || (!live && rng.random_range(0..20) == 0),
        assignee,
        sla_due_at: Some(created_at + chrono::Duration::hours(sla_hours)),
        created_at,
        updated_at,
        closed_at,
        case_type,
        fields,
        search_text,
        task,
    }
}

/// The process's resident memory now, in MiB.
fn rss_mib() -> u64 {
    status_kib("VmRSS:") / 1024
}

/// The process's peak resident memory, in MiB.
fn peak_mib() -> u64 {
    status_kib("VmHWM:") / 1024
}

fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
