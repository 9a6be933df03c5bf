// A job scheduler's calendar in Rust: a boxed Calendar keeps a
// `BTreeMap<u32, Vec<Box<Event>>>` from due tick to the bucket of events due then (a
// bucket starts with room for two and grows by reallocation), plus a HashMap (fixed-key
// hasher) from event id to due tick for cancellation. An event owns its name and its tag
// list. Each tick pops the earliest buckets that are due (pop_first moves the bucket out
// of the tree): repeating events are moved, as the same boxes, into later buckets, the
// others are dropped, and the emptied bucket buffer is freed. Events are cancelled by id
// (swap_remove from their bucket; an emptied bucket is removed from the tree). At the end
// the calendar is dropped with whatever is still scheduled. No scan.
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

struct Event {
    id: u64,
    name: String,
    tags: Vec<u16>,
    period: u32,
    repeats: u32,
}

struct Calendar {
    due: BTreeMap<u32, Vec<Box<Event>>>,
    index: HashMap<u64, u32, BuildHasherDefault<DefaultHasher>>,
    now: u32,
    fired: u64,
    cancelled: u64,
}

fn new_bucket() -> Vec<Box<Event>> {
    Vec::with_capacity(2) // site: bucket
}

#[inline(never)]
fn schedule(cal: &mut Calendar, ev: Box<Event>, at: u32) {
    cal.index.insert(ev.id, at); // site: id_table
    let bucket = cal.due.entry(at).or_insert_with(new_bucket); // site: btree_node
    bucket.push(ev); // site: bucket_grown
}

#[inline(never)]
fn make_event(id: u64, r: u64) -> Box<Event> {
    let name = format!("job-{}:{}", id, ["backup", "rotate-logs", "send-digest", "reindex"][(r % 4) as usize]); // site: ev_name
    let mut tags = Vec::with_capacity(4); // site: ev_tags
    for t in 0..(r % 5) as u16 {
        if tags.len() < tags.capacity() {
            tags.push(t * 3 + (r % 7) as u16);
        }
    }
    Box::new(Event { id, name, tags, period: 5 + (r % 40) as u32, repeats: (r % 4) as u32 }) // site: event
}

#[inline(never)]
fn tick(cal: &mut Calendar) -> u64 {
    cal.now += 1;
    let mut work = 0;
    while cal.due.first_key_value().map_or(false, |(&at, _)| at <= cal.now) {
        let (_, bucket) = cal.due.pop_first().unwrap();
        for mut ev in bucket {
            cal.fired += 1;
            work += ev.name.len() as u64 + ev.tags.iter().map(|&t| t as u64).sum::<u64>();
            if ev.repeats > 0 {
                ev.repeats -= 1;
                let at = cal.now + ev.period;
                schedule(cal, ev, at);
            } else {
                cal.index.remove(&ev.id);
                drop(ev);
            }
        }
    }
    work
}

#[inline(never)]
fn cancel(cal: &mut Calendar, id: u64) -> bool {
    let Some(at) = cal.index.remove(&id) else { return false };
    let bucket = cal.due.get_mut(&at).unwrap();
    let pos = bucket.iter().position(|e| e.id == id).unwrap();
    let gone = bucket.swap_remove(pos);
    drop(gone);
    if bucket.is_empty() {
        cal.due.remove(&at);
    }
    cal.cancelled += 1;
    true
}

fn main() {
    let mut cal = Box::new(Calendar { due: BTreeMap::new(), index: HashMap::default(), now: 0, fired: 0, cancelled: 0 }); // site: calendar
    let mut seed: u64 = 17;
    let mut next_id = 0u64;
    let mut work = 0;
    for _ in 0..3000 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = seed >> 33;
        match r % 6 {
            0 | 1 | 2 => {
                let ev = make_event(next_id, r >> 3);
                let at = cal.now + 1 + (r >> 8) as u32 % 200;
                schedule(&mut cal, ev, at);
                next_id += 1;
            }
            3 => {
                cancel(&mut cal, (r >> 4) % (next_id + 1));
            }
            _ => work += tick(&mut cal),
        }
    }
    let pending: usize = cal.due.values().map(|b| b.len()).sum();
    println!("{} {} {} {} {} {}", cal.due.len(), pending, cal.index.len(), cal.fired, cal.cancelled, work);
    drop(cal);
}
