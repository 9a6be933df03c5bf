// A dependency DAG in Rust built from `Rc<RefCell<Node>>`: a node holds its successors
// strongly (`out`, a Vec<Rc<..>>) and its predecessors weakly (`back`, a Vec<Weak<..>>);
// each node owns its label String. Both buffers start with room for two (`out_buf`,
// `back_buf`) and grow by realloc at the pushes in `link`. The boxed graph holds its
// source nodes in a Vec<Rc<..>> reserved for 256 (never grown). Operations: add a node as
// a new source or under one or two existing nodes, cut an edge (the successor's weak
// entry for that predecessor removed too), move a node from one predecessor to another
// (the Rc moved between the two `out` buffers), add a cross edge between two existing
// nodes (when it makes no cycle), promote a node to a source (a clone pushed onto the
// sources) and drop a source. A node dropped by its last strong holder
// prunes its successors' dead weak entries in its Drop, so no Weak outlives the node it
// names and the block is freed by the strong drop. No scan.
use std::cell::RefCell;
use std::rc::{Rc, Weak};

type NodeRef = Rc<RefCell<Node>>;

struct Node {
    id: u32,
    label: String,
    out: Vec<NodeRef>,
    back: Vec<Weak<RefCell<Node>>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        for c in self.out.iter() {
            c.borrow_mut().back.retain(|w| w.strong_count() > 0);
        }
    }
}

struct Graph {
    sources: Vec<NodeRef>,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[inline(never)]
fn make_node(id: u32) -> NodeRef {
    let label = format!("package-{:04}/build-step-with-long-label", id); // site: label
    let out = Vec::with_capacity(2); // site: out_buf
    let back = Vec::with_capacity(2); // site: back_buf
    Rc::new(RefCell::new(Node { id, label, out, back })) // site: node
}

#[inline(never)]
fn link(p: &NodeRef, c: NodeRef) {
    c.borrow_mut().back.push(Rc::downgrade(p)); // site: back_grown
    p.borrow_mut().out.push(c); // site: out_grown
}

#[inline(never)]
fn unlink(p: &NodeRef, k: usize) -> NodeRef {
    let c = p.borrow_mut().out.swap_remove(k);
    let wp = Rc::downgrade(p);
    c.borrow_mut().back.retain(|w| !w.ptr_eq(&wp));
    c
}

fn reachable(from: &NodeRef, to: &NodeRef) -> bool {
    if Rc::ptr_eq(from, to) {
        return true;
    }
    from.borrow().out.iter().any(|c| reachable(c, to))
}

fn pick(g: &Graph, rng: &mut Rng) -> NodeRef {
    let mut n = g.sources[rng.next() % g.sources.len()].clone();
    for _ in 0..rng.next() % 6 {
        let next = {
            let b = n.borrow();
            if b.out.is_empty() {
                break;
            }
            b.out[rng.next() % b.out.len()].clone()
        };
        n = next;
    }
    n
}

fn has_edge(p: &NodeRef, c: &NodeRef) -> bool {
    p.borrow().out.iter().any(|x| Rc::ptr_eq(x, c))
}

fn checksum(n: &NodeRef, depth: u32) -> u64 {
    let b = n.borrow();
    let mut s = b.id as u64 + b.label.len() as u64 + b.back.len() as u64;
    if depth < 4 {
        for c in b.out.iter() {
            s = (s * 31 + checksum(c, depth + 1)) % 1_000_003;
        }
    }
    s
}

fn main() {
    let sources = Vec::with_capacity(256); // site: sources_buf
    let mut g = Box::new(Graph { sources }); // site: graph
    let mut rng = Rng(4242);
    let mut next_id = 0u32;
    let (mut cuts, mut moves, mut promotions, mut drops, mut cross) = (0, 0, 0, 0, 0);
    let mut sum = 0u64;
    for step in 0..3000 {
        let r = rng.next();
        match r % 10 {
            0..=3 => {
                let n = make_node(next_id);
                next_id += 1;
                if g.sources.len() < 8 || r % 7 == 0 {
                    if g.sources.len() < 256 {
                        g.sources.push(n);
                    }
                } else {
                    let p = pick(&g, &mut rng);
                    link(&p, n.clone());
                    if r % 3 == 0 {
                        let q = pick(&g, &mut rng);
                        if !has_edge(&q, &n) && !reachable(&n, &q) {
                            link(&q, n.clone());
                        }
                    }
                }
            }
            4 | 5 => {
                let p = pick(&g, &mut rng);
                let len = p.borrow().out.len();
                if len > 0 {
                    let c = unlink(&p, rng.next() % len);
                    drop(c);
                    cuts += 1;
                }
            }
            6 | 7 => {
                let p = pick(&g, &mut rng);
                let len = p.borrow().out.len();
                let q = pick(&g, &mut rng);
                if len > 0 {
                    let k = rng.next() % len;
                    let c = p.borrow().out[k].clone();
                    if !Rc::ptr_eq(&p, &q) && !has_edge(&q, &c) && !reachable(&c, &q) {
                        drop(c);
                        let c = unlink(&p, k);
                        link(&q, c);
                        moves += 1;
                    }
                }
            }
            8 if r % 20 >= 10 => {
                let p = pick(&g, &mut rng);
                let c = pick(&g, &mut rng);
                if !Rc::ptr_eq(&p, &c) && !has_edge(&p, &c) && !reachable(&c, &p) {
                    link(&p, c);
                    cross += 1;
                }
            }
            8 => {
                let n = pick(&g, &mut rng);
                if g.sources.len() < 256 && !g.sources.iter().any(|s| Rc::ptr_eq(s, &n)) {
                    g.sources.push(n);
                    promotions += 1;
                }
            }
            _ => {
                if g.sources.len() > 8 {
                    let k = rng.next() % g.sources.len();
                    drop(g.sources.swap_remove(k));
                    drops += 1;
                }
            }
        }
        if step % 100 == 99 {
            for s in g.sources.iter() {
                sum = (sum * 7 + checksum(s, 0)) % 1_000_003;
            }
        }
    }
    println!(
        "nodes={} sources={} cuts={} moves={} promotions={} drops={} cross={} sum={}",
        next_id,
        g.sources.len(),
        cuts,
        moves,
        promotions,
        drops,
        cross,
        sum
    );
    drop(g);
}
