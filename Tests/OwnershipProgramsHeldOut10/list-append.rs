// Rust playlist editor on std::collections::LinkedList<Box<Track>>: a boxed editor holds
// a queue list and a history list. Tracks (boxed, owning a title String) are pushed at
// the back of the queue (each push allocates a list node holding the box); a played
// track's node is cut from the queue's front with split_off(1) and spliced onto the
// history with append; split_off also cuts the queue in two and append splices the cut
// part onto the history. Nodes are relinked between the lists, never reallocated. The
// history is trimmed from the front (nodes and tracks freed). The editor is dropped at
// the end. No scan.
use std::collections::LinkedList;

struct Track {
    id: u32,
    secs: u32,
    title: String,
}

struct Editor {
    queue: LinkedList<Box<Track>>,
    history: LinkedList<Box<Track>>,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

fn track(id: u32, rng: &mut Rng) -> Box<Track> {
    let title = format!("track {:04}: an instrumental piece in {} minor", id, ["A", "C", "E", "G"][(id % 4) as usize]); // site: title
    Box::new(Track { id, secs: 90 + rng.next() % 300, title }) // site: track
}

fn main() {
    let mut rng = Rng(1960);
    let mut ed = Box::new(Editor { queue: LinkedList::new(), history: LinkedList::new() }); // site: editor
    let mut next = 0u32;
    let mut played_secs: u64 = 0;
    let mut dropped: u64 = 0;
    for step in 0..8000u32 {
        match rng.next() % 10 {
            0..=3 => {
                let t = track(next, &mut rng);
                next += 1;
                ed.queue.push_back(t); // site: node
            }
            4..=6 => {
                if let Some(t) = ed.queue.front() {
                    played_secs += t.secs as u64;
                    let rest = ed.queue.split_off(1);
                    let mut played = std::mem::replace(&mut ed.queue, rest);
                    ed.history.append(&mut played);
                }
            }
            7 => {
                if ed.queue.len() > 4 {
                    let at = ed.queue.len() / 2 + (rng.next() as usize % (ed.queue.len() / 2));
                    let mut tail = ed.queue.split_off(at);
                    ed.history.append(&mut tail);
                }
            }
            _ => {
                while ed.history.len() > 60 {
                    if let Some(t) = ed.history.pop_front() {
                        dropped += t.id as u64 + t.title.len() as u64;
                    }
                }
            }
        }
        if step % 2000 == 1999 {
            let first = ed.history.front().map(|t| t.id).unwrap_or(0);
            println!(
                "step {}: queue {}, history {} (oldest {}), played {}s, dropped {}",
                step + 1,
                ed.queue.len(),
                ed.history.len(),
                first,
                played_secs,
                dropped
            );
        }
    }
    drop(ed);
}
