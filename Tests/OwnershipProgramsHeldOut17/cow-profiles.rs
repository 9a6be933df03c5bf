// Rust user profiles with copy-on-write settings through `Rc::make_mut`: a boxed store
// holds the default `Rc<Settings>` and a reserved Vec of boxed profiles, each holding
// an `Rc<Settings>` (initially the defaults). Customising a profile calls
// `Rc::make_mut`, which clones the settings into a new Rc block when they are shared
// (the clone copies the theme String and key Vec exactly) and then grows the copies in
// place (String and Vec growth by realloc). Duplicated profiles share their source's
// settings until customised themselves. No scan.
use std::rc::Rc;

struct Settings {
    theme: String,
    keys: Vec<u32>,
    font_size: u32,
}

impl Clone for Settings {
    fn clone(&self) -> Settings {
        let theme = self.theme.clone(); // site: theme_copy
        let keys = self.keys.clone(); // site: keys_copy
        Settings { theme, keys, font_size: self.font_size }
    }
}

struct Profile {
    name: String,
    settings: Rc<Settings>,
}

struct Store {
    defaults: Rc<Settings>,
    profiles: Vec<Box<Profile>>,
}

fn customise(p: &mut Profile, n: u32) -> bool {
    let was_shared = Rc::strong_count(&p.settings) > 1;
    let s = Rc::make_mut(&mut p.settings); // site: settings_copy
    s.theme.push_str("-custom"); // site: theme_grown
    s.keys.push(100 + n); // site: keys_grown
    s.font_size += n;
    was_shared
}

fn add_profile(store: &mut Store, label: &str, settings: Rc<Settings>) {
    let mut name = String::with_capacity(24); // site: profile_name
    name.push_str(label);
    store.profiles.push(Box::new(Profile { name, settings })); // site: profile
}

fn main() {
    let mut theme = String::with_capacity(16); // site: theme
    theme.push_str("solarized");
    let mut keys = Vec::with_capacity(3); // site: keys
    keys.extend_from_slice(&[17, 23, 42]);
    let defaults = Rc::new(Settings { theme, keys, font_size: 12 }); // site: defaults
    let profiles = Vec::with_capacity(8); // site: profiles_buf
    let mut store = Box::new(Store { defaults, profiles }); // site: store
    for i in 0..5u32 {
        let settings = Rc::clone(&store.defaults);
        add_profile(&mut store, &format!("user-{}", 1000 + i * 37), settings);
    }
    let mut copies = 0;
    for i in [1usize, 3, 1] {
        if customise(&mut store.profiles[i], i as u32) {
            copies += 1;
        }
    }
    // duplicate profile 3 (sharing its customised settings), then customise the duplicate
    let settings = Rc::clone(&store.profiles[3].settings);
    add_profile(&mut store, "user-1111-dup", settings);
    println!("profile 3 settings holders {}", Rc::strong_count(&store.profiles[3].settings));
    if customise(&mut store.profiles[5], 5) {
        copies += 1;
    }
    println!("defaults holders {}, copies made {}", Rc::strong_count(&store.defaults), copies);
    for p in &store.profiles {
        println!("  {:14} theme {:32} keys {:?} font {}", p.name, p.settings.theme, p.settings.keys, p.settings.font_size);
    }
    store.profiles.remove(0);
    store.profiles.retain(|p| Rc::ptr_eq(&p.settings, &store.defaults) || p.settings.font_size > 14);
    println!("kept {} profiles, defaults holders {}", store.profiles.len(), Rc::strong_count(&store.defaults));
}
