// A text editor's undo/redo in Rust with trait-object commands: the boxed editor holds
// the document text (a String grown by realloc as it is edited) and two stacks of
// `Box<dyn Command>` (each reserved for 33, never grown): executing a command applies it,
// pushes it on the undo stack (the oldest dropped with remove(0) beyond 32) and clears
// the redo stack; undo pops a command, reverts it and pushes it on the redo stack; redo
// moves it back. Commands: Insert (owning its text), Delete (owning the text it removed,
// captured anew each time it is applied) and Batch (owning a Vec of boxed Insert and
// Delete commands, applied in order, reverted in reverse). No scan.
trait Command {
    fn apply(&mut self, doc: &mut String);
    fn revert(&mut self, doc: &mut String);
    fn weight(&self) -> usize;
}

#[inline(never)]
fn insert_at(doc: &mut String, pos: usize, s: &str) {
    doc.insert_str(pos, s); // site: doc_text_grown
}

struct Insert {
    pos: usize,
    text: String,
}

impl Command for Insert {
    fn apply(&mut self, doc: &mut String) {
        let pos = self.pos.min(doc.len());
        self.pos = pos;
        insert_at(doc, pos, &self.text);
    }
    fn revert(&mut self, doc: &mut String) {
        doc.replace_range(self.pos..self.pos + self.text.len(), "");
    }
    fn weight(&self) -> usize {
        self.text.len()
    }
}

struct Delete {
    pos: usize,
    len: usize,
    removed: String,
}

impl Command for Delete {
    fn apply(&mut self, doc: &mut String) {
        let pos = self.pos.min(doc.len());
        let end = (pos + self.len).min(doc.len());
        self.pos = pos;
        self.removed = String::from(&doc[pos..end]); // site: del_removed
        doc.replace_range(pos..end, "");
    }
    fn revert(&mut self, doc: &mut String) {
        insert_at(doc, self.pos, &self.removed);
    }
    fn weight(&self) -> usize {
        self.removed.len() + 1
    }
}

struct Batch {
    cmds: Vec<Box<dyn Command>>,
}

impl Command for Batch {
    fn apply(&mut self, doc: &mut String) {
        for c in self.cmds.iter_mut() {
            c.apply(doc);
        }
    }
    fn revert(&mut self, doc: &mut String) {
        for c in self.cmds.iter_mut().rev() {
            c.revert(doc);
        }
    }
    fn weight(&self) -> usize {
        self.cmds.iter().map(|c| c.weight()).sum()
    }
}

struct Editor {
    doc: String,
    undo: Vec<Box<dyn Command>>,
    redo: Vec<Box<dyn Command>>,
}

const LIMIT: usize = 32;

impl Editor {
    fn execute(&mut self, mut cmd: Box<dyn Command>) {
        cmd.apply(&mut self.doc);
        self.undo.push(cmd);
        if self.undo.len() > LIMIT {
            let oldest = self.undo.remove(0);
            drop(oldest);
        }
        self.redo.clear();
    }
    fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(mut c) => {
                c.revert(&mut self.doc);
                self.redo.push(c);
                true
            }
            None => false,
        }
    }
    fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(mut c) => {
                c.apply(&mut self.doc);
                self.undo.push(c);
                true
            }
            None => false,
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

const WORDS: [&str; 6] = ["lorem ", "ipsum ", "dolor ", "sit amet ", "consectetur ", "adipiscing "];

#[inline(never)]
fn make_insert(rng: &mut Rng, doc_len: usize) -> Box<dyn Command> {
    let text = WORDS[rng.next() % WORDS.len()].repeat(1 + rng.next() % 3); // site: ins_text
    Box::new(Insert { pos: rng.next() % (doc_len + 1), text }) // site: cmd_insert
}

#[inline(never)]
fn make_delete(rng: &mut Rng, doc_len: usize) -> Box<dyn Command> {
    Box::new(Delete { pos: rng.next() % (doc_len + 1), len: 1 + rng.next() % 12, removed: String::new() }) // site: cmd_delete
}

#[inline(never)]
fn make_batch(rng: &mut Rng, doc_len: usize) -> Box<dyn Command> {
    let n = 2 + rng.next() % 3;
    let mut cmds: Vec<Box<dyn Command>> = Vec::with_capacity(n); // site: batch_cmds
    for _ in 0..n {
        if rng.next() % 2 == 0 {
            cmds.push(make_insert(rng, doc_len));
        } else {
            cmds.push(make_delete(rng, doc_len));
        }
    }
    Box::new(Batch { cmds }) // site: cmd_batch
}

fn ascii_boundary(doc: &str) -> bool {
    doc.is_ascii()
}

fn main() {
    let doc = String::with_capacity(32); // site: doc_text
    let undo: Vec<Box<dyn Command>> = Vec::with_capacity(LIMIT + 1); // site: undo_stack
    let redo: Vec<Box<dyn Command>> = Vec::with_capacity(LIMIT + 1); // site: redo_stack
    let mut ed = Box::new(Editor { doc, undo, redo }); // site: editor
    let mut rng = Rng(2718);
    let (mut undos, mut redos, mut execs) = (0, 0, 0);
    let mut sum = 0usize;
    for step in 0..4000 {
        let op = rng.next() % 10;
        let len = ed.doc.len();
        if op < 4 {
            let c = if len > 4000 { make_delete(&mut rng, len) } else { make_insert(&mut rng, len) };
            ed.execute(c);
            execs += 1;
        } else if op < 5 {
            let c = make_delete(&mut rng, len);
            ed.execute(c);
            execs += 1;
        } else if op < 6 {
            let c = make_batch(&mut rng, len);
            ed.execute(c);
            execs += 1;
        } else if op < 8 {
            undos += ed.undo() as usize;
        } else {
            redos += ed.redo() as usize;
        }
        if step % 100 == 0 {
            sum += ed.doc.len() + ed.undo.iter().map(|c| c.weight()).sum::<usize>() + ed.redo.len();
        }
    }
    assert!(ascii_boundary(&ed.doc));
    println!("execs={} undos={} redos={} len={} undo={} redo={} sum={}", execs, undos, redos, ed.doc.len(), ed.undo.len(), ed.redo.len(), sum);
    drop(ed);
}
