// A toy process scheduler in Rust whose queues are singly linked lists of
// `Option<Box<Node>>`: a boxed Scheduler holds four priority run queues and a wait queue
// (list heads inline in the box), each kept sorted (by virtual runtime, or by wake-up
// time) with a cursor over `&mut Option<Box<Node>>` links. A node holds a task inline: the
// task owns its name and a call-stack Vec that grows by reallocation as the task runs.
// Running pops the front node of the busiest queue; the task then exits (the node is
// dropped), blocks (the same box is moved to the wait queue), or is requeued; waking
// moves boxes back; kill and renice unlink a node by pid and drop it or move it to
// another queue. Lists drop their nodes iteratively (no recursive drop). No scan.
struct Task {
    pid: u32,
    name: String,
    stack: Vec<u64>,
    vruntime: u64,
    wake_at: u64,
    prio: usize,
}

struct Node {
    task: Task,
    next: Option<Box<Node>>,
}

#[derive(Default)]
struct List {
    head: Option<Box<Node>>,
    len: usize,
}

impl List {
    fn insert_by(&mut self, mut node: Box<Node>, key: fn(&Task) -> u64) {
        let k = key(&node.task);
        let mut cur = &mut self.head;
        while cur.as_ref().map_or(false, |n| key(&n.task) <= k) {
            cur = &mut cur.as_mut().unwrap().next;
        }
        node.next = cur.take();
        *cur = Some(node);
        self.len += 1;
    }

    fn pop_front(&mut self) -> Option<Box<Node>> {
        let mut node = self.head.take()?;
        self.head = node.next.take();
        self.len -= 1;
        Some(node)
    }

    fn unlink(&mut self, pid: u32) -> Option<Box<Node>> {
        let mut cur = &mut self.head;
        while cur.as_ref().map_or(false, |n| n.task.pid != pid) {
            cur = &mut cur.as_mut().unwrap().next;
        }
        let mut node = cur.take()?;
        *cur = node.next.take();
        self.len -= 1;
        Some(node)
    }
}

impl Drop for List {
    fn drop(&mut self) {
        let mut cur = self.head.take();
        while let Some(mut node) = cur {
            cur = node.next.take();
        }
    }
}

#[derive(Default)]
struct Scheduler {
    queues: [List; 4],
    waiting: List,
    now: u64,
    exited: u64,
    switches: u64,
}

fn by_vruntime(t: &Task) -> u64 {
    t.vruntime
}

fn by_wake(t: &Task) -> u64 {
    t.wake_at
}

#[inline(never)]
fn spawn(s: &mut Scheduler, pid: u32, prio: usize) {
    let name = format!("worker/{}:{}-kthread", prio, pid); // site: task_name
    let stack = Vec::with_capacity(2); // site: task_stack
    let min = s.queues[prio].head.as_ref().map_or(0, |n| n.task.vruntime);
    let node = Box::new(Node { task: Task { pid, name, stack, vruntime: min, wake_at: 0, prio }, next: None }); // site: node
    s.queues[prio].insert_by(node, by_vruntime);
}

#[inline(never)]
fn run_one(s: &mut Scheduler, r: u64) -> u64 {
    s.now += 1;
    while s.waiting.head.as_ref().map_or(false, |n| n.task.wake_at <= s.now) {
        let node = s.waiting.pop_front().unwrap();
        let prio = node.task.prio;
        s.queues[prio].insert_by(node, by_vruntime);
    }
    let Some(q) = (0..4).find(|&q| s.queues[q].len > 0) else { return 0 };
    let mut node = s.queues[q].pop_front().unwrap();
    s.switches += 1;
    let t = &mut node.task;
    t.vruntime += 1 + (r % 9) * (t.prio as u64 + 1);
    if t.stack.len() < 64 {
        t.stack.push(r ^ t.pid as u64); // site: task_stack_grown
    }
    let work = t.stack.len() as u64 + t.name.len() as u64;
    match r % 10 {
        0 => {
            s.exited += 1;
            drop(node);
        }
        1 | 2 => {
            node.task.wake_at = s.now + 3 + r % 20;
            s.waiting.insert_by(node, by_wake);
        }
        _ => s.queues[q].insert_by(node, by_vruntime),
    }
    work
}

fn find_list(s: &mut Scheduler, pid: u32) -> Option<Box<Node>> {
    for q in 0..4 {
        if let Some(node) = s.queues[q].unlink(pid) {
            return Some(node);
        }
    }
    s.waiting.unlink(pid)
}

fn main() {
    let mut s = Box::new(Scheduler::default()); // site: sched
    let mut seed: u64 = 2718;
    let mut next_pid = 1u32;
    let mut work = 0;
    let mut killed = 0;
    for _ in 0..6000 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = seed >> 33;
        match r % 16 {
            0 | 1 => {
                spawn(&mut s, next_pid, (r >> 4) as usize % 4);
                next_pid += 1;
            }
            2 => {
                if let Some(node) = find_list(&mut s, (r >> 4) as u32 % next_pid) {
                    killed += 1;
                    drop(node);
                }
            }
            3 => {
                if let Some(mut node) = find_list(&mut s, (r >> 4) as u32 % next_pid) {
                    node.task.prio = (node.task.prio + 1) % 4;
                    node.task.wake_at = 0;
                    let prio = node.task.prio;
                    s.queues[prio].insert_by(node, by_vruntime);
                }
            }
            _ => work += run_one(&mut s, r >> 5),
        }
    }
    let lens: Vec<usize> = s.queues.iter().map(|q| q.len).collect(); // site: lens
    println!("{:?} {} {} {} {} {}", lens, s.waiting.len, s.exited, killed, s.switches, work);
    drop(s);
}
