// Rust `Arc` sharing across threads: six configurations (each owning a table, a Vec<u64>)
// are shared by workers on four threads. Each worker (boxed) holds an Arc of one
// configuration and owns a buffer; workers are made and dropped on their own thread, 25
// alive at once per thread. Main keeps the configurations in a Vec until the threads are
// joined, then drops them. A reference scan runs while the workers of the last batch live.
use std::sync::{Arc, Barrier};
use std::thread;

extern "C" {
    fn raise(signal: i32) -> i32;
}

/// memscope's recorder scans the heap on SIGUSR2 (in its next allocator call); without it
/// the signal would kill the program, so it is only raised under the recorder.
fn scan_now() {
    if std::env::var_os("MEMSCOPE_SPOOL").is_some() {
        unsafe { raise(12) };
        drop(Box::new(0u8));
    }
}

struct Config {
    table: Vec<u64>,
    id: usize,
}

struct Worker {
    config: Arc<Config>,
    buffer: Vec<u8>,
}

#[inline(never)]
fn config_new(id: usize) -> Arc<Config> {
    let table = vec![id as u64; 40 + id]; // site: table
    Arc::new(Config { table, id }) // site: config
}

#[inline(never)]
fn worker_new(config: &Arc<Config>, n: usize) -> Box<Worker> {
    let buffer = vec![n as u8; 200 + n % 50]; // site: buffer
    Box::new(Worker { config: Arc::clone(config), buffer }) // site: worker
}

fn main() {
    let mut configs: Vec<Arc<Config>> = Vec::with_capacity(6); // site: configs
    for i in 0..6 {
        configs.push(config_new(i));
    }
    let barrier = Arc::new(Barrier::new(5));
    let mut handles = Vec::new();
    for t in 0..4 {
        let mine: Vec<Arc<Config>> = configs.iter().cloned().collect();
        let barrier = Arc::clone(&barrier);
        handles.push(thread::spawn(move || {
            let mut sum = 0usize;
            for round in 0..8 {
                let mut workers: Vec<Box<Worker>> = Vec::with_capacity(25); // site: workers
                for n in 0..25 {
                    workers.push(worker_new(&mine[(t + n + round) % 6], n));
                }
                if round == 7 {
                    barrier.wait();
                    barrier.wait();
                }
                for w in workers.iter() {
                    sum += w.buffer.len() + w.config.table.len() + w.config.id;
                }
                drop(workers);
            }
            sum
        }));
    }
    barrier.wait();
    scan_now();
    barrier.wait();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    drop(configs);
    println!("{}", total);
}
