// A graph stored in an index arena, the usual Rust way to avoid pointer cycles: a boxed
// Arena holds a Vec<Node> (nodes inline, grown by reallocation) and a free list of
// vacant slot indices (a Vec<u32> with room for every slot, never grown). A node's edges
// are a Vec<u32> of target indices (room for two, grown by reallocation) and its payload
// is an Option<Box<Payload>> owning a label String. Nodes refer to each other only by
// index and generation, never by pointer. Mid-way nodes are removed (payload dropped,
// edges cleared, slot pushed on the free list; edges to stale generations are skipped),
// and new nodes reuse vacant slots (the old node value, with its edge buffer, is dropped
// when the slot is overwritten). A breadth-first search runs from several roots. No scan.
use std::collections::VecDeque;
use std::fmt::Write;

const MAX_NODES: usize = 3000;

struct Payload {
    label: String,
    weight: u64,
}

struct Node {
    generation: u32,
    edges: Vec<u32>,
    edge_gens: Vec<u32>,
    payload: Option<Box<Payload>>,
}

struct Arena {
    nodes: Vec<Node>,
    free: Vec<u32>,
    live: usize,
}

#[inline(never)]
fn make_payload(id: usize) -> Box<Payload> {
    let mut label = String::with_capacity(32); // site: label
    write!(label, "vertex-{}-{}", id, id % 13).unwrap();
    Box::new(Payload { label, weight: (id as u64 * 2654435761) % 1000 }) // site: payload
}

impl Arena {
    #[inline(never)]
    fn insert(&mut self, id: usize) -> u32 {
        let edges = Vec::with_capacity(2); // site: edges
        let edge_gens = Vec::with_capacity(2); // site: edge_gens
        let payload = Some(make_payload(id));
        self.live += 1;
        if let Some(slot) = self.free.pop() {
            let generation = self.nodes[slot as usize].generation + 1;
            self.nodes[slot as usize] = Node { generation, edges, edge_gens, payload };
            slot
        } else {
            self.nodes.push(Node { generation: 0, edges, edge_gens, payload }); // site: nodes_grown
            (self.nodes.len() - 1) as u32
        }
    }

    #[inline(never)]
    fn connect(&mut self, from: u32, to: u32) {
        let generation = self.nodes[to as usize].generation;
        let node = &mut self.nodes[from as usize];
        node.edges.push(to); // site: edges_grown
        node.edge_gens.push(generation); // site: edge_gens_grown
    }

    #[inline(never)]
    fn remove(&mut self, index: u32) {
        let node = &mut self.nodes[index as usize];
        if node.payload.is_none() {
            return;
        }
        node.payload = None;
        node.edges.clear();
        node.edge_gens.clear();
        self.free.push(index);
        self.live -= 1;
    }

    fn alive(&self, index: u32, generation: u32) -> bool {
        let node = &self.nodes[index as usize];
        node.payload.is_some() && node.generation == generation
    }

    #[inline(never)]
    fn bfs(&self, root: u32) -> u64 {
        if self.nodes[root as usize].payload.is_none() {
            return 0;
        }
        let mut seen = vec![false; self.nodes.len()]; // site: seen
        let mut queue = VecDeque::with_capacity(self.nodes.len()); // site: queue
        queue.push_back(root);
        seen[root as usize] = true;
        let mut total = 0;
        while let Some(i) = queue.pop_front() {
            let node = &self.nodes[i as usize];
            total += node.payload.as_ref().map_or(0, |p| p.weight + p.label.len() as u64);
            for (k, &next) in node.edges.iter().enumerate() {
                if self.alive(next, node.edge_gens[k]) && !seen[next as usize] {
                    seen[next as usize] = true;
                    queue.push_back(next);
                }
            }
        }
        total
    }
}

fn main() {
    let nodes = Vec::with_capacity(64); // site: nodes
    let free = Vec::with_capacity(MAX_NODES); // site: free_list
    let mut arena = Box::new(Arena { nodes, free, live: 0 }); // site: arena
    let mut seed: u64 = 17;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut id = 0;
    let mut report = 0u64;
    for round in 0..5 {
        for _ in 0..500 {
            arena.insert(id);
            id += 1;
        }
        let n = arena.nodes.len();
        for _ in 0..1500 {
            let (a, b) = (next() % n, next() % n);
            if arena.nodes[a].payload.is_some() && arena.nodes[b].payload.is_some() {
                arena.connect(a as u32, b as u32);
            }
        }
        for r in 0..4 {
            report += arena.bfs(((r * 97 + round * 31) % n) as u32);
        }
        for _ in 0..300 {
            arena.remove((next() % n) as u32);
        }
    }
    let edges: usize = arena.nodes.iter().map(|n| n.edges.len()).sum();
    println!("{} {} {} {} {}", arena.nodes.len(), arena.live, arena.free.len(), edges, report);
    drop(arena);
}
