// A Huffman codec in Rust with a tree of `Box` nodes. For each of 40 messages: symbol
// frequencies are counted, a boxed leaf is made for every symbol present and pushed onto
// a `BinaryHeap` (room for 256, never grown); the two lightest trees are popped and
// joined under a new boxed internal node, pushed back, until one tree is left, which
// becomes the root of a boxed codec (held in an `Option`). A code table (a Vec of 256
// code Vecs, each exactly as long as its code) is built by walking the tree; the message
// is encoded into a bit Vec (room for half a bit per byte, grown by realloc as bits are
// pushed) and decoded by walking the tree again. The tree is then torn down
// iteratively: the root is taken out of the Option and pushed onto a work stack (a Vec,
// room for 64), each internal node is unboxed (freeing its box) and its two children
// pushed, each leaf dropped. No scan.
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

enum Node {
    Leaf { sym: u8 },
    Internal { left: Box<Node>, right: Box<Node> },
}

struct Weighted {
    weight: u64,
    order: u64,
    tree: Box<Node>,
}

impl PartialEq for Weighted {
    fn eq(&self, o: &Self) -> bool {
        self.weight == o.weight && self.order == o.order
    }
}
impl Eq for Weighted {}
impl PartialOrd for Weighted {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Weighted {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.weight, self.order).cmp(&(o.weight, o.order))
    }
}

struct Codec {
    root: Option<Box<Node>>,
    codes: Vec<Vec<u8>>,
}

#[inline(never)]
fn build(freq: &[u64; 256]) -> Box<Node> {
    let mut heap = BinaryHeap::with_capacity(256); // site: heap_buf
    let mut order = 0;
    for (s, &f) in freq.iter().enumerate() {
        if f > 0 {
            let leaf = Box::new(Node::Leaf { sym: s as u8 }); // site: leaf
            heap.push(Reverse(Weighted { weight: f, order, tree: leaf }));
            order += 1;
        }
    }
    while heap.len() > 1 {
        let Reverse(a) = heap.pop().unwrap();
        let Reverse(b) = heap.pop().unwrap();
        let joined = Box::new(Node::Internal { left: a.tree, right: b.tree }); // site: internal
        heap.push(Reverse(Weighted { weight: a.weight + b.weight, order, tree: joined }));
        order += 1;
    }
    heap.pop().unwrap().0.tree
}

fn assign(node: &Node, prefix: &mut Vec<u8>, codes: &mut Vec<Vec<u8>>) {
    match node {
        Node::Leaf { sym } => {
            let mut code = Vec::with_capacity(prefix.len()); // site: code
            code.extend_from_slice(prefix);
            codes[*sym as usize] = code;
        }
        Node::Internal { left, right } => {
            prefix.push(0);
            assign(left, prefix, codes);
            prefix.pop();
            prefix.push(1);
            assign(right, prefix, codes);
            prefix.pop();
        }
    }
}

#[inline(never)]
fn teardown(codec: &mut Codec) -> u64 {
    let mut freed = 0;
    let mut stack: Vec<Box<Node>> = Vec::with_capacity(64); // site: teardown_stack
    if let Some(root) = codec.root.take() {
        stack.push(root);
    }
    while let Some(b) = stack.pop() {
        freed += 1;
        match *b {
            Node::Internal { left, right } => {
                stack.push(left);
                stack.push(right);
            }
            Node::Leaf { .. } => {}
        }
    }
    freed
}

fn main() {
    let words = ["the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ", "zebra ", "QUARTZ ", "!?", "42 ", "\n"];
    let mut seed: u64 = 0xC0FFEE;
    let (mut total_bits, mut total_nodes, mut ok) = (0usize, 0u64, 0u32);
    for m in 0..40 {
        let mut msg = Vec::with_capacity(4096);
        while msg.len() < 3000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let w = words[((seed >> 33) % (words.len() as u64 - (m % 5))) as usize];
            msg.extend_from_slice(w.as_bytes());
            if (seed >> 20) % 13 == 0 {
                msg.push(b'a' + ((seed >> 40) % 26) as u8);
            }
        }
        let mut freq = [0u64; 256];
        for &b in &msg {
            freq[b as usize] += 1;
        }
        let root = build(&freq);
        let codes = Vec::with_capacity(256); // site: codes
        let mut codec = Box::new(Codec { root: Some(root), codes }); // site: codec
        codec.codes.resize_with(256, Vec::new);
        let mut prefix = Vec::with_capacity(64);
        assign(codec.root.as_ref().unwrap(), &mut prefix, &mut codec.codes);
        let mut bits: Vec<u8> = Vec::with_capacity(msg.len() / 2); // site: bits
        let mut out = Vec::with_capacity(msg.len());
        for &b in &msg {
            for &bit in &codec.codes[b as usize] {
                bits.push(bit); // site: bits_grown
            }
        }
        let root = codec.root.as_ref().unwrap();
        let mut at: &Node = root;
        for &bit in &bits {
            if let Node::Internal { left, right } = at {
                at = if bit == 0 { left } else { right };
            }
            if let Node::Leaf { sym } = at {
                out.push(*sym);
                at = root;
            }
        }
        ok += (out == msg) as u32;
        total_bits += bits.len();
        drop(bits);
        total_nodes += teardown(&mut codec);
        drop(codec);
    }
    println!("{} {} {}", ok, total_bits, total_nodes);
}
