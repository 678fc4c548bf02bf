//! The segment query language: text ⇄ AST.
//!
//! ```text
//! score >= 50 and stage in (Qualified, Proposal) and created > -30d
//!   and not (status = lost or phone is empty) and inquiries(30d) >= 2 and in_segment("Hot leads")
//! ```
//!
//! The AST knows nothing about SQL or SQLite: [`super::sql`] compiles it for SQLite (and later
//! PostgreSQL), [`super::eval`] evaluates it in memory as the reference semantics. Fields are checked
//! against [`super::fields`] while parsing, so an error points at the word that is wrong.

use super::fields::{self, FieldKind, FieldSpec};
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// A parsed query. Serialized as JSON for the visual builder, which edits it and sends it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Expr {
    And { items: Vec<Expr> },
    Or { items: Vec<Expr> },
    Not { item: Box<Expr> },
    Cond(Condition),
    /// Members of another segment as of its last refresh.
    InSegment { name: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// `score`, `company.size`, `custom.region`, `inquiries` …
    pub field: String,
    /// Only for counts of related rows: `inquiries(30d)`; None = all time.
    #[serde(default)]
    pub window: Option<Window>,
    pub op: Op,
    /// One value, several for `in`, none for `is empty` / `is not empty`.
    #[serde(default)]
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Contains,
    StartsWith,
    EndsWith,
    In,
    IsEmpty,
    IsNotEmpty,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::In => "in",
            Op::IsEmpty => "is empty",
            Op::IsNotEmpty => "is not empty",
        }
    }
}

/// A time unit of relative dates and count windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Unit {
    #[serde(rename = "d")]
    Days,
    #[serde(rename = "w")]
    Weeks,
    #[serde(rename = "m")]
    Months,
    #[serde(rename = "y")]
    Years,
}

impl Unit {
    fn letter(self) -> char {
        match self {
            Unit::Days => 'd',
            Unit::Weeks => 'w',
            Unit::Months => 'm',
            Unit::Years => 'y',
        }
    }
    fn from_letter(c: char) -> Option<Self> {
        Some(match c {
            'd' => Unit::Days,
            'w' => Unit::Weeks,
            'm' => Unit::Months,
            'y' => Unit::Years,
            _ => return None,
        })
    }
}

/// `30d` in `inquiries(30d)`: the last 30 days up to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    pub amount: u32,
    pub unit: Unit,
}

/// Named periods a date can be compared with; each is a span of local calendar time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Today,
    Yesterday,
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
    LastYear,
}

impl Period {
    pub const ALL: [Period; 8] = [
        Period::Today,
        Period::Yesterday,
        Period::ThisWeek,
        Period::LastWeek,
        Period::ThisMonth,
        Period::LastMonth,
        Period::ThisYear,
        Period::LastYear,
    ];
    pub fn keyword(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::Yesterday => "yesterday",
            Period::ThisWeek => "this_week",
            Period::LastWeek => "last_week",
            Period::ThisMonth => "this_month",
            Period::LastMonth => "last_month",
            Period::ThisYear => "this_year",
            Period::LastYear => "last_year",
        }
    }
    fn from_keyword(word: &str) -> Option<Self> {
        Period::ALL.into_iter().find(|p| p.keyword().eq_ignore_ascii_case(word))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "value", rename_all = "camelCase")]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A calendar day, `2026-11-01`.
    Date(String),
    /// `-30d` = 30 days before now, `+1w` = a week from now.
    Relative { amount: i32, unit: Unit },
    Period(Period),
}

/// A parse error with the place it happened (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryError {
    pub line: u32,
    pub column: u32,
    /// Character offset, for underlining in the editor.
    pub offset: u32,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, col {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

/// Parses query text. Field names, operators and value types are checked here.
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, pos: 0, text_len: text.chars().count() as u32, end: position_at_end(text) };
    if parser.peek().is_none() {
        return Err(parser.error_at_end("the query is empty: expected a condition such as score >= 50"));
    }
    let expr = parser.or_expr(0)?;
    if let Some(token) = parser.peek() {
        let what = token.kind.describe();
        return Err(parser.error(token, format!("expected 'and', 'or' or the end of the query, found {what}")));
    }
    Ok(expr)
}

