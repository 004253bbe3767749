use super::*;

/// What `serde_json` writes for the same text: the reference this module must agree with.
fn reference(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text).ok().map(|v| v.to_string())
}

#[test]
fn reads_and_writes_what_serde_json_reads_and_writes() {
    let texts = [
        r#"{"result":{"result":{"deals":[{"ID":"7","TITLE":"Ünïcødé ☎ \"quoted\" \\ \/ \n\t\r\b\f"}]},"result_error":[],"result_total":{"deals":3}},"time":{"start":1764150000.123}}"#,
        r#"[1,-2,0,9223372036854775807,-9223372036854775808,1.5,-0.25,true,false,null,"",{},[]]"#,
        r#"  { "b" : 1 , "a" : [ "x" , { "c" : null } ] , "a" : 2 }  "#,
        r#""\u00e9\ud83d\ude00\u0001\u001f""#,
        r#"{"emoji":"😀","arabic":"مرحبا","zero":"\u0000"}"#,
        "0",
    ];
    for text in texts {
        let mine = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(Some(mine.to_string()), reference(text), "{text}");
    }
}

#[test]
fn refuses_what_is_not_json_as_serde_json_does() {
    let texts = [
        "", " ", "{", "[", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\nb\"",
        "1 2", "{} x", "[\"\\", "NaN", "Infinity", "1e999", "-1e400",
    ];
    for text in texts {
        assert!(reference(text).is_none(), "serde_json reads {text:?}");
        assert!(parse(text).is_err(), "{text:?} read");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    assert_eq!(parse(&deep).map_err(|e| e.what), Err("nested too deeply"));
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse(&fine).is_ok());
}

#[test]
fn numbers_keep_their_kind() {
    assert_eq!(parse("42").unwrap().as_u64(), Some(42));
    assert_eq!(parse("-42").unwrap().as_u64(), None);
    assert_eq!(parse("-42").unwrap().as_i64(), Some(-42));
    assert_eq!(parse("4.5").unwrap().as_f64(), Some(4.5));
    assert_eq!(parse("4.5").unwrap().as_u64(), None);
    assert_eq!(parse("1e2").unwrap().as_f64(), Some(100.0));
    // A float written without a fraction keeps being a float ("3", as the browser writes it).
    assert_eq!(parse("3.0").unwrap(), Value::Number(Number::Float(3.0)));
    assert_eq!(parse("-0").unwrap().as_i64(), Some(0));
    // Beyond i64: a float, as close as f64 gets.
    assert_eq!(parse("18446744073709551616").unwrap().as_f64(), Some(18446744073709551616.0));
    assert_eq!(Value::from(f64::NAN).to_string(), "null");
    assert_eq!(Value::from(u64::MAX).as_u64(), None);
}

