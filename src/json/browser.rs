//! Reading JSON text into a [`Value`] in the browser: its `JSON.parse` reads the text, and the
//! result is walked into a value. Untrusted input: every failure is a [`ParseError`] that quotes
//! nothing of the text, and the walk stops at [`MAX_DEPTH`].

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::{Map, Number, ParseError, Value, MAX_DEPTH};

/// 2^53: every whole number below it is an `f64` of its own; one at or beyond it may be another
/// number rounded (2^53 + 1 reads as 2^53), so it stays a float.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// Reads one JSON value; whitespace may surround it, nothing else.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let parsed = js_sys::JSON::parse(text).map_err(|_| ParseError { what: "refused by the browser's JSON reader", at: None })?;
    walk(&parsed, 0)
}

fn walk(value: &JsValue, depth: usize) -> Result<Value, ParseError> {
    if depth > MAX_DEPTH {
        return Err(ParseError { what: "nested too deeply", at: None });
    }
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(x) = value.as_f64() {
        // `1e999` is infinite in the browser; `serde_json` refuses it, and so does the reader.
        if !x.is_finite() {
            return Err(ParseError { what: "number out of range", at: None });
        }
        let whole = x as i64;
        return Ok(Value::Number(if whole as f64 == x && x.abs() < EXACT { Number::Int(whole) } else { Number::Float(x) }));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    // An array or an object: both read as their entries, `[key, value]` pairs (an array's keys
    // are its positions, in order), so that one loop walks both.
    let array = Array::is_array(value);
    let (mut items, mut map) = (Vec::new(), Map::new());
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let entry: Array = entry.unchecked_into();
        let item = walk(&entry.get(1), depth + 1)?;
        if array {
            items.push(item);
        } else {
            map.insert(entry.get(0).as_string().unwrap_or_default(), item);
        }
    }
    Ok(if array { Value::Array(items) } else { Value::Object(map) })
}
