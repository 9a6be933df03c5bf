// A game world in Rust with two generational slot maps of boxed entities
// (`Vec<Slot>` where a slot is a generation and an `Option<Box<Entity>>`, plus a free
// list of slot indices with room for every slot, so it never grows). The world (boxed)
// holds an `active` map and a `frozen` map; handles (index, generation) kept in plain
// vectors of integers name entities. Removing takes the box out of its slot
// (`Option::take`) and bumps the generation, so stale handles miss; freezing and thawing
// move the box from one map into the other (a new handle). Slot vectors start with room
// for four and grow by realloc as entities are inserted. An entity owns its name and its
// inventory (reserved, never grown). No scan.
struct Entity {
    name: String,
    hp: i32,
    inventory: Vec<u32>,
}

struct Slot {
    gen: u32,
    val: Option<Box<Entity>>,
}

struct SlotMap {
    slots: Vec<Slot>,
    free: Vec<u32>,
    len: usize,
}

#[derive(Clone, Copy)]
struct Handle {
    idx: u32,
    gen: u32,
}

const MAX_SLOTS: usize = 1024;

impl SlotMap {
    #[inline(never)]
    fn new() -> SlotMap {
        let slots = Vec::with_capacity(4); // site: slots
        let free = Vec::with_capacity(MAX_SLOTS); // site: free_list
        SlotMap { slots, free, len: 0 }
    }

    #[inline(never)]
    fn insert(&mut self, e: Box<Entity>) -> Handle {
        self.len += 1;
        if let Some(idx) = self.free.pop() {
            let slot = &mut self.slots[idx as usize];
            slot.val = Some(e);
            return Handle { idx, gen: slot.gen };
        }
        self.slots.push(Slot { gen: 0, val: Some(e) }); // site: slots_grown
        Handle { idx: (self.slots.len() - 1) as u32, gen: 0 }
    }

    fn get_mut(&mut self, h: Handle) -> Option<&mut Entity> {
        match self.slots.get_mut(h.idx as usize) {
            Some(slot) if slot.gen == h.gen => slot.val.as_deref_mut(),
            _ => None,
        }
    }

    #[inline(never)]
    fn remove(&mut self, h: Handle) -> Option<Box<Entity>> {
        let slot = self.slots.get_mut(h.idx as usize)?;
        if slot.gen != h.gen || slot.val.is_none() {
            return None;
        }
        let e = slot.val.take();
        slot.gen += 1;
        self.free.push(h.idx);
        self.len -= 1;
        e
    }
}

struct World {
    active: SlotMap,
    frozen: SlotMap,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

#[inline(never)]
fn spawn(n: u32) -> Box<Entity> {
    let name = format!("entity-{:05}-goblin-archer", n); // site: ent_name
    let mut inventory = Vec::with_capacity(8); // site: inventory
    for k in 0..(n % 8) {
        inventory.push(n * 3 + k);
    }
    Box::new(Entity { name, hp: 10 + (n % 90) as i32, inventory }) // site: entity
}

fn main() {
    let active_map = SlotMap::new();
    let frozen_map = SlotMap::new();
    let mut world = Box::new(World { active: active_map, frozen: frozen_map }); // site: world
    let mut rng = Rng(17);
    let mut active: Vec<Handle> = Vec::with_capacity(4096); // site: active_handles
    let mut frozen: Vec<Handle> = Vec::with_capacity(4096); // site: frozen_handles
    let (mut spawned, mut killed, mut stale, mut moves) = (0u32, 0u32, 0u32, 0u32);
    let mut sum: i64 = 0;
    for _ in 0..5000 {
        let op = rng.next() % 20;
        if op < 7 && world.active.len + world.frozen.len < 900 {
            let h = world.active.insert(spawn(spawned));
            spawned += 1;
            if active.len() < active.capacity() {
                active.push(h);
            }
        } else if op < 11 && !active.is_empty() {
            let h = active[rng.next() as usize % active.len()];
            match world.active.get_mut(h) {
                Some(e) => {
                    e.hp -= 7;
                    sum += e.hp as i64 + e.inventory.len() as i64;
                    if e.hp <= 0 {
                        drop(world.active.remove(h));
                        killed += 1;
                    }
                }
                None => stale += 1,
            }
        } else if op < 14 && !active.is_empty() {
            let h = active.swap_remove(rng.next() as usize % active.len());
            if let Some(e) = world.active.remove(h) {
                let fh = world.frozen.insert(e);
                if frozen.len() < frozen.capacity() {
                    frozen.push(fh);
                }
                moves += 1;
            }
        } else if op < 17 && !frozen.is_empty() {
            let h = frozen.swap_remove(rng.next() as usize % frozen.len());
            if let Some(e) = world.frozen.remove(h) {
                let ah = world.active.insert(e);
                if active.len() < active.capacity() {
                    active.push(ah);
                }
                moves += 1;
            }
        } else if !frozen.is_empty() {
            let h = frozen[rng.next() as usize % frozen.len()];
            if let Some(e) = world.frozen.remove(h) {
                sum += e.name.len() as i64;
                drop(e);
                killed += 1;
            } else {
                stale += 1;
            }
        }
    }
    println!(
        "spawned={} killed={} moves={} stale={} active={} frozen={} slots={}/{} sum={}",
        spawned, killed, moves, stale, world.active.len, world.frozen.len,
        world.active.slots.len(), world.frozen.slots.len(), sum
    );
    drop(world);
    drop(active);
    drop(frozen);
}