#[test]
fn indexing_what_is_not_there_is_null() {
    let v = parse(r#"{"a":[{"b":"c"}]}"#).unwrap();
    assert_eq!(v["a"][0]["b"].as_str(), Some("c"));
    assert!(v["a"][1]["b"].is_null());
    assert!(v["x"]["y"][3].is_null());
    assert!(v[0].is_null());
    assert_eq!(v.get("a").and_then(|a| a.get(0)).and_then(|o| o.get("b")), Some(&Value::from("c")));
}

#[test]
fn objects_are_sorted_by_key_and_the_last_value_wins() {
    let v = parse(r#"{"b":1,"a":2,"c":3,"a":4}"#).unwrap();
    assert_eq!(v.to_string(), r#"{"a":4,"b":1,"c":3}"#);
    let map: Map = [("z".to_string(), Value::Null), ("y".to_string(), Value::from(1))].into_iter().collect();
    assert_eq!(map.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["y", "z"]);
    assert_eq!(map.len(), 2);
}

#[test]
fn the_macro_writes_what_serde_json_s_writes() {
    let id: u64 = 7;
    let name = String::from("Анна");
    let missing: Option<&str> = None;
    let list = vec!["a".to_string(), "b".to_string()];
    let fields: &[&str] = &["ID", "NAME"];
    // The same tokens through both macros.
    macro_rules! both {
        ($($value:tt)+) => { (json!($($value)+).to_string(), serde_json::json!($($value)+).to_string()) };
    }
    let (mine, theirs) = both!({
        "fields": { "ENTITY_ID": id, "NAME": &name, "PHONE": [{ "VALUE": name.trim(), "VALUE_TYPE": "WORK" }], "N": -1 },
        "list": list.clone(),
        "select": fields,
        "title": if id > 3 { format!("{name}!") } else { name.clone() },
        "none": missing,
        "null": null,
        "empty": {},
        "nothing": [],
        "nested": [[1, 2], [true, null], { "k": "v" }],
    });
    assert_eq!(mine, theirs);
    assert_eq!(json!([]).to_string(), "[]");
    assert_eq!(json!("x").to_string(), "\"x\"");
}

/// Whether the widget's value and `serde_json`'s are the same JSON: numbers compared as the
/// `f64` both give (`-0` is an integer here, a float there), to one unit in the last place
/// (`serde_json` without its `float_roundtrip` feature may round a long number the other way;
/// Rust's and the browser's reading are exact).
fn same(mine: &Value, theirs: &serde_json::Value) -> bool {
    match (mine, theirs) {
        (Value::Null, serde_json::Value::Null) => true,
        (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
        (Value::Number(_), serde_json::Value::Number(n)) => match (mine.as_f64(), n.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() <= f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        (Value::String(a), serde_json::Value::String(b)) => a == b,
        (Value::Array(a), serde_json::Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), serde_json::Value::Object(b)) => {
            a.len() == b.len() && b.iter().all(|(k, y)| a.get(k).is_some_and(|x| same(x, y)))
        }
        _ => false,
    }
}

#[test]
fn mangled_texts_are_read_or_refused_as_serde_json_does() {
    let seeds = [
        r#"{"result":{"result":{"match":{"CONTACT":[12,13]},"contacts":[{"ID":"12","NAME":"Anna \"Ä\" \u00e9","PHONE":[{"VALUE":"+49 30 1234567"}]}]},"result_error":[],"result_total":{"contacts":2}},"time":{"start":1764150000.5,"duration":0.25}}"#,
        r#"[true,false,null,-1,0,12345678901234567890,1.5e3,-0.0,"\ud83d\ude00\n\t",{},[],{"a":{"b":[1,{"c":null}]}}]"#,
        r#"{"kind":"contact","first":"Jane","last":"","email":"j@example.com","phone":"+1 (202) 555-0123"}"#,
    ];
    // Bytes a mutation inserts: JSON's own punctuation, digits, escapes and letters of its words.
    let alphabet = b"{}[]:,\"\\/ -+.0123456789eEtrufalsnbu\x01\t\n";
    let mut state: u64 = 0x5eed_0005;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let (mut read, mut refused) = (0, 0);
    for round in 0..30_000 {
        let mut bytes = seeds[round % seeds.len()].as_bytes().to_vec();
        for _ in 0..=next(3) {
            let at = next(bytes.len() + 1);
            match next(3) {
                0 if at < bytes.len() => {
                    bytes.remove(at);
                }
                1 if at < bytes.len() => bytes[at] = alphabet[next(alphabet.len())],
                _ => bytes.insert(at, alphabet[next(alphabet.len())]),
            }
        }
        // Both read text, so only valid UTF-8 is tried.
        let Ok(text) = String::from_utf8(bytes) else { continue };
        match (parse(&text), serde_json::from_str::<serde_json::Value>(&text)) {
            (Ok(mine), Ok(theirs)) => {
                assert!(same(&mine, &theirs), "{text}: {mine} vs {theirs}");
                read += 1;
            }
            (Err(_), Err(_)) => refused += 1,
            (mine, theirs) => panic!("{text}: ours {mine:?}, serde_json's {theirs:?}"),
        }
    }
    // Both outcomes were exercised, many times.
    assert!(read > 1_000 && refused > 1_000, "read {read}, refused {refused}");
}

#[test]
fn integers_read_as_the_standard_parser_reads_them() {
    for text in ["", "-", "+", "0", "+7", "-12", "007", "12a", " 1", "1 ", "1.0", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "١٢"] {
        assert_eq!(super::integer(text), text.parse::<i64>().ok(), "{text:?}");
    }
}

#[test]
fn unsigned_integers_are_integers_not_below_zero() {
    assert_eq!(super::unsigned("42"), Some(42));
    assert_eq!(super::unsigned("0"), Some(0));
    assert_eq!(super::unsigned("-1"), None);
    assert_eq!(super::unsigned("4x"), None);
}
