// Rust `Arc<Mutex<…>>` shared across threads: an inventory (a Vec of items, each owning
// its name, and a bounded log of operations) lives in one Arc<Mutex<Inventory>> made by
// main. Four worker threads each keep a Vec of sessions (structs inline in the Vec's
// buffer); a session holds a clone of the Arc and owns a scratch Vec. Sessions are made
// and dropped on their own thread, in batches. Main also keeps a boxed monitor holding a
// clone; after joining the workers, main drops its own Arc, then the monitor, which is the
// last holder and frees the inventory. Everything is freed on the thread that allocated
// it. No scan.
use std::sync::{Arc, Mutex};
use std::thread;

struct Item {
    name: String,
    count: u64,
}

struct Inventory {
    items: Vec<Item>,
    log: Vec<u64>,
}

struct Session {
    inventory: Arc<Mutex<Inventory>>,
    scratch: Vec<u32>,
    worker: usize,
}

struct Monitor {
    inventory: Arc<Mutex<Inventory>>,
    history: Vec<u64>,
}

const ITEMS: usize = 400;
const LOG: usize = 4 * 6 * 40;

#[inline(never)]
fn inventory_new() -> Arc<Mutex<Inventory>> {
    let mut items = Vec::with_capacity(ITEMS); // site: items
    for i in 0..ITEMS {
        let mut name = String::with_capacity(24); // site: item_name
        name.push_str("sku-");
        name.push_str(&(i * 37 % 1000).to_string());
        items.push(Item { name, count: 0 });
    }
    let log = Vec::with_capacity(LOG); // site: log
    Arc::new(Mutex::new(Inventory { items, log })) // site: inventory
}

#[inline(never)]
fn session_new(inventory: &Arc<Mutex<Inventory>>, worker: usize, n: usize) -> Session {
    let scratch = Vec::with_capacity(32 + n % 64); // site: scratch
    Session { inventory: Arc::clone(inventory), scratch, worker }
}

fn work(session: &mut Session, round: usize) -> u64 {
    for k in 0..session.scratch.capacity() {
        session.scratch.push(((k * 31 + round * 7 + session.worker) % ITEMS) as u32);
    }
    let mut inv = session.inventory.lock().unwrap();
    let mut sum = 0;
    for &at in session.scratch.iter() {
        let item = &mut inv.items[at as usize];
        item.count += 1;
        sum += item.count + item.name.len() as u64;
    }
    if inv.log.len() < inv.log.capacity() {
        inv.log.push(sum);
    }
    sum
}

fn main() {
    let inventory = inventory_new();
    let mut history = Vec::with_capacity(8); // site: history
    history.push(0u64);
    let monitor = Box::new(Monitor { inventory: Arc::clone(&inventory), history }); // site: monitor
    let mut handles = Vec::new();
    for worker in 0..4 {
        let shared = Arc::clone(&inventory);
        handles.push(thread::spawn(move || {
            let mut total = 0u64;
            for batch in 0..6 {
                let mut sessions: Vec<Session> = Vec::with_capacity(40); // site: sessions
                for n in 0..40 {
                    sessions.push(session_new(&shared, worker, batch * 40 + n));
                }
                for (round, s) in sessions.iter_mut().enumerate() {
                    total += work(s, round);
                }
                drop(sessions);
            }
            total
        }));
    }
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    drop(inventory);
    let logged = {
        let inv = monitor.inventory.lock().unwrap();
        inv.log.len() + inv.items.iter().filter(|i| i.count > 0).count()
    };
    println!("{} {} {}", total, logged, monitor.history.len());
    drop(monitor);
}
