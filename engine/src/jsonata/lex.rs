//! The tokenizer: JSONata text to tokens, one at a time, as the parser asks.
//!
//! The parser says whether an operand or an operator is expected next
//! (`infix`), which is what tells a regex literal `/ab/` from a division.

use super::error::{Code, Error, Result};

/// One token; `pos` is the offset just past it, as JSONata reports positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Op(&'static str),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Name(String),
    Var(String),
    /// A regex literal: its pattern and flags (`i`, `m`).
    Regex(String, String),
    End,
}

impl Kind {
    /// The token as JSONata names it in messages.
    pub(crate) fn text(&self) -> String {
        match self {
            Kind::Op(op) => (*op).to_owned(),
            Kind::Str(s) | Kind::Name(s) => s.clone(),
            Kind::Var(v) => format!("${v}"),
            Kind::Num(n) => super::value::format_number(*n),
            Kind::Bool(b) => b.to_string(),
            Kind::Null => "null".to_owned(),
            Kind::Regex(p, _) => format!("/{p}/"),
            Kind::End => "(end)".to_owned(),
        }
    }
}

const SINGLE: &str = ".[]{}(),@#;:?+-*/%|=<>^&!~";
const DOUBLE: [&str; 7] = ["..", ":=", "!=", ">=", "<=", "**", "~>"];

