//! Three async tasks interleaved on one thread by a small round-robin executor, a named
//! variable and two scopes. Under `memscope record`, the report's "Scopes and tasks"
//! table shows tasks 1–3 with their own allocations (task 3 leaks 3 × 4 KiB), the
//! scopes "load" and "index", and the block of `catalog` named "catalog".
use memscope::{instrument, track_scope, track_var};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Returns Pending once, so that the executor moves on to the next task.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

async fn worker(steps: usize, block: usize, leak: bool) -> usize {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for step in 0..steps {
        let buffer = vec![step as u8; block];
        if leak {
            Box::leak(buffer.into_boxed_slice());
        } else {
            kept.push(buffer);
        }
        YieldNow(false).await;
    }
    kept.iter().map(Vec::len).sum()
}

struct NoopWake;
impl Wake for NoopWake {
    fn wake(self: Arc<Self>) {}
}

fn main() {
    let catalog: Vec<u64> = {
        track_scope!("load");
        (0..1000).collect()
    };
    track_var!(catalog);
    let index: Vec<String> = {
        track_scope!("index");
        catalog.iter().map(|n| format!("item {n}")).collect()
    };

    let mut tasks: Vec<Pin<Box<dyn Future<Output = usize>>>> = vec![
        Box::pin(instrument(worker(4, 1024, false), 1)),
        Box::pin(instrument(worker(2, 2048, false), 2)),
        Box::pin(instrument(worker(3, 4096, true), 3)),
    ];
    let waker = Waker::from(Arc::new(NoopWake));
    let mut cx = Context::from_waker(&waker);
    let mut done = 0;
    let mut total = 0;
    while done < tasks.len() {
        done = 0;
        for task in tasks.iter_mut() {
            match task.as_mut().poll(&mut cx) {
                Poll::Ready(n) => {
                    total += n;
                    done += 1;
                    *task = Box::pin(async { 0 }); // finished: polls to 0 from now on
                }
                Poll::Pending => {}
            }
        }
    }
    println!("{} items, {} bytes kept by the tasks, recording: {}", index.len(), total, memscope::is_recording());
}
