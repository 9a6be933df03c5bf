// A Rust worker pool fed through std::sync::mpsc channels: main allocates tasks (boxed,
// each owning a payload Vec) and sends them to two worker threads (sharing the receiving
// end behind an Arc<Mutex<…>>); a worker processes a task, frees its payload and then the
// task, and sends back a boxed report owning a summary String. Main collects the reports
// in a Vec and, once the workers are joined, frees them (summary, then report) in a
// shuffled order. So tasks and payloads are allocated on main and freed on a worker,
// reports and summaries allocated on a worker and freed on main. No scan.
use std::fmt::Write;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

struct Task {
    id: usize,
    payload: Vec<u8>,
}

struct Report {
    task: usize,
    worker: usize,
    checksum: u64,
    summary: String,
}

const TASKS: usize = 800;

#[inline(never)]
fn task_new(id: usize) -> Box<Task> {
    let mut payload = Vec::with_capacity(200 + id % 300); // site: payload
    for k in 0..payload.capacity() {
        payload.push((k * 31 + id) as u8);
    }
    Box::new(Task { id, payload }) // site: task
}

#[inline(never)]
fn process(mut task: Box<Task>, worker: usize) -> Box<Report> {
    let checksum = task.payload.iter().map(|&b| b as u64).sum::<u64>();
    let payload = std::mem::take(&mut task.payload);
    drop(payload); // site: payload_freed
    let id = task.id;
    drop(task); // site: task_freed
    let mut summary = String::with_capacity(64); // site: summary
    write!(summary, "task {} done by worker {}: checksum {:#x}", id, worker, checksum).unwrap();
    Box::new(Report { task: id, worker, checksum, summary }) // site: report
}

#[inline(never)]
fn report_free(mut report: Box<Report>) -> u64 {
    let value = report.checksum + report.task as u64 + report.worker as u64 + report.summary.len() as u64;
    let summary = std::mem::take(&mut report.summary);
    drop(summary); // site: summary_freed
    drop(report); // site: report_freed
    value
}

fn main() {
    let (task_tx, task_rx) = mpsc::channel::<Box<Task>>();
    let (report_tx, report_rx) = mpsc::channel::<Box<Report>>();
    let task_rx = Arc::new(Mutex::new(task_rx));
    let mut workers = Vec::new();
    for worker in 0..2 {
        let task_rx = Arc::clone(&task_rx);
        let report_tx = report_tx.clone();
        workers.push(thread::spawn(move || loop {
            let next = task_rx.lock().unwrap().recv();
            match next {
                Ok(task) => report_tx.send(process(task, worker)).unwrap(),
                Err(_) => break,
            }
        }));
    }
    drop(report_tx);
    for id in 0..TASKS {
        task_tx.send(task_new(id)).unwrap();
    }
    drop(task_tx);
    let mut reports: Vec<Box<Report>> = Vec::with_capacity(TASKS); // site: reports
    for report in report_rx.iter() {
        reports.push(report);
    }
    for w in workers {
        w.join().unwrap();
    }
    let mut seed: u64 = 5;
    for i in (1..reports.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        reports.swap(i, j);
    }
    let count = reports.len();
    let mut total = 0u64;
    while let Some(report) = reports.pop() {
        total += report_free(report);
    }
    println!("{} {}", count, total);
}
