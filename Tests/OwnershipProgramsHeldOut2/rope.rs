// A rope (a binary tree of text chunks) in Rust: a leaf is a boxed enum holding a String
// chunk, an inner node is a boxed enum holding two boxed sub-ropes. Documents are built
// from chunks of generated text, then edited: an insertion splits the leaf it falls in
// (the right half becomes a new String), rebuilding boxes along the path (the old boxes
// are freed as their contents move into new ones). Documents live in a Vec of Box<Rope>;
// a few are closed mid-way, the rest when the Vec is dropped. No scan.

enum Rope {
    Leaf(String),
    Concat { left: Box<Rope>, right: Box<Rope>, length: usize },
}

impl Rope {
    fn len(&self) -> usize {
        match self {
            Rope::Leaf(s) => s.len(),
            Rope::Concat { length, .. } => *length,
        }
    }

    fn depth(&self) -> usize {
        match self {
            Rope::Leaf(_) => 1,
            Rope::Concat { left, right, .. } => 1 + left.depth().max(right.depth()),
        }
    }

    fn write_to(&self, out: &mut String) {
        match self {
            Rope::Leaf(s) => out.push_str(s),
            Rope::Concat { left, right, .. } => {
                left.write_to(out);
                right.write_to(out);
            }
        }
    }
}

#[inline(never)]
fn leaf(text: String) -> Box<Rope> {
    Box::new(Rope::Leaf(text)) // site: leaf
}

#[inline(never)]
fn concat(left: Box<Rope>, right: Box<Rope>) -> Box<Rope> {
    let length = left.len() + right.len();
    Box::new(Rope::Concat { left, right, length }) // site: concat
}

#[inline(never)]
fn chunk(seed: &mut u64, size: usize) -> String {
    let mut text = String::with_capacity(size); // site: chunk
    for _ in 0..size {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let c = ((*seed >> 40) % 30) as u8;
        text.push(if c < 4 { ' ' } else { (b'a' + c - 4) as char });
    }
    text
}

fn build(chunks: &mut Vec<String>) -> Box<Rope> {
    if chunks.len() == 1 {
        return leaf(chunks.pop().unwrap());
    }
    let right = chunks.split_off(chunks.len() / 2);
    let left = build(chunks);
    let mut right = right;
    concat(left, build(&mut right))
}

fn insert(rope: Box<Rope>, at: usize, text: String) -> Box<Rope> {
    match *rope {
        Rope::Leaf(mut s) => {
            if at == 0 {
                concat(leaf(text), leaf(s))
            } else if at >= s.len() {
                concat(leaf(s), leaf(text))
            } else {
                let mut tail = String::with_capacity(s.len() - at); // site: split_tail
                tail.push_str(&s[at..]);
                s.truncate(at);
                concat(concat(leaf(s), leaf(text)), leaf(tail))
            }
        }
        Rope::Concat { left, right, .. } => {
            let left_length = left.len();
            if at <= left_length {
                concat(insert(left, at, text), right)
            } else {
                concat(left, insert(right, at - left_length, text))
            }
        }
    }
}

#[inline(never)]
fn snippet(n: usize) -> String {
    let mut s = String::with_capacity(24); // site: inserted
    s.push_str("[edit ");
    s.push_str(&n.to_string());
    s.push(']');
    s
}

fn main() {
    let mut seed = 99u64;
    let mut documents: Vec<Box<Rope>> = Vec::with_capacity(12); // site: documents
    for d in 0..12 {
        let mut chunks: Vec<String> = (0..20 + d * 5).map(|i| chunk(&mut seed, 40 + (i * 13) % 90)).collect();
        documents.push(build(&mut chunks));
    }
    for n in 0..600 {
        let d = n * 7 % documents.len();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let at = (seed >> 33) as usize % (documents[d].len() + 1);
        let rope = documents.swap_remove(d);
        documents.push(insert(rope, at, snippet(n)));
        if n == 300 || n == 450 {
            let closed = documents.remove(n % documents.len());
            drop(closed);
        }
    }
    let mut out = String::new();
    let mut deepest = 0;
    for doc in documents.iter() {
        out.clear();
        doc.write_to(&mut out);
        deepest = deepest.max(doc.depth());
    }
    println!("{} {} {}", documents.len(), out.len(), deepest);
    drop(documents);
}
