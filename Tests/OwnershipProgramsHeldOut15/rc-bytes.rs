// Message framing over shared receive chunks, in the style of the `bytes` crate: each
// 256-byte receive chunk is an Rc<Vec<u8>> (the Rc block holds the Vec, which owns the
// data buffer). A boxed parser holds the chunk it is reading from and a reserved inbox
// of boxed messages; each message owns a reserved Vec of frames (an Rc clone of a chunk
// plus an offset and length, spanning chunk boundaries) and a tag String. When the
// inbox reaches 48 messages the 16 oldest are consumed; a chunk is freed when its last
// frame and the parser have let go of it. No scan.
use std::fmt::Write;
use std::rc::Rc;

struct Frame {
    buf: Rc<Vec<u8>>,
    start: usize,
    len: usize,
}

struct Message {
    id: u32,
    frames: Vec<Frame>,
    tag: String,
}

struct Parser {
    current: Rc<Vec<u8>>,
    pos: usize,
    seed: u32,
    chunks: u32,
    inbox: Vec<Box<Message>>,
}

fn new_chunk(seed: &mut u32) -> Rc<Vec<u8>> {
    let mut data = Vec::with_capacity(256); // site: chunk_data
    for _ in 0..256 {
        *seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
        data.push((*seed >> 24) as u8);
    }
    Rc::new(data) // site: chunk
}

fn read_message(p: &mut Parser, id: u32, mut want: usize) {
    let mut frames = Vec::with_capacity(4); // site: frames
    while want > 0 {
        if p.pos == p.current.len() {
            p.current = new_chunk(&mut p.seed);
            p.chunks += 1;
            p.pos = 0;
        }
        let take = (p.current.len() - p.pos).min(want);
        frames.push(Frame { buf: Rc::clone(&p.current), start: p.pos, len: take });
        p.pos += take;
        want -= take;
    }
    let mut tag = String::with_capacity(24); // site: tag
    write!(tag, "msg-{:04}-parts{}", id, frames.len()).unwrap();
    let m = Box::new(Message { id, frames, tag }); // site: msg
    p.inbox.push(m);
}

fn consume(m: Box<Message>) -> u64 {
    let mut h = m.id as u64 + m.tag.len() as u64;
    for f in &m.frames {
        for &b in &f.buf[f.start..f.start + f.len] {
            h = (h * 131 + b as u64) % 1_000_000_007;
        }
    }
    h
}

fn main() {
    let mut seed = 4242u32;
    let inbox = Vec::with_capacity(64); // site: inbox
    let first = new_chunk(&mut seed);
    let mut p = Box::new(Parser { current: first, pos: 0, seed, chunks: 1, inbox }); // site: parser
    let mut sum = 0u64;
    let mut most_holders = 0usize;
    for id in 0..150u32 {
        read_message(&mut p, id, 30 + (id as usize * 53) % 280);
        most_holders = most_holders.max(Rc::strong_count(&p.current));
        if p.inbox.len() == 48 {
            for _ in 0..16 {
                let m = p.inbox.remove(0);
                sum = (sum * 7 + consume(m)) % 1_000_000_007;
            }
        }
    }
    let left = p.inbox.len();
    while !p.inbox.is_empty() {
        let m = p.inbox.remove(0);
        sum = (sum * 7 + consume(m)) % 1_000_000_007;
    }
    println!("chunks {} left {} most holders {} checksum {}", p.chunks, left, most_holders, sum);
}
