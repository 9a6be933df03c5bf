// Stock-ticker index on an AVL tree of Option<Box<Node>>: a boxed tree record owns the
// root; nodes own their two children and a symbol String. Inserts and removals
// rebalance by single and double rotations (boxes relinked with take(), never
// reallocated); removing a node with two children takes its in-order successor's box
// out of the right subtree, swaps the successor's symbol into the node and drops the
// successor box (with the removed symbol). No scan.
use std::cmp::Ordering;
use std::fmt::Write;

struct Node {
    symbol: String,
    price: u32,
    height: i32,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

struct Tree {
    root: Option<Box<Node>>,
    len: usize,
    rotations: usize,
}

fn h(n: &Option<Box<Node>>) -> i32 {
    n.as_ref().map_or(0, |b| b.height)
}

fn fix(n: &mut Box<Node>) {
    n.height = 1 + h(&n.left).max(h(&n.right));
}

fn rotate_right(mut n: Box<Node>) -> Box<Node> {
    let mut l = n.left.take().unwrap();
    n.left = l.right.take();
    fix(&mut n);
    l.right = Some(n);
    fix(&mut l);
    l
}

fn rotate_left(mut n: Box<Node>) -> Box<Node> {
    let mut r = n.right.take().unwrap();
    n.right = r.left.take();
    fix(&mut n);
    r.left = Some(n);
    fix(&mut r);
    r
}

fn balance(mut n: Box<Node>, rot: &mut usize) -> Box<Node> {
    fix(&mut n);
    let bf = h(&n.left) - h(&n.right);
    if bf > 1 {
        if h(&n.left.as_ref().unwrap().left) < h(&n.left.as_ref().unwrap().right) {
            n.left = Some(rotate_left(n.left.take().unwrap()));
            *rot += 1;
        }
        *rot += 1;
        return rotate_right(n);
    }
    if bf < -1 {
        if h(&n.right.as_ref().unwrap().right) < h(&n.right.as_ref().unwrap().left) {
            n.right = Some(rotate_right(n.right.take().unwrap()));
            *rot += 1;
        }
        *rot += 1;
        return rotate_left(n);
    }
    n
}

fn make_node(sym: &str, price: u32) -> Box<Node> {
    let mut symbol = String::with_capacity(24); // site: symbol
    symbol.push_str(sym);
    Box::new(Node { symbol, price, height: 1, left: None, right: None }) // site: node
}

fn insert(n: Option<Box<Node>>, sym: &str, price: u32, t: &mut (usize, usize)) -> Box<Node> {
    match n {
        None => {
            t.0 += 1;
            make_node(sym, price)
        }
        Some(mut b) => {
            match sym.cmp(b.symbol.as_str()) {
                Ordering::Less => b.left = Some(insert(b.left.take(), sym, price, t)),
                Ordering::Greater => b.right = Some(insert(b.right.take(), sym, price, t)),
                Ordering::Equal => {
                    b.price = price;
                    return b;
                }
            }
            balance(b, &mut t.1)
        }
    }
}

fn take_min(mut n: Box<Node>, rot: &mut usize) -> (Option<Box<Node>>, Box<Node>) {
    match n.left.take() {
        None => (n.right.take(), n),
        Some(l) => {
            let (rest, min) = take_min(l, rot);
            n.left = rest;
            (Some(balance(n, rot)), min)
        }
    }
}

fn remove(n: Option<Box<Node>>, sym: &str, t: &mut (usize, usize)) -> Option<Box<Node>> {
    let mut b = n?;
    match sym.cmp(b.symbol.as_str()) {
        Ordering::Less => b.left = remove(b.left.take(), sym, t),
        Ordering::Greater => b.right = remove(b.right.take(), sym, t),
        Ordering::Equal => {
            t.0 -= 1;
            match (b.left.take(), b.right.take()) {
                (None, None) => return None,
                (Some(l), None) => return Some(l),
                (None, Some(r)) => return Some(r),
                (Some(l), Some(r)) => {
                    let (rest, mut succ) = take_min(r, &mut t.1);
                    std::mem::swap(&mut b.symbol, &mut succ.symbol);
                    b.price = succ.price;
                    b.left = Some(l);
                    b.right = rest;
                    drop(succ);
                }
            }
        }
    }
    Some(balance(b, &mut t.1))
}

fn check(n: &Option<Box<Node>>) -> Option<(i32, usize)> {
    match n {
        None => Some((0, 0)),
        Some(b) => {
            let (lh, lc) = check(&b.left)?;
            let (rh, rc) = check(&b.right)?;
            if (lh - rh).abs() > 1 || b.height != 1 + lh.max(rh) {
                return None;
            }
            Some((b.height, lc + rc + 1))
        }
    }
}

fn main() {
    let mut tree = Box::new(Tree { root: None, len: 0, rotations: 0 }); // site: tree
    let mut sym = String::new();
    for i in 0..1200u32 {
        sym.clear();
        let k = (i * 577) % 900;
        write!(sym, "{}{}{}-{}", (b'A' + (k % 26) as u8) as char, (b'A' + (k / 26 % 26) as u8) as char, (b'K' + (k % 7) as u8) as char, k % 3).unwrap();
        let mut t = (tree.len, tree.rotations);
        tree.root = Some(insert(tree.root.take(), &sym, i * 3 % 1000, &mut t));
        tree.len = t.0;
        tree.rotations = t.1;
    }
    let after_insert = tree.len;
    for i in 0..700u32 {
        sym.clear();
        let k = (i * 311) % 900;
        write!(sym, "{}{}{}-{}", (b'A' + (k % 26) as u8) as char, (b'A' + (k / 26 % 26) as u8) as char, (b'K' + (k % 7) as u8) as char, k % 3).unwrap();
        let mut t = (tree.len, tree.rotations);
        tree.root = remove(tree.root.take(), &sym, &mut t);
        tree.len = t.0;
        tree.rotations = t.1;
    }
    let ok = check(&tree.root).map_or(false, |(_, c)| c == tree.len);
    println!("{} symbols, {} after removals, height {}, {} rotations, valid {}", after_insert, tree.len, h(&tree.root), tree.rotations, ok);
}
