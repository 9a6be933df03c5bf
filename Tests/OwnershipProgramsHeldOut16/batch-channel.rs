// Threaded Rust: three worker threads produce boxed batches (each owning a reserved
// `Vec<u32>` of samples) and send them to main over an unbounded `mpsc` channel. After
// joining the workers, main drains the channel without blocking into a reserved inbox
// vector, sorts it by (worker, sequence), reports, and frees each
// batch's samples and then the batch explicitly. Batches and sample buffers go from the
// workers to main. No scan.
use std::sync::mpsc;
use std::thread;

struct Batch {
    worker: u32,
    seq: u32,
    samples: Vec<u32>,
}

fn main() {
    let (tx, rx) = mpsc::channel::<Box<Batch>>();
    let mut handles = Vec::new();
    for w in 0..3u32 {
        let tx = tx.clone();
        handles.push(thread::spawn(move || {
            for seq in 0..10u32 {
                let mut samples = Vec::with_capacity(32); // site: samples
                for k in 0..32u32 {
                    samples.push((w * 7919 + seq * 104729 + k * k) % 1000);
                }
                let b = Box::new(Batch { worker: w, seq, samples }); // site: batch
                tx.send(b).unwrap();
            }
        }));
    }
    drop(tx);
    for h in handles {
        h.join().unwrap();
    }
    let mut inbox: Vec<Box<Batch>> = Vec::with_capacity(30); // site: inbox
    for b in rx.try_iter() {
        inbox.push(b);
    }
    inbox.sort_by_key(|b| (b.worker, b.seq));
    let mut total: u64 = 0;
    for b in &inbox {
        total += b.samples.iter().map(|&s| s as u64).sum::<u64>();
    }
    println!("batches {} first ({},{}) last ({},{}) total {}", inbox.len(), inbox[0].worker, inbox[0].seq,
             inbox[29].worker, inbox[29].seq, total);
    while let Some(mut b) = inbox.pop() {
        let samples = std::mem::take(&mut b.samples);
        drop(samples); // site: samples_freed
        drop(b); // site: batch_freed
    }
    println!("inbox empty {}", inbox.is_empty());
}
