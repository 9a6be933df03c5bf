// Threaded Rust exchanger between main and one worker: an `Arc<Exchanger>` holds a
// Mutex over two slots (`Option<Box<Page>>` towards the worker, `Option<Box<Ack>>`
// back to main) and a Condvar. Main makes pages (each owning a reserved byte buffer)
// and puts them into the slot; the worker takes each page, checks it, frees its bytes
// and the page, and answers with a boxed acknowledgement owning a note String, which
// main takes and frees. Strict alternation: one page in flight at a time. Pages go
// main -> worker, acknowledgements worker -> main. No scan.
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Page {
    seq: u32,
    bytes: Vec<u8>,
}

struct Ack {
    seq: u32,
    sum: u32,
    note: String,
}

struct Slots {
    page: Option<Box<Page>>,
    ack: Option<Box<Ack>>,
    done: bool,
}

struct Exchanger {
    slots: Mutex<Slots>,
    cv: Condvar,
}

fn worker(ex: Arc<Exchanger>) {
    loop {
        let mut page = {
            let mut s = ex.slots.lock().unwrap();
            while s.page.is_none() && !s.done {
                s = ex.cv.wait(s).unwrap();
            }
            match s.page.take() {
                Some(p) => p,
                None => break,
            }
        };
        let sum = page.bytes.iter().fold(0u32, |a, &b| a.wrapping_mul(31).wrapping_add(b as u32)) % 100000;
        let len = page.bytes.len();
        let seq = page.seq;
        let bytes = std::mem::take(&mut page.bytes);
        drop(bytes); // site: bytes_freed
        drop(page); // site: page_freed
        let mut note = String::with_capacity(48); // site: ack_note
        note.push_str("page ");
        note.push_str(&seq.to_string());
        note.push_str(" checked, ");
        note.push_str(&len.to_string());
        note.push_str(" bytes");
        let ack = Box::new(Ack { seq, sum, note }); // site: ack
        let mut s = ex.slots.lock().unwrap();
        s.ack = Some(ack);
        ex.cv.notify_all();
    }
}

fn main() {
    let ex = Arc::new(Exchanger { slots: Mutex::new(Slots { page: None, ack: None, done: false }), cv: Condvar::new() }); // site: exchanger
    let ex2 = Arc::clone(&ex);
    let handle = thread::spawn(move || worker(ex2));
    let mut grand = 0u64;
    for seq in 0..20u32 {
        let n = 40 + (seq as usize * 29) % 90;
        let mut bytes = Vec::with_capacity(n); // site: bytes
        for i in 0..n {
            bytes.push((seq as usize * 11 + i * 5) as u8);
        }
        let page = Box::new(Page { seq, bytes }); // site: page
        let mut s = ex.slots.lock().unwrap();
        s.page = Some(page);
        ex.cv.notify_all();
        while s.ack.is_none() {
            s = ex.cv.wait(s).unwrap();
        }
        let mut ack = s.ack.take().unwrap();
        drop(s);
        grand += ack.sum as u64;
        if ack.seq % 4 == 0 {
            println!("{} (sum {:05})", ack.note, ack.sum);
        }
        let note = std::mem::take(&mut ack.note);
        drop(note); // site: ack_note_freed
        drop(ack); // site: ack_freed
    }
    ex.slots.lock().unwrap().done = true;
    ex.cv.notify_all();
    handle.join().unwrap();
    println!("pages 20, grand {}, exchanger holders {}", grand, Arc::strong_count(&ex));
}
