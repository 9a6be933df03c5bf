// Rust LRU cache in the style of the `lru` crate: nodes are boxed and turned into raw
// pointers (Box::into_raw), indexed by a HashMap<u64, NonNull<Node>> and threaded on a
// doubly linked recency list through raw prev/next pointers (head and tail in the
// boxed cache). The map's table is allocated once with room for twice the capacity, so
// evictions and inserts never grow it (a table full of tombstones is rehashed in place). A hit moves the node
// to the front; an update replaces the node's value String; when full, the tail node is
// unlinked, removed from the map and freed (Box::from_raw). The cache's Drop frees the
// remaining nodes. No scan.
use std::collections::HashMap;
use std::ptr::{self, NonNull};

struct Node {
    key: u64,
    value: String,
    prev: *mut Node,
    next: *mut Node,
}

struct Lru {
    map: HashMap<u64, NonNull<Node>>,
    head: *mut Node, // most recently used
    tail: *mut Node,
    cap: usize,
    evictions: u64,
}

impl Lru {
    unsafe fn unlink(&mut self, n: *mut Node) {
        if (*n).prev.is_null() { self.head = (*n).next; } else { (*(*n).prev).next = (*n).next; }
        if (*n).next.is_null() { self.tail = (*n).prev; } else { (*(*n).next).prev = (*n).prev; }
        (*n).prev = ptr::null_mut();
        (*n).next = ptr::null_mut();
    }

    unsafe fn push_front(&mut self, n: *mut Node) {
        (*n).prev = ptr::null_mut();
        (*n).next = self.head;
        if !self.head.is_null() { (*self.head).prev = n; }
        self.head = n;
        if self.tail.is_null() { self.tail = n; }
    }

    fn get(&mut self, key: u64) -> Option<usize> {
        let n = self.map.get(&key)?.as_ptr();
        unsafe {
            self.unlink(n);
            self.push_front(n);
            Some((&(*n).value).len())
        }
    }

    fn put(&mut self, key: u64, step: u32) {
        if let Some(p) = self.map.get(&key) {
            let n = p.as_ptr();
            unsafe {
                (*n).value = format!("value of {} rewritten at step {}", key, step); // site: value_updated
                self.unlink(n);
                self.push_front(n);
            }
            return;
        }
        if self.map.len() == self.cap {
            let victim = self.tail;
            unsafe {
                self.unlink(victim);
                self.map.remove(&(*victim).key);
                drop(Box::from_raw(victim));
            }
            self.evictions += 1;
        }
        let value = format!("value of {} loaded at step {}", key, step); // site: value
        let node = Box::new(Node { key, value, prev: ptr::null_mut(), next: ptr::null_mut() }); // site: node
        let raw = Box::into_raw(node);
        self.map.insert(key, unsafe { NonNull::new_unchecked(raw) });
        unsafe { self.push_front(raw) };
    }
}

impl Drop for Lru {
    fn drop(&mut self) {
        let mut n = self.head;
        while !n.is_null() {
            let b = unsafe { Box::from_raw(n) };
            n = b.next;
        }
        self.map.clear();
    }
}

const CAP: usize = 200;

fn main() {
    let table: HashMap<u64, NonNull<Node>> = HashMap::with_capacity(2 * CAP); // site: table
    let mut lru = Box::new(Lru { map: table, head: ptr::null_mut(), tail: ptr::null_mut(), cap: CAP, evictions: 0 }); // site: cache
    let mut x: u64 = 271828;
    let (mut hits, mut misses, mut bytes) = (0u64, 0u64, 0usize);
    for step in 0..30000u32 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as u32;
        let key = if r % 4 == 0 { (r >> 3) as u64 % 5000 } else { (r >> 3) as u64 % 300 };
        if r % 7 == 0 {
            lru.put(key, step);
        } else {
            match lru.get(key) {
                Some(n) => { hits += 1; bytes += n; }
                None => { misses += 1; lru.put(key, step); }
            }
        }
        if step % 10000 == 9999 {
            println!("step {}: {} cached, {} hits, {} misses, {} evictions, {} bytes read",
                     step + 1, lru.map.len(), hits, misses, lru.evictions, bytes);
        }
    }
    drop(lru);
}
