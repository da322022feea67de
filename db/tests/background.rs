//! The background work's queries cost the same however many cases are live:
//! counted in SQLite virtual machine steps, on a mirror without statistics
//! (as a fresh one is), at 50 and at 5,050 pending tasks.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Duration, Utc};
use db::cases::{NewCase, Priority};
use db::{Role, SqlitePool, UserName};

/// Counts the VM steps the pool's one connection runs.
async fn counted(pool: &SqlitePool) -> Arc<AtomicU64> {
    let steps = Arc::new(AtomicU64::new(0));
    let mut conn = pool.acquire().await.expect("the connection");
    let mut handle = conn.lock_handle().await.expect("its handle");
    let counter = steps.clone();
    handle.set_progress_handler(1, move || {
        counter.fetch_add(1, Ordering::Relaxed);
        true
    });
    steps
}

/// Adds `n` live cases, each with one pending task whose heartbeat is due.
async fn live_cases(pool: &SqlitePool, from: usize, n: usize, by: i64) {
    let fields = serde_json::Map::new();
    let due = Utc::now() - Duration::minutes(5);
    for i in from..from + n {
        let id = format!("C-{i:08}");
        let case = NewCase {
            id: &id,
            case_type: "support",
            title: "A live case",
            priority: Priority::Normal,
            fields: &fields,
            search_text: "",
            created_by: by,
            sla_due_at: None,
        };
        db::cases::insert(pool, &case).await.expect("a case");
        sqlx::query(
            "INSERT INTO tasks (id, case_id, step, token, activity_arn, status, created_at, heartbeat_due_at)
             VALUES (?, ?, 'WorkOnCase', ?, 'arn:activity:work', 'pending', ?, ?)",
        )
        .bind(format!("T-{i:08}"))
        .bind(&id)
        .bind(format!("token-{i}"))
        .bind(Utc::now())
        .bind(due)
        .execute(pool)
        .await
        .expect("a task");
    }
}

/// The VM steps of each background query, for the first case.
async fn costs(pool: &SqlitePool, steps: &AtomicU64) -> [(&'static str, u64); 4] {
    let mut out = [("", 0); 4];
    let before = steps.load(Ordering::Relaxed);
    db::tasks::other_pending(pool, "C-00000000", "T-none")
        .await
        .expect("other pending");
    let mid = steps.load(Ordering::Relaxed);
    out[0] = ("other_pending", mid - before);
    db::tasks::heartbeats_due(pool, Utc::now(), 10)
        .await
        .expect("heartbeats due");
    let next = steps.load(Ordering::Relaxed);
    out[1] = ("heartbeats_due", next - mid);
    db::cases::to_check(pool, 10).await.expect("to check");
    let then = steps.load(Ordering::Relaxed);
    out[2] = ("to_check", then - next);
    let mut tx = pool.begin().await.expect("a transaction");
    db::tasks::expire_for_case(&mut *tx, "C-00000000")
        .await
        .expect("expire");
    tx.rollback().await.expect("rolled back");
    out[3] = ("expire_for_case", steps.load(Ordering::Relaxed) - then);
    out
}

#[tokio::test]
async fn the_heartbeat_reconcile_and_sweep_queries_do_not_grow_with_the_live_cases() {
    // Arrange: a mirror of 50 live cases, each waiting in a step.
    let pool = db::connect(Path::new(":memory:")).await.expect("pool");
    db::migrate(&pool).await.expect("migrations");
    let name = UserName::parse("olivia").expect("a name");
    let user = db::users::insert(&pool, &name, Role::Operator, "not-a-hash")
        .await
        .expect("a user");
    live_cases(&pool, 0, 50, user.id).await;
    let steps = counted(&pool).await;
    let small = costs(&pool, &steps).await;

    // Act: a hundred times as many.
    live_cases(&pool, 50, 5000, user.id).await;
    let large = costs(&pool, &steps).await;

    // Assert: each query runs about as many steps as before.
    for ((query, at_50), (_, at_5050)) in small.iter().zip(large.iter()) {
        assert!(
            *at_5050 <= at_50 * 2 + 100,
            "{query}: {at_50} VM steps at 50 live cases, {at_5050} at 5,050"
        );
    }
}
