// A library catalog in Rust: a boxed Catalog holds a `HashMap<String, Vec<Box<Book>>>`
// from author to that author's shelf of boxed books (a shelf starts with room for four
// and grows by reallocation). A book owns its title. Queries collect borrowed `&Book`s
// into a results Vec. Mid-way some books are withdrawn, some move to another author's
// shelf, and some authors are removed with their whole shelf; the rest go when the
// catalog is dropped. (The map uses a fixed-key hasher, so runs are reproducible.)
// No scan.
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::fmt::Write;

struct Book {
    title: String,
    year: u32,
    loans: u32,
}

struct Catalog {
    by_author: HashMap<String, Vec<Box<Book>>, BuildHasherDefault<DefaultHasher>>,
    books: usize,
}

fn new_shelf() -> Vec<Box<Book>> {
    Vec::with_capacity(4) // site: shelf
}

fn author_name(i: u64) -> String {
    let mut key = String::with_capacity(24); // site: author_key
    write!(key, "Author {:03}", i).unwrap();
    key
}

#[inline(never)]
fn add_book(catalog: &mut Catalog, author: u64, n: u64) {
    let mut title = String::with_capacity(40); // site: title
    write!(title, "Volume {} of the works ({})", n, author).unwrap();
    let book = Box::new(Book { title, year: 1900 + (n % 120) as u32, loans: 0 }); // site: book
    let key = author_name(author);
    let shelf = catalog.by_author.entry(key).or_insert_with(new_shelf); // site: table
    shelf.push(book); // site: shelf_grown
    catalog.books += 1;
}

#[inline(never)]
fn query<'a>(catalog: &'a Catalog, from: u32, to: u32) -> usize {
    let mut hits: Vec<&'a Book> = Vec::with_capacity(1024); // site: hits
    for shelf in catalog.by_author.values() {
        for book in shelf.iter() {
            if book.year >= from && book.year < to && hits.len() < hits.capacity() {
                hits.push(book);
            }
        }
    }
    hits.iter().map(|b| b.title.len() + b.loans as usize).sum()
}

fn main() {
    let mut catalog = Box::new(Catalog { by_author: HashMap::default(), books: 0 }); // site: catalog
    let mut seed: u64 = 5;
    for n in 0..2500u64 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        add_book(&mut catalog, (seed >> 33) % 180, n);
    }
    let q1 = query(&catalog, 1950, 1990);
    // Withdraw books and lend others.
    for (i, shelf) in catalog.by_author.values_mut().enumerate() {
        if shelf.len() > 3 && i % 2 == 0 {
            let gone = shelf.swap_remove(i % shelf.len());
            drop(gone);
        }
        for b in shelf.iter_mut() {
            b.loans += b.year % 3;
        }
    }
    // Move a book from one author's shelf to another's, if the other shelf has room.
    let mut moves = 0;
    for a in 0..60u64 {
        let from = author_name(a);
        let to = author_name(a + 100);
        let room = catalog.by_author.get(&to).map_or(false, |s| s.len() < s.capacity());
        if !room {
            continue;
        }
        if let Some(book) = catalog.by_author.get_mut(&from).and_then(|s| s.pop()) {
            catalog.by_author.get_mut(&to).unwrap().push(book);
            moves += 1;
        }
    }
    // Remove some authors with their shelves.
    let mut removed = 0;
    for a in (0..180u64).step_by(7) {
        if let Some(shelf) = catalog.by_author.remove(&author_name(a)) {
            removed += shelf.len();
            drop(shelf);
        }
    }
    let q2 = query(&catalog, 1900, 2020);
    let left: usize = catalog.by_author.values().map(|s| s.len()).sum();
    println!("{} {} {} {} {} {} {}", catalog.books, moves, q1, q2, removed, left, catalog.by_author.len());
    drop(catalog);
}
