// Real-program test: Rust at -C opt-level=3 with Vec, String, HashMap, Box, Rc, Arc and
// threads; most allocating calls are inlined. Written for the name checks of issue 16.
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::thread;


enum Shape {
    Circle(#[allow(dead_code)] f64),
    Polygon(Vec<(f64, f64)>),
}

#[inline(never)]
fn build_shapes(count: usize) -> Vec<Box<Shape>> {
    let mut shapes = Vec::new();
    for i in 0..count {
        if i % 3 == 0 {
            shapes.push(Box::new(Shape::Circle(i as f64)));
        } else {
            let points: Vec<(f64, f64)> = (0..(i % 11 + 3)).map(|k| (k as f64, i as f64)).collect();
            shapes.push(Box::new(Shape::Polygon(points)));
        }
    }
    shapes
}

#[inline(never)]
fn build_index(shapes: &[Box<Shape>]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, shape) in shapes.iter().enumerate() {
        let name = match **shape {
            Shape::Circle(_) => format!("circle-{i}"),
            Shape::Polygon(ref p) => format!("polygon-{i}-{}", p.len()),
        };
        index.insert(name, i);
    }
    index
}

#[inline(never)]
fn share_names(index: &HashMap<String, usize>) -> Vec<Rc<String>> {
    let mut names: Vec<Rc<String>> = index.keys().take(500).map(|k| Rc::new(k.clone())).collect();
    names.sort();
    names
}

fn main() {
    let shapes = build_shapes(4000);
    let index = build_index(&shapes);
    let names = share_names(&index);
    let table = Arc::new(names.iter().map(|n| n.len()).collect::<Vec<_>>());
    let workers: Vec<_> = (0..4)
        .map(|t| {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                let mut local: Vec<String> = Vec::new();
                for (i, n) in table.iter().enumerate() {
                    if i % 4 == t {
                        local.push(format!("{t}:{n}"));
                    }
                }
                local.len()
            })
        })
        .collect();
    let total: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    std::process::exit(if total + index.len() > 0 { 0 } else { 1 });
}
