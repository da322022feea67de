//! The server's background work: one activity poller per human step of
//! every case type, the heartbeat loop that keeps held tokens alive, and the
//! reconciler that keeps the mirror true to the executions.

use std::time::Duration;

use db::Desk;
use tokio::task::JoinHandle;

/// How often the workers run.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    /// Between heartbeats of every held token (keep well under the
    /// workflow's `HeartbeatSeconds`).
    pub heartbeat: Duration,
    /// Between reconciliations of live cases.
    pub reconcile: Duration,
    /// Between looks for executions started outside Stepdesk.
    pub discover: Duration,
}

impl Default for Intervals {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(20),
            reconcile: Duration::from_secs(5),
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
    let mut handles: Vec<JoinHandle<()>> = desk
        .sfn
        .deployments
        .iter()
        .flat_map(|d| d.steps.iter())
        .map(|step| {
            tokio::spawn(poll(
                desk.clone(),
                step.state.clone(),
                step.activity_arn.clone(),
                worker_name.to_owned(),
            ))
        })
        .collect();
    handles.push(tokio::spawn(every(
        intervals.heartbeat,
        desk.clone(),
        |desk| async move {
            if let Err(err) = desk.keep_alive().await {
                tracing::warn!(error = %err, "heartbeat round failed");
            }
        },
    )));
    handles.push(tokio::spawn(every(
        intervals.reconcile,
        desk.clone(),
        |desk| async move {
            if let Err(err) = desk.reconcile().await {
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