/// Deepest nesting of parentheses and `not`s accepted: far beyond any hand-written query, and it keeps
/// a hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

// ---- lexer ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    Word(String),
    Str(String),
    Number(f64),
    /// `-30d`, `+2w`
    Relative(i32, Unit),
    /// `30d` inside a count window
    Span(u32, Unit),
    Date(String),
    Op(Op),
    LParen,
    RParen,
    Comma,
}

impl TokenKind {
    fn describe(&self) -> String {
        match self {
            TokenKind::Word(w) => format!("'{w}'"),
            TokenKind::Str(s) => format!("the text \"{s}\""),
            TokenKind::Number(n) => format!("the number {}", format_number(*n)),
            TokenKind::Relative(a, u) => format!("'{a:+}{}'", u.letter()),
            TokenKind::Span(a, u) => format!("'{a}{}'", u.letter()),
            TokenKind::Date(d) => format!("the date {d}"),
            TokenKind::Op(op) => format!("'{}'", op.symbol()),
            TokenKind::LParen => "'('".into(),
            TokenKind::RParen => "')'".into(),
            TokenKind::Comma => "','".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    line: u32,
    column: u32,
    offset: u32,
}

fn position_at_end(text: &str) -> (u32, u32) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut column) = (0usize, 1u32, 1u32);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            i += 1;
            line += 1;
            column = 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            column += 1;
            continue;
        }
        let start = (i, line, column);
        let err = |message: String| QueryError { line: start.1, column: start.2, offset: start.0 as u32, message };
        let kind = match c {
            '(' => {
                i += 1;
                TokenKind::LParen
            }
            ')' => {
                i += 1;
                TokenKind::RParen
            }
            ',' => {
                i += 1;
                TokenKind::Comma
            }
            '=' => {
                i += if chars.get(i + 1) == Some(&'=') { 2 } else { 1 };
                TokenKind::Op(Op::Eq)
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 2;
                TokenKind::Op(Op::Ne)
            }
            '<' if chars.get(i + 1) == Some(&'>') => {
                i += 2;
                TokenKind::Op(Op::Ne)
            }
            '<' | '>' => {
                let or_equal = chars.get(i + 1) == Some(&'=');
                i += if or_equal { 2 } else { 1 };
                TokenKind::Op(match (c, or_equal) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                })
            }
            '"' | '\'' => {
                let (value, next) = lex_string(&chars, i, column).map_err(err)?;
                i = next;
                TokenKind::Str(value)
            }
            c if c.is_ascii_digit() || ((c == '-' || c == '+') && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '.')) || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.' || chars[j] == '-' || chars[j] == '_') {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                i = j;
                number_like(&word).ok_or_else(|| err(format!("'{word}' is not a number, a date (2026-11-01) or a relative date (-30d)")))?
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.' || chars[j] == '@' || chars[j] == '-') {
                    j += 1;
                }
                // A word may not end with '.' or '-' (that would swallow punctuation the user meant).
                while j > i + 1 && matches!(chars[j - 1], '.' | '-') {
                    j -= 1;
                }
                let mut word: String = chars[i..j].iter().collect();
                i = j;
                // custom."Lead Region": custom fields named after CSV columns may hold any character.
                if word.eq_ignore_ascii_case("custom") && chars.get(i) == Some(&'.') && matches!(chars.get(i + 1), Some('"' | '\'')) {
                    let (key, next) = lex_string(&chars, i + 1, column + (i + 1 - start.0) as u32).map_err(err)?;
                    if key.trim().is_empty() {
                        return Err(err("a custom field needs a name: custom.\"Name\"".into()));
                    }
                    word = format!("custom.{key}");
                    i = next;
                }
                match word.to_ascii_lowercase().as_str() {
                    "contains" => TokenKind::Op(Op::Contains),
                    "starts_with" => TokenKind::Op(Op::StartsWith),
                    "ends_with" => TokenKind::Op(Op::EndsWith),
                    _ => TokenKind::Word(word),
                }
            }
            other => return Err(err(format!("unexpected character '{other}'"))),
        };
        column += (i - start.0) as u32;
        tokens.push(Token { kind, line: start.1, column: start.2, offset: start.0 as u32 });
    }
    Ok(tokens)
}

