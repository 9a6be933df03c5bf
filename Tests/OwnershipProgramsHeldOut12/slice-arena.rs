// Rust dependency graph in an index arena with a fixed boxed slice: a boxed Arena owns
// a Box<[Slot]> of 512 slots (collected into an exact-size Vec and turned into a boxed
// slice, no reallocation) and a reserved free list of slot indices (Vec<u32>, never
// grown). A live slot owns its package name String and its edge list (Vec<u32> of slot
// indices, allocated with room for 2 and grown by push, i.e. by realloc). Removing a
// package drops its name and edge list (replaced by empty ones, which do not allocate)
// and strips its index from the other edge lists. Twice, the arena is compacted: live
// slots move (by mem::take) into a freshly collected boxed slice, indices are
// renumbered, and the old slice is freed. No scan.
const CAP: usize = 512;

#[derive(Default)]
struct Slot {
    live: bool,
    name: String,
    edges: Vec<u32>,
}

struct Arena {
    slots: Box<[Slot]>,
    free: Vec<u32>,
    used: usize,
}

impl Arena {
    fn add(&mut self, id: u32) -> Option<u32> {
        let i = if let Some(i) = self.free.pop() {
            i
        } else if self.used < CAP {
            self.used += 1;
            (self.used - 1) as u32
        } else {
            return None;
        };
        let s = &mut self.slots[i as usize];
        s.live = true;
        s.name = format!("package-{:05}-core-utils", id); // site: name
        s.edges = Vec::with_capacity(2); // site: edges
        Some(i)
    }

    fn link(&mut self, a: u32, b: u32) {
        let e = &mut self.slots[a as usize].edges;
        if !e.contains(&b) {
            e.push(b); // site: edges_grown
        }
    }

    fn remove(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        s.live = false;
        s.name = String::new();
        s.edges = Vec::new();
        for t in self.slots.iter_mut() {
            t.edges.retain(|&j| j != i);
        }
        self.free.push(i);
    }

    fn compact(&mut self) {
        let mut map = vec![u32::MAX; CAP];
        let mut n = 0;
        for (i, s) in self.slots.iter().enumerate() {
            if s.live {
                map[i] = n;
                n += 1;
            }
        }
        let mut fresh: Box<[Slot]> = (0..CAP).map(|_| Slot::default()).collect::<Vec<_>>().into_boxed_slice(); // site: slots_compacted
        for (i, s) in self.slots.iter_mut().enumerate() {
            if s.live {
                let d = &mut fresh[map[i] as usize];
                d.live = true;
                d.name = std::mem::take(&mut s.name);
                d.edges = std::mem::take(&mut s.edges);
                for e in d.edges.iter_mut() {
                    *e = map[*e as usize];
                }
            }
        }
        self.slots = fresh;
        self.used = n as usize;
        self.free.clear();
    }
}

fn main() {
    let slots: Box<[Slot]> = (0..CAP).map(|_| Slot::default()).collect::<Vec<_>>().into_boxed_slice(); // site: slots
    let free = Vec::with_capacity(CAP); // site: free_list
    let mut arena = Box::new(Arena { slots, free, used: 0 }); // site: arena
    let mut x: u64 = 1618;
    let mut next_id = 0u32;
    let mut live: Vec<u32> = Vec::with_capacity(CAP);
    for step in 0..6000u32 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as usize;
        if r % 10 < 3 || live.len() < 2 {
            if let Some(i) = arena.add(next_id) {
                live.push(i);
            }
            next_id += 1;
        } else if r % 10 < 8 {
            let a = live[(r >> 4) % live.len()];
            let b = live[(r >> 14) % live.len()];
            if a != b {
                arena.link(a, b);
            }
        } else {
            let k = (r >> 4) % live.len();
            let i = live.swap_remove(k);
            arena.remove(i);
        }
        if step == 2000 || step == 4000 {
            arena.compact();
            live = (0..arena.used as u32).collect();
        }
        if step % 1500 == 1499 {
            let edges: usize = arena.slots.iter().map(|s| s.edges.len()).sum();
            let longest = arena.slots.iter().map(|s| s.edges.len()).max().unwrap_or(0);
            println!("step {}: {} live, {} used, {} free, {} edges, longest {}", step + 1, live.len(), arena.used, arena.free.len(), edges, longest);
        }
    }
    drop(arena);
}
