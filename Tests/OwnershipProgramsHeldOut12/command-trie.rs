// Rust command-completion trie: a boxed root Node; every node keeps its children in a
// HashMap<u8, Box<Node>> (the table allocated by the first insert and replaced by a
// larger one as it grows; never shrunk) and, at the end of a word, an owned String copy
// of the whole command. Removing a word drops its String and prunes child boxes left
// without children or word on the way back up (HashMap::remove drops the Box). Lookups
// count completions under a prefix. No scan.
use std::collections::HashMap;

#[derive(Default)]
struct Node {
    children: HashMap<u8, Box<Node>>,
    word: Option<String>,
    uses: u32,
}

impl Node {
    fn insert(&mut self, w: &str, i: usize) -> bool {
        if i == w.len() {
            if self.word.is_some() {
                self.uses += 1;
                return false;
            }
            self.word = Some(w.to_string()); // site: word
            self.uses = 1;
            return true;
        }
        let c = w.as_bytes()[i];
        if !self.children.contains_key(&c) {
            let child = Box::new(Node::default()); // site: node
            self.children.insert(c, child); // site: table
        }
        self.children.get_mut(&c).unwrap().insert(w, i + 1)
    }

    fn remove(&mut self, w: &str, i: usize) -> bool {
        if i == w.len() {
            return self.word.take().is_some();
        }
        let c = w.as_bytes()[i];
        let (gone, prune) = match self.children.get_mut(&c) {
            None => return false,
            Some(child) => {
                let gone = child.remove(w, i + 1);
                (gone, child.word.is_none() && child.children.is_empty())
            }
        };
        if prune {
            self.children.remove(&c);
        }
        gone
    }

    fn count(&self) -> usize {
        self.word.is_some() as usize + self.children.values().map(|c| c.count()).sum::<usize>()
    }

    fn find(&self, p: &str) -> Option<&Node> {
        let mut n = self;
        for c in p.bytes() {
            n = n.children.get(&c)?;
        }
        Some(n)
    }

    fn nodes(&self) -> usize {
        1 + self.children.values().map(|c| c.nodes()).sum::<usize>()
    }
}

fn main() {
    let verbs = ["git", "get", "grep", "gzip", "make", "mkdir", "mount", "mv", "cargo", "cat", "cd", "chmod"];
    let subs = ["", "-all", "-status", "-commit", "-push", "-pull", "-log", "-diff"];
    let mut root = Box::new(Node::default()); // site: root
    let mut x: u64 = 4711;
    let (mut added, mut removed) = (0, 0);
    for step in 0..4000u32 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as usize;
        let w = format!("{}{}{}", verbs[r % 12], subs[(r >> 5) % 8], (r >> 9) % 30);
        if (r >> 20) % 3 == 0 {
            removed += root.remove(&w, 0) as u32;
        } else {
            added += root.insert(&w, 0) as u32;
        }
        if step % 1000 == 999 {
            let under_g = root.find("g").map_or(0, |n| n.count());
            let under_mk = root.find("mk").map_or(0, |n| n.count());
            println!("step {}: {} words, {} nodes, {} added, {} removed, {} under g, {} under mk",
                     step + 1, root.count(), root.nodes(), added, removed, under_g, under_mk);
        }
    }
    drop(root);
}
