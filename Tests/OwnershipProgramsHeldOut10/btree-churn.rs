// Rust parts inventory: a boxed inventory holds a BTreeMap<u32, Box<Part>> (part number
// to part); parts own a name String. Random churn inserts new parts (an insert on an
// existing number replaces the old box, which is dropped), removes parts (the box
// dropped) and renames parts (a new name String at a second site, the old one dropped).
// Range queries walk the map. The inventory is dropped at the end. No scan.
use std::collections::BTreeMap;

struct Part {
    number: u32,
    stock: u32,
    name: String,
}

struct Inventory {
    parts: BTreeMap<u32, Box<Part>>,
    replaced: u32,
    removed: u32,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

fn make_part(number: u32, stock: u32) -> Box<Part> {
    let name = format!("part {:05} (hex bolt, grade {})", number, stock % 9); // site: name
    Box::new(Part { number, stock, name }) // site: part
}

fn main() {
    let mut rng = Rng(424242);
    let mut inv = Box::new(Inventory { parts: BTreeMap::new(), replaced: 0, removed: 0 }); // site: inventory
    let mut total: u64 = 0;
    for step in 0..12000u32 {
        let number = rng.next() % 2500;
        match rng.next() % 10 {
            0..=4 => {
                let p = make_part(number, rng.next() % 500);
                if inv.parts.insert(number, p).is_some() { // site: btree_node
                    inv.replaced += 1;
                }
            }
            5..=7 => {
                if inv.parts.remove(&number).is_some() {
                    inv.removed += 1;
                }
            }
            8 => {
                if let Some(p) = inv.parts.get_mut(&number) {
                    p.name = format!("part {:05} (renamed at step {})", p.number, step); // site: rename
                }
            }
            _ => {
                let hi = number + 100;
                for (_, p) in inv.parts.range(number..hi) {
                    total += p.stock as u64 + p.name.len() as u64;
                }
            }
        }
        if step % 3000 == 2999 {
            println!(
                "step {}: {} parts, {} replaced, {} removed, total {}",
                step + 1,
                inv.parts.len(),
                inv.replaced,
                inv.removed,
                total
            );
        }
    }
    drop(inv);
}
