// A document tree in Rust, the textbook way: nodes are `Rc<RefCell<Node>>`, a node holds
// its children in a Vec of Rc (strong) and its parent as a `Weak` (no cycle of strong
// counts). A node owns its tag (a String). A "selection" (a Vec of Rc, like an editor's
// multi-selection) also holds every node of depth 2 strongly. Some selected nodes are then
// detached from the tree (their parent Weak reset); the selection is dropped in a shuffled
// order, which frees the detached subtrees (their last strong holder); then the root is
// dropped and the rest of the tree is freed by the cascade of children. No scan.
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::{Rc, Weak};

struct Node {
    tag: String,
    parent: Weak<RefCell<Node>>,
    children: Vec<Rc<RefCell<Node>>>,
    depth: usize,
}

type Link = Rc<RefCell<Node>>;

#[inline(never)]
fn node_new(kind: &str, id: usize, depth: usize, fanout: usize, parent: Weak<RefCell<Node>>) -> Link {
    let mut tag = String::with_capacity(kind.len() + 12); // site: tag
    write!(tag, "{}#{}", kind, id).unwrap();
    let children = Vec::with_capacity(fanout); // site: children
    Rc::new(RefCell::new(Node { tag, parent, children, depth })) // site: node
}

fn fanout_of(depth: usize, id: usize) -> usize {
    if depth >= 5 {
        0
    } else {
        2 + (id * 7 + depth) % 4
    }
}

fn build(parent: &Link, counter: &mut usize, selection: &mut Vec<Link>) {
    let (depth, fanout) = {
        let p = parent.borrow();
        (p.depth + 1, p.children.capacity())
    };
    const KINDS: [&str; 5] = ["div", "span", "p", "section", "li"];
    for _ in 0..fanout {
        *counter += 1;
        let id = *counter;
        let child = node_new(KINDS[id % 5], id, depth, fanout_of(depth, id), Rc::downgrade(parent));
        if depth == 2 {
            selection.push(Rc::clone(&child));
        }
        build(&child, counter, selection);
        parent.borrow_mut().children.push(child);
    }
}

fn path_of(node: &Link) -> String {
    let mut parts = vec![node.borrow().tag.clone()];
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        parts.push(p.borrow().tag.clone());
        current = p.borrow().parent.upgrade();
    }
    parts.reverse();
    parts.join("/")
}

fn count(node: &Link) -> usize {
    1 + node.borrow().children.iter().map(count).sum::<usize>()
}

/// Removes `node` from its parent's children and forgets the parent.
fn detach(node: &Link) {
    let parent = node.borrow().parent.upgrade();
    if let Some(parent) = parent {
        let mut p = parent.borrow_mut();
        if let Some(at) = p.children.iter().position(|c| Rc::ptr_eq(c, node)) {
            p.children.swap_remove(at);
        }
    }
    node.borrow_mut().parent = Weak::new();
}

fn main() {
    let mut counter = 0usize;
    let mut selection: Vec<Link> = Vec::with_capacity(256); // site: selection
    let root = node_new("html", 0, 0, 3, Weak::new());
    build(&root, &mut counter, &mut selection);
    let before = count(&root);
    let mut longest = 0;
    for s in selection.iter() {
        longest = longest.max(path_of(&s.borrow().children[0]).len());
    }
    for (i, s) in selection.iter().enumerate() {
        if i % 3 == 0 {
            detach(s);
        }
    }
    let after = count(&root);
    let mut seed: u64 = 11;
    for i in (1..selection.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        selection.swap(i, j);
    }
    while let Some(s) = selection.pop() {
        drop(s);
    }
    drop(selection);
    drop(root);
    println!("{} {} {} {}", counter, before, after, longest);
}
