// HTTP server middleware chain: a boxed Server holds an `Rc<Config>` and a reserved
// `Vec<Box<dyn Middleware>>`; each middleware holds its own clone of the `Rc<Config>`.
// The config owns a vector of limits. The logging middleware owns a reserved vector of
// log line Strings; the counting middleware owns a vector of per-route counters.
// Requests pass through the chain; at the end the server reports and is dropped.
// No scan.
use std::rc::Rc;

struct Config {
    name: &'static str,
    limits: Vec<u32>,
}

trait Middleware {
    fn handle(&mut self, route: usize, size: u32) -> bool;
    fn report(&self) -> String;
}

struct Logger {
    cfg: Rc<Config>,
    lines: Vec<String>,
}

struct Counter {
    cfg: Rc<Config>,
    counts: Vec<u32>,
}

impl Middleware for Logger {
    fn handle(&mut self, route: usize, size: u32) -> bool {
        if self.lines.len() < self.lines.capacity() {
            let line = format!("{} route={} size={} limit={}", self.cfg.name, route, size, self.cfg.limits[route]); // site: log_line
            self.lines.push(line);
        }
        true
    }
    fn report(&self) -> String {
        format!("logger kept {} lines", self.lines.len())
    }
}

impl Middleware for Counter {
    fn handle(&mut self, route: usize, size: u32) -> bool {
        self.counts[route] += 1;
        size <= self.cfg.limits[route]
    }
    fn report(&self) -> String {
        format!("counter {:?}", self.counts)
    }
}

struct Server {
    cfg: Rc<Config>,
    chain: Vec<Box<dyn Middleware>>,
}

fn main() {
    let limits = vec![512u32, 2048, 128, 4096]; // site: limits
    let cfg = Rc::new(Config { name: "edge-1", limits }); // site: config
    let chain = Vec::with_capacity(4); // site: chain_buf
    let mut server = Box::new(Server { cfg: Rc::clone(&cfg), chain }); // site: server
    drop(cfg);
    let lines = Vec::with_capacity(24); // site: log_lines
    let logger = Box::new(Logger { cfg: Rc::clone(&server.cfg), lines }); // site: mw_logger
    server.chain.push(logger);
    let counts = vec![0u32; server.cfg.limits.len()]; // site: counts
    let counter = Box::new(Counter { cfg: Rc::clone(&server.cfg), counts }); // site: mw_counter
    server.chain.push(counter);
    let mut rejected = 0;
    for i in 0..40usize {
        let route = (i * 7) % 4;
        let size = ((i * 997) % 5000) as u32;
        for mw in server.chain.iter_mut() {
            if !mw.handle(route, size) {
                rejected += 1;
                break;
            }
        }
    }
    for mw in &server.chain {
        println!("{}", mw.report());
    }
    println!("rejected {} config holders {}", rejected, Rc::strong_count(&server.cfg));
}
