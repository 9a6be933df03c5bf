// A compiler front end's identifier interner in Rust: a boxed Interner keeps a
// `HashSet<Rc<str>>` (fixed-key hasher) of every distinct identifier and a Vec of the
// language's keywords (also interned, so never purged). Lexing a file produces a token
// buffer (a Vec of tokens, each naming its identifier by a clone of the interned
// `Rc<str>`; the buffer starts with room for 64 tokens and grows by reallocation). Files
// are opened into a Vec of token buffers (room for six) and closed mid-way; a purge drops
// from the set every identifier no token holds any more. At the end the interner is
// dropped first, so identifiers still named by open files are freed when those buffers
// go. An identifier is thus freed by the set (purge), by its last token buffer, or by the
// keyword list. No scan.
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::io::Write;
use std::rc::Rc;

struct Interner {
    set: HashSet<Rc<str>, BuildHasherDefault<DefaultHasher>>,
    keywords: Vec<Rc<str>>,
    hits: u64,
    misses: u64,
}

impl Interner {
    #[inline(never)]
    fn intern(&mut self, s: &str) -> Rc<str> {
        if let Some(sym) = self.set.get(s) {
            self.hits += 1;
            return Rc::clone(sym);
        }
        self.misses += 1;
        let sym: Rc<str> = Rc::from(s); // site: sym
        self.set.insert(Rc::clone(&sym)); // site: set_table
        sym
    }

    #[inline(never)]
    fn purge(&mut self) -> usize {
        let before = self.set.len();
        self.set.retain(|s| Rc::strong_count(s) > 1);
        before - self.set.len()
    }
}

struct Token {
    sym: Rc<str>,
    line: u32,
    col: u32,
}

const KEYWORDS: [&str; 10] = ["fn", "let", "mut", "if", "else", "while", "return", "struct", "impl", "match"];
const STEMS: [&str; 8] = ["count", "buffer", "index", "node", "parent", "offset", "length", "scratch_value"];

#[inline(never)]
fn lex_file(interner: &mut Interner, file: u64) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(64); // site: tokens
    let mut seed = file.wrapping_mul(2654435761).wrapping_add(99);
    let mut text = [0u8; 48];
    let n = 80 + (file % 7) * 40;
    for i in 0..n {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = seed >> 33;
        let sym = if r % 4 == 0 {
            Rc::clone(&interner.keywords[(r >> 3) as usize % KEYWORDS.len()])
        } else {
            let mut cur = std::io::Cursor::new(&mut text[..]);
            write!(cur, "{}_{}", STEMS[(r >> 3) as usize % STEMS.len()], (r >> 8) % (20 + file * 3)).unwrap();
            let len = cur.position() as usize;
            interner.intern(std::str::from_utf8(&text[..len]).unwrap())
        };
        tokens.push(Token { sym, line: (i / 9) as u32 + 1, col: (i % 9) as u32 * 4 }); // site: tokens_grown
    }
    tokens
}

fn main() {
    let keywords = Vec::with_capacity(16); // site: keywords
    let mut interner = Box::new(Interner { set: HashSet::default(), keywords, hits: 0, misses: 0 }); // site: interner
    for kw in KEYWORDS {
        let sym = interner.intern(kw);
        interner.keywords.push(sym);
    }
    let mut buffers: Vec<Vec<Token>> = Vec::with_capacity(6); // site: buffers
    let mut purged = 0;
    let mut closed = 0;
    let mut checksum = 0u64;
    for file in 0..60u64 {
        if buffers.len() == buffers.capacity() {
            let victim = (file as usize * 7) % buffers.len();
            let gone = buffers.remove(victim);
            checksum += gone.iter().map(|t| t.sym.len() as u64 + t.line as u64 + t.col as u64).sum::<u64>();
            drop(gone);
            closed += 1;
        }
        buffers.push(lex_file(&mut interner, file));
        if file % 10 == 9 {
            purged += interner.purge();
        }
    }
    let live = interner.set.len();
    let shared = interner.set.iter().filter(|s| Rc::strong_count(s) > 2).count();
    println!("{} {} {} {} {} {} {}", live, shared, purged, closed, interner.hits, interner.misses, checksum);
    drop(interner);
    let open: usize = buffers.iter().map(|b| b.len()).sum();
    println!("{}", open);
    drop(buffers);
}
