// Threaded Rust shard reports: main builds a reserved Vec<Box<Sample>> (samples own a
// label String) and shares it read-only with three worker threads through an
// Arc<Vec<..>> (the Vec header moved into the Arc's block; no copy of the buffer). Each
// worker scans its third of the samples and builds a report: a Vec<String> reserved
// for its lines, one line per sample above a threshold, returned through its join
// handle. Main keeps the reports in a reserved Vec<Vec<String>>, prints a few lines,
// then frees every line and every report buffer explicitly. Report lines and buffers
// are allocated on the workers and freed on main. No scan.
use std::sync::Arc;
use std::thread;

struct Sample {
    id: u32,
    value: u32,
    label: String,
}

const N: usize = 1800;
const WORKERS: usize = 3;

fn main() {
    let mut samples: Vec<Box<Sample>> = Vec::with_capacity(N); // site: samples_buf
    let mut x: u64 = 77;
    for i in 0..N as u32 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let label = format!("sensor {:04} on rack {}", i, i % 17); // site: label
        samples.push(Box::new(Sample { id: i, value: (x >> 40) as u32 % 1000, label })); // site: sample
    }
    let shared = Arc::new(samples); // site: samples_arc
    let mut handles = Vec::with_capacity(WORKERS); // site: handles_buf
    for k in 0..WORKERS {
        let shared = Arc::clone(&shared);
        handles.push(thread::spawn(move || {
            let chunk = &shared[k * N / WORKERS..(k + 1) * N / WORKERS];
            let mut lines = Vec::with_capacity(chunk.len()); // site: lines_buf
            for smp in chunk {
                if smp.value > 700 {
                    lines.push(format!("worker {} flags {} (id {}) at {}", k, smp.label, smp.id, smp.value)); // site: line
                }
            }
            lines
        }));
    }
    let mut reports: Vec<Vec<String>> = Vec::with_capacity(WORKERS); // site: reports
    for h in handles.drain(..) {
        reports.push(h.join().unwrap());
    }
    let mut total = 0usize;
    for (k, mut rep) in reports.drain(..).enumerate() {
        println!("report {}: {} lines, first: {}", k, rep.len(), rep[0]);
        for line in rep.drain(..) {
            total += line.len();
            drop(line); // site: line_freed
        }
        drop(rep); // site: lines_buf_freed
    }
    println!("total {}", total);
    drop(reports);
    drop(handles);
    drop(shared);
}
