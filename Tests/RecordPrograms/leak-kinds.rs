// Rust leaks of each kind (no crates): a Box::leak'd vector kept in a static is still
// reachable; a forgotten Box holding another Box is definitely lost with its child
// indirectly lost; a pointer into the middle of a block kept in a static is possibly lost.
use std::sync::atomic::{AtomicUsize, Ordering};

static KEPT: AtomicUsize = AtomicUsize::new(0);
static INTERIOR: AtomicUsize = AtomicUsize::new(0);

struct Node {
    child: Option<Box<[u8; 40]>>,
    _pad: [u64; 3],
}

#[inline(never)]
fn build() {
    let kept: &'static mut Vec<u64> = Box::leak(Box::new(vec![7u64; 16]));
    KEPT.store(kept as *mut Vec<u64> as usize, Ordering::SeqCst);
    let lost = Box::new(Node { child: Some(Box::new([1u8; 40])), _pad: [0; 3] });
    std::mem::forget(lost);
    let middle: &'static mut [u64; 12] = Box::leak(Box::new([0u64; 12]));
    INTERIOR.store(middle.as_ptr() as usize + 40, Ordering::SeqCst);
}

fn main() {
    build();
    std::process::exit(if KEPT.load(Ordering::SeqCst) == 0 { 1 } else { 0 });
}
