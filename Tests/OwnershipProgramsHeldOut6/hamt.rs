// A persistent hash array mapped trie (Bagwell's HAMT, as in Clojure's maps) in Rust with
// `Rc` nodes and structural sharing. A node has a 32-bit bitmap and a Vec of entries,
// each either a leaf (an `Rc<str>` key and a value) or a child node (`Rc<Node>`). An
// insert or a remove copies the nodes on the path from the root (a new entries Vec built
// with the change, every other entry an Rc clone) and returns a new version that shares
// everything else with the old one; two keys meeting in one slot get a new node of their
// own (nested while their hash bits agree); a node left with a single leaf is collapsed
// into its parent. Main keeps the last 32 versions in a history Vec (room for 33, the
// oldest removed when it is full) and reads from random versions. Keys are shared by
// every version holding them. No scan.
use std::rc::Rc;

enum Entry {
    Leaf(Rc<str>, u64),
    Sub(Rc<Node>),
}

impl Clone for Entry {
    fn clone(&self) -> Entry {
        match self {
            Entry::Leaf(k, v) => Entry::Leaf(Rc::clone(k), *v),
            Entry::Sub(n) => Entry::Sub(Rc::clone(n)),
        }
    }
}

struct Node {
    bitmap: u32,
    entries: Vec<Entry>,
}

#[derive(Clone)]
struct Hamt {
    root: Rc<Node>,
    len: usize,
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    h ^ (h >> 29)
}

fn slot(h: u64, shift: u32) -> u32 {
    ((h >> shift) & 31) as u32
}

fn pos(bitmap: u32, bit: u32) -> usize {
    (bitmap & ((1u32 << bit) - 1)).count_ones() as usize
}

#[inline(never)]
fn mk(bitmap: u32, entries: Vec<Entry>) -> Rc<Node> {
    Rc::new(Node { bitmap, entries }) // site: node
}

// Copies `entries`, replacing (Some, replace), inserting (Some, !replace) or removing (None) at `at`.
#[inline(never)]
fn copy_with(entries: &[Entry], at: usize, new: Option<Entry>, replace: bool) -> Vec<Entry> {
    let mut out = Vec::with_capacity(entries.len() + 1); // site: entries_copy
    for (i, e) in entries.iter().enumerate() {
        if i == at {
            match (&new, replace) {
                (Some(n), true) => out.push(n.clone()),
                (Some(n), false) => {
                    out.push(n.clone());
                    out.push(e.clone());
                }
                (None, _) => {}
            }
        } else {
            out.push(e.clone());
        }
    }
    if at == entries.len() {
        if let Some(n) = &new {
            out.push(n.clone());
        }
    }
    out
}

#[inline(never)]
fn pair(a: Entry, ha: u64, b: Entry, hb: u64, shift: u32) -> Rc<Node> {
    let (sa, sb) = (slot(ha, shift), slot(hb, shift));
    let mut entries = Vec::with_capacity(2); // site: entries_pair
    if sa == sb {
        entries.push(Entry::Sub(pair(a, ha, b, hb, shift + 5)));
        return mk(1 << sa, entries);
    }
    if sa < sb {
        entries.push(a);
        entries.push(b);
    } else {
        entries.push(b);
        entries.push(a);
    }
    mk((1 << sa) | (1 << sb), entries)
}

// Returns the new node and whether a key was added.
fn insert(node: &Rc<Node>, key: &Rc<str>, h: u64, val: u64, shift: u32) -> (Rc<Node>, bool) {
    let bit = slot(h, shift);
    let at = pos(node.bitmap, bit);
    if node.bitmap & (1 << bit) == 0 {
        let entries = copy_with(&node.entries, at, Some(Entry::Leaf(Rc::clone(key), val)), false);
        return (mk(node.bitmap | (1 << bit), entries), true);
    }
    let (replacement, added) = match &node.entries[at] {
        Entry::Leaf(k, _) if **k == **key => (Entry::Leaf(Rc::clone(key), val), false),
        Entry::Leaf(k, v) => {
            let sub = pair(Entry::Leaf(Rc::clone(k), *v), hash(k), Entry::Leaf(Rc::clone(key), val), h, shift + 5);
            (Entry::Sub(sub), true)
        }
        Entry::Sub(child) => {
            let (c, added) = insert(child, key, h, val, shift + 5);
            (Entry::Sub(c), added)
        }
    };
    (mk(node.bitmap, copy_with(&node.entries, at, Some(replacement), true)), added)
}

