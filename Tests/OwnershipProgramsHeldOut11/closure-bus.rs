// Rust event bus with boxed closures: a boxed Bus owns a reserved Vec of handlers
// (Box<dyn FnMut(&Event) -> bool>) and a reserved pending Vec<Box<Event>> (events own a
// body String). Each handler closure captures by move an Rc<RefCell<Stats>> (shared
// with main and every other handler), a prefix String and a budget; it appends log
// lines to the stats' reserved log Vec (cleared, keeping its buffer, when 48 lines are
// there) and returns false when its budget runs out, which unsubscribes it (retain_mut
// drops the box with its captures). Each round main subscribes new handlers (never more
// than 16 alive), queues a batch of events and dispatches it (drain). Everything is
// dropped at the end. No scan.
use std::cell::RefCell;
use std::rc::Rc;

struct Event {
    kind: u32,
    body: String,
}

struct Stats {
    seen: u64,
    log: Vec<String>,
}

type Handler = Box<dyn FnMut(&Event) -> bool>;

struct Bus {
    handlers: Vec<Handler>,
    pending: Vec<Box<Event>>,
}

fn subscribe(bus: &mut Bus, stats: &Rc<RefCell<Stats>>, id: u32, kind: u32) {
    let st = Rc::clone(stats);
    let prefix = format!("handler #{:03} for kind {}", id, kind); // site: prefix
    let mut budget = 5 + id % 13;
    bus.handlers.push(Box::new(move |e: &Event| { // site: handler
        if e.kind != kind {
            return true;
        }
        let mut s = st.borrow_mut();
        s.seen += 1;
        if s.log.len() == 48 {
            s.log.clear();
        }
        let line = format!("{} saw '{}'", prefix, e.body); // site: log_line
        s.log.push(line);
        budget -= 1;
        budget > 0
    }));
}

fn main() {
    let log = Vec::with_capacity(48); // site: log_buf
    let stats = Rc::new(RefCell::new(Stats { seen: 0, log })); // site: stats
    let handlers: Vec<Handler> = Vec::with_capacity(16); // site: handlers_buf
    let pending = Vec::with_capacity(32); // site: pending_buf
    let mut bus = Box::new(Bus { handlers, pending }); // site: bus
    let mut x: u64 = 4711;
    let mut next_id = 0u32;
    let mut unsubscribed = 0usize;
    for round in 0..400u32 {
        while bus.handlers.len() < 16 && next_id < 2000 && (round + next_id) % 3 != 0 {
            subscribe(&mut bus, &stats, next_id, next_id % 5);
            next_id += 1;
        }
        for k in 0..32u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let kind = ((x >> 40) % 5) as u32;
            let body = format!("round {} event {} of kind {}", round, k, kind); // site: body
            bus.pending.push(Box::new(Event { kind, body })); // site: event
        }
        let batch: Vec<Box<Event>> = bus.pending.drain(..).collect(); // site: batch_buf
        for ev in &batch {
            let before = bus.handlers.len();
            bus.handlers.retain_mut(|h| h(ev));
            unsubscribed += before - bus.handlers.len();
        }
        drop(batch);
        if round % 100 == 99 {
            let s = stats.borrow();
            println!("round {}: {} handlers, {} subscribed, {} unsubscribed, {} seen, {} log lines, last: {}",
                     round + 1, bus.handlers.len(), next_id, unsubscribed, s.seen, s.log.len(),
                     s.log.last().map(|l| l.as_str()).unwrap_or("-"));
        }
    }
    println!("stats holders at the end: {}", Rc::strong_count(&stats));
    drop(bus);
    println!("stats holders after dropping the bus: {}", Rc::strong_count(&stats));
    drop(stats);
}
