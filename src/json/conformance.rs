// What every reader of JSON text into a `Value` must agree on with `serde_json`: the widget's own
// reader (`parse.rs`, the native tests) and the browser's (`browser.rs`, the browser tests).
// Included by both, with `parse`, `Value` and `serde_json` in scope.

/// Whether the widget's value and `serde_json`'s are the same JSON: numbers compared as the
/// `f64` both give (`-0` is an integer here, a float there; the browser reads `3.0` as `3`), to
/// one unit in the last place (`serde_json` without its `float_roundtrip` feature may round a
/// long number the other way; Rust's and the browser's reading are exact).
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

/// Whether `text` escapes half a surrogate pair (`"\ud800"`): JSON's grammar allows it, and
/// the browser reads it as U+FFFD, where `serde_json` and the widget's own reader refuse it.
fn has_lone_surrogate_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    let escape_at = |i: usize| -> Option<u32> {
        let hex = bytes.get(i + 2..i + 6)?;
        (bytes.get(i..i + 2)? == b"\\u").then(|| u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()).flatten()
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        match escape_at(i) {
            Some(0xD800..=0xDBFF) => {
                if !matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) {
                    return true;
                }
                i += 12;
            }
            Some(0xDC00..=0xDFFF) => return true,
            Some(_) => i += 6,
            // Another escape: the backslash and what it escapes.
            None => i += 2,
        }
    }
    false
}

/// Texts that are JSON: a card's reply, numbers at the edges of `i64`, blanks and a repeated
/// key, escapes, scripts.
const CONFORMANCE_READ: [&str; 6] = [
    r#"{"result":{"result":{"deals":[{"ID":"7","TITLE":"Ünïcødé ☎ \"quoted\" \\ \/ \n\t\r\b\f"}]},"result_error":[],"result_total":{"deals":3}},"time":{"start":1764150000.123}}"#,
    r#"[1,-2,0,9223372036854775807,-9223372036854775808,1.5,-0.25,true,false,null,"",{},[]]"#,
    r#"  { "b" : 1 , "a" : [ "x" , { "c" : null } ] , "a" : 2 }  "#,
    r#""\u00e9\ud83d\ude00\u0001\u001f""#,
    r#"{"emoji":"😀","arabic":"مرحبا","zero":"\u0000"}"#,
    "0",
];

/// Texts that are not JSON, or hold what JSON cannot (`1e999`).
const CONFORMANCE_REFUSED: [&str; 28] = [
    "", " ", "{", "[", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
    "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "1 2", "{} x", "[\"\\", "NaN", "Infinity", "1e999",
    "-1e400",
];

/// The texts that are JSON, read as `serde_json` reads them.
fn conformance_reads_what_serde_json_reads() {
    for text in CONFORMANCE_READ {
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        let mine = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(same(&mine, &theirs), "{text}: {mine} vs {theirs}");
    }
}

/// The texts that are not JSON, refused as `serde_json` refuses them; and nesting beyond 128
/// levels, on which no walk of a value may exhaust the stack.
fn conformance_refuses_what_serde_json_refuses() {
    for text in CONFORMANCE_REFUSED {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json reads {text:?}");
        assert!(parse(text).is_err(), "{text:?} read");
    }
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert_eq!(parse(&deep).map_err(|e| e.what), Err("nested too deeply"));
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse(&fine).is_ok());
}

/// Texts mangled at random from a card's reply, a frame message and a draft: each read as
/// `serde_json` reads it or refused as it refuses it (a lone surrogate escape aside, which
/// `lone_surrogates_read` says this reader reads).
fn conformance_mangled_texts_agree(lone_surrogates_read: bool) {
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
            (Ok(_), Err(_)) if lone_surrogates_read && has_lone_surrogate_escape(&text) => refused += 1,
            (mine, theirs) => panic!("{text}: ours {mine:?}, serde_json's {theirs:?}"),
        }
    }
    // Both outcomes were exercised, many times.
    assert!(read > 1_000 && refused > 1_000, "read {read}, refused {refused}");
}
