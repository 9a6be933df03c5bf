// A word index on a radix (Patricia) tree over the letters a to h: every node is a Box
// with a Box<str> edge label, an optional count and a Vec<Box<Node>> of children
// reserved for 8 (one per letter: never grown). Inserting into the middle of a label
// splits the node: a new child takes the label's rest, the value and (by swap) the
// children; the node's label is cut. Removing a word prunes a childless node and merges
// a node left with one child and no value into that child's label. No scan.
struct Node {
    label: Box<str>,
    value: Option<u32>,
    kids: Vec<Box<Node>>,
}

fn new_node(label: &str, value: Option<u32>) -> Box<Node> {
    let label: Box<str> = label.into(); // site: label
    let kids = Vec::with_capacity(8); // site: kids
    Box::new(Node { label, value, kids }) // site: node
}

fn common(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn insert(n: &mut Node, word: &str) {
    let k = common(&n.label, word);
    if k < n.label.len() {
        let mut child = new_node(&n.label[k..], n.value.take());
        std::mem::swap(&mut child.kids, &mut n.kids);
        let cut: Box<str> = n.label[..k].into(); // site: label_cut
        n.label = cut;
        n.kids.push(child);
    }
    let rest = &word[k..];
    if rest.is_empty() {
        *n.value.get_or_insert(0) += 1;
        return;
    }
    match n.kids.iter_mut().find(|c| c.label.as_bytes()[0] == rest.as_bytes()[0]) {
        Some(c) => insert(c, rest),
        None => n.kids.push(new_node(rest, Some(1))),
    }
}

fn merge_with_child(n: &mut Node) {
    let mut child = n.kids.pop().unwrap();
    let mut joined = String::with_capacity(n.label.len() + child.label.len()); // site: label_joined
    joined.push_str(&n.label);
    joined.push_str(&child.label);
    n.label = joined.into_boxed_str();
    n.value = child.value.take();
    std::mem::swap(&mut n.kids, &mut child.kids);
}

// Returns true when the caller should drop this node.
fn remove(n: &mut Node, word: &str, is_root: bool) -> bool {
    if !word.starts_with(&*n.label) {
        return false;
    }
    let rest = &word[n.label.len()..];
    if rest.is_empty() {
        if n.value.take().is_none() {
            return false;
        }
    } else if let Some(i) = n.kids.iter().position(|c| c.label.as_bytes()[0] == rest.as_bytes()[0]) {
        if remove(&mut n.kids[i], rest, false) {
            n.kids.remove(i);
        }
    } else {
        return false;
    }
    if is_root || n.value.is_some() {
        return false;
    }
    match n.kids.len() {
        0 => true,
        1 => {
            merge_with_child(n);
            false
        }
        _ => false,
    }
}

fn find(n: &Node, word: &str) -> Option<u32> {
    let rest = word.strip_prefix(&*n.label)?;
    if rest.is_empty() {
        return n.value;
    }
    n.kids.iter().find(|c| c.label.as_bytes()[0] == rest.as_bytes()[0]).and_then(|c| find(c, rest))
}

fn stats(n: &Node) -> (usize, usize, usize) {
    n.kids.iter().fold((1, n.value.is_some() as usize, n.label.len()), |(a, b, c), k| {
        let (x, y, z) = stats(k);
        (a + x, b + y, c + z)
    })
}

fn main() {
    let mut seed: u64 = 1618;
    let mut rnd = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    let mut root = new_node("", None);
    let mut word = String::with_capacity(16);
    let (mut found, mut total) = (0u32, 0u32);
    for step in 0..6000 {
        word.clear();
        let len = 2 + rnd() % 5;
        for _ in 0..len {
            word.push((b'a' + (rnd() % 8) as u8) as char);
        }
        match rnd() % 10 {
            0..=4 if step < 4500 => insert(&mut root, &word),
            0..=6 => {
                remove(&mut root, &word, true);
            }
            _ => {
                if let Some(c) = find(&root, &word) {
                    found += 1;
                    total += c;
                }
            }
        }
    }
    let (nodes, words, label_bytes) = stats(&root);
    println!("{} nodes, {} words, {} label bytes, {} found ({} total count)", nodes, words, label_bytes, found, total);
}
