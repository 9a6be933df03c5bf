// Rust job list shared by threads: main fills a reserved Vec<Box<Job>> (each job owning
// its text) and wraps it in Arc<Mutex<..>>; three worker threads pop jobs, build a
// Box<Outcome> (owning a summary String) per job, free the job (text first) and push
// the outcome into a second Arc<Mutex<Vec<Box<Outcome>>>> with room reserved for all.
// After joining, main takes the outcome vector out of its mutex, sorts it in place by
// job id, and frees every outcome (summary first). Jobs and their texts are allocated on
// main and freed on the workers; outcomes and summaries the other way round. No scan.
use std::sync::{Arc, Mutex};
use std::thread;

const JOBS: u32 = 600;

struct Job {
    id: u32,
    text: String,
}

struct Outcome {
    id: u32,
    summary: String,
}

fn main() {
    let mut jobs_buf: Vec<Box<Job>> = Vec::with_capacity(JOBS as usize); // site: jobs_buf
    for i in 0..JOBS {
        let text = format!("job {} asks for the sum of {} numbers", i, 10 + i % 90); // site: job_text
        jobs_buf.push(Box::new(Job { id: i, text })); // site: job
    }
    let jobs = Arc::new(Mutex::new(jobs_buf)); // site: jobs_arc
    let results_buf: Vec<Box<Outcome>> = Vec::with_capacity(JOBS as usize); // site: results_buf
    let results = Arc::new(Mutex::new(results_buf)); // site: results_arc
    let mut workers = Vec::new();
    for _ in 0..3 {
        let jobs = Arc::clone(&jobs);
        let results = Arc::clone(&results);
        workers.push(thread::spawn(move || {
            loop {
                let next = jobs.lock().unwrap().pop();
                let mut job = match next {
                    Some(j) => j,
                    None => break,
                };
                let n = 10 + job.id as u64 % 90;
                let sum: u64 = (1..=n).sum::<u64>() + job.text.len() as u64;
                let summary = format!("job {} summed to {} by a worker of the pool", job.id, sum); // site: summary
                let out = Box::new(Outcome { id: job.id, summary }); // site: outcome
                drop(std::mem::take(&mut job.text)); // site: job_text_freed
                drop(job); // site: job_freed
                results.lock().unwrap().push(out);
            }
        }));
    }
    for h in workers {
        h.join().unwrap();
    }
    let mut res = std::mem::take(&mut *results.lock().unwrap());
    res.sort_unstable_by_key(|o| o.id);
    let mut total = 0usize;
    for (i, mut o) in res.drain(..).enumerate() {
        if i < 3 || i as u32 == JOBS - 1 {
            println!("{}", o.summary);
        }
        total += o.summary.len() + o.id as usize;
        drop(std::mem::take(&mut o.summary)); // site: summary_freed
        drop(o); // site: outcome_freed
    }
    println!("outcomes {}, total {}", JOBS, total);
    drop(res);
    drop(results);
    drop(jobs);
}
