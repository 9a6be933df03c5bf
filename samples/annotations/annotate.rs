// Annotations from Rust, with no crates:
//   rustc --edition 2021 -g samples/annotations/annotate.rs -o annotate-rs
// then: memscope record -o annotate-rs.msd -- ./annotate-rs
use std::ffi::{c_char, c_void, CStr};

extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();

/// Looks a memscope entry point up; None when the program runs without memscope.
fn lookup(name: &CStr) -> Option<*mut c_void> {
    let f = unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) };
    if f.is_null() { None } else { Some(f) }
}

fn annotate<T>(value: &T, name: &CStr, type_name: &CStr) {
    if let Some(f) = lookup(c"memscope_annotate") {
        let f: extern "C" fn(*const c_void, *const c_char, *const c_char) = unsafe { std::mem::transmute(f) };
        f(value as *const T as *const c_void, name.as_ptr(), type_name.as_ptr());
    }
}

fn scope_enter(name: &CStr) {
    if let Some(f) = lookup(c"memscope_scope_enter") {
        let f: extern "C" fn(*const c_char) = unsafe { std::mem::transmute(f) };
        f(name.as_ptr());
    }
}

fn scope_exit() {
    if let Some(f) = lookup(c"memscope_scope_exit") {
        let f: extern "C" fn() = unsafe { std::mem::transmute(f) };
        f();
    }
}

fn main() {
    scope_enter(c"build");
    let words: Vec<String> = (0..100).map(|i| format!("word-{i}")).collect();
    let boxed = Box::new(words.len());
    annotate(&*boxed, c"boxed", c"Box<usize>");
    scope_exit();
    println!("{} words", *boxed + words.len() - 100);
}
