// A timer queue in Rust: a `BinaryHeap<Box<Event>>` ordered so that the earliest due
// event is on top (reserved for 8 at `heap_buf`, grown by realloc as scheduling outgrows
// it). Each event owns its name String and a payload Vec<u8>. The boxed timer state also
// holds a `VecDeque<Box<Event>>` of the last 32 finished events (reserved once, the
// oldest dropped when full) and a sorted Vec of cancelled sequence numbers (integers
// only). A tick pops every due event: a cancelled one is dropped; a periodic one that
// has fired fewer than five times gets a new name (the old String dropped by the
// assignment) and is pushed back into the heap (the same box); others move to the
// finished deque. At the end the boxed state is dropped with whatever it still holds.
// No scan.
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

struct Event {
    due: u64,
    seq: u64,
    every: u64,
    fired: u32,
    name: String,
    payload: Vec<u8>,
}

impl PartialEq for Event {
    fn eq(&self, o: &Self) -> bool {
        self.due == o.due && self.seq == o.seq
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Event {
    fn cmp(&self, o: &Self) -> Ordering {
        (o.due, o.seq).cmp(&(self.due, self.seq))
    }
}

const DONE: usize = 32;

struct Timers {
    heap: BinaryHeap<Box<Event>>,
    done: VecDeque<Box<Event>>,
    cancelled: Vec<u64>,
}

#[inline(never)]
fn make_event(seq: u64, due: u64, every: u64) -> Box<Event> {
    let name = if every > 0 { format!("timer-{:05}-periodic-heartbeat", seq) } else { format!("timer-{:05}-one-shot-timeout", seq) }; // site: ev_name
    let payload = vec![(seq % 251) as u8 + 1; 24 + (seq % 40) as usize]; // site: ev_payload
    Box::new(Event { due, seq, every, fired: 0, name, payload }) // site: event
}

impl Timers {
    #[inline(never)]
    fn schedule(&mut self, ev: Box<Event>) {
        self.heap.push(ev); // site: heap_grown
    }

    #[inline(never)]
    fn tick(&mut self, now: u64) -> (u64, u64) {
        let (mut fired, mut sum) = (0, 0u64);
        while let Some(top) = self.heap.peek() {
            if top.due > now {
                break;
            }
            let mut ev = self.heap.pop().unwrap();
            if let Ok(i) = self.cancelled.binary_search(&ev.seq) {
                self.cancelled.remove(i);
                drop(ev);
                continue;
            }
            fired += 1;
            sum = (sum * 31 + ev.name.len() as u64 + ev.payload[0] as u64) % 1_000_003;
            ev.fired += 1;
            if ev.every > 0 && ev.fired < 5 {
                ev.due = now + ev.every;
                ev.name = format!("timer-{:05}-rescheduled-{}-times", ev.seq, ev.fired); // site: ev_rename
                self.schedule(ev);
            } else {
                if self.done.len() == DONE {
                    drop(self.done.pop_front());
                }
                self.done.push_back(ev);
            }
        }
        (fired, sum)
    }
}

fn main() {
    let heap = BinaryHeap::with_capacity(8); // site: heap_buf
    let done = VecDeque::with_capacity(DONE); // site: done_buf
    let cancelled = Vec::with_capacity(4096); // site: cancel_ids
    let mut t = Box::new(Timers { heap, done, cancelled }); // site: timers
    let mut seed: u64 = 99;
    let (mut fired, mut sum, mut cancels) = (0u64, 0u64, 0u64);
    let mut seq = 0u64;
    for now in 0..4000u64 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = seed >> 33;
        if r % 4 != 0 {
            let every = if r % 3 == 0 { 5 + (r >> 8) % 40 } else { 0 };
            let ev = make_event(seq, now + 1 + (r >> 12) % 300, every);
            t.schedule(ev);
            seq += 1;
        }
        if r % 9 == 0 && seq > 0 {
            let victim = seq - 1 - (r >> 16) % seq.min(60);
            if let Err(i) = t.cancelled.binary_search(&victim) {
                if t.cancelled.len() < 4096 {
                    t.cancelled.insert(i, victim);
                    cancels += 1;
                }
            }
        }
        let (f, s) = t.tick(now);
        fired += f;
        sum = (sum * 7 + s) % 1_000_003;
    }
    println!("scheduled={} fired={} cancels={} pending={} sum={}", seq, fired, cancels, t.heap.len(), sum);
    drop(t);
}
