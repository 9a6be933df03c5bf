// Rust texture cache: a boxed cache holds a HashMap<String, Rc<Texture>> (created with
// room for 64, never more than 52 entries, so never reallocated) and a reserved vector
// of sprites, each sprite holding an Rc<Texture>. A lookup makes the key String; on a
// miss the texture (owning its pixel data) is loaded and the key moved into the table,
// on a hit the key is dropped. When the table holds more than 48 entries, every texture
// no sprite uses is evicted (retain). Sprites are added and removed at random; the cache
// is dropped at the end. No scan.
use std::collections::HashMap;
use std::rc::Rc;

struct Texture {
    id: u32,
    data: Vec<u8>,
}

struct Sprite {
    tex: Rc<Texture>,
    x: i32,
}

struct Cache {
    map: HashMap<String, Rc<Texture>>,
    sprites: Vec<Sprite>,
    loads: u32,
    evicted: usize,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

impl Cache {
    fn get(&mut self, id: u32) -> Rc<Texture> {
        let key = format!("textures/level-{:03}-diffuse.png", id); // site: key
        if let Some(t) = self.map.get(&key) {
            return Rc::clone(t);
        }
        let n = 64 + (id as usize % 7) * 32;
        let data = vec![(id % 251) as u8; n]; // site: texdata
        let t = Rc::new(Texture { id, data }); // site: tex
        self.loads += 1;
        self.map.insert(key, Rc::clone(&t));
        if self.map.len() > 48 {
            let before = self.map.len();
            self.map.retain(|_, t| Rc::strong_count(t) > 1);
            self.evicted += before - self.map.len();
        }
        t
    }
}

fn main() {
    let mut rng = Rng(8675309);
    let map = HashMap::with_capacity(64); // site: table
    let sprites = Vec::with_capacity(256); // site: sprites_buf
    let mut cache = Box::new(Cache { map, sprites, loads: 0, evicted: 0 }); // site: cache
    let mut checksum: u64 = 0;
    for step in 0..6000u32 {
        if cache.sprites.len() < 20 || (rng.next() % 2 == 0 && cache.sprites.len() < 256) {
            let id = rng.next() % 52;
            let tex = cache.get(id);
            let x = (rng.next() % 640) as i32;
            cache.sprites.push(Sprite { tex, x });
        } else {
            let i = rng.next() as usize % cache.sprites.len();
            let s = cache.sprites.swap_remove(i);
            checksum += s.tex.id as u64 * 3 + s.tex.data.len() as u64 + s.x as u64;
        }
        if step % 1500 == 1499 {
            println!(
                "step {}: {} sprites, {} cached, {} loads, {} evicted, checksum {}",
                step + 1,
                cache.sprites.len(),
                cache.map.len(),
                cache.loads,
                cache.evicted,
                checksum
            );
        }
    }
    drop(cache);
}
