// Threaded Rust with scoped threads: a coordinator thread builds a reserved
// Vec<Box<Reading>> (readings own a station name String) and a Vec<Option<Box<Summary>>>
// of four empty slots. Inside thread::scope, four workers each borrow a chunk of the
// readings and one slot; a worker allocates its Summary (Box) with a reserved
// Vec<String> of the names of its five hottest readings (cloned Strings) and stores it
// in its slot. After the scope, the coordinator takes each summary out of its slot,
// prints it and frees names, list and summary one by one. The coordinator is spawned
// and joined by main because thread::scope registers the calling thread's handle, which
// on the process's main thread would stay allocated to the end. Summaries, their lists
// and the cloned names go from the workers to the coordinator. No scan.
use std::thread;

struct Reading {
    station: String,
    temp: i32,
}

struct Summary {
    worker: usize,
    count: usize,
    mean_milli: i64,
    hottest: Vec<String>,
}

fn coordinate() {
    const N: usize = 4000;
    let mut readings: Vec<Box<Reading>> = Vec::with_capacity(N); // site: readings_buf
    let mut x: u64 = 2718;
    for i in 0..N {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as i64;
        let station = format!("station-{:03}/sensor-{}/{}", r % 250, i % 4, if r & 1 == 0 { "north" } else { "south" }); // site: station
        let reading = Box::new(Reading { station, temp: (r % 900) as i32 - 300 }); // site: reading
        readings.push(reading);
    }
    let mut slots: Vec<Option<Box<Summary>>> = (0..4).map(|_| None).collect(); // site: slots_buf
    thread::scope(|s| {
        for (w, (chunk, slot)) in readings.chunks(N / 4).zip(slots.iter_mut()).enumerate() {
            s.spawn(move || {
                let mut order: Vec<usize> = (0..chunk.len()).collect();
                order.sort_by(|&a, &b| chunk[b].temp.cmp(&chunk[a].temp).then(a.cmp(&b)));
                let mut hottest = Vec::with_capacity(5); // site: hottest
                for &i in order.iter().take(5) {
                    hottest.push(chunk[i].station.clone()); // site: hot_name
                }
                let sum: i64 = chunk.iter().map(|r| r.temp as i64).sum();
                let summary = Box::new(Summary { worker: w, count: chunk.len(), mean_milli: sum * 1000 / chunk.len() as i64, hottest }); // site: summary
                *slot = Some(summary);
            });
        }
    });
    for slot in slots.iter_mut() {
        let mut s = slot.take().unwrap();
        println!("worker {}: {} readings, mean {}.{:03}, hottest {}", s.worker, s.count, s.mean_milli / 1000, (s.mean_milli % 1000).abs(), s.hottest[0]);
        for name in s.hottest.drain(..) {
            drop(name); // site: hot_name_freed
        }
        drop(std::mem::take(&mut s.hottest)); // site: hottest_freed
        drop(s); // site: summary_freed
    }
    drop(slots);
    drop(readings);
}

fn main() {
    thread::spawn(coordinate).join().unwrap();
}