/// A quoted text starting at `chars[start]` (the quote); returns it and the index after the closing quote.
fn lex_string(chars: &[char], start: usize, column: u32) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut value = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(format!("this text has no closing {quote}")),
            Some('\\') => {
                match chars.get(i + 1) {
                    Some(&next @ ('\\' | '"' | '\'')) => value.push(next),
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    _ => {
                        let at = column + (i - start) as u32;
                        return Err(format!("unknown escape in text at col {at}: use \\\\, \\\", \\', \\n or \\t"));
                    }
                }
                i += 2;
            }
            Some(&q) if q == quote => return Ok((value, i + 1)),
            Some('\n') => return Err(format!("this text has no closing {quote} before the end of the line")),
            Some(&other) => {
                value.push(other);
                i += 1;
            }
        }
    }
}

/// 50, -3.5, 2026-11-01, -30d, 30d.
fn number_like(word: &str) -> Option<TokenKind> {
    if let Some(date) = parse_date_literal(word) {
        return Some(TokenKind::Date(date));
    }
    let last = word.chars().last()?;
    if let Some(unit) = Unit::from_letter(last.to_ascii_lowercase()) {
        let body = &word[..word.len() - 1];
        let signed = body.starts_with('-') || body.starts_with('+');
        if body.trim_start_matches(['-', '+']).chars().all(|c| c.is_ascii_digit()) && body.len() > usize::from(signed) {
            let amount: i64 = body.parse().ok()?;
            if amount.unsigned_abs() > 100_000 {
                return None;
            }
            return Some(if signed { TokenKind::Relative(amount as i32, unit) } else { TokenKind::Span(amount as u32, unit) });
        }
    }
    if word.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        let n: f64 = word.parse().ok()?;
        return n.is_finite().then_some(TokenKind::Number(n));
    }
    None
}

/// Exactly `YYYY-MM-DD` with a real calendar day (chrono alone also takes signed or short years).
fn parse_date_literal(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d").ok().map(|d| d.format("%Y-%m-%d").to_string()).filter(|d| d == word)
}

