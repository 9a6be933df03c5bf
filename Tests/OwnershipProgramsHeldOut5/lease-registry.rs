// A service-discovery registry in Rust shared by threads: an
// `Arc<RwLock<HashMap<String, Arc<Service>>>>` (fixed-key hasher, created with room for
// 64 entries and never holding more than 48, so its table is never reallocated). Main
// registers services (key strings moved into the map), re-registers them with new
// versions (the map's value replaced; the old Arc dropped) and deregisters some (key and
// value removed). Four worker threads look services up under the read lock and keep a
// lease (a clone of the Arc) in a bounded per-thread Vec, dropping the oldest lease when
// it is full. A service version is freed by whichever holder drops the last Arc: main
// (replacing or removing it while no lease holds it) or a worker (dropping the last
// lease on a replaced version). A service owns its endpoint list and endpoint strings.
// Output depends only on main's actions, not on thread timing. No scan.
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::thread;

struct Service {
    version: u32,
    endpoints: Vec<String>,
}

type Registry = RwLock<HashMap<String, Arc<Service>, BuildHasherDefault<DefaultHasher>>>;

const NAMES: usize = 48;
const WORKERS: usize = 4;

fn key_into(buf: &mut [u8; 40], i: usize) -> &str {
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    write!(cur, "svc/{:03}/grpc.payments", i).unwrap();
    let n = cur.position() as usize;
    std::str::from_utf8(&buf[..n]).unwrap()
}

#[inline(never)]
fn make_service(i: usize, version: u32) -> Arc<Service> {
    let mut endpoints = Vec::with_capacity(3); // site: endpoints
    for e in 0..3 {
        endpoints.push(format!("10.{}.{}.{}:{}", i % 200, version % 250, e, 8000 + e)); // site: endpoint
    }
    Arc::new(Service { version, endpoints }) // site: service
}

#[inline(never)]
fn register(reg: &Registry, i: usize, version: u32) -> bool {
    let mut buf = [0u8; 40];
    let key = String::from(key_into(&mut buf, i)); // site: svc_key
    let svc = make_service(i, version);
    let old = reg.write().unwrap().insert(key, svc);
    let replaced = old.is_some();
    drop(old);
    replaced
}

#[inline(never)]
fn worker(reg: Arc<Registry>, id: usize) -> u64 {
    let mut leases: Vec<Arc<Service>> = Vec::with_capacity(8); // site: leases
    let mut buf = [0u8; 40];
    let mut seed = 77 + id as u64;
    let mut lookups = 0;
    for _ in 0..3000 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let key = key_into(&mut buf, (seed >> 33) as usize % NAMES);
        let found = reg.read().unwrap().get(key).cloned();
        lookups += 1;
        if let Some(svc) = found {
            if leases.len() == leases.capacity() {
                let oldest = leases.remove(0);
                drop(oldest);
            }
            std::hint::black_box(svc.version as usize + svc.endpoints[0].len());
            leases.push(svc);
        }
        if seed % 64 == 0 {
            thread::yield_now();
        }
    }
    drop(leases);
    lookups
}

fn main() {
    let table = HashMap::with_capacity_and_hasher(64, BuildHasherDefault::<DefaultHasher>::default()); // site: table
    let reg: Arc<Registry> = Arc::new(RwLock::new(table)); // site: registry
    for i in 0..NAMES / 2 {
        register(&reg, i, 1);
    }
    let handles: Vec<_> = (0..WORKERS).map(|id| {
        let reg = Arc::clone(&reg);
        thread::spawn(move || worker(reg, id))
    }).collect();
    let mut seed: u64 = 4;
    let (mut replaced, mut added, mut removed) = (0, 0, 0);
    let mut version = 1;
    for step in 0..2000 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let i = (seed >> 33) as usize % NAMES;
        if seed % 5 == 0 {
            let mut buf = [0u8; 40];
            let gone = reg.write().unwrap().remove_entry(key_into(&mut buf, i));
            if gone.is_some() {
                removed += 1;
            }
            drop(gone);
        } else {
            version += 1;
            if register(&reg, i, version) {
                replaced += 1;
            } else {
                added += 1;
            }
        }
        if step % 50 == 0 {
            thread::yield_now();
        }
    }
    let lookups: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let map = reg.read().unwrap();
    let live = map.len();
    let endpoints: usize = map.values().map(|s| s.endpoints.len()).sum();
    drop(map);
    println!("{} {} {} {} {} {}", live, endpoints, replaced, added, removed, lookups);
    drop(reg);
}
