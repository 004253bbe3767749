//! JSON values: what the portal's replies, the launch fields and the frame's messages are read
//! into, and what REST parameters are built as.
//!
//! The widget's own small implementation rather than `serde_json::Value`: the card only walks
//! values and builds small parameter objects, and serde's generic parser, its `BTreeMap` and its
//! number formatting were 43 KB of the module before compression (README, "Bundle budget").
//!
//! Text is read by the browser's `JSON.parse` in the module (`browser`), whose result is walked
//! into a [`Value`]: the module then holds no JSON reader (README, "Bundle budget"). Natively,
//! where the pure modules are tested, the widget's own reader (`parse`) reads the same values
//! and refuses the same texts, but for what no portal writes: a lone surrogate escape
//! (`"\ud800"`), which the browser reads as U+FFFD where the reader refuses it; a whole number
//! written with a fraction or an exponent (`3.0`, `1e2`), which the browser cannot tell from `3`
//! and `100` (an integer then); and an integer from 2^53 on, which the browser may have rounded
//! (a float then). The browser tests check the same corpus (`tests/web.rs`). Objects keep their
//! keys sorted, as `serde_json`'s default map does, so a form body lists parameters in the same
//! order whatever order they were written in. Numbers are integers (`i64`) or floats (`f64`);
//! a float's text is written by the browser (`Number#toString`) in the module, so none of Rust's
//! float formatting is compiled in.

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(not(target_arch = "wasm32"))]
mod parse;
mod write;

#[cfg(target_arch = "wasm32")]
pub use browser::parse;
#[cfg(not(target_arch = "wasm32"))]
pub use parse::parse;

/// How deep arrays and objects may nest (`serde_json`'s limit too): no input can exhaust the
/// stack of what walks a value.
const MAX_DEPTH: usize = 128;

/// Why a text is not JSON, and the byte where the widget's own reader stopped (the browser does
/// not say where in a form that would not quote the text, which may hold a token).
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub what: &'static str,
    pub at: Option<usize>,
}

