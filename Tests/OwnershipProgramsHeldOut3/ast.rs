// A small expression language in Rust: a lexer turns a source file into a Vec of tokens
// (each owning its text as a String), and a precedence-climbing parser builds an AST
// whose nodes borrow the tokens (`&'t Token`) instead of copying them. Binary nodes own
// their operands in two Boxes; call nodes own their arguments in a Vec<Expr> (started
// with room for four, grown by reallocation); the parsed statements sit in a Vec<Expr>.
// Each file is tokenized, parsed, evaluated, then its statements are dropped (the tree
// freed children first) before its tokens. No scan.
use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Num,
    Ident,
    Op,
    LParen,
    RParen,
    Comma,
    Semi,
}

struct Token {
    kind: Kind,
    text: String,
    pos: usize,
}

enum Expr<'t> {
    Num(&'t Token),
    Var(&'t Token),
    Binary { op: &'t Token, lhs: Box<Expr<'t>>, rhs: Box<Expr<'t>> },
    Call { name: &'t Token, args: Vec<Expr<'t>> },
}

#[inline(never)]
fn tokenize(src: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(src.len() + 1); // site: tokens
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            Kind::Num
        } else if c.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            Kind::Ident
        } else {
            i += 1;
            match c {
                b'(' => Kind::LParen,
                b')' => Kind::RParen,
                b',' => Kind::Comma,
                b';' => Kind::Semi,
                _ => Kind::Op,
            }
        };
        let text = src[start..i].to_string(); // site: token_text
        tokens.push(Token { kind, text, pos: start });
    }
    tokens
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

fn precedence(op: &str) -> u8 {
    match op {
        "+" | "-" => 1,
        "*" | "/" | "%" => 2,
        _ => 0,
    }
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> &'t Token {
        let t = &self.tokens[self.at];
        self.at += 1;
        t
    }

    fn expect(&mut self, kind: Kind) {
        let t = self.next();
        assert_eq!(t.kind, kind, "at {}", t.pos);
    }

    fn primary(&mut self) -> Expr<'t> {
        let t = self.next();
        match t.kind {
            Kind::Num => Expr::Num(t),
            Kind::Ident => {
                if self.peek().map(|p| p.kind) != Some(Kind::LParen) {
                    return Expr::Var(t);
                }
                self.expect(Kind::LParen);
                let mut args = Vec::with_capacity(4); // site: args
                if self.peek().map(|p| p.kind) != Some(Kind::RParen) {
                    loop {
                        let arg = self.expr(1);
                        args.push(arg); // site: args_grown
                        if self.peek().map(|p| p.kind) == Some(Kind::Comma) {
                            self.at += 1;
                        } else {
                            break;
                        }
                    }
                }
                self.expect(Kind::RParen);
                Expr::Call { name: t, args }
            }
            Kind::LParen => {
                let inner = self.expr(1);
                self.expect(Kind::RParen);
                inner
            }
            _ => panic!("unexpected {:?} at {}", t.kind, t.pos),
        }
    }

    fn expr(&mut self, min: u8) -> Expr<'t> {
        let mut lhs = self.primary();
        while let Some(op) = self.peek() {
            let prec = if op.kind == Kind::Op { precedence(&op.text) } else { 0 };
            if prec == 0 || prec < min {
                break;
            }
            self.at += 1;
            let rhs = self.expr(prec + 1);
            let l = Box::new(lhs); // site: lhs_box
            let r = Box::new(rhs); // site: rhs_box
            lhs = Expr::Binary { op, lhs: l, rhs: r };
        }
        lhs
    }
}

#[inline(never)]
fn parse(tokens: &[Token]) -> Vec<Expr<'_>> {
    let count = tokens.iter().filter(|t| t.kind == Kind::Semi).count();
    let mut statements = Vec::with_capacity(count); // site: statements
    let mut p = Parser { tokens, at: 0 };
    while p.at < tokens.len() {
        let e = p.expr(1);
        p.expect(Kind::Semi);
        statements.push(e);
    }
    statements
}

fn eval(e: &Expr, env: &HashMap<&str, i64>) -> i64 {
    match e {
        Expr::Num(t) => t.text.parse().unwrap(),
        Expr::Var(t) => *env.get(t.text.as_str()).unwrap_or(&1),
        Expr::Binary { op, lhs, rhs } => {
            let (a, b) = (eval(lhs, env), eval(rhs, env));
            match op.text.as_str() {
                "+" => a.wrapping_add(b),
                "-" => a.wrapping_sub(b),
                "*" => a.wrapping_mul(b),
                "/" => if b == 0 { 0 } else { a / b },
                _ => if b == 0 { 0 } else { a % b },
            }
        }
        Expr::Call { name, args } => {
            let values: i64 = args.iter().map(|a| eval(a, env)).fold(0i64, |s, v| s.wrapping_add(v));
            values.wrapping_mul(name.text.len() as i64)
        }
    }
}

const TEMPLATES: [&str; 6] = [
    "f(a + b, g(c), 3) * d + (e - 2) * h(1, 2, 3, 4, 5, 6);",
    "g(x);",
    "42;",
    "a * b - c / 7 + max(a, b * 2, min(c, d)) % 5;",
    "sum(1, 2, 3, 4, 5, 6, 7, 8, 9) - sum(a, b) - 1;",
    "x;",
];

fn main() {
    let mut env = HashMap::new();
    for (i, name) in ["a", "b", "c", "d", "e", "x"].iter().enumerate() {
        env.insert(*name, i as i64 + 2);
    }
    let mut total = 0i64;
    let mut nodes = 0usize;
    let mut src = String::new();
    for file in 0..40usize {
        src.clear();
        for s in 0..30usize {
            src.push_str(TEMPLATES[(file * 7 + s * 5) % TEMPLATES.len()]);
            src.push(if s % 3 == 2 { '\n' } else { ' ' });
        }
        let tokens = tokenize(&src);
        let statements = parse(&tokens);
        for st in statements.iter() {
            total = total.wrapping_add(eval(st, &env));
        }
        nodes += statements.len();
        drop(statements);
        drop(tokens);
    }
    println!("{} {}", total, nodes);
}
