// Rust connection state machine in the "state pattern" with boxed trait objects: a
// boxed table owns a reserved Vec of connections, each owning its current state as an
// `Option<Box<dyn State>>`. A transition consumes the old box and returns a new one of
// another type: Closed, Listen (owning a reserved backlog Vec), Established (owning a
// reserved peer String and a reserved receive buffer) and TimeWait (taking over the
// receive buffer). No scan.

enum Ev {
    Open,
    Syn(u32),
    Data(u8),
    Fin,
    Tick,
}

trait State {
    fn on(self: Box<Self>, ev: &Ev) -> Box<dyn State>;
    fn describe(&self) -> String;
}

struct Closed {
    attempts: u32,
}

struct Listen {
    attempts: u32,
    backlog: Vec<u32>,
}

struct Established {
    peer: String,
    rx: Vec<u8>,
}

struct TimeWait {
    ticks: u32,
    last: Vec<u8>,
}

impl State for Closed {
    fn on(self: Box<Self>, ev: &Ev) -> Box<dyn State> {
        match ev {
            Ev::Open => {
                let mut backlog = Vec::with_capacity(4); // site: backlog
                backlog.push(self.attempts);
                Box::new(Listen { attempts: self.attempts + 1, backlog }) // site: listen
            }
            _ => self,
        }
    }
    fn describe(&self) -> String {
        format!("closed({})", self.attempts)
    }
}

impl State for Listen {
    fn on(self: Box<Self>, ev: &Ev) -> Box<dyn State> {
        match ev {
            Ev::Syn(port) => {
                let mut peer = String::with_capacity(32); // site: peer
                peer.push_str("10.0.0.");
                peer.push_str(&(port % 250).to_string());
                peer.push(':');
                peer.push_str(&port.to_string());
                let rx = Vec::with_capacity(16); // site: rx
                Box::new(Established { peer, rx }) // site: established
            }
            _ => self,
        }
    }
    fn describe(&self) -> String {
        format!("listen({}, backlog {})", self.attempts, self.backlog.len())
    }
}

impl State for Established {
    fn on(mut self: Box<Self>, ev: &Ev) -> Box<dyn State> {
        match ev {
            Ev::Data(b) => {
                if self.rx.len() < self.rx.capacity() {
                    self.rx.push(*b);
                }
                self
            }
            Ev::Fin => {
                let last = std::mem::take(&mut self.rx);
                Box::new(TimeWait { ticks: 0, last }) // site: time_wait
            }
            _ => self,
        }
    }
    fn describe(&self) -> String {
        format!("established({}, {} bytes)", self.peer, self.rx.len())
    }
}

impl State for TimeWait {
    fn on(mut self: Box<Self>, ev: &Ev) -> Box<dyn State> {
        match ev {
            Ev::Tick if self.ticks >= 2 => {
                let sum: u32 = self.last.iter().map(|&b| b as u32).sum();
                Box::new(Closed { attempts: sum % 7 }) // site: closed_again
            }
            Ev::Tick => {
                self.ticks += 1;
                self
            }
            _ => self,
        }
    }
    fn describe(&self) -> String {
        format!("time-wait({}, kept {} bytes)", self.ticks, self.last.len())
    }
}

struct Conn {
    id: u32,
    state: Option<Box<dyn State>>,
}

struct Table {
    conns: Vec<Conn>,
}

fn main() {
    let conns = Vec::with_capacity(4); // site: conns_buf
    let mut table = Box::new(Table { conns }); // site: table
    for id in 0..4u32 {
        table.conns.push(Conn { id, state: Some(Box::new(Closed { attempts: id })) }); // site: closed
    }
    let script: Vec<Ev> = vec![
        Ev::Open,
        Ev::Syn(8080),
        Ev::Data(3),
        Ev::Data(9),
        Ev::Tick,
        Ev::Data(27),
        Ev::Fin,
        Ev::Tick,
        Ev::Tick,
        Ev::Tick,
        Ev::Open,
        Ev::Syn(443),
        Ev::Data(1),
    ];
    for (step, ev) in script.iter().enumerate() {
        for c in table.conns.iter_mut() {
            // connection k starts k steps late
            if step < c.id as usize {
                continue;
            }
            let s = c.state.take().unwrap();
            c.state = Some(s.on(ev));
        }
        if step % 3 == 0 || step == script.len() - 1 {
            let line: Vec<String> = table.conns.iter().map(|c| c.state.as_ref().unwrap().describe()).collect();
            println!("step {:2}: {}", step, line.join(" | "));
        }
    }
    table.conns.truncate(1);
    println!("kept {} connection(s): {}", table.conns.len(), table.conns[0].state.as_ref().unwrap().describe());
}