// ---- parser -----------------------------------------------------------------------------------

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    text_len: u32,
    end: (u32, u32),
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn error(&self, token: &Token, message: String) -> QueryError {
        QueryError { line: token.line, column: token.column, offset: token.offset, message }
    }

    fn error_at_end(&self, message: &str) -> QueryError {
        QueryError { line: self.end.0, column: self.end.1, offset: self.text_len, message: message.to_string() }
    }

    /// Error at the next token, or at the end of the text when there is none.
    fn expected(&self, what: &str) -> QueryError {
        match self.peek() {
            Some(token) => self.error(token, format!("{what}, found {}", token.kind.describe())),
            None => self.error_at_end(&format!("{what}, but the query ends here")),
        }
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { kind: TokenKind::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn or_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.and_expr(depth)?];
        while self.peek_word("or") {
            self.pos += 1;
            items.push(self.and_expr(depth)?);
        }
        Ok(if items.len() == 1 { items.pop().expect("one item") } else { Expr::Or { items } })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary(depth)?];
        while self.peek_word("and") {
            self.pos += 1;
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 { items.pop().expect("one item") } else { Expr::And { items } })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if depth > MAX_DEPTH {
            return Err(self.expected(&format!("the query nests deeper than {MAX_DEPTH} levels; simplify it")));
        }
        if self.peek_word("not") {
            self.pos += 1;
            let item = self.unary(depth + 1)?;
            return Ok(Expr::Not { item: Box::new(item) });
        }
        if matches!(self.peek(), Some(Token { kind: TokenKind::LParen, .. })) {
            self.pos += 1;
            let inner = self.or_expr(depth + 1)?;
            match self.next() {
                Some(Token { kind: TokenKind::RParen, .. }) => return Ok(inner),
                _ => {
                    self.pos -= 1;
                    return Err(self.expected("expected ')' to close the group"));
                }
            }
        }
        self.condition()
    }

    fn condition(&mut self) -> Result<Expr, QueryError> {
        let token = match self.peek() {
            Some(Token { kind: TokenKind::Word(_), .. }) => self.next().expect("peeked"),
            _ => return Err(self.expected("expected a field such as score, stage or created")),
        };
        let TokenKind::Word(name) = &token.kind else { unreachable!() };
        if matches!(name.to_ascii_lowercase().as_str(), "and" | "or") {
            return Err(self.error(&token, format!("expected a condition before '{name}'")));
        }
        if name.eq_ignore_ascii_case("in_segment") {
            return self.in_segment();
        }
        let spec = fields::lookup(name).ok_or_else(|| self.error(&token, fields::unknown_field_message(name)))?;
        let window = if spec.kind == FieldKind::Count { self.window()? } else { None };
        let field = spec.canonical_name(name);
        let op_token = self.peek().cloned();
        let op = self.operator(&field)?;
        let op_token = op_token.expect("an operator was read");
        if !spec.kind.allows(op) {
            return Err(self.error(
                &op_token,
                format!("'{field}' is {}; it takes {}", spec.kind.article(), spec.kind.operator_list()),
            ));
        }
        let values = match op {
            Op::IsEmpty | Op::IsNotEmpty => vec![],
            Op::In => self.value_list(&spec, &field)?,
            _ => vec![self.value(&spec, &field, op)?],
        };
        Ok(Expr::Cond(Condition { field, window, op, values }))
    }

    fn in_segment(&mut self) -> Result<Expr, QueryError> {
        if !matches!(self.next(), Some(Token { kind: TokenKind::LParen, .. })) {
            self.pos -= 1;
            return Err(self.expected("expected '(' and a segment name after in_segment"));
        }
        let name = match self.next() {
            Some(Token { kind: TokenKind::Str(s) | TokenKind::Word(s), .. }) if !s.trim().is_empty() => s,
            _ => {
                self.pos -= 1;
                return Err(self.expected("expected the name of a segment, in quotes"));
            }
        };
        if !matches!(self.next(), Some(Token { kind: TokenKind::RParen, .. })) {
            self.pos -= 1;
            return Err(self.expected("expected ')' after the segment name"));
        }
        Ok(Expr::InSegment { name })
    }

    fn window(&mut self) -> Result<Option<Window>, QueryError> {
        if !matches!(self.peek(), Some(Token { kind: TokenKind::LParen, .. })) {
            return Ok(None);
        }
        self.pos += 1;
        let window = match self.next() {
            Some(Token { kind: TokenKind::Span(amount, unit), .. }) if amount > 0 => Window { amount, unit },
            _ => {
                self.pos -= 1;
                return Err(self.expected("expected a time window such as 30d, 2w, 6m or 1y"));
            }
        };
        if !matches!(self.next(), Some(Token { kind: TokenKind::RParen, .. })) {
            self.pos -= 1;
            return Err(self.expected("expected ')' after the time window"));
        }
        Ok(Some(window))
    }

    fn operator(&mut self, field: &str) -> Result<Op, QueryError> {
        match self.next() {
            Some(Token { kind: TokenKind::Op(op), .. }) => Ok(op),
            Some(Token { kind: TokenKind::Word(w), .. }) if w.eq_ignore_ascii_case("in") => Ok(Op::In),
            Some(Token { kind: TokenKind::Word(w), .. }) if w.eq_ignore_ascii_case("is") => {
                let negated = self.peek_word("not");
                if negated {
                    self.pos += 1;
                }
                if self.peek_word("empty") {
                    self.pos += 1;
                    Ok(if negated { Op::IsNotEmpty } else { Op::IsEmpty })
                } else {
                    Err(self.expected(if negated { "expected 'empty' after 'is not'" } else { "expected 'empty' or 'not empty' after 'is'" }))
                }
            }
            _ => {
                self.pos -= 1;
                Err(self.expected(&format!("expected an operator after '{field}' (=, !=, >, >=, <, <=, contains, starts_with, ends_with, in, is empty)")))
            }
        }
    }

    fn value_list(&mut self, spec: &FieldSpec, field: &str) -> Result<Vec<Value>, QueryError> {
        if !matches!(self.next(), Some(Token { kind: TokenKind::LParen, .. })) {
            self.pos -= 1;
            return Err(self.expected("expected '(' and a list of values after 'in'"));
        }
        let mut values = vec![self.value(spec, field, Op::In)?];
        loop {
            match self.next() {
                Some(Token { kind: TokenKind::Comma, .. }) => values.push(self.value(spec, field, Op::In)?),
                Some(Token { kind: TokenKind::RParen, .. }) => return Ok(values),
                _ => {
                    self.pos -= 1;
                    return Err(self.expected("expected ',' or ')' in the list of values"));
                }
            }
        }
    }

    fn value(&mut self, spec: &FieldSpec, field: &str, op: Op) -> Result<Value, QueryError> {
        let Some(token) = self.next() else {
            return Err(self.error_at_end(&format!("expected a value after '{}', but the query ends here", op.symbol())));
        };
        if let TokenKind::Word(w) = &token.kind {
            if is_reserved(w) {
                let hint = if matches!(spec.kind, FieldKind::Text | FieldKind::Choice | FieldKind::Custom) { " (put it in quotes if you mean the text)" } else { "" };
                return Err(self.error(&token, format!("expected a value after '{}', found '{w}'{hint}", op.symbol())));
            }
        }
        let value = match (&token.kind, spec.kind) {
            (TokenKind::Number(n), FieldKind::Number | FieldKind::Count | FieldKind::Custom) => Value::Number(*n),
            (TokenKind::Date(d), FieldKind::Date) => Value::Date(d.clone()),
            (TokenKind::Relative(amount, unit), FieldKind::Date) => Value::Relative { amount: *amount, unit: *unit },
            (TokenKind::Word(w), FieldKind::Date) if Period::from_keyword(w).is_some() => Value::Period(Period::from_keyword(w).expect("checked")),
            (TokenKind::Word(w), FieldKind::Bool) if w.eq_ignore_ascii_case("true") || w.eq_ignore_ascii_case("yes") => Value::Bool(true),
            (TokenKind::Word(w), FieldKind::Bool) if w.eq_ignore_ascii_case("false") || w.eq_ignore_ascii_case("no") => Value::Bool(false),
            (TokenKind::Str(s) | TokenKind::Word(s), FieldKind::Text | FieldKind::Choice | FieldKind::Custom) => Value::Text(s.clone()),
            (TokenKind::Number(n), FieldKind::Text | FieldKind::Choice) => Value::Text(format_number(*n)),
            (TokenKind::Op(_) | TokenKind::RParen | TokenKind::Comma | TokenKind::LParen, _) => {
                return Err(self.error(&token, format!("expected a value after '{}', found {}", op.symbol(), token.kind.describe())));
            }
            (found, kind) => {
                return Err(self.error(&token, format!("'{field}' is {}: expected {} after '{}', found {}", kind.article(), kind.value_hint(), op.symbol(), found.describe())));
            }
        };
        if spec.kind == FieldKind::Custom && matches!(value, Value::Text(_)) && matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le) {
            return Err(self.error(&token, format!("'{field}' can only be compared with '{}' to a number", op.symbol())));
        }
        Ok(value)
    }
}