impl ParseError {
    /// What went wrong, and where when known: `expected a value at byte 3`.
    pub fn describe(&self) -> String {
        match self.at {
            Some(at) => [self.what, " at byte ", &crate::text::decimal(at as u64)].concat(),
            None => self.what.to_string(),
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number: an integer when it was written as one and fits `i64`, else a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// A JSON object: its entries sorted by key, each key once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

static NULL: Value = Value::Null;

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Sets `key` to `value`; an earlier value of the key is replaced (JSON's last one wins).
    /// A key that sorts last is appended; any other moves the entries after it, which is
    /// nothing for the portal's objects (tens of keys) and quadratic only for huge ones.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.position(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Map {
        let mut map = Map::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, Value)>, fn(&'a (String, Value)) -> (&'a String, &'a Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// What a value can be indexed by: a key of an object or a position in an array.
pub trait Key {
    fn look_up(self, value: &Value) -> Option<&Value>;
}

impl Key for &str {
    fn look_up(self, value: &Value) -> Option<&Value> {
        value.as_object()?.get(self)
    }
}

impl Key for &String {
    fn look_up(self, value: &Value) -> Option<&Value> {
        self.as_str().look_up(value)
    }
}

impl Key for usize {
    fn look_up(self, value: &Value) -> Option<&Value> {
        value.as_array()?.get(self)
    }
}

impl Value {
    /// The member `key` of an object or the item at a position of an array; `None` for anything
    /// else.
    pub fn get<K: Key>(&self, key: K) -> Option<&Value> {
        key.look_up(self)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(Number::Int(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_i64().and_then(|n| u64::try_from(n).ok())
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(Number::Int(n)) => Some(*n as f64),
            Value::Number(Number::Float(x)) => Some(*x),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl<K: Key> std::ops::Index<K> for Value {
    type Output = Value;
    /// Like [`Value::get`], with `null` for what is not there: indexing never fails.
    fn index(&self, key: K) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(s.clone())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(Number::Int(n))
    }
}
impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Number(Number::Int(n.into()))
    }
}
impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(Number::Int(n.into()))
    }
}
impl From<u64> for Value {
    /// Beyond `i64` (never an id of a portal), a float.
    fn from(n: u64) -> Value {
        Value::Number(i64::try_from(n).map_or(Number::Float(n as f64), Number::Int))
    }
}
impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::from(n as u64)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Number(Number::Float(x))
    }
}
impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(map)
    }
}
impl From<&Value> for Value {
    fn from(value: &Value) -> Value {
        value.clone()
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
impl<T: Clone + Into<Value>> From<&Vec<T>> for Value {
    fn from(items: &Vec<T>) -> Value {
        Value::from(items.as_slice())
    }
}
impl<T: Clone + Into<Value>> From<&[T]> for Value {
    fn from(items: &[T]) -> Value {
        Value::Array(items.iter().cloned().map(Into::into).collect())
    }
}

/// Comparisons with plain values, as `serde_json`'s: `value["TITLE"] == "Acme"`.
impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}
impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}
impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}
impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}
impl PartialEq<i32> for Value {
    fn eq(&self, other: &i32) -> bool {
        self.as_i64() == Some(i64::from(*other))
    }
}
impl PartialEq<u64> for Value {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

/// A value written as JSON, e.g. `json!({ "fields": { "TITLE": title, "IDS": [id] } })`: keys
/// are literals; a value is `null`, an object or array of the same form, or any expression with a
/// `From` conversion into [`Value`].
#[macro_export]
macro_rules! json {
    (null) => { $crate::json::Value::Null };
    ([]) => { $crate::json::Value::Array(Vec::new()) };
    ([ $($items:tt)+ ]) => { $crate::json::Value::Array($crate::json_items!([] [] $($items)+)) };
    ({}) => { $crate::json::Value::Object($crate::json::Map::new()) };
    ({ $($members:tt)+ }) => {{
        let mut map = $crate::json::Map::new();
        $crate::json_members!(map $($members)+);
        $crate::json::Value::Object(map)
    }};
    ($value:expr) => { $crate::json::Value::from($value) };
}

/// `json!`'s array items: the tokens of each item gathered up to the next comma, the items
/// done so far in the first brackets.
#[doc(hidden)]
#[macro_export]
macro_rules! json_items {
    ([$($done:expr,)*] []) => { vec![$($done,)*] };
    ([$($done:expr,)*] [$($item:tt)+]) => { vec![$($done,)* $crate::json!($($item)+)] };
    ([$($done:expr,)*] [$($item:tt)+] , $($rest:tt)*) => {
        $crate::json_items!([$($done,)* $crate::json!($($item)+),] [] $($rest)*)
    };
    ([$($done:expr,)*] [$($item:tt)*] $next:tt $($rest:tt)*) => {
        $crate::json_items!([$($done,)*] [$($item)* $next] $($rest)*)
    };
}

/// `json!`'s object members: `"key": value` with the value's tokens gathered up to the next comma.
#[doc(hidden)]
#[macro_export]
macro_rules! json_members {
    ($map:ident) => {};
    ($map:ident $key:literal : $($rest:tt)+) => { $crate::json_members!(@value $map $key [] $($rest)+); };
    (@value $map:ident $key:literal [$($value:tt)+]) => { $map.insert($key.to_string(), $crate::json!($($value)+)); };
    (@value $map:ident $key:literal [$($value:tt)+] , $($rest:tt)*) => {
        $map.insert($key.to_string(), $crate::json!($($value)+));
        $crate::json_members!($map $($rest)*);
    };
    (@value $map:ident $key:literal [$($value:tt)*] $next:tt $($rest:tt)*) => {
        $crate::json_members!(@value $map $key [$($value)* $next] $($rest)*);
    };
}

/// A decimal integer as `str::parse::<i64>` reads one: an optional sign, then digits and nothing
/// else; `None` beyond `i64`. Every integer the widget reads (ids, totals, dates, a port, JSON's
/// integers) goes through this one function: `str::parse` is compiled once per integer type.
pub fn integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        let digit = i64::from(b - b'0');
        n = n.checked_mul(10)?;
        n = if negative { n.checked_sub(digit)? } else { n.checked_add(digit)? };
    }
    Some(n)
}

/// A decimal integer that is not negative (an id, a count).
pub fn unsigned(text: &str) -> Option<u64> {
    u64::try_from(integer(text)?).ok()
}

#[cfg(test)]
mod tests;
