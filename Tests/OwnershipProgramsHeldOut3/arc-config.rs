// Hot-swapped configuration in Rust, the usual `RwLock<Arc<Config>>` pattern of servers:
// the current routing configuration is an `Arc<Config>` in a slot shared by all threads;
// reader threads clone the current Arc for each request and keep the last few versions
// they have seen in a small window (a Vec of Arcs, oldest dropped first), so old versions
// stay alive while readers hold them; main publishes a new version by replacing the Arc in
// the slot. A version is freed by whoever drops its last Arc: the slot's replacement on
// main, or a reader's window on a reader thread. A config owns its banner and its routes
// buffer; routes (inline in the buffer) own their prefix and backend strings. No scan.
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;

struct Route {
    prefix: String,
    backend: String,
    weight: u32,
}

struct Config {
    version: u64,
    banner: String,
    routes: Vec<Route>,
}

struct Shared {
    current: RwLock<Arc<Config>>,
    stop: AtomicBool,
    published: AtomicU64,
}

#[inline(never)]
fn make_config(version: u64) -> Arc<Config> {
    let count = 8 + (version % 9) as usize;
    let mut routes = Vec::with_capacity(count); // site: routes
    for i in 0..count {
        let mut prefix = String::with_capacity(32); // site: prefix
        write!(prefix, "/api/v{}/svc{}", version % 4, i).unwrap();
        let mut backend = String::with_capacity(40); // site: backend
        write!(backend, "10.0.{}.{}:{}", version % 250, i, 8000 + i).unwrap();
        routes.push(Route { prefix, backend, weight: (i as u32 * 7 + version as u32) % 10 });
    }
    let mut banner = String::with_capacity(48); // site: banner
    write!(banner, "routing table version {}", version).unwrap();
    Arc::new(Config { version, banner, routes }) // site: config
}

fn route(config: &Config, request: u64) -> u64 {
    let r = &config.routes[(request % config.routes.len() as u64) as usize];
    r.prefix.len() as u64 + r.backend.len() as u64 + r.weight as u64 + config.banner.len() as u64
}

fn reader(shared: Arc<Shared>, id: u64) -> (u64, u64) {
    let mut window: Vec<Arc<Config>> = Vec::with_capacity(6); // site: window
    let mut total = 0u64;
    let mut requests = 0u64;
    while !shared.stop.load(Ordering::Acquire) {
        let config = shared.current.read().unwrap().clone();
        total = total.wrapping_add(route(&config, requests * 31 + id));
        requests += 1;
        if window.last().map_or(true, |last| last.version != config.version) {
            if window.len() == window.capacity() {
                window.remove(0);
            }
            window.push(config);
        }
        if requests % 64 == 0 {
            thread::yield_now();
        }
    }
    let oldest = window.first().map_or(0, |c| c.version);
    drop(window);
    (total.wrapping_add(oldest), requests)
}

fn main() {
    let state = Shared {
        current: RwLock::new(make_config(0)),
        stop: AtomicBool::new(false),
        published: AtomicU64::new(0),
    };
    let shared = Arc::new(state); // site: slot
    let readers: Vec<_> = (0..3)
        .map(|id| {
            let s = Arc::clone(&shared);
            thread::spawn(move || reader(s, id))
        })
        .collect();
    for version in 1..=400u64 {
        let next = make_config(version);
        let old = std::mem::replace(&mut *shared.current.write().unwrap(), next);
        drop(old);
        shared.published.fetch_add(1, Ordering::Relaxed);
        if version % 8 == 0 {
            thread::yield_now();
        }
    }
    shared.stop.store(true, Ordering::Release);
    let mut total = 0u64;
    for handle in readers {
        let (sum, _requests) = handle.join().unwrap();
        total = total.wrapping_add(sum % 1000);
    }
    let last = shared.current.read().unwrap().version;
    println!("{} {} {}", shared.published.load(Ordering::Relaxed), last, total > 0);
    drop(shared);
}