pub(crate) struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    pub(crate) fn new(src: &str) -> Self {
        Self {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn token(&self, kind: Kind) -> Result<Token> {
        Ok(Token {
            kind,
            pos: self.pos,
        })
    }

    /// The next token; `infix` is true where an operator is expected.
    pub(crate) fn next(&mut self, infix: bool) -> Result<Token> {
        loop {
            while self.at(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                let start = self.pos;
                self.pos += 2;
                loop {
                    match self.at(self.pos) {
                        None => return Err(Error::new(Code::S0106).at(start)),
                        Some('*') if self.at(self.pos + 1) == Some('/') => break,
                        Some(_) => self.pos += 1,
                    }
                }
                self.pos += 2;
                continue;
            }
            break;
        }
        let Some(c) = self.at(self.pos) else {
            return self.token(Kind::End);
        };
        if c == '/' && !infix {
            self.pos += 1;
            return self.regex();
        }
        if let Some(next) = self.at(self.pos + 1) {
            let pair: String = [c, next].iter().collect();
            if let Some(op) = DOUBLE.iter().find(|d| **d == pair) {
                self.pos += 2;
                return self.token(Kind::Op(op));
            }
        }
        if let Some(i) = SINGLE.find(c) {
            self.pos += 1;
            return self.token(Kind::Op(&SINGLE[i..i + c.len_utf8()]));
        }
        match c {
            '"' | '\'' => self.string(c),
            '`' => self.backquoted(),
            '0'..='9' => self.number(),
            _ => self.name(),
        }
    }

    fn string(&mut self, quote: char) -> Result<Token> {
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.at(self.pos) {
            match c {
                '\\' => {
                    self.pos += 1;
                    let e = self.at(self.pos).unwrap_or(' ');
                    match e {
                        '"' | '\\' | '/' => out.push(e),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => out.push(self.unicode_escape()?),
                        _ => return Err(Error::new(Code::S0103).at(self.pos).token(e)),
                    }
                }
                c if c == quote => {
                    self.pos += 1;
                    return self.token(Kind::Str(out));
                }
                c => out.push(c),
            }
            self.pos += 1;
        }
        Err(Error::new(Code::S0101).at(self.pos))
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char> {
        let hex = |l: &Self, from: usize| -> Option<u32> {
            let s: String = l.chars.get(from..from + 4)?.iter().collect();
            s.chars()
                .all(|c| c.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(&s, 16).ok())?
        };
        let unit = hex(self, self.pos + 1).ok_or_else(|| Error::new(Code::S0104).at(self.pos))?;
        self.pos += 4;
        if (0xD800..0xDC00).contains(&unit)
            && self.at(self.pos + 1) == Some('\\')
            && self.at(self.pos + 2) == Some('u')
            && let Some(low) = hex(self, self.pos + 3).filter(|l| (0xDC00..0xE000).contains(l))
        {
            self.pos += 6;
            let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
        }
        Ok(char::from_u32(unit).unwrap_or('\u{FFFD}'))
    }

    fn number(&mut self) -> Result<Token> {
        let start = self.pos;
        let digits = |l: &mut Self| {
            let from = l.pos;
            while l.at(l.pos).is_some_and(|c| c.is_ascii_digit()) {
                l.pos += 1;
            }
            l.pos > from
        };
        if self.at(self.pos) == Some('0') {
            self.pos += 1;
        } else {
            digits(self);
        }
        if self.at(self.pos) == Some('.')
            && self.at(self.pos + 1).is_some_and(|c| c.is_ascii_digit())
        {
            self.pos += 1;
            digits(self);
        }
        if matches!(self.at(self.pos), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.at(self.pos), Some('+' | '-')) {
                self.pos += 1;
            }
            if !digits(self) {
                self.pos = save;
            }
        }
        let text: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => self.token(Kind::Num(n)),
            _ => Err(Error::new(Code::S0102).at(start).token(text)),
        }
    }

    fn backquoted(&mut self) -> Result<Token> {
        let start = self.pos + 1;
        match (start..self.chars.len()).find(|&i| self.at(i) == Some('`')) {
            Some(end) => {
                let name = self
                    .chars
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                self.pos = end + 1;
                self.token(Kind::Name(name))
            }
            None => {
                self.pos = self.chars.len();
                Err(Error::new(Code::S0105).at(self.pos))
            }
        }
    }

    fn name(&mut self) -> Result<Token> {
        let start = self.pos;
        let mut end = start;
        while self
            .at(end)
            .is_some_and(|c| !is_space(c) && !SINGLE.contains(c))
        {
            end += 1;
        }
        let text: String = self
            .chars
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect();
        self.pos = end;
        if let Some(var) = text.strip_prefix('$') {
            return self.token(Kind::Var(var.to_owned()));
        }
        let kind = match text.as_str() {
            "and" => Kind::Op("and"),
            "or" => Kind::Op("or"),
            "in" => Kind::Op("in"),
            "true" => Kind::Bool(true),
            "false" => Kind::Bool(false),
            "null" => Kind::Null,
            _ => Kind::Name(text),
        };
        self.token(kind)
    }

    /// A regex literal, the opening `/` already read: up to the closing `/`
    /// outside brackets, then its flags.
    fn regex(&mut self) -> Result<Token> {
        let start = self.pos;
        let mut depth = 0i32;
        while let Some(c) = self.at(self.pos) {
            let escaped = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if c == '/' && depth == 0 && self.backslashes_before(self.pos).is_multiple_of(2) {
                let pattern: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                if pattern.is_empty() {
                    return Err(Error::new(Code::S0301).at(self.pos));
                }
                self.pos += 1;
                let mut flags = String::new();
                while let Some(f @ ('i' | 'm')) = self.at(self.pos) {
                    flags.push(f);
                    self.pos += 1;
                }
                return self.token(Kind::Regex(pattern, flags));
            }
            if matches!(c, '(' | '[' | '{') && !escaped {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !escaped {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(Error::new(Code::S0302).at(self.pos))
    }

    /// Rescans a regex literal whose `/` ends at `pos` (read as a division first).
    pub(crate) fn regex_at(&mut self, pos: usize) -> Result<(String, String)> {
        self.pos = pos;
        match self.regex()?.kind {
            Kind::Regex(p, f) => Ok((p, f)),
            _ => Err(Error::new(Code::S0302).at(pos)),
        }
    }

    fn backslashes_before(&self, pos: usize) -> usize {
        (0..pos)
            .rev()
            .take_while(|&i| self.at(i) == Some('\\'))
            .count()
    }

    /// The raw text of a function signature starting at the current `<`, up to its matching `>`.
    pub(crate) fn signature(&mut self, open_pos: usize) -> Result<String> {
        // The `<` token was read already: `open_pos` is just past it.
        let mut depth = 1;
        let mut out = String::from("<");
        self.pos = open_pos;
        while let Some(c) = self.at(self.pos) {
            self.pos += 1;
            out.push(c);
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                }
                '{' => break,
                _ => {}
            }
        }
        Err(Error::new(Code::S0202).at(self.pos).value(">").token("{"))
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}
