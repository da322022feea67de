//! The timer loop: fires Wait, Retry, timeout and heartbeat deadlines.

use std::sync::{Arc, Weak};

use tokio::sync::Notify;

use super::{Engine, Inner};

/// Runs until the engine is dropped or shut down.
pub(crate) async fn run(inner: Weak<Inner>, timer_wake: Arc<Notify>) {
    loop {
        let Some(engine) = inner.upgrade().map(|inner| Engine { inner }) else {
            return;
        };
        let wake = timer_wake.notified();
        tokio::pin!(wake);
        wake.as_mut().enable();
        fire_due(&engine);
        let next = engine.inner.core().timers.peek().map(|t| t.0.at);
        let sleep = next.map(|at| engine.inner.clock.sleep_until(at));
        // Hold only a weak reference while waiting, so dropping the engine ends the loop.
        let signal = Arc::downgrade(&engine.inner);
        drop(engine);
        match sleep {
            Some(sleep) => {
                tokio::select! {
                    _ = sleep => {}
                    _ = &mut wake => {}
                }
            }
            None => wake.await,
        }
        if signal.strong_count() == 0 {
            return;
        }
    }
}

/// Fires every timer that is due, one commit each.
fn fire_due(engine: &Engine) {
    loop {
        let now = engine.inner.clock.now();
        let due = {
            let mut core = engine.inner.core();
            match core.timers.peek() {
                Some(t) if t.0.at <= now => core.timers.pop().map(|t| t.0),
                _ => None,
            }
        };
        let Some(timer) = due else { return };
        let fired = engine.with_core(|core, batch| {
            core.run_interp(batch, &timer.arn, |it| it.timer_fired(timer.thread));
            Ok(())
        });
        if let Err(e) = fired {
            tracing::error!(error = %e, arn = %timer.arn, "firing a timer failed");
        }
    }
}
