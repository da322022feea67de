//! The Pratt parser: tokens to a syntax tree that still mirrors the operators
//! (`.`, `[`, `{`, `^`, `@`, `#`); [`super::compile`] turns it into paths and steps.

use super::error::{Code, Error, Result};
use super::lex::{Kind, Lexer, Token};
use super::signature::Signature;

/// Nesting deeper than this is refused instead of overflowing the stack.
const MAX_NESTING: usize = 300;

#[derive(Debug, Clone)]
pub(crate) struct Ast {
    pub(crate) kind: AstKind,
    pub(crate) pos: usize,
    /// Set by an empty predicate `[]`: keep singleton arrays.
    pub(crate) keep_array: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum AstKind {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Name(String),
    Var(String),
    Regex(String, String),
    Wildcard,
    Descendant,
    Parent,
    /// The `?` of a partial application.
    Placeholder,
    Neg(Box<Ast>),
    Array(Vec<Ast>),
    Object(Vec<(Ast, Ast)>),
    Binary(&'static str, Box<Ast>, Box<Ast>),
    Predicate(Box<Ast>, Box<Ast>),
    Group(Box<Ast>, Vec<(Ast, Ast)>),
    Sort(Box<Ast>, Vec<(bool, Ast)>),
    Focus(Box<Ast>, String),
    Index(Box<Ast>, String),
    Condition(Box<Ast>, Box<Ast>, Option<Box<Ast>>),
    Block(Vec<Ast>),
    Bind(Box<Ast>, Box<Ast>),
    Apply(Box<Ast>, Box<Ast>),
    Call(Box<Ast>, Vec<Ast>, bool),
    Lambda(Vec<String>, Option<Signature>, Box<Ast>),
    Transform(Box<Ast>, Box<Ast>, Option<Box<Ast>>),
}

/// Parses a whole expression.
pub(crate) fn parse(src: &str) -> Result<Ast> {
    let mut lexer = Lexer::new(src);
    let first = lexer.next(false)?;
    let mut p = Parser {
        lexer,
        tok: first,
        depth: 0,
    };
    let ast = p.expression(0)?;
    if p.tok.kind != Kind::End {
        return Err(Error::new(Code::S0201)
            .at(p.tok.pos)
            .token(p.tok.kind.text()));
    }
    Ok(ast)
}

struct Parser {
    lexer: Lexer,
    tok: Token,
    depth: usize,
}

fn lbp(kind: &Kind) -> u8 {
    match kind {
        Kind::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn node(kind: AstKind, pos: usize) -> Ast {
    Ast {
        kind,
        pos,
        keep_array: false,
    }
}

impl Parser {
    /// Moves to the next token, checking that the current one is `expected`.
    fn advance(&mut self, expected: Option<&str>, infix: bool) -> Result<Token> {
        if let Some(id) = expected
            && self.tok.kind != Kind::Op(op_static(id))
        {
            let code = if self.tok.kind == Kind::End {
                Code::S0203
            } else {
                Code::S0202
            };
            return Err(Error::new(code)
                .at(self.tok.pos)
                .value(id)
                .token(self.tok.kind.text()));
        }
        let next = self.lexer.next(infix)?;
        if let Kind::Op(op @ ("!" | "~")) = next.kind {
            return Err(Error::new(Code::S0204).at(next.pos).token(op));
        }
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn is(&self, op: &str) -> bool {
        matches!(&self.tok.kind, Kind::Op(o) if *o == op)
    }

    fn expression(&mut self, rbp: u8) -> Result<Ast> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Error::new(Code::U1001).at(self.tok.pos));
        }
        let t = self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.tok.kind) {
            let t = self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> Result<Ast> {
        let pos = t.pos;
        let kind = match t.kind {
            Kind::Str(s) => AstKind::Str(s),
            Kind::Num(n) => AstKind::Num(n),
            Kind::Bool(b) => AstKind::Bool(b),
            Kind::Null => AstKind::Null,
            Kind::Name(n) => AstKind::Name(n),
            Kind::Var(v) => AstKind::Var(v),
            Kind::Regex(p, f) => AstKind::Regex(p, f),
            Kind::End => return Err(Error::new(Code::S0207).at(pos)),
            Kind::Op(op) => match op {
                "and" | "or" | "in" => AstKind::Name(op.to_owned()),
                "-" => AstKind::Neg(Box::new(self.expression(70)?)),
                "*" => AstKind::Wildcard,
                "**" => AstKind::Descendant,
                "%" => AstKind::Parent,
                "(" => self.block()?,
                "[" => self.array()?,
                "{" => AstKind::Object(self.pairs()?),
                "|" => self.transform()?,
                "/" => {
                    let (pattern, flags) = self.lexer.regex_at(pos)?;
                    self.tok = self.lexer.next(true)?;
                    AstKind::Regex(pattern, flags)
                }
                _ => return Err(Error::new(Code::S0211).at(pos).token(op)),
            },
        };
        Ok(node(kind, pos))
    }

    fn led(&mut self, t: Token, left: Ast) -> Result<Ast> {
        let pos = t.pos;
        let Kind::Op(op) = t.kind else {
            return Err(Error::new(Code::S0204).at(pos).token(t.kind.text()));
        };
        let kind = match op {
            "(" => return self.call(left, pos),
            "[" => {
                if self.is("]") {
                    let mut left = left;
                    mark_keep_array(&mut left);
                    self.advance(Some("]"), true)?;
                    return Ok(left);
                }
                let rhs = self.expression(0)?;
                self.advance(Some("]"), true)?;
                AstKind::Predicate(Box::new(left), Box::new(rhs))
            }
            "{" => AstKind::Group(Box::new(left), self.pairs()?),
            "^" => AstKind::Sort(Box::new(left), self.sort_terms()?),
            "@" | "#" => {
                let rhs = self.expression(80)?;
                let AstKind::Var(name) = rhs.kind else {
                    return Err(Error::new(Code::S0214).at(rhs.pos).token(op));
                };
                if op == "@" {
                    AstKind::Focus(Box::new(left), name)
                } else {
                    AstKind::Index(Box::new(left), name)
                }
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.is(":") {
                    self.advance(Some(":"), false)?;
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                AstKind::Condition(Box::new(left), Box::new(then), otherwise)
            }
            ":=" => {
                if !matches!(left.kind, AstKind::Var(_)) {
                    return Err(Error::new(Code::S0212).at(pos).token(":="));
                }
                AstKind::Bind(Box::new(left), Box::new(self.expression(9)?))
            }
            "~>" => AstKind::Apply(Box::new(left), Box::new(self.expression(40)?)),
            "." | "+" | "-" | "*" | "/" | "%" | "=" | "<" | ">" | "!=" | "<=" | ">=" | "&"
            | "and" | "or" | "in" => {
                let rhs = self.expression(lbp(&Kind::Op(op)))?;
                AstKind::Binary(op, Box::new(left), Box::new(rhs))
            }
            _ => return Err(Error::new(Code::S0204).at(pos).token(op)),
        };
        Ok(node(kind, pos))
    }

    fn call(&mut self, procedure: Ast, pos: usize) -> Result<Ast> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is(")") {
            loop {
                if self.is("?") {
                    partial = true;
                    let t = self.advance(Some("?"), false)?;
                    args.push(node(AstKind::Placeholder, t.pos));
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda = matches!(&procedure.kind, AstKind::Name(n) if n == "function" || n == "λ");
        if !is_lambda {
            return Ok(node(AstKind::Call(Box::new(procedure), args, partial), pos));
        }
        let mut params = Vec::new();
        for (i, arg) in args.into_iter().enumerate() {
            match arg.kind {
                AstKind::Var(v) => params.push(v),
                _ => {
                    return Err(Error::new(Code::S0208)
                        .at(arg.pos)
                        .value((i + 1).to_string()));
                }
            }
        }
        let signature = if self.is("<") {
            let text = self.lexer.signature(self.tok.pos)?;
            self.tok = self.lexer.next(false)?;
            Some(Signature::parse(&text).map_err(|e| e.at(pos))?)
        } else {
            None
        };
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), true)?;
        Ok(node(
            AstKind::Lambda(params, signature, Box::new(body)),
            pos,
        ))
    }

    fn block(&mut self) -> Result<AstKind> {
        let mut items = Vec::new();
        while !self.is(")") {
            items.push(self.expression(0)?);
            if !self.is(";") {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        self.advance(Some(")"), true)?;
        Ok(AstKind::Block(items))
    }

    fn array(&mut self) -> Result<AstKind> {
        let mut items = Vec::new();
        if !self.is("]") {
            loop {
                let mut item = self.expression(0)?;
                if self.is("..") {
                    let t = self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    item = node(AstKind::Binary("..", Box::new(item), Box::new(rhs)), t.pos);
                }
                items.push(item);
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("]"), true)?;
        Ok(AstKind::Array(items))
    }

    fn pairs(&mut self) -> Result<Vec<(Ast, Ast)>> {
        let mut pairs = Vec::new();
        if !self.is("}") {
            loop {
                let key = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn sort_terms(&mut self) -> Result<Vec<(bool, Ast)>> {
        self.advance(Some("("), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.is("<") {
                self.advance(Some("<"), false)?;
            } else if self.is(">") {
                descending = true;
                self.advance(Some(">"), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.is(",") {
                break;
            }
            self.advance(Some(","), false)?;
        }
        self.advance(Some(")"), true)?;
        Ok(terms)
    }

    fn transform(&mut self) -> Result<AstKind> {
        let pattern = self.expression(0)?;
        self.advance(Some("|"), false)?;
        let update = self.expression(0)?;
        let delete = if self.is(",") {
            self.advance(Some(","), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.advance(Some("|"), true)?;
        Ok(AstKind::Transform(
            Box::new(pattern),
            Box::new(update),
            delete,
        ))
    }
}

/// An empty predicate marks the innermost step it follows.
fn mark_keep_array(ast: &mut Ast) {
    match &mut ast.kind {
        AstKind::Predicate(lhs, _) => mark_keep_array(lhs),
        _ => ast.keep_array = true,
    }
}

/// The interned form of an operator name, for comparing against tokens.
fn op_static(id: &str) -> &'static str {
    const OPS: [&str; 14] = [
        "]", ")", "}", ":", ",", ";", "|", "?", "(", "{", "<", ">", "..", "[",
    ];
    OPS.iter().find(|o| **o == id).copied().unwrap_or("")
}
