// Reliable sender's retransmission queue: a boxed sender owns a VecDeque<Box<Segment>>
// of unacknowledged segments, made with room for 4 and grown by the standard library
// (RawVec growth through realloc) as the window opens. Segments own exact-size payload
// Vecs. Each round sends a burst, receives a cumulative acknowledgement (segments at
// the front are dropped) and, on a timeout, moves the oldest unacknowledged segment from
// the front to the back for retransmission. No scan.
struct Segment {
    seq: u32,
    sent: u32,
    payload: Vec<u8>,
}

struct Sender {
    unacked: std::collections::VecDeque<Box<Segment>>,
    next_seq: u32,
    acked: u32,
    grows: u32,
    resent: u32,
}

fn enqueue(s: &mut Sender, seg: Box<Segment>) {
    let cap = s.unacked.capacity();
    s.unacked.push_back(seg); // site: unacked_grown
    if s.unacked.capacity() != cap {
        s.grows += 1;
    }
}

fn main() {
    let q = std::collections::VecDeque::with_capacity(4); // site: unacked
    let mut s = Box::new(Sender { unacked: q, next_seq: 0, acked: 0, grows: 0, resent: 0 }); // site: sender
    let mut sum = 0u64;
    let mut most = 0usize;
    for round in 0..60u32 {
        let burst = 1 + (round * 7 + round / 5) % 9;
        for _ in 0..burst {
            let seq = s.next_seq;
            s.next_seq += 1;
            let len = 16 + (seq as usize * 29) % 100;
            let mut payload = Vec::with_capacity(len); // site: payload
            for i in 0..len {
                payload.push((seq as usize * 7 + i * 3) as u8);
            }
            let seg = Box::new(Segment { seq, sent: 1, payload }); // site: segment
            enqueue(&mut s, seg);
        }
        most = most.max(s.unacked.len());
        if round % 4 == 3 {
            if let Some(mut seg) = s.unacked.pop_front() {
                seg.sent += 1;
                s.resent += 1;
                enqueue(&mut s, seg);
            }
        }
        let ack_upto = s.acked + (round * 5) % 7;
        while let Some(front) = s.unacked.front() {
            if front.seq >= ack_upto && round % 6 != 5 {
                break;
            }
            let seg = s.unacked.pop_front().unwrap();
            sum = (sum * 31 + seg.seq as u64 * 3 + seg.sent as u64 + seg.payload.iter().map(|&b| b as u64).sum::<u64>()) % 1_000_000_007;
            s.acked = s.acked.max(seg.seq + 1);
            if round % 6 == 5 && s.unacked.len() <= 2 {
                break;
            }
        }
    }
    println!("sent {} in flight {} most {} capacity {} grows {} resent {} checksum {}", s.next_seq, s.unacked.len(), most, s.unacked.capacity(), s.grows, s.resent, sum);
}
