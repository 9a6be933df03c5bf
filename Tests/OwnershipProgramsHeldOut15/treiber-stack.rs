// Threaded lock-free stack (Treiber): an Arc<Stack> whose head is an AtomicPtr<Node>;
// four spawned workers push Box::into_raw nodes (each owning a text String reserved for
// 40) with compare-and-swap, while main, the only popper, pops nodes as they appear
// (no ABA: only main frees nodes), rebuilds the boxes with Box::from_raw and frees the
// texts and the nodes. After the workers finish, main joins them and drains the rest.
// Nodes and texts go from the workers to main. No scan.
use std::fmt::Write;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

const NW: u32 = 4;
const PER: u32 = 50;

struct Node {
    next: *mut Node,
    seq: u32,
    text: String,
}

struct Stack {
    head: AtomicPtr<Node>,
    finished: AtomicUsize,
}

fn push(st: &Stack, n: *mut Node) {
    loop {
        let h = st.head.load(Ordering::Acquire);
        unsafe { (*n).next = h };
        if st.head.compare_exchange_weak(h, n, Ordering::Release, Ordering::Relaxed).is_ok() {
            return;
        }
    }
}

fn pop(st: &Stack) -> Option<Box<Node>> {
    loop {
        let h = st.head.load(Ordering::Acquire);
        if h.is_null() {
            return None;
        }
        let next = unsafe { (*h).next };
        if st.head.compare_exchange_weak(h, next, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            let mut b = unsafe { Box::from_raw(h) };
            b.next = ptr::null_mut();
            return Some(b);
        }
    }
}

fn retire(mut b: Box<Node>, sum: &mut u64) -> usize {
    let mut h = b.seq as u64;
    for c in b.text.bytes() {
        h = (h * 31 + c as u64) % 1_000_003;
    }
    *sum = sum.wrapping_add(h);
    let n = b.text.len();
    drop(std::mem::take(&mut b.text)); // site: text_freed
    drop(b); // site: node_freed
    n
}

fn main() {
    let st = Arc::new(Stack { head: AtomicPtr::new(ptr::null_mut()), finished: AtomicUsize::new(0) }); // site: stack
    let mut handles = Vec::new();
    for w in 0..NW {
        let st = Arc::clone(&st);
        handles.push(thread::spawn(move || {
            for k in 0..PER {
                let seq = k * NW + w;
                let mut text = String::with_capacity(40); // site: text
                write!(text, "event {:03} pushed by worker {}", seq, w).unwrap();
                let n = Box::into_raw(Box::new(Node { next: ptr::null_mut(), seq, text })); // site: node
                push(&st, n);
            }
            st.finished.fetch_add(1, Ordering::Release);
        }));
    }
    let mut sum = 0u64;
    let mut popped = 0u32;
    let mut chars = 0usize;
    loop {
        if let Some(b) = pop(&st) {
            chars += retire(b, &mut sum);
            popped += 1;
        } else if st.finished.load(Ordering::Acquire) == NW as usize {
            break;
        } else {
            thread::yield_now();
        }
    }
    for h in handles {
        h.join().unwrap();
    }
    while let Some(b) = pop(&st) {
        chars += retire(b, &mut sum);
        popped += 1;
    }
    println!("popped {} chars {} checksum {} holders {}", popped, chars, sum, Arc::strong_count(&st));
}
