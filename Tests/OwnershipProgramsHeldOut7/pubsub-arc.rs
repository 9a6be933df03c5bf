// Publish/subscribe in Rust across two threads: the subscriber list is an
// `Arc<Mutex<Vec<Arc<Sub>>>>` (the Vec reserved for 16, never holding more than 12).
// Main subscribes (Arc::new) and unsubscribes (swap_remove from the list), and drains
// every subscriber's inbox; a publisher thread, for each event, clones the list into a
// snapshot Vec under the lock and pushes a boxed event (owning a payload String) into
// the inbox of every snapshot subscriber still open. An inbox is a `Mutex<Vec<Box<Event>>>`
// reserved for 64; the publisher waits while an inbox is full, so it never grows. A
// closed subscriber takes no more events (closing and pushing both happen under the
// inbox lock). The publisher publishes at most five events per round of main, so
// events keep pace with subscription changes. Main runs 300 rounds of subscription changes whatever the publisher's
// progress, and keeps draining until the publisher is done. Main drops each event it drains (payload, then box, on their own lines),
// so every event and payload is allocated on the publisher and freed on main. A
// subscriber is freed by whichever drops its last Arc: main (after unsubscribing, or at
// the end) or the publisher (dropping a snapshot). Output depends only on main's actions
// and the event count. No scan.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

struct Event {
    seq: u64,
    payload: String,
}

struct Sub {
    id: u32,
    topic: String,
    closed: AtomicBool,
    inbox: Mutex<Vec<Box<Event>>>,
}

type SubList = Mutex<Vec<Arc<Sub>>>;

const EVENTS: u64 = 1500;
const INBOX: usize = 64;

#[inline(never)]
fn make_sub(id: u32) -> Arc<Sub> {
    let topic = format!("orders/region-{}/updates/stream", id % 5); // site: topic
    let inbox = Vec::with_capacity(INBOX); // site: inbox
    Arc::new(Sub { id, topic, closed: AtomicBool::new(false), inbox: Mutex::new(inbox) }) // site: sub
}

#[inline(never)]
fn publish(list: &SubList, seq: u64) {
    let snap: Vec<Arc<Sub>> = list.lock().unwrap().clone(); // site: snap
    for sub in snap.iter() {
        loop {
            let mut inbox = sub.inbox.lock().unwrap();
            if sub.closed.load(Ordering::Acquire) {
                break;
            }
            if inbox.len() < INBOX {
                let payload = format!("{{\"seq\":{},\"sub\":{},\"px\":{}}}", seq, sub.id, 100 + seq % 37); // site: payload
                let ev = Box::new(Event { seq, payload }); // site: event
                inbox.push(ev);
                break;
            }
            drop(inbox);
            thread::yield_now();
        }
    }
    drop(snap);
}

#[inline(never)]
fn drain(sub: &Sub) -> u64 {
    let mut inbox = sub.inbox.lock().unwrap();
    let mut n = 0;
    while let Some(mut ev) = inbox.pop() {
        n += ev.seq % 3 + ev.payload.len() as u64 % 2;
        drop(std::mem::take(&mut ev.payload)); // site: payload_freed
        drop(ev); // site: event_freed
    }
    n
}

fn main() {
    let sub_vec: Vec<Arc<Sub>> = Vec::with_capacity(16); // site: sub_vec
    let list: Arc<SubList> = Arc::new(Mutex::new(sub_vec)); // site: sublist
    let published = Arc::new(AtomicU64::new(0));
    let ticks = Arc::new(AtomicU64::new(0));
    let publisher = {
        let list = Arc::clone(&list);
        let published = Arc::clone(&published);
        let ticks = Arc::clone(&ticks);
        thread::spawn(move || {
            for seq in 0..EVENTS {
                while ticks.load(Ordering::Acquire) * 5 <= seq {
                    thread::yield_now();
                }
                publish(&list, seq);
                published.store(seq + 1, Ordering::Release);
            }
        })
    };
    let mut next_id = 0;
    let (mut subs, mut unsubs) = (0, 0);
    let mut seed: u64 = 11;
    let mut got = 0;
    let mut round = 0;
    loop {
        let done = published.load(Ordering::Acquire) == EVENTS;
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let len = list.lock().unwrap().len();
        if round < 300 {
            if (seed >> 40) % 3 != 0 && len < 12 {
                let s = make_sub(next_id);
                next_id += 1;
                list.lock().unwrap().push(s);
                subs += 1;
            } else if len > 2 {
                let k = (seed >> 33) as usize % len;
                let s = list.lock().unwrap().swap_remove(k);
                {
                    let _inbox = s.inbox.lock().unwrap();
                    s.closed.store(true, Ordering::Release);
                }
                got += drain(&s);
                drop(s);
                unsubs += 1;
            }
        }
        let current: Vec<Arc<Sub>> = list.lock().unwrap().clone(); // site: main_snap
        for s in current.iter() {
            got += drain(s);
        }
        drop(current);
        round += 1;
        ticks.store(round, Ordering::Release);
        if done && round >= 300 {
            break;
        }
        thread::yield_now();
    }
    publisher.join().unwrap();
    let rest: Vec<Arc<Sub>> = std::mem::take(&mut *list.lock().unwrap());
    for s in rest.iter() {
        got += drain(s);
        std::hint::black_box(s.topic.len());
    }
    drop(rest);
    std::hint::black_box(got);
    println!("events={} subscribed={} unsubscribed={}", EVENTS, subs, unsubs);
}
