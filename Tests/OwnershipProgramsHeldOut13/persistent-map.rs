// A persistent (immutable) search tree with path copying: every update makes new
// Rc<Node>s along the path from the root and shares all other subtrees with the
// previous version; values are Rc<str> shared by every copy of their node. A reserved
// Vec<Option<Rc<Node>>> holds the versions: the 8 newest plus every 40th as a
// snapshot; older versions are dropped (set to None), freeing the nodes no other version
// shares. Lookups read old snapshots. No scan.
use std::rc::Rc;

struct Node {
    key: u32,
    val: Rc<str>,
    left: Option<Rc<Node>>,
    right: Option<Rc<Node>>,
}

type Link = Option<Rc<Node>>;

fn mk(key: u32, val: Rc<str>, left: Link, right: Link) -> Rc<Node> {
    Rc::new(Node { key, val, left, right }) // site: node
}

fn insert(n: &Link, key: u32, val: &Rc<str>) -> Rc<Node> {
    match n {
        None => mk(key, Rc::clone(val), None, None),
        Some(n) if key < n.key => mk(n.key, Rc::clone(&n.val), Some(insert(&n.left, key, val)), n.right.clone()),
        Some(n) if key > n.key => mk(n.key, Rc::clone(&n.val), n.left.clone(), Some(insert(&n.right, key, val))),
        Some(n) => mk(key, Rc::clone(val), n.left.clone(), n.right.clone()),
    }
}

fn min_of(n: &Rc<Node>) -> &Rc<Node> {
    match &n.left {
        Some(l) => min_of(l),
        None => n,
    }
}

fn remove(n: &Link, key: u32) -> Link {
    let n = n.as_ref()?;
    if key < n.key {
        Some(mk(n.key, Rc::clone(&n.val), remove(&n.left, key), n.right.clone()))
    } else if key > n.key {
        Some(mk(n.key, Rc::clone(&n.val), n.left.clone(), remove(&n.right, key)))
    } else {
        match (&n.left, &n.right) {
            (None, r) => r.clone(),
            (l, None) => l.clone(),
            (l, Some(r)) => {
                let m = min_of(r);
                Some(mk(m.key, Rc::clone(&m.val), l.clone(), remove(&n.right, m.key)))
            }
        }
    }
}

fn get(n: &Link, key: u32) -> Option<&Rc<str>> {
    let n = n.as_ref()?;
    if key < n.key {
        get(&n.left, key)
    } else if key > n.key {
        get(&n.right, key)
    } else {
        Some(&n.val)
    }
}

fn count(n: &Link) -> usize {
    n.as_ref().map_or(0, |n| 1 + count(&n.left) + count(&n.right))
}

fn main() {
    let mut seed: u64 = 271828;
    let mut rnd = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    const STEPS: usize = 1500;
    let mut versions: Vec<Option<Rc<Node>>> = Vec::with_capacity(STEPS + 1); // site: versions_buf
    versions.push(None);
    let (mut hits, mut bytes) = (0usize, 0usize);
    for step in 0..STEPS {
        let cur = versions.last().unwrap().clone();
        let key = rnd() % 600;
        let next = if rnd() % 4 == 0 {
            remove(&cur, key)
        } else {
            let text = format!("record {} v{} ({})", key, step, if key % 2 == 0 { "even" } else { "odd" });
            let val: Rc<str> = Rc::from(text.as_str()); // site: value
            Some(insert(&cur, key, &val))
        };
        drop(cur);
        versions.push(next);
        let n = versions.len();
        if n > 9 && (n - 9) % 40 != 0 {
            versions[n - 9] = None;
        }
        let snap = &versions[(rnd() as usize % ((n - 1) / 40 + 1)) * 40];
        if let Some(v) = get(snap, rnd() % 600) {
            hits += 1;
            bytes += v.len();
        }
    }
    let live = versions.iter().filter(|v| v.is_some()).count();
    let last = versions.last().unwrap();
    println!("{} versions kept, {} keys in the newest, {} in snapshot 640, {} hits ({} bytes)", live, count(last), count(&versions[640]), hits, bytes);
}
