// A three-stage log-processing pipeline over bounded std::sync::mpsc channels, one thread
// per stage (main only starts and joins them): a reader thread allocates each batch (a
// Box<Batch> owning the raw bytes read and a Vec of parsed records) and sends it on; an
// enricher thread frees the raw bytes (no longer needed once parsed), computes a boxed
// summary owning a top-k Vec and attaches it to the batch; a sink thread folds each batch
// into its totals and frees it: summary's top-k, summary, records, then the batch. So
// batches, records and raw bytes are allocated on the reader and freed on another thread,
// summaries and top-k buffers allocated on the enricher and freed on the sink. Frees of
// interest are done field by field (mem::take, then drop) on their own lines. No scan.
use std::sync::mpsc::sync_channel;
use std::thread;

#[derive(Clone, Copy)]
struct Record {
    timestamp: u64,
    status: u16,
    bytes: u32,
}

struct Summary {
    errors: u32,
    total_bytes: u64,
    top: Vec<u32>,
}

struct Batch {
    seq: u64,
    raw: Vec<u8>,
    records: Vec<Record>,
    summary: Option<Box<Summary>>,
}

const BATCHES: u64 = 400;

#[inline(never)]
fn read_batch(seq: u64) -> Box<Batch> {
    let n = 40 + (seq % 60) as usize;
    let mut raw = Vec::with_capacity(n * 12); // site: raw
    for i in 0..n * 12 {
        raw.push((seq as usize * 7 + i * 13) as u8);
    }
    let mut records = Vec::with_capacity(n); // site: records
    for chunk in raw.chunks(12) {
        let status = if chunk[0] % 10 == 0 { 500 } else { 200 + chunk[1] as u16 % 4 };
        records.push(Record { timestamp: seq * 1000 + chunk[2] as u64, status, bytes: u32::from(chunk[3]) * 17 });
    }
    Box::new(Batch { seq, raw, records, summary: None }) // site: batch
}

#[inline(never)]
fn enrich(mut batch: Box<Batch>) -> Box<Batch> {
    let raw = std::mem::take(&mut batch.raw);
    drop(raw); // site: raw_freed
    let mut top = Vec::with_capacity(5); // site: top
    let mut sizes: Vec<u32> = batch.records.iter().map(|r| r.bytes).collect(); // site: sizes
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    top.extend_from_slice(&sizes[..5]);
    let errors = batch.records.iter().filter(|r| r.status >= 500).count() as u32;
    let total_bytes = batch.records.iter().map(|r| r.bytes as u64).sum();
    batch.summary = Some(Box::new(Summary { errors, total_bytes, top })); // site: summary
    batch
}

#[inline(never)]
fn consume(mut batch: Box<Batch>, totals: &mut [u64; 4]) {
    let mut summary = batch.summary.take().unwrap();
    totals[0] += summary.errors as u64;
    totals[1] += summary.total_bytes;
    totals[2] += summary.top[0] as u64 + batch.records.last().map_or(0, |r| r.timestamp % 1000);
    totals[3] = totals[3].wrapping_mul(31).wrapping_add(batch.seq);
    let top = std::mem::take(&mut summary.top);
    drop(top); // site: top_freed
    drop(summary); // site: summary_freed
    let records = std::mem::take(&mut batch.records);
    drop(records); // site: records_freed
    drop(batch); // site: batch_freed
}

fn main() {
    let (raw_tx, raw_rx) = sync_channel::<Box<Batch>>(8);
    let (rich_tx, rich_rx) = sync_channel::<Box<Batch>>(8);
    let reader = thread::spawn(move || {
        for seq in 0..BATCHES {
            raw_tx.send(read_batch(seq)).unwrap();
        }
    });
    let enricher = thread::spawn(move || {
        for batch in raw_rx.iter() {
            rich_tx.send(enrich(batch)).unwrap();
        }
    });
    let sink = thread::spawn(move || {
        let mut totals = [0u64; 4];
        for batch in rich_rx.iter() {
            consume(batch, &mut totals);
        }
        totals
    });
    reader.join().unwrap();
    enricher.join().unwrap();
    let totals = sink.join().unwrap();
    println!("{} {} {} {}", totals[0], totals[1], totals[2], totals[3]);
}
