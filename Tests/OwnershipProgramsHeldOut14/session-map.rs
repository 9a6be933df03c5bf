// Threaded session store: an Arc<Mutex<HashMap<u64, Box<Session>>>> whose table is
// allocated once with room for 256 entries (never grown: at most 240 are inserted).
// Four spawned workers log users in: each makes boxed sessions (a user String reserved
// for 32 and a 16-byte token Vec) and inserts them under the lock. Meanwhile main
// expires sessions: it removes every entry whose id is a multiple of 3 that is already
// present, and after joining the workers, the rest in id order, freeing each session's
// token, user and box itself. Sessions, users and tokens go from the workers to main.
// No scan.
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::thread;

const NW: u64 = 4;
const PER: u64 = 60;

struct Session {
    id: u64,
    user: String,
    token: Vec<u8>,
    logins: u32,
}

fn retire(mut s: Box<Session>, sum: &mut u64) {
    *sum += s.id * 7 + s.user.len() as u64 + s.token.iter().map(|&b| b as u64).sum::<u64>() + s.logins as u64;
    drop(std::mem::take(&mut s.token)); // site: token_freed
    drop(std::mem::take(&mut s.user)); // site: user_freed
    drop(s); // site: session_freed
}

fn main() {
    let table: HashMap<u64, Box<Session>> = HashMap::with_capacity(256); // site: table
    let shared = Arc::new(Mutex::new(table)); // site: shared
    let mut handles = Vec::new();
    for w in 0..NW {
        let map = Arc::clone(&shared);
        handles.push(thread::spawn(move || {
            for k in 0..PER {
                let id = k * NW + w;
                let mut user = String::with_capacity(32); // site: user
                write!(user, "user{:03}@worker{}.example", id, w).unwrap();
                let mut token = Vec::with_capacity(16); // site: token
                for i in 0..16u64 {
                    token.push(((id * 2654435761 + i * 40503) >> 7) as u8);
                }
                let s = Box::new(Session { id, user, token, logins: (id % 5) as u32 + 1 }); // site: session
                map.lock().unwrap().insert(id, s);
            }
        }));
    }
    let mut sum = 0u64;
    let mut early = 0;
    for id in (0..NW * PER).step_by(3) {
        let got = shared.lock().unwrap().remove(&id);
        if let Some(s) = got {
            retire(s, &mut sum);
            early += 1;
        }
    }
    for h in handles {
        h.join().unwrap();
    }
    let mut map = shared.lock().unwrap();
    let mut ids: Vec<u64> = map.keys().copied().collect();
    ids.sort_unstable();
    let expired = ids.iter().filter(|&&id| id % 3 == 0).count() + early;
    let mut late = 0;
    for id in ids {
        let s = map.remove(&id).unwrap();
        retire(s, &mut sum);
        late += 1;
    }
    let cap_ok = map.capacity() >= 256;
    drop(map);
    println!("{} sessions retired ({} multiples of 3), checksum {}, capacity kept {}, holders {}", early + late, expired, sum, cap_ok, Arc::strong_count(&shared));
}
