// A Rust job pool: an `Arc<Pool>` whose `Mutex<Queue>` holds a bounded
// `VecDeque<Box<Job>>` (room for 64, never grown; while it is full main collects results instead) and a
// `Mutex<Vec<Box<Outcome>>>` of results (room for 64; a worker waits when it is full).
// Main allocates jobs (each owning an input Vec and a label String) and pushes them;
// three worker threads pop them, take the input out of its `Option` and free it, free
// the label (replaced by an empty String), free the job, and push a boxed outcome
// (owning a note String). Main collects results by swapping the shared results Vec with
// its own empty Vec (so the two buffers alternate between the pool and main's stack),
// then frees each outcome's note and the outcome. So jobs, inputs and labels are
// allocated on main and freed on a worker, outcomes and notes the other way round.
// No scan.
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Job {
    id: u64,
    input: Option<Vec<u32>>,
    label: String,
}

struct Outcome {
    id: u64,
    sum: u64,
    note: String,
}

struct Queue {
    jobs: VecDeque<Box<Job>>,
    closed: bool,
}

struct Pool {
    queue: Mutex<Queue>,
    has_jobs: Condvar,
    results: Mutex<Vec<Box<Outcome>>>,
    results_space: Condvar,
}

const JOBS: u64 = 2400;
const CAP: usize = 64;

#[inline(never)]
fn make_job(id: u64) -> Box<Job> {
    let n = 8 + (id * 37 % 120) as usize;
    let mut input = Vec::with_capacity(n); // site: job_input
    for i in 0..n as u32 {
        input.push(i.wrapping_mul(2654435761) ^ id as u32);
    }
    let mut label = String::with_capacity(40); // site: job_label
    label.push_str("resize-thumbnail-batch-");
    label.push_str(&id.to_string());
    Box::new(Job { id, input: Some(input), label }) // site: job
}

#[inline(never)]
fn work(pool: &Pool) -> u64 {
    let mut done = 0;
    loop {
        let mut job = {
            let mut q = pool.queue.lock().unwrap();
            loop {
                if let Some(job) = q.jobs.pop_front() {
                    break job;
                }
                if q.closed {
                    return done;
                }
                q = pool.has_jobs.wait(q).unwrap();
            }
        };
        let input = job.input.take().unwrap();
        let sum = input.iter().map(|&x| (x % 1000) as u64).sum::<u64>() + job.label.len() as u64;
        drop(input); // site: job_input_freed
        drop(std::mem::take(&mut job.label)); // site: job_label_freed
        let id = job.id;
        drop(job); // site: job_freed
        let mut note = String::with_capacity(24); // site: outcome_note
        note.push_str(if sum % 2 == 0 { "ok:even" } else { "ok:odd" });
        let out = Box::new(Outcome { id, sum, note }); // site: outcome
        let mut res = pool.results.lock().unwrap();
        while res.len() == res.capacity() {
            res = pool.results_space.wait(res).unwrap();
        }
        res.push(out);
        done += 1;
    }
}

#[inline(never)]
fn collect(pool: &Pool, local: &mut Vec<Box<Outcome>>, total: &mut u64, count: &mut u64) {
    {
        let mut res = pool.results.lock().unwrap();
        std::mem::swap(&mut *res, local);
        pool.results_space.notify_all();
    }
    for mut out in local.drain(..) {
        *total += out.sum + out.id % 7 + out.note.len() as u64;
        *count += 1;
        drop(std::mem::take(&mut out.note)); // site: note_freed
        drop(out); // site: outcome_freed
    }
}

fn main() {
    let jobs = VecDeque::with_capacity(CAP); // site: queue_buf
    let results = Vec::with_capacity(CAP); // site: results_buf
    let mut local: Vec<Box<Outcome>> = Vec::with_capacity(CAP); // site: drained_buf
    let pool = Arc::new(Pool { // site: pool
        queue: Mutex::new(Queue { jobs, closed: false }),
        has_jobs: Condvar::new(),
        results: Mutex::new(results),
        results_space: Condvar::new(),
    });
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let p = Arc::clone(&pool);
            thread::spawn(move || work(&p))
        })
        .collect();
    let (mut total, mut count) = (0u64, 0u64);
    for id in 0..JOBS {
        let mut job = Some(make_job(id));
        while job.is_some() {
            {
                let mut q = pool.queue.lock().unwrap();
                if q.jobs.len() < CAP {
                    q.jobs.push_back(job.take().unwrap());
                    pool.has_jobs.notify_one();
                    continue;
                }
            }
            collect(&pool, &mut local, &mut total, &mut count);
            thread::yield_now();
        }
        if id % 16 == 15 {
            collect(&pool, &mut local, &mut total, &mut count);
        }
    }
    {
        let mut q = pool.queue.lock().unwrap();
        q.closed = true;
        pool.has_jobs.notify_all();
    }
    let mut per_worker = 0;
    for w in workers {
        while !w.is_finished() {
            collect(&pool, &mut local, &mut total, &mut count);
            thread::yield_now();
        }
        per_worker += w.join().unwrap();
    }
    collect(&pool, &mut local, &mut total, &mut count);
    println!("{} {} {}", count, per_worker, total);
    drop(local);
    drop(pool);
}
