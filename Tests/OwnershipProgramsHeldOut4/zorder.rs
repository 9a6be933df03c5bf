// A window manager's stacking order in Rust: windows are `Rc<RefCell<Window>>` on a doubly
// linked z-order list, bottom to top, with strong links upwards (the manager's `bottom`,
// each window's `above`) and `Weak` links downwards (each window's `below`, the manager's
// `top`). Each application (inline in the manager's Vec<App>) holds its windows strongly
// in a Vec (room for two, grown by reallocation). A window owns its title and its pixel
// buffer. Raising a window unlinks it and relinks it on top; closing one unlinks it and
// drops it from its application. When an application exits, its windows are closed,
// except "lingering" ones (notifications) that stay on screen, held by the z-order list
// alone, until the manager shuts down and frees the list from the bottom (resetting each
// Weak before its target goes, so no Weak ever keeps a window's block alive). No scan.
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::{Rc, Weak};

type WinRef = Rc<RefCell<Window>>;

struct Window {
    id: u32,
    lingering: bool,
    title: String,
    pixels: Vec<u32>,
    above: Option<WinRef>,
    below: Weak<RefCell<Window>>,
}

struct App {
    name: String,
    windows: Vec<WinRef>,
}

struct Wm {
    apps: Vec<App>,
    bottom: Option<WinRef>,
    top: Weak<RefCell<Window>>,
    next_id: u32,
}

impl Wm {
    fn link_top(&mut self, w: &WinRef) {
        match self.top.upgrade() {
            Some(t) => {
                t.borrow_mut().above = Some(Rc::clone(w));
                w.borrow_mut().below = Rc::downgrade(&t);
            }
            None => self.bottom = Some(Rc::clone(w)),
        }
        self.top = Rc::downgrade(w);
    }

    fn unlink(&mut self, w: &WinRef) {
        let (below, above) = {
            let mut win = w.borrow_mut();
            (std::mem::take(&mut win.below), win.above.take())
        };
        match &above {
            Some(a) => a.borrow_mut().below = below.clone(),
            None => self.top = below.clone(),
        }
        match below.upgrade() {
            Some(b) => b.borrow_mut().above = above,
            None => self.bottom = above,
        }
    }

    #[inline(never)]
    fn open(&mut self, app: usize, lingering: bool) {
        let id = self.next_id;
        self.next_id += 1;
        let mut title = String::with_capacity(40); // site: title
        write!(title, "{} - window {}", self.apps[app].name, id).unwrap();
        let pixels = vec![0xff20_2020u32; 64 * (1 + id as usize % 5)]; // site: pixels
        let w = Rc::new(RefCell::new(Window { id, lingering, title, pixels, above: None, below: Weak::new() })); // site: window
        self.link_top(&w);
        self.apps[app].windows.push(w); // site: app_windows_grown
    }

    #[inline(never)]
    fn raise(&mut self, app: usize, index: usize) {
        let w = Rc::clone(&self.apps[app].windows[index]);
        self.unlink(&w);
        self.link_top(&w);
    }

    #[inline(never)]
    fn close(&mut self, app: usize, index: usize) {
        let w = self.apps[app].windows.swap_remove(index);
        if !w.borrow().lingering {
            self.unlink(&w);
        }
        drop(w);
    }

    #[inline(never)]
    fn exit_app(&mut self, app: usize) {
        while !self.apps[app].windows.is_empty() {
            self.close(app, 0);
        }
        self.apps.remove(app);
    }

    fn visible_checksum(&self) -> u64 {
        let mut sum = 0;
        let mut cur = self.bottom.clone();
        while let Some(w) = cur {
            let win = w.borrow();
            sum = (sum * 7 + win.id as u64 + win.pixels.len() as u64 + win.title.len() as u64) % 1_000_000_007;
            cur = win.above.clone();
        }
        sum
    }
}

impl Drop for Wm {
    fn drop(&mut self) {
        self.top = Weak::new();
        while let Some(w) = self.bottom.take() {
            self.bottom = w.borrow_mut().above.take();
            if let Some(next) = &self.bottom {
                next.borrow_mut().below = Weak::new();
            }
        }
    }
}

#[inline(never)]
fn new_app(i: usize) -> App {
    let mut name = String::with_capacity(24); // site: app_name
    write!(name, "app-{}", i).unwrap();
    App { name, windows: Vec::with_capacity(2) } // site: app_windows
}

fn main() {
    let apps = Vec::with_capacity(8); // site: apps
    let mut wm = Box::new(Wm { apps, bottom: None, top: Weak::new(), next_id: 1 }); // site: wm
    let mut seed: u64 = 23;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut started = 0;
    let mut checksum = 0u64;
    for round in 0..40 {
        while wm.apps.len() < 6 {
            wm.apps.push(new_app(started));
            started += 1;
        }
        for _ in 0..12 {
            let app = next() % wm.apps.len();
            let lingering = next() % 9 == 0;
            wm.open(app, lingering);
        }
        for _ in 0..20 {
            let app = next() % wm.apps.len();
            let n = wm.apps[app].windows.len();
            if n == 0 {
                continue;
            }
            if next() % 3 == 0 {
                wm.close(app, next() % n);
            } else {
                wm.raise(app, next() % n);
            }
        }
        if round % 4 == 3 {
            let app = next() % wm.apps.len();
            wm.exit_app(app);
        }
        checksum = checksum.wrapping_add(wm.visible_checksum());
    }
    let windows: usize = wm.apps.iter().map(|a| a.windows.len()).sum();
    println!("{} {} {}", started, windows, checksum);
    drop(wm);
}
