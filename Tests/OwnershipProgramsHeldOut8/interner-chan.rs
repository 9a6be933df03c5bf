// A string interner shared by two threads, with handles moved across a channel. The
// interner (`Arc<RwLock<Interner>>`, made by main) holds a `Vec<String>` of interned
// words (reserved for 4096, never grown) and an open-addressing table of indices
// (integers only, allocated once). A producer thread tokenizes generated text, interns
// each word (a new String pushed onto the words on first sight) and sends batches of
// index handles to main over an mpsc channel: a `Box<Batch>` owning a `Vec<u32>` of
// handles (reserved exactly) and a note String. Main resolves every handle against the
// interner and retires the batch (handles, note, then box dropped on their own lines),
// except that every fifth batch is kept in a reserved vector for a while and retired
// later the same way. After the producer is done main retires the kept batches and pops
// and drops every interned word. So words, batches, handle vectors and notes are all
// allocated on the producer and freed on main. Output depends only on the text. No scan.
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, RwLock};
use std::thread;

const TABLE: usize = 8192;
const WORDS: usize = 4096;

struct Interner {
    words: Vec<String>,
    table: Vec<u32>, // 0 empty, else index + 1
}

struct Batch {
    seq: u64,
    handles: Vec<u32>,
    note: String,
}

fn hash(s: &str) -> usize {
    let mut h: u64 = 1469598103934665603;
    for b in s.bytes() {
        h = (h ^ b as u64).wrapping_mul(1099511628211);
    }
    h as usize
}

#[inline(never)]
fn intern(it: &RwLock<Interner>, w: &str) -> u32 {
    let mut g = it.write().unwrap();
    let mut i = hash(w) % TABLE;
    loop {
        let e = g.table[i];
        if e == 0 {
            break;
        }
        if g.words[(e - 1) as usize] == w {
            return e - 1;
        }
        i = (i + 1) % TABLE;
    }
    let idx = g.words.len() as u32;
    let s = w.to_string(); // site: word
    g.words.push(s);
    g.table[i] = idx + 1;
    idx
}

#[inline(never)]
fn make_batch(seq: u64, ids: &[u32]) -> Box<Batch> {
    let mut handles = Vec::with_capacity(ids.len()); // site: handles
    handles.extend_from_slice(ids);
    let note = format!("batch-{:04}-from-tokenizer-with-{}-handles", seq, ids.len()); // site: note
    Box::new(Batch { seq, handles, note }) // site: batch
}

#[inline(never)]
fn retire(mut b: Box<Batch>) -> u64 {
    let n = b.seq + b.handles.len() as u64 + b.note.len() as u64;
    drop(std::mem::take(&mut b.handles)); // site: handles_freed
    drop(std::mem::take(&mut b.note)); // site: note_freed
    drop(b); // site: batch_freed
    n
}

fn main() {
    let words = Vec::with_capacity(WORDS); // site: words_buf
    let table = vec![0u32; TABLE]; // site: table
    let it = Arc::new(RwLock::new(Interner { words, table })); // site: interner
    let (tx, rx) = mpsc::channel::<Box<Batch>>();
    let producer = {
        let it = Arc::clone(&it);
        thread::spawn(move || {
            const SYL: [&str; 12] = ["tra", "men", "kol", "ist", "ura", "bex", "qua", "zon", "pel", "dri", "oth", "cy"];
            let mut seed: u64 = 5150;
            let mut ids = Vec::with_capacity(64);
            for seq in 0..400u64 {
                ids.clear();
                let n = 8 + (seq % 40) as usize;
                for _ in 0..n {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let r = (seed >> 33) as usize;
                    let mut w = String::with_capacity(32);
                    for k in 0..(2 + r % 2) {
                        w.push_str(SYL[(r >> (4 * k + 3)) % SYL.len()]);
                    }
                    ids.push(intern(&it, &w));
                }
                tx.send(make_batch(seq, &ids)).unwrap();
                if seq % 20 == 0 {
                    thread::yield_now();
                }
            }
        })
    };
    let mut kept: Vec<Box<Batch>> = Vec::with_capacity(16); // site: kept
    let mut total = 0u64;
    let mut resolved = 0u64;
    loop {
        // Polled rather than blocking: a blocking receive would leave a thread-local
        // context of main's behind (reported by valgrind as possibly lost).
        let b = match rx.try_recv() {
            Ok(b) => b,
            Err(TryRecvError::Empty) => {
                thread::yield_now();
                continue;
            }
            Err(TryRecvError::Disconnected) => break,
        };
        {
            let g = it.read().unwrap();
            for &h in b.handles.iter() {
                total = (total * 31 + g.words[h as usize].len() as u64 + h as u64) % 1_000_003;
                resolved += 1;
            }
        }
        if b.seq % 5 == 0 {
            if kept.len() == 16 {
                total = (total + retire(kept.remove(0))) % 1_000_003;
            }
            kept.push(b);
        } else {
            total = (total + retire(b)) % 1_000_003;
        }
    }
    producer.join().unwrap();
    while let Some(b) = kept.pop() {
        total = (total + retire(b)) % 1_000_003;
    }
    let mut g = it.write().unwrap();
    let distinct = g.words.len();
    while let Some(s) = g.words.pop() {
        drop(s); // site: word_freed
    }
    drop(g);
    println!("batches=400 resolved={} distinct={} total={}", resolved, distinct, total);
}
