// Rust ordered symbol table as an unbalanced binary search tree of
// Option<Box<Node>>. A boxed tree owns the root; each node owns its two children and its
// name String. Removal of a node with two children moves the in-order successor's key
// and name into it (the successor's box is unlinked and dropped, the removed node's old
// name dropped by the assignment); a node with one child is replaced by that child.
// Some lookups rename a node. The whole tree is dropped at the end. No scan.

struct Node {
    key: u32,
    name: String,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

struct Tree {
    root: Option<Box<Node>>,
    len: usize,
    renames: u32,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

fn insert(slot: &mut Option<Box<Node>>, key: u32) -> bool {
    match slot {
        None => {
            let name = format!("symbol-{:05}-in-the-box-tree", key); // site: name
            *slot = Some(Box::new(Node { key, name, left: None, right: None })); // site: node
            true
        }
        Some(n) => {
            if key < n.key {
                insert(&mut n.left, key)
            } else if key > n.key {
                insert(&mut n.right, key)
            } else {
                false
            }
        }
    }
}

fn take_min(slot: &mut Option<Box<Node>>) -> (u32, String) {
    if slot.as_ref().unwrap().left.is_some() {
        return take_min(&mut slot.as_mut().unwrap().left);
    }
    let mut b = slot.take().unwrap();
    *slot = b.right.take();
    (b.key, std::mem::take(&mut b.name))
}

fn remove(slot: &mut Option<Box<Node>>, key: u32) -> bool {
    let ord = match slot {
        None => return false,
        Some(n) => key.cmp(&n.key),
    };
    match ord {
        std::cmp::Ordering::Less => remove(&mut slot.as_mut().unwrap().left, key),
        std::cmp::Ordering::Greater => remove(&mut slot.as_mut().unwrap().right, key),
        std::cmp::Ordering::Equal => {
            let n = slot.as_mut().unwrap();
            match (n.left.is_some(), n.right.is_some()) {
                (true, true) => {
                    let (k, name) = take_min(&mut n.right);
                    n.key = k;
                    n.name = name;
                }
                (true, false) => {
                    let child = n.left.take();
                    *slot = child;
                }
                (false, true) => {
                    let child = n.right.take();
                    *slot = child;
                }
                (false, false) => *slot = None,
            }
            true
        }
    }
}

fn find(mut cur: Option<&mut Box<Node>>, key: u32) -> Option<&mut Box<Node>> {
    while let Some(n) = cur {
        if key == n.key {
            return Some(n);
        }
        cur = if key < n.key { n.left.as_mut() } else { n.right.as_mut() };
    }
    None
}

fn walk(n: &Option<Box<Node>>, depth: u32, acc: &mut (u64, u32)) {
    if let Some(n) = n {
        walk(&n.left, depth + 1, acc);
        acc.0 = acc.0.wrapping_mul(31).wrapping_add(n.key as u64 + n.name.len() as u64);
        if depth > acc.1 {
            acc.1 = depth;
        }
        walk(&n.right, depth + 1, acc);
    }
}

fn main() {
    let mut rng = Rng(97531);
    let mut tree = Box::new(Tree { root: None, len: 0, renames: 0 }); // site: tree
    for step in 0..8000u32 {
        let key = rng.next() % 2000;
        match rng.next() % 10 {
            0..=4 => {
                if insert(&mut tree.root, key) {
                    tree.len += 1;
                }
            }
            5..=7 => {
                if remove(&mut tree.root, key) {
                    tree.len -= 1;
                }
            }
            _ => {
                let r = tree.renames;
                if let Some(n) = find(tree.root.as_mut(), key) {
                    n.name = format!("renamed-{:05}-after-{}", key, r); // site: rename
                    tree.renames += 1;
                }
            }
        }
        if step % 2000 == 1999 {
            let mut acc = (0u64, 0u32);
            walk(&tree.root, 1, &mut acc);
            println!("step {}: {} nodes, depth {}, checksum {}", step + 1, tree.len, acc.1, acc.0 % 1000003);
        }
    }
    println!("renames {}", tree.renames);
    drop(tree);
}
