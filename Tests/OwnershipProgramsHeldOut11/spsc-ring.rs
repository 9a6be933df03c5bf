// Threaded Rust single-producer single-consumer ring (lock-free, Lamport style): an
// Arc<Ring> holds a boxed slice of 64 AtomicPtr<Msg> slots and two atomic counters. A
// spawned producer thread allocates each message (Box<Msg> owning a Vec<u8> payload),
// turns it into a raw pointer (Box::into_raw) and stores it in the next slot; main
// consumes: it swaps the slot back to null, rebuilds the Box (Box::from_raw), checks
// the payload and frees payload and message explicitly. Messages and payloads are
// allocated on the producer and freed on main. No scan.
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

struct Msg {
    seq: u64,
    payload: Vec<u8>,
}

struct Ring {
    slots: Box<[AtomicPtr<Msg>]>,
    head: AtomicUsize, // next slot to consume
    tail: AtomicUsize, // next slot to fill
}

const CAP: usize = 64;
const N: u64 = 5000;

fn main() {
    let slots: Box<[AtomicPtr<Msg>]> = (0..CAP).map(|_| AtomicPtr::new(ptr::null_mut())).collect(); // site: slots
    let ring = Arc::new(Ring { slots, head: AtomicUsize::new(0), tail: AtomicUsize::new(0) }); // site: ring
    let producer = {
        let ring = Arc::clone(&ring);
        thread::spawn(move || {
            let mut x: u64 = 12345;
            for seq in 0..N {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let len = 8 + (x >> 58) as usize * 6;
                let payload = vec![(seq % 251) as u8 + 1; len]; // site: payload
                let msg = Box::new(Msg { seq, payload }); // site: msg
                let raw = Box::into_raw(msg);
                let t = ring.tail.load(Ordering::Relaxed);
                while t - ring.head.load(Ordering::Acquire) == CAP {
                    thread::yield_now();
                }
                ring.slots[t % CAP].store(raw, Ordering::Relaxed);
                ring.tail.store(t + 1, Ordering::Release);
            }
        })
    };
    let mut sum: u64 = 0;
    let mut bytes = 0usize;
    for expect in 0..N {
        let h = ring.head.load(Ordering::Relaxed);
        while ring.tail.load(Ordering::Acquire) == h {
            thread::yield_now();
        }
        let raw = ring.slots[h % CAP].swap(ptr::null_mut(), Ordering::Relaxed);
        ring.head.store(h + 1, Ordering::Release);
        let mut msg = unsafe { Box::from_raw(raw) };
        assert_eq!(msg.seq, expect);
        let payload = std::mem::take(&mut msg.payload);
        bytes += payload.len();
        sum = sum.wrapping_add(payload.iter().map(|&b| b as u64).sum::<u64>() * (msg.seq + 1));
        drop(payload); // site: payload_freed
        drop(msg); // site: msg_freed
    }
    producer.join().unwrap();
    println!("{} messages, {} payload bytes, checksum {}", N, bytes, sum);
    drop(ring);
}
