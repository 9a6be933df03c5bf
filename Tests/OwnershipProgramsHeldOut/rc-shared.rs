// Rust `Rc` sharing: blobs (each owning a Vec of bytes) are shared by several holders
// (boxed), held in a Vec reserved up front (no realloc). Each blob is freed by whichever
// holder drops it last. Holders are dropped in a shuffled order; the blobs' last holders
// free them. Decoy: a boxed note made right after each holder, in the same function, kept
// in another Vec and dropped after all holders.
use std::rc::Rc;

struct Blob {
    data: Vec<u8>,
    id: usize,
}

struct Holder {
    blob: Rc<Blob>,
    id: usize,
}

#[inline(never)]
fn blob_new(id: usize) -> Rc<Blob> {
    let data = vec![id as u8; 96 + id % 32]; // site: data
    Rc::new(Blob { data, id }) // site: blob
}

#[inline(never)]
fn holder_new(blob: &Rc<Blob>, id: usize, notes: &mut Vec<Box<[u64; 3]>>) -> Box<Holder> {
    let holder = Box::new(Holder { blob: Rc::clone(blob), id }); // site: holder
    notes.push(Box::new([id as u64; 3])); // site: note
    holder
}

fn main() {
    let mut holders: Vec<Box<Holder>> = Vec::with_capacity(240); // site: holders
    let mut notes: Vec<Box<[u64; 3]>> = Vec::with_capacity(240); // site: notes
    for i in 0..40 {
        let blob = blob_new(i);
        for j in 0..6 {
            holders.push(holder_new(&blob, i * 6 + j, &mut notes));
        }
    }
    let mut seed: u64 = 7;
    for i in (1..holders.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        holders.swap(i, j);
    }
    let mut total = 0usize;
    while let Some(holder) = holders.pop() {
        total += holder.blob.data.len() + holder.blob.id + holder.id;
        drop(holder);
    }
    drop(holders);
    total += notes.len();
    drop(notes);
    println!("{}", total);
}
