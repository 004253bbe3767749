use super::*;

/// What `serde_json` writes for the same text: the reference this module must agree with.
fn reference(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text).ok().map(|v| v.to_string())
}

#[test]
fn reads_and_writes_what_serde_json_reads_and_writes() {
    for text in CONFORMANCE_READ {
        let mine = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(Some(mine.to_string()), reference(text), "{text}");
    }
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

include!("conformance.rs");

#[test]
fn mangled_texts_are_read_or_refused_as_serde_json_does() {
    conformance_mangled_texts_agree(false);
}

#[test]
fn the_readers_shared_corpus_holds_here_too() {
    conformance_reads_what_serde_json_reads();
    conformance_refuses_what_serde_json_refuses();
    // The surrogate escapes the browser reads and this reader refuses, as `serde_json` does.
    for text in ["\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\""] {
        assert!(has_lone_surrogate_escape(text), "{text}");
        assert!(parse(text).is_err() && serde_json::from_str::<serde_json::Value>(text).is_err(), "{text}");
    }
    assert!(!has_lone_surrogate_escape(r#""\ud83d\ude00 \\ud800 \u00e9""#));
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
