// Course enrolment graph with Rc<RefCell<..>>: a boxed registry holds reserved vectors
// of Rc courses and Rc students. A course (title String, reserved roster of strong Rc
// students) keeps its students alive; a student (name String, reserved Vec of Weak
// courses) only observes its courses. Students leave the registry (kept alive by the
// rosters), courses are cancelled (dropped from the registry: their titles and rosters
// go, but each allocation stays until the students' Weak handles to it are pruned),
// students withdraw from courses. No scan.
use std::cell::RefCell;
use std::rc::{Rc, Weak};

struct Course {
    title: String,
    roster: Vec<Rc<RefCell<Student>>>,
}

struct Student {
    name: String,
    courses: Vec<Weak<RefCell<Course>>>,
}

struct Registry {
    courses: Vec<Rc<RefCell<Course>>>,
    students: Vec<Rc<RefCell<Student>>>,
}

const NC: usize = 10;
const NS: usize = 40;

fn main() {
    let mut courses = Vec::with_capacity(NC); // site: courses_buf
    let mut students = Vec::with_capacity(NS); // site: students_buf
    for c in 0..NC {
        let mut title = String::with_capacity(40); // site: title
        title.push_str(&format!("Course {:02}: topics in subject {}", c, c * 7 % 11));
        let roster = Vec::with_capacity(NS); // site: roster
        courses.push(Rc::new(RefCell::new(Course { title, roster }))); // site: course
    }
    for s in 0..NS {
        let mut name = String::with_capacity(24); // site: sname
        name.push_str(&format!("student {:02}", s));
        let of = Vec::with_capacity(NC); // site: enrolled
        students.push(Rc::new(RefCell::new(Student { name, courses: of }))); // site: student
    }
    let mut reg = Box::new(Registry { courses, students }); // site: registry
    for s in 0..NS {
        for k in 0..3 {
            let c = (s * 3 + k * 4) % NC;
            let course = &reg.courses[c];
            let student = &reg.students[s];
            if course.borrow().roster.iter().any(|x| Rc::ptr_eq(x, student)) {
                continue;
            }
            course.borrow_mut().roster.push(Rc::clone(student));
            student.borrow_mut().courses.push(Rc::downgrade(course));
        }
    }
    // Graduated students leave the registry: the rosters keep them.
    let before = reg.students.len();
    reg.students.retain(|s| s.borrow().name.ends_with('0') == false || s.borrow().courses.len() < 3);
    let left = before - reg.students.len();
    // Two courses are cancelled: their data goes, the allocations stay while Weak handles remain.
    let cancelled = reg.courses.remove(7);
    drop(cancelled);
    let cancelled = reg.courses.remove(2);
    drop(cancelled);
    let mut dangling = 0;
    for c in &reg.courses {
        for s in &c.borrow().roster {
            dangling += s.borrow().courses.iter().filter(|w| w.upgrade().is_none()).count();
        }
    }
    // Students prune their dead Weak handles; every third withdraws from its first course.
    for c in &reg.courses {
        for s in &c.borrow().roster {
            s.borrow_mut().courses.retain(|w| w.upgrade().is_some());
        }
    }
    for s in &reg.students {
        s.borrow_mut().courses.retain(|w| w.upgrade().is_some());
    }
    let mut withdrawn = 0;
    for (i, s) in reg.students.iter().enumerate() {
        if i % 3 != 0 || s.borrow().courses.is_empty() {
            continue;
        }
        let first = s.borrow_mut().courses.remove(0);
        if let Some(c) = first.upgrade() {
            c.borrow_mut().roster.retain(|x| !Rc::ptr_eq(x, s));
            withdrawn += 1;
        }
    }
    let seats: usize = reg.courses.iter().map(|c| c.borrow().roster.len()).sum();
    let strong_max = reg.courses.iter().flat_map(|c| c.borrow().roster.iter().map(Rc::strong_count).collect::<Vec<_>>()).max().unwrap_or(0);
    println!("{} ({} characters), {} courses, {} students registered ({} left), {} dangling handles pruned, {} withdrawals, {} seats, max holders {}", reg.courses[0].borrow().title, reg.courses[0].borrow().title.len(), reg.courses.len(), reg.students.len(), left, dangling, withdrawn, seats, strong_max);
}
