//! memscope's annotation API for Rust programs.
//!
//! Under `memscope record -- ./program` the recorder exports `memscope_annotate`,
//! `memscope_scope_enter`/`_exit` and `memscope_task_enter`/`_exit`; this crate finds them
//! with `dlsym` on first use. Without the recorder it finds nothing and every call is one
//! atomic load and a branch: the program runs unchanged, links no library, and allocates
//! nothing on its behalf (names are copied to a stack buffer, not a `CString`).
//!
//! ```no_run
//! use memscope::{track_scope, track_var};
//! let names: Vec<String> = Vec::with_capacity(16);
//! track_var!(names);                  // the block behind `names` is named "names" in the report
//! {
//!     track_scope!("load config");    // allocations until the end of this block count for the scope
//!     let _config = String::from("x=1");
//! }
//! let task = memscope::instrument(async { vec![0u8; 64] }, 7); // every poll runs as task 7
//! # drop(task);
//! ```
//!
//! Unlike memscope-rs, which infers an async task from the thread that polls it, a future
//! wrapped by [`instrument`] says which task it is on every poll, so the report attributes
//! its allocations exactly.

#![forbid(unsafe_op_in_unsafe_fn)]

use std::cell::Cell;
use std::ffi::{c_char, c_void};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// One entry point of the recorder: 0 = not looked up yet, 1 = absent, else its address.
struct Entry {
    name: &'static [u8], // NUL-terminated
    address: AtomicUsize,
}

impl Entry {
    const fn new(name: &'static [u8]) -> Entry {
        Entry { name, address: AtomicUsize::new(0) }
    }

    #[inline]
    fn get(&self) -> Option<usize> {
        let mut address = self.address.load(Ordering::Acquire);
        if address == 0 {
            // RTLD_DEFAULT is the null handle on glibc. Two threads may both look it up: same answer.
            let found = unsafe { dlsym(std::ptr::null_mut(), self.name.as_ptr().cast()) } as usize;
            address = if found == 0 { 1 } else { found };
            self.address.store(address, Ordering::Release);
        }
        (address != 1).then_some(address)
    }
}

static ANNOTATE: Entry = Entry::new(b"memscope_annotate\0");
static SCOPE_ENTER: Entry = Entry::new(b"memscope_scope_enter\0");
static SCOPE_EXIT: Entry = Entry::new(b"memscope_scope_exit\0");
static TASK_ENTER: Entry = Entry::new(b"memscope_task_enter\0");
static TASK_EXIT: Entry = Entry::new(b"memscope_task_exit\0");

/// Whether the program runs under memscope's recorder.
pub fn is_recording() -> bool {
    ANNOTATE.get().is_some()
}

/// The recorder keeps at most 255 bytes of a name; so does this copy, cut at a character boundary.
struct CName {
    bytes: [u8; 256],
}

impl CName {
    fn new(text: &str) -> CName {
        let mut end = text.len().min(255);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; 256];
        for (i, b) in text.as_bytes()[..end].iter().enumerate() {
            bytes[i] = if *b == 0 { b' ' } else { *b };
        }
        CName { bytes }
    }

    fn as_ptr(&self) -> *const c_char {
        self.bytes.as_ptr().cast()
    }
}

/// Names the heap block that starts at `block` (as returned by the allocator).
/// Does nothing for a null pointer or without the recorder.
pub fn annotate(block: *const u8, name: &str, type_name: &str) {
    let Some(address) = ANNOTATE.get() else { return };
    if block.is_null() {
        return;
    }
    let f: extern "C" fn(*const c_void, *const c_char, *const c_char) = unsafe { std::mem::transmute(address) };
    let (name, type_name) = (CName::new(name), CName::new(type_name));
    f(block.cast(), name.as_ptr(), type_name.as_ptr());
}

/// A value whose contents live in one heap block, so that the block can be named.
pub trait HeapBlock {
    /// The start of the heap block holding the value's contents, or `None` when it has
    /// none (an empty `Vec`, a zero-sized type).
    fn heap_block(&self) -> Option<*const u8>;
}

impl<T> HeapBlock for Vec<T> {
    fn heap_block(&self) -> Option<*const u8> {
        (self.capacity() > 0 && std::mem::size_of::<T>() > 0).then(|| self.as_ptr().cast())
    }
}

impl HeapBlock for String {
    fn heap_block(&self) -> Option<*const u8> {
        (self.capacity() > 0).then(|| self.as_ptr())
    }
}

impl<T: ?Sized> HeapBlock for Box<T> {
    fn heap_block(&self) -> Option<*const u8> {
        (std::mem::size_of_val::<T>(self) > 0).then(|| (&**self as *const T).cast())
    }
}

