// An in-memory flight recorder (a logging backend that keeps the last N records, as in
// embedded systems or a service's debug endpoint): a boxed Logger holds a VecDeque of
// records with a fixed capacity; when it is full the oldest record is popped and dropped
// before a new one is pushed. A record owns its formatted message and an optional boxed
// attachment (a byte slice), and names its source with an `Rc<str>` shared with the
// logger's source registry (a Vec<Option<Rc<str>>> of slots). Sources are unregistered
// mid-way (their slot emptied), so a source name then lives on in the records that still
// hold it and is freed by the last of them to be overwritten. Records are also fanned out to sinks, `Box<dyn Sink>`s in a
// Vec: a memory sink owns a byte buffer grown by reallocation and truncated when large, a
// counting sink only counts. At the end the logger is dropped. No scan.
use std::collections::VecDeque;
use std::rc::Rc;

struct Record {
    seq: u64,
    level: u8,
    source: Rc<str>,
    message: String,
    attachment: Option<Box<[u8]>>,
}

trait Sink {
    fn write(&mut self, record: &Record);
    fn total(&self) -> u64;
}

struct MemorySink {
    buf: Vec<u8>,
    flushed: u64,
}

struct CountingSink {
    per_level: [u64; 4],
}

impl Sink for MemorySink {
    fn write(&mut self, record: &Record) {
        if self.buf.len() > 16 * 1024 {
            self.flushed += self.buf.len() as u64;
            self.buf.truncate(0);
        }
        self.buf.reserve(record.source.len() + record.message.len() + 2); // site: sink_buf_grown
        self.buf.extend_from_slice(record.source.as_bytes());
        self.buf.push(b' ');
        self.buf.extend_from_slice(record.message.as_bytes());
        self.buf.push(b'\n');
    }
    fn total(&self) -> u64 {
        self.flushed + self.buf.len() as u64
    }
}

impl Sink for CountingSink {
    fn write(&mut self, record: &Record) {
        self.per_level[record.level as usize % 4] += 1;
    }
    fn total(&self) -> u64 {
        self.per_level.iter().sum()
    }
}

struct Logger {
    ring: VecDeque<Record>,
    capacity: usize,
    sources: Vec<Option<Rc<str>>>,
    sinks: Vec<Box<dyn Sink>>,
    seq: u64,
}

impl Logger {
    #[inline(never)]
    fn register(&mut self, name: &str) {
        let source: Rc<str> = Rc::from(name); // site: source
        self.sources.push(Some(source));
    }

    #[inline(never)]
    fn log(&mut self, source: usize, level: u8, value: u64) {
        self.seq += 1;
        let message = format!("seq={} level={} value={:#x} status=ok", self.seq, level, value); // site: message
        let attachment = if value % 4 == 0 {
            Some(vec![level; 16 + (value % 48) as usize].into_boxed_slice()) // site: attachment
        } else {
            None
        };
        let record = Record { seq: self.seq, level, source: Rc::clone(self.sources[source].as_ref().unwrap()), message, attachment };
        for sink in self.sinks.iter_mut() {
            sink.write(&record);
        }
        if self.ring.len() == self.capacity {
            let oldest = self.ring.pop_front();
            drop(oldest);
        }
        self.ring.push_back(record);
    }

    fn dump(&self, level: u8) -> u64 {
        self.ring.iter().filter(|r| r.level >= level).map(|r| r.seq + r.attachment.as_ref().map_or(0, |a| a.len() as u64)).sum()
    }
}

fn main() {
    let ring = VecDeque::with_capacity(256); // site: ring
    let sources = Vec::with_capacity(16); // site: sources
    let mut sinks: Vec<Box<dyn Sink>> = Vec::with_capacity(2); // site: sinks
    let buf = Vec::with_capacity(1024); // site: sink_buf
    sinks.push(Box::new(MemorySink { buf, flushed: 0 })); // site: sink_mem
    sinks.push(Box::new(CountingSink { per_level: [0; 4] })); // site: sink_count
    let mut logger = Box::new(Logger { ring, capacity: 256, sources, sinks, seq: 0 }); // site: logger
    let names = ["net.rx", "net.tx", "storage.flush", "scheduler", "http.access", "auth", "gc"];
    for name in &names[..5] {
        logger.register(name);
    }
    let mut seed: u64 = 31;
    let mut report = 0;
    for step in 0..5000u64 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (seed >> 33) as usize;
        let mut source = r % logger.sources.len();
        while logger.sources[source].is_none() {
            source = (source + 1) % logger.sources.len();
        }
        logger.log(source, (r >> 8) as u8 % 4, seed >> 40);
        if step % 1000 == 500 {
            let slot = r % logger.sources.len();
            let gone = logger.sources[slot].take();
            drop(gone);
        }
        if step % 1000 == 900 {
            logger.register(names[5 + (step / 1000) as usize % 2]);
        }
        if step % 250 == 0 {
            report += logger.dump(2);
        }
    }
    let sunk: u64 = logger.sinks.iter().map(|s| s.total()).sum();
    let registered = logger.sources.iter().filter(|s| s.is_some()).count();
    println!("{} {} {} {}", logger.ring.len(), registered, report, sunk);
    drop(logger);
}
