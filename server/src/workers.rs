//! The server's background work: one activity poller per human step of
//! every case type, the heartbeat loop that keeps held tokens alive, and the
//! reconciler that keeps the mirror true to the executions. The last two are
//! paced: each makes at most its budget of calls per second, whether ten
//! cases are live or a million.

use std::time::Duration;

use chrono::Utc;
use db::Desk;
use tokio::task::JoinHandle;

/// How often the workers run, and how many Step Functions calls they may
/// make: the budgets keep Stepdesk inside the account's API quotas however
/// many cases are live (see the README's "Background work and AWS quotas").
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    /// `SendTaskHeartbeat` calls per second at most, spread over rounds of
    /// one second; each held token is heartbeaten two thirds into its
    /// state's `HeartbeatSeconds`.
    pub heartbeats_per_second: usize,
    /// Between reconcile rounds.
    pub reconcile: Duration,
    /// `DescribeExecution` calls per second at most for reconciling, in
    /// rounds of `reconcile`: every live case is rechecked in rotation.
    pub describes_per_second: usize,
    /// Between looks for executions started outside Stepdesk.
    pub discover: Duration,
}

impl Intervals {
    /// Live cases checked in one reconcile round.
    pub fn reconcile_budget(&self) -> usize {
        let per_round = self.describes_per_second as f64 * self.reconcile.as_secs_f64();
        (per_round.ceil() as usize).max(1)
    }
}

impl Default for Intervals {
    fn default() -> Self {
        Self {
            heartbeats_per_second: 150,
            reconcile: Duration::from_secs(5),
            describes_per_second: 5,
            discover: Duration::from_secs(60),
        }
    }
}

/// The running workers; dropping this stops them.
pub struct Workers {
    handles: Vec<JoinHandle<()>>,
}

impl Drop for Workers {
    fn drop(&mut self) {
        for handle in &self.handles {
            handle.abort();
        }
    }
}

/// Starts every worker.
pub fn start(desk: &Desk, worker_name: &str, intervals: Intervals) -> Workers {
    let mut handles = std::mem::take(&mut start_pollers(desk, worker_name, 1).handles);
    let heartbeats = intervals.heartbeats_per_second.max(1);
    handles.push(tokio::spawn(every(
        Duration::from_secs(1),
        desk.clone(),
        move |desk| async move {
            match desk.keep_alive(Utc::now(), heartbeats).await {
                Ok(round) => report_heartbeats(&round),
                Err(err) => tracing::warn!(error = %err, "heartbeat round failed"),
            }
        },
    )));
    let checks = intervals.reconcile_budget();
    handles.push(tokio::spawn(every(
        intervals.reconcile,
        desk.clone(),
        move |desk| async move {
            if let Err(err) = desk.reconcile(Utc::now(), checks).await {
                tracing::warn!(error = %err, "reconcile round failed");
            }
        },
    )));
    handles.push(tokio::spawn(every(
        intervals.discover,
        desk.clone(),
        |desk| async move {
            match desk.discover(200).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cases = n, "found executions started outside Stepdesk"),
                Err(err) => tracing::warn!(error = %err, "looking for outside executions failed"),
            }
        },
    )));
    Workers { handles }
}

/// Starts `per_step` activity pollers for each human step of every case
/// type, and nothing else.
pub fn start_pollers(desk: &Desk, worker_name: &str, per_step: usize) -> Workers {
    let handles = desk
        .sfn
        .deployments
        .iter()
        .flat_map(|d| d.steps.iter())
        .flat_map(|step| std::iter::repeat_n(step, per_step.max(1)))
        .map(|step| {
            tokio::spawn(poll(
                desk.clone(),
                step.state.clone(),
                step.activity_arn.clone(),
                worker_name.to_owned(),
            ))
        })
        .collect();
    Workers { handles }
}

/// Warns when heartbeats fall behind: a heartbeat later than a third of its
/// state's `HeartbeatSeconds` lets the task time out (and come back as a
/// new one), so the budget is too small for the tokens held.
fn report_heartbeats(round: &db::desk::HeartbeatRound) {
    let late = round.late.unwrap_or_default();
    if round.backlog && late > chrono::Duration::minutes(1) {
        tracing::warn!(
            late_seconds = late.num_seconds(),
            "heartbeats are behind: raise --heartbeats-per-second (and the account's quota) or HeartbeatSeconds"
        );
    }
}

async fn every<F, Fut>(period: Duration, desk: Desk, round: F)
where
    F: Fn(Desk) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        round(desk.clone()).await;
    }
}

/// Long-polls one activity and stores every task it gets. A task that
/// cannot be stored is not lost for good: without heartbeats its token times
/// out and the workflow's Retry schedules the step again.
async fn poll(desk: Desk, step: String, activity_arn: String, worker: String) {
    let mut backoff = Backoff::default();
    loop {
        match desk.sfn.poll(&activity_arn, &worker).await {
            Ok(Some((token, input))) => {
                backoff.reset();
                store(&desk, &step, &activity_arn, &token, &input).await;
            }
            Ok(None) => backoff.reset(),
            Err(err) => {
                let wait = backoff.next();
                tracing::warn!(%step, error = %err, ?wait, "polling failed; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

async fn store(desk: &Desk, step: &str, activity_arn: &str, token: &str, input: &str) {
    let mut backoff = Backoff::default();
    for attempt in 1..=8 {
        match desk.task_arrived(activity_arn, token, input).await {
            Ok(()) => return,
            Err(err) => {
                let wait = backoff.next();
                tracing::warn!(%step, attempt, error = %err, "storing a task failed; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
    tracing::error!(
        %step,
        "giving up on storing a task; its heartbeat timeout will have the workflow retry the step"
    );
}

/// Exponential backoff from 200 ms to 30 s.
#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let ms = 200u64.saturating_mul(1 << self.failures.min(8)).min(30_000);
        self.failures += 1;
        Duration::from_millis(ms)
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_thirty_seconds_and_resets() {
        let mut b = Backoff::default();
        let waits: Vec<_> = (0..10).map(|_| b.next().as_millis()).collect();
        assert_eq!(&waits[..4], &[200, 400, 800, 1600]);
        assert_eq!(*waits.last().expect("ten"), 30_000);
        b.reset();
        assert_eq!(b.next().as_millis(), 200);
    }
}