/// `Rc` and `Arc` keep two counters before the value (`#[repr(C)]` in the standard
/// library): the block starts that far before the value, rounded to its alignment.
fn counted_block<T>(value: *const T) -> *const u8 {
    let align = std::mem::align_of::<T>();
    let counters = 2 * std::mem::size_of::<usize>();
    let offset = (counters + align - 1) / align * align;
    unsafe { value.cast::<u8>().sub(offset) }
}

impl<T> HeapBlock for Rc<T> {
    fn heap_block(&self) -> Option<*const u8> {
        Some(counted_block(Rc::as_ptr(self)))
    }
}

impl<T> HeapBlock for Arc<T> {
    fn heap_block(&self) -> Option<*const u8> {
        Some(counted_block(Arc::as_ptr(self)))
    }
}

/// Names the heap block of `value` with `name` and its Rust type. Use [`track_var!`].
pub fn track<T: HeapBlock + ?Sized>(value: &T, name: &str) {
    if !is_recording() {
        return;
    }
    if let Some(block) = value.heap_block() {
        annotate(block, name, std::any::type_name::<T>());
    }
}

/// Names the heap block behind a variable (`Vec`, `String`, `Box`, `Rc`, `Arc`, or any
/// [`HeapBlock`]) after the variable: `track_var!(users)`.
#[macro_export]
macro_rules! track_var {
    ($var:expr) => {
        $crate::track(&$var, stringify!($var))
    };
}

/// A named scope, open until the guard is dropped. Use [`track_scope!`].
#[must_use = "the scope closes when the guard is dropped"]
pub struct ScopeGuard {
    entered: bool,
    _not_send: std::marker::PhantomData<*const ()>, // scopes nest per thread
}

impl ScopeGuard {
    pub fn enter(name: &str) -> ScopeGuard {
        let entered = match SCOPE_ENTER.get() {
            Some(address) => {
                let f: extern "C" fn(*const c_char) = unsafe { std::mem::transmute(address) };
                let name = CName::new(name);
                f(name.as_ptr());
                true
            }
            None => false,
        };
        ScopeGuard { entered, _not_send: std::marker::PhantomData }
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        if !self.entered {
            return;
        }
        if let Some(address) = SCOPE_EXIT.get() {
            let f: extern "C" fn() = unsafe { std::mem::transmute(address) };
            f();
        }
    }
}

/// Opens a named scope until the end of the enclosing block: `track_scope!("parse")`.
/// Without a name, the scope is named by module path and line.
#[macro_export]
macro_rules! track_scope {
    () => {
        let _memscope_scope = $crate::ScopeGuard::enter(concat!(module_path!(), ":", line!()));
    };
    ($name:expr) => {
        let _memscope_scope = $crate::ScopeGuard::enter($name);
    };
}

thread_local! {
    static CURRENT_TASK: Cell<u64> = const { Cell::new(0) };
}

fn switch_task(task: u64) {
    CURRENT_TASK.with(|current| current.set(task));
    if task == 0 {
        if let Some(address) = TASK_EXIT.get() {
            let f: extern "C" fn() = unsafe { std::mem::transmute(address) };
            f();
        }
    } else if let Some(address) = TASK_ENTER.get() {
        let f: extern "C" fn(u64) = unsafe { std::mem::transmute(address) };
        f(task);
    }
}

/// The thread's allocations belong to `task` until the guard is dropped, when the task
/// the thread ran before (or none) resumes. Task 0 means no task.
#[must_use = "the task ends when the guard is dropped"]
pub struct TaskGuard {
    previous: u64,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl TaskGuard {
    pub fn enter(task: u64) -> TaskGuard {
        let previous = CURRENT_TASK.with(|current| current.get());
        if is_recording() {
            switch_task(task);
        }
        TaskGuard { previous, _not_send: std::marker::PhantomData }
    }
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        if is_recording() {
            switch_task(self.previous);
        }
    }
}

/// A future that runs every poll as one task: see [`instrument`].
pub struct Instrumented<F> {
    inner: F,
    task: u64,
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let task = self.task;
        // Structural pinning of `inner`: it is never moved out of `self`.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut s.inner) };
        let _guard = TaskGuard::enter(task);
        inner.poll(cx)
    }
}

/// Wraps a future so that whatever it allocates while polled, on whichever thread the
/// executor polls it, counts for task `task` (observed on every poll, not inferred).
pub fn instrument<F: Future>(future: F, task: u64) -> Instrumented<F> {
    Instrumented { inner: future, task }
}
