// Threaded tile renderer: main makes an Arc<Palette> (a name and a reserved Vec<u32> of
// colours) and an Arc<(Mutex<Board>, Condvar)> whose board holds a Vec<Option<Box<Tile>>>
// of 48 slots. Four spawned workers render tile i when i % 4 is their number: each tile
// (Box) owns a label String, a reserved Vec<u32> of pixels and a clone of the palette
// Arc; the worker stores it in its slot and notifies. Main composites the tiles in order
// (taking each out of its slot), then frees its pixels, label and the tile: tiles, labels
// and pixel buffers go from the workers to main. No scan.
use std::fmt::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

const NT: usize = 48;
const SIDE: usize = 16;

struct Palette {
    name: String,
    colors: Vec<u32>,
}

struct Tile {
    index: usize,
    label: String,
    pixels: Vec<u32>,
    palette: Arc<Palette>,
}

struct Board {
    slots: Vec<Option<Box<Tile>>>,
    stored: usize,
}

fn render(index: usize, pal: &Arc<Palette>) -> Box<Tile> {
    let mut pixels = Vec::with_capacity(SIDE * SIDE); // site: pixels
    for p in 0..SIDE * SIDE {
        let (x, y) = (p % SIDE + (index % 8) * SIDE, p / SIDE + (index / 8) * SIDE);
        let shade = (x * x + y * 3 + (x ^ y)) % pal.colors.len();
        pixels.push(pal.colors[shade]);
    }
    let mut label = String::with_capacity(64); // site: label
    write!(label, "tile {:02} at ({}, {}) using {}", index, index % 8, index / 8, pal.name).unwrap();
    Box::new(Tile { index, label, pixels, palette: Arc::clone(pal) }) // site: tile
}

fn main() {
    let name = String::from("sunset gradient, 64 steps"); // site: pal_name
    let mut colors = Vec::with_capacity(64); // site: colors
    for i in 0..64u32 {
        colors.push((255 - i * 3) << 16 | (i * 2) << 8 | (i * 4));
    }
    let palette = Arc::new(Palette { name, colors }); // site: palette
    let slots: Vec<Option<Box<Tile>>> = (0..NT).map(|_| None).collect(); // site: slots
    let board = Arc::new((Mutex::new(Board { slots, stored: 0 }), Condvar::new())); // site: board
    let mut workers = Vec::new();
    for w in 0..4 {
        let pal = Arc::clone(&palette);
        let board = Arc::clone(&board);
        workers.push(thread::spawn(move || {
            for index in (w..NT).step_by(4) {
                let tile = render(index, &pal);
                let (lock, cv) = &*board;
                let mut b = lock.lock().unwrap();
                b.slots[index] = Some(tile);
                b.stored += 1;
                cv.notify_all();
            }
        }));
    }
    let mut image = vec![0u32; NT * SIDE * SIDE]; // site: image
    let mut label_bytes = 0;
    for i in 0..NT {
        let mut tile = {
            let (lock, cv) = &*board;
            let mut b = lock.lock().unwrap();
            while b.slots[i].is_none() {
                b = cv.wait(b).unwrap();
            }
            b.slots[i].take().unwrap()
        };
        for (p, px) in tile.pixels.iter().enumerate() {
            image[tile.index * SIDE * SIDE + p] = *px ^ tile.palette.colors[p % 64];
        }
        label_bytes += tile.label.len();
        drop(std::mem::take(&mut tile.pixels)); // site: pixels_freed
        drop(std::mem::take(&mut tile.label)); // site: label_freed
        drop(tile); // site: tile_freed
    }
    for h in workers {
        h.join().unwrap();
    }
    let sum = image.iter().fold(0u64, |a, &p| a.wrapping_mul(31).wrapping_add(p as u64));
    let stored = board.0.lock().unwrap().stored;
    println!("{} tiles stored, {} label bytes, palette refs {}, checksum {}", stored, label_bytes, Arc::strong_count(&palette), sum);
}
