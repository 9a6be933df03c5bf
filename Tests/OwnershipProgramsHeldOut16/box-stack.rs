// Browser navigation history as two linked stacks of boxed pages: a boxed History owns
// the current page and the heads of a back stack and a forward stack
// (`Option<Box<Page>>`, each page owning the one below it). Visiting pushes the current
// page on the back stack and drops the forward stack; going back or forward moves the
// boxes between the stacks without reallocating them. Pages own their URL strings.
// No scan.

struct Page {
    url: String,
    visits: u32,
    below: Option<Box<Page>>,
}

struct History {
    current: Option<Box<Page>>,
    back: Option<Box<Page>>,
    forward: Option<Box<Page>>,
    dropped: usize,
}

fn depth(mut p: &Option<Box<Page>>) -> usize {
    let mut n = 0;
    while let Some(b) = p {
        n += 1;
        p = &b.below;
    }
    n
}

impl History {
    fn visit(&mut self, i: u32) {
        let url = format!("https://example.test/section/{}/article-{}", i % 5, i); // site: url
        let page = Box::new(Page { url, visits: 1, below: None }); // site: page
        if let Some(mut cur) = self.current.take() {
            cur.below = self.back.take();
            self.back = Some(cur);
        }
        self.dropped += depth(&self.forward);
        self.forward = None;
        self.current = Some(page);
    }

    fn go_back(&mut self) -> bool {
        match self.back.take() {
            None => false,
            Some(mut prev) => {
                self.back = prev.below.take();
                let mut cur = self.current.take().unwrap();
                cur.below = self.forward.take();
                self.forward = Some(cur);
                prev.visits += 1;
                self.current = Some(prev);
                true
            }
        }
    }

    fn go_forward(&mut self) -> bool {
        match self.forward.take() {
            None => false,
            Some(mut next) => {
                self.forward = next.below.take();
                let mut cur = self.current.take().unwrap();
                cur.below = self.back.take();
                self.back = Some(cur);
                next.visits += 1;
                self.current = Some(next);
                true
            }
        }
    }
}

fn main() {
    let mut h = Box::new(History { current: None, back: None, forward: None, dropped: 0 }); // site: history
    let mut moves = 0;
    for i in 0..40u32 {
        h.visit(i);
        if i % 4 == 3 {
            for _ in 0..3 {
                if h.go_back() {
                    moves += 1;
                }
            }
            if h.go_forward() {
                moves += 1;
            }
        }
    }
    let cur = h.current.as_ref().unwrap();
    println!(
        "current {} visits {} back {} forward {} dropped {} moves {}",
        cur.url,
        cur.visits,
        depth(&h.back),
        depth(&h.forward),
        h.dropped,
        moves
    );
}