/// Words that are part of the language and so cannot be bare values.
fn is_reserved(word: &str) -> bool {
    matches!(word.to_ascii_lowercase().as_str(), "and" | "or" | "not" | "in" | "is" | "empty" | "in_segment")
}

// ---- printer ----------------------------------------------------------------------------------

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, self, Prec::Or)
    }
}

#[derive(PartialEq, PartialOrd, Clone, Copy)]
enum Prec {
    Or,
    And,
    Unary,
}

fn write_expr(f: &mut fmt::Formatter<'_>, expr: &Expr, context: Prec) -> fmt::Result {
    let (own, parts, joiner) = match expr {
        Expr::Or { items } => (Prec::Or, items, " or "),
        Expr::And { items } => (Prec::And, items, " and "),
        Expr::Not { item } => {
            f.write_str("not ")?;
            return write_expr(f, item, Prec::Unary);
        }
        Expr::Cond(c) => return write!(f, "{c}"),
        Expr::InSegment { name } => return write!(f, "in_segment({})", quote(name)),
    };
    // A group with one item prints as that item; an empty one cannot be written and means
    // "everything" for AND, "nothing" for OR; the builder never sends those.
    if parts.len() == 1 {
        return write_expr(f, &parts[0], context);
    }
    let parens = own < context || parts.is_empty();
    if parens {
        f.write_str("(")?;
    }
    for (i, item) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(joiner)?;
        }
        // Same-operator children are grouped too, so the tree reads back as it was built.
        let child = if own == Prec::Or { Prec::And } else { Prec::Unary };
        let same_kind = matches!((expr, item), (Expr::Or { .. }, Expr::Or { .. }) | (Expr::And { .. }, Expr::And { .. }));
        if same_kind {
            f.write_str("(")?;
            write_expr(f, item, Prec::Or)?;
            f.write_str(")")?;
        } else {
            write_expr(f, item, child)?;
        }
    }
    if parens {
        f.write_str(")")?;
    }
    Ok(())
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field.strip_prefix("custom.") {
            Some(key) if quote_if_needed(key) != key => write!(f, "custom.{}", quote(key))?,
            _ => f.write_str(&self.field)?,
        }
        if let Some(w) = self.window {
            write!(f, "({}{})", w.amount, w.unit.letter())?;
        }
        write!(f, " {}", self.op.symbol())?;
        match self.op {
            Op::IsEmpty | Op::IsNotEmpty => Ok(()),
            Op::In => {
                f.write_str(" (")?;
                for (i, v) in self.values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str(")")
            }
            _ => match self.values.first() {
                Some(v) => write!(f, " {v}"),
                None => Ok(()),
            },
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => f.write_str(&quote_if_needed(s)),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Date(d) => f.write_str(d),
            Value::Relative { amount, unit } => write!(f, "{amount:+}{}", unit.letter()),
            Value::Period(p) => f.write_str(p.keyword()),
        }
    }
}

pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// Bare words stay bare (`stage = Qualified`) when they lex back to the same word.
fn quote_if_needed(s: &str) -> String {
    let bare = !s.is_empty()
        && !is_reserved(s)
        && Period::from_keyword(s).is_none()
        && !["true", "false", "yes", "no", "contains", "starts_with", "ends_with"].contains(&s.to_ascii_lowercase().as_str())
        && s.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'))
        && !s.ends_with(['.', '-']);
    if bare {
        s.to_string()
    } else {
        quote(s)
    }
}

/// Every field and segment name a query mentions, for dependency checks.
pub fn referenced_segments(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        if let Expr::InSegment { name } = e {
            out.push(name.clone());
        }
    });
    out
}

pub(crate) fn walk(expr: &Expr, visit: &mut impl FnMut(&Expr)) {
    visit(expr);
    match expr {
        Expr::And { items } | Expr::Or { items } => items.iter().for_each(|e| walk(e, visit)),
        Expr::Not { item } => walk(item, visit),
        Expr::Cond(_) | Expr::InSegment { .. } => {}
    }
}

/// Checks a tree that arrives as JSON from the builder the same way the parser checks text:
/// printing it and parsing the text back must give the same tree.
pub fn validate(expr: &Expr) -> Result<Expr, QueryError> {
    let text = expr.to_string();
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_issue_example_parses_and_prints_back() {
        let text = r#"score >= 50 and stage in (Qualified, Proposal) and source = "LinkedIn" and created > -30d and email ends_with "@acme.com" and not (status = lost or phone is empty) and company.size >= 100 and custom.region = "EMEA" and inquiries(30d) >= 2 and in_segment("Hot leads")"#;
        let expr = parse(text).unwrap();
        let Expr::And { items } = &expr else { panic!("{expr:?}") };
        assert_eq!(items.len(), 10);
        let printed = expr.to_string();
        assert_eq!(parse(&printed).unwrap(), expr);
        assert_eq!(printed, r#"score >= 50 and stage in (Qualified, Proposal) and source = LinkedIn and created > -30d and email ends_with "@acme.com" and not (status = lost or phone is empty) and company.size >= 100 and custom.region = EMEA and inquiries(30d) >= 2 and in_segment("Hot leads")"#);
    }

    #[test]
    fn errors_point_at_the_place_and_say_what_was_expected() {
        assert_eq!(err("score >= "), "line 1, col 10: expected a value after '>=', but the query ends here");
        assert_eq!(err("score >= and"), "line 1, col 10: expected a value after '>=', found 'and'");
        assert_eq!(err("job_title = or"), "line 1, col 13: expected a value after '=', found 'or' (put it in quotes if you mean the text)");
        assert_eq!(err("scroe > 5"), "line 1, col 1: there is no field 'scroe'; did you mean 'score'?");
        assert_eq!(err("score > 5 and\n  (stage = New"), "line 2, col 15: expected ')' to close the group, but the query ends here");
        assert_eq!(err("score contains 5"), "line 1, col 7: 'score' is a number; it takes =, !=, >, >=, <, <=, in");
        assert_eq!(err("created > yesterday2"), "line 1, col 11: 'created' is a date: expected a date (2026-11-01, -30d, today, this_month) after '>', found 'yesterday2'");
        assert_eq!(err("email = \"x"), "line 1, col 9: this text has no closing \"");
        assert_eq!(err("score > 5 score"), "line 1, col 11: expected 'and', 'or' or the end of the query, found 'score'");
        assert_eq!(err("inquiries(0d) > 1"), "line 1, col 11: expected a time window such as 30d, 2w, 6m or 1y, found '0d'");
        assert_eq!(err(""), "line 1, col 1: the query is empty: expected a condition such as score >= 50");
        assert_eq!(err("custom.tier > high"), "line 1, col 15: 'custom.tier' can only be compared with '>' to a number");
    }

    #[test]
    fn precedence_and_nesting_survive_printing() {
        let expr = parse("a_b = 1").unwrap_err();
        assert!(expr.message.contains("no field"));
        let expr = parse("score > 1 or score < 5 and not not (stage = New or (status = open and score = 3))").unwrap();
        assert_eq!(parse(&expr.to_string()).unwrap(), expr);
        let deep = format!("{}score > 1{}", "(".repeat(60), ")".repeat(60));
        assert!(parse(&deep).is_ok());
        let too_deep = format!("{}score > 1{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&too_deep).unwrap_err().message.contains("nests deeper"));
    }

    #[test]
    fn values_of_every_kind() {
        let expr = parse("created >= 2026-11-01 and updated < this_month and converted = yes and notes contains 'a \"b\"' and score in (1, 2.5)").unwrap();
        assert_eq!(parse(&expr.to_string()).unwrap(), expr);
        assert!(expr.to_string().contains("converted = true"));
        assert!(parse("created > 2026-02-30").is_err());
        // Found by the fuzzer: chrono reads "-026-11-01" as a date that prints as "-0026-11-01".
        assert!(parse("created >= -026-11-01").is_err());
        assert!(parse("created >= 0000-01-01").unwrap().to_string().contains("0000-01-01"));
    }
}
