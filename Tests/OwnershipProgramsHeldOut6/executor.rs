// A hand-written multi-threaded task executor in Rust. The executor is an `Arc<Exec>`
// holding a run queue (`Mutex` over a `VecDeque<Arc<Task>>` with room for 512, never
// grown) and a condition variable. A task is an `Arc<Task>` holding its future (a
// `Mutex<Option<Pin<Box<dyn Future>>>>`) and an `Arc<Exec>` back to the executor; it is
// its own waker (`std::task::Wake`): waking pushes a clone of the task's Arc onto the run
// queue. Main spawns 400 tasks, each an async block that owns a Vec of numbers (allocated
// on main), sums it and yields to the executor every few elements (a hand-written
// yield future that wakes its own task and returns Pending once), then frees the Vec and
// returns the sum. Two worker threads pop tasks and poll them; when a future completes,
// the worker takes it out of the task's Option and frees it, and the worker's Arc is the
// last one, freeing the task. So futures, their Vecs and tasks are allocated on main and
// freed on a worker. No scan.
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

type BoxFuture = Pin<Box<dyn Future<Output = u64> + Send>>;

struct RunQueue {
    tasks: VecDeque<Arc<Task>>,
    live: usize,
    closed: bool,
}

struct Exec {
    queue: Mutex<RunQueue>,
    ready: Condvar,
    total: Mutex<u64>,
}

struct Task {
    id: u64,
    future: Mutex<Option<BoxFuture>>,
    exec: Arc<Exec>,
}

impl Exec {
    fn push(&self, task: Arc<Task>) {
        let mut q = self.queue.lock().unwrap();
        q.tasks.push_back(task);
        self.ready.notify_one();
    }
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let exec = Arc::clone(&self.exec);
        exec.push(self);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.exec.push(Arc::clone(self));
    }
}

struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            Poll::Ready(())
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[inline(never)]
fn spawn(exec: &Arc<Exec>, id: u64) {
    let n = 16 + (id * 13 % 48) as usize;
    let mut data: Vec<u64> = Vec::with_capacity(n); // site: fut_data
    for i in 0..n as u64 {
        data.push(i * i + id);
    }
    let fut = async move {
        let mut acc = 0u64;
        for (i, x) in data.iter().enumerate() {
            acc += x % 1009;
            if i % 6 == 5 {
                YieldNow { yielded: false }.await;
            }
        }
        drop(data); // site: fut_data_freed
        acc
    };
    let boxed: BoxFuture = Box::pin(fut); // site: future
    let task = Arc::new(Task { id, future: Mutex::new(Some(boxed)), exec: Arc::clone(exec) }); // site: task
    exec.queue.lock().unwrap().live += 1;
    exec.push(task);
}

#[inline(never)]
fn worker(exec: Arc<Exec>) -> u64 {
    let mut polls = 0;
    loop {
        let task = {
            let mut q = exec.queue.lock().unwrap();
            loop {
                if let Some(t) = q.tasks.pop_front() {
                    break t;
                }
                if q.closed && q.live == 0 {
                    exec.ready.notify_all();
                    return polls;
                }
                q = exec.ready.wait(q).unwrap();
            }
        };
        polls += 1;
        let waker = Waker::from(Arc::clone(&task));
        let mut cx = Context::from_waker(&waker);
        let mut slot = task.future.lock().unwrap();
        if let Some(fut) = slot.as_mut() {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                *exec.total.lock().unwrap() += v + task.id % 3;
                let finished = slot.take();
                drop(finished); // site: future_freed
                let mut q = exec.queue.lock().unwrap();
                q.live -= 1;
                if q.live == 0 {
                    exec.ready.notify_all();
                }
            }
        }
        drop(slot);
        drop(waker);
        drop(task); // site: task_freed
    }
}

fn main() {
    let tasks = VecDeque::with_capacity(512); // site: runq_buf
    let exec = Arc::new(Exec { // site: exec
        queue: Mutex::new(RunQueue { tasks, live: 0, closed: false }),
        ready: Condvar::new(),
        total: Mutex::new(0),
    });
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let e = Arc::clone(&exec);
            thread::spawn(move || worker(e))
        })
        .collect();
    for id in 0..400 {
        spawn(&exec, id);
        if id % 50 == 49 {
            thread::yield_now();
        }
    }
    {
        let mut q = exec.queue.lock().unwrap();
        q.closed = true;
        exec.ready.notify_all();
    }
    let polls: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let total = *exec.total.lock().unwrap();
    println!("{} {}", polls, total);
    drop(exec);
}