enum Removed {
    NotFound,
    Gone,
    Replace(Entry),
}

fn remove(node: &Rc<Node>, key: &str, h: u64, shift: u32) -> Removed {
    let bit = slot(h, shift);
    if node.bitmap & (1 << bit) == 0 {
        return Removed::NotFound;
    }
    let at = pos(node.bitmap, bit);
    let outcome = match &node.entries[at] {
        Entry::Leaf(k, _) if &**k == key => Removed::Gone,
        Entry::Leaf(..) => Removed::NotFound,
        Entry::Sub(child) => remove(child, key, h, shift + 5),
    };
    match outcome {
        Removed::NotFound => Removed::NotFound,
        Removed::Gone => {
            if node.entries.len() == 2 && shift > 0 {
                if let Entry::Leaf(..) = &node.entries[1 - at] {
                    return Removed::Replace(node.entries[1 - at].clone());
                }
            }
            if node.entries.len() == 1 && shift > 0 {
                return Removed::Gone;
            }
            Removed::Replace(Entry::Sub(mk(node.bitmap & !(1 << bit), copy_with(&node.entries, at, None, false))))
        }
        Removed::Replace(e) => {
            if node.entries.len() == 1 && shift > 0 {
                if let Entry::Leaf(..) = e {
                    return Removed::Replace(e);
                }
            }
            Removed::Replace(Entry::Sub(mk(node.bitmap, copy_with(&node.entries, at, Some(e), true))))
        }
    }
}

fn get(node: &Node, key: &str, h: u64, shift: u32) -> Option<u64> {
    let bit = slot(h, shift);
    if node.bitmap & (1 << bit) == 0 {
        return None;
    }
    match &node.entries[pos(node.bitmap, bit)] {
        Entry::Leaf(k, v) if &**k == key => Some(*v),
        Entry::Leaf(..) => None,
        Entry::Sub(child) => get(child, key, h, shift + 5),
    }
}

impl Hamt {
    fn with(&self, key: &Rc<str>, val: u64) -> Hamt {
        let (root, added) = insert(&self.root, key, hash(key), val, 0);
        Hamt { root, len: self.len + added as usize }
    }
    fn without(&self, key: &str) -> Hamt {
        match remove(&self.root, key, hash(key), 0) {
            Removed::NotFound => self.clone(),
            Removed::Replace(Entry::Sub(root)) => Hamt { root, len: self.len - 1 },
            // The root (shift 0) always answers with a copied node.
            Removed::Gone | Removed::Replace(Entry::Leaf(..)) => unreachable!(),
        }
    }
}

fn main() {
    let mut history: Vec<Hamt> = Vec::with_capacity(33); // site: history
    history.push(Hamt { root: mk(0, Vec::new()), len: 0 });
    let mut seed: u64 = 0x5eed;
    let (mut found, mut sum, mut removes) = (0u64, 0u64, 0u64);
    for step in 0..6000u64 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = seed >> 33;
        let cur = history.last().unwrap().clone();
        let id = (r >> 4) % 1500;
        let next = match r % 8 {
            0..=3 => {
                let text = format!("user/{}/profile", id);
                let key: Rc<str> = Rc::from(text.as_str()); // site: key
                Some(cur.with(&key, step))
            }
            4 | 5 => {
                removes += 1;
                Some(cur.without(&format!("user/{}/profile", id)))
            }
            _ => {
                let v = &history[(r >> 12) as usize % history.len()];
                if let Some(x) = get(&v.root, &format!("user/{}/profile", id), hash(&format!("user/{}/profile", id)), 0) {
                    found += 1;
                    sum += x % 1000;
                }
                None
            }
        };
        if let Some(n) = next {
            if history.len() == 33 {
                history.remove(0);
            }
            history.push(n);
        }
    }
    let last = history.last().unwrap();
    println!("{} {} {} {} {}", last.len, history.len(), removes, found, sum);
    drop(history);
}
