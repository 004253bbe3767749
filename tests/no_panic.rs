//! Any input, no panic: the parsers of everything the widget is handed (launch fields, frame
//! messages, REST envelopes and batch replies, phone numbers) run over many generated inputs.
//! Replies are generated two ways: arbitrary JSON, and real replies of the sandbox's portal
//! emulation with random parts replaced, which reach deep into the card's reader.
//!
//! The generator is seeded, so a failure names an input that fails again on the next run.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use callcard::crm::entity::{EntityKind, EntityRef};
use callcard::crm::plan::Lookup;
use callcard::crm::{card, link, phone};
use callcard::frame::message;
use callcard::install;
use callcard::launch::{self, CallCardOptions, FrameName, Launch, LaunchFields};
use callcard::rest::batch::BatchReply;
use callcard::rest::envelope;
use callcard_sandbox::crm::Crm;
use callcard_sandbox::params::parse_query;
use callcard_sandbox::rest;
use serde_json::{json, Map, Value};

/// 2026-11-25T00:00:00Z
const NOW: i64 = 1_795_564_800;

/// xorshift64*: small, seeded, good enough to spread inputs.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Text that looks like what the portal sends, and text that does not: digits, phone
    /// punctuation, JSON and protocol characters, multi-byte letters, separators, emoji.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "0", "1", "7", "8", "9", "00", "+", "-", " ", "(", ")", "#", "*", ":", "|", ",", ".", "/",
            "é", "ж", "\u{2029}", "\u{0}", "😀", "\"", "{", "}", "[", "]", "null", "undefined", "true",
            "CONTACT", "LEAD", "COMPANY", "DEAL", "C1:", "3600", "3600.0", "-1", "1e309", "NaN", "https://",
            "portal.example", "a", "Z", "\\", "%", "&", "=", "Y", "N",
        ];
        let len = self.below(12);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }

    fn json(&mut self, depth: u32) -> Value {
        let pick = if depth == 0 { self.below(5) } else { self.below(7) };
        match pick {
            0 => Value::Null,
            1 => Value::Bool(self.next().is_multiple_of(2)),
            2 => match self.below(4) {
                0 => json!(self.next() as i64),
                1 => json!(self.below(100)),
                2 => json!(-(self.below(5) as i64)),
                _ => json!(f64::from(self.below(10_000) as u32) / 7.0),
            },
            3 | 4 => Value::String(self.text()),
            5 => Value::Array((0..self.below(4)).map(|_| self.json(depth - 1)).collect()),
            _ => {
                const KEYS: &[&str] = &[
                    "ID", "NAME", "LAST_NAME", "TITLE", "PHONE", "VALUE", "VALUE_TYPE", "ENTITY_TYPE", "ENTITY_ID",
                    "STATUS_ID", "COLOR", "result", "result_error", "error", "error_description", "CONTACT",
                    "COMPANY", "LEAD", "DEAL", "ASSIGNED_BY_ID", "OPPORTUNITY", "CURRENCY_ID", "DEADLINE",
                    "COMPLETED", "DIRECTION", "CREATED", "AUTHOR_ID", "COMMENT", "PHONE_NUMBER", "CALL_ID",
                ];
                let mut map = Map::new();
                for _ in 0..self.below(5) {
                    map.insert(KEYS[self.below(KEYS.len())].to_string(), self.json(depth - 1));
                }
                Value::Object(map)
            }
        }
    }

    /// `value` (serde's or the widget's own JSON) with one node somewhere inside it replaced by
    /// arbitrary JSON. The widget's own lets a reply be read once and changed in place: the
    /// card reader's rounds need not write and read the whole reply again each time.
    fn mutate<T: Tree>(&mut self, value: &mut T) {
        let mut node = value;
        loop {
            let descend = self.below(5) != 0;
            let children = node.children();
            if descend && children > 0 {
                node = node.child(self.below(children));
            } else {
                *node = T::from_generated(self.json(3));
                return;
            }
        }
    }
}

/// A JSON value `Gen::mutate` can walk down and change.
trait Tree: Sized {
    fn children(&self) -> usize;
    /// The `i`th member or element; called only below `children()`.
    fn child(&mut self, i: usize) -> &mut Self;
    fn from_generated(value: Value) -> Self;
}

impl Tree for Value {
    fn children(&self) -> usize {
        match self {
            Value::Object(map) => map.len(),
            Value::Array(list) => list.len(),
            _ => 0,
        }
    }

    fn child(&mut self, i: usize) -> &mut Self {
        match self {
            Value::Object(map) => map.values_mut().nth(i).unwrap(),
            Value::Array(list) => &mut list[i],
            _ => unreachable!("a leaf has no children"),
        }
    }

    fn from_generated(value: Value) -> Self {
        value
    }
}

impl Tree for callcard::json::Value {
    fn children(&self) -> usize {
        match self {
            callcard::json::Value::Object(map) => map.len(),
            callcard::json::Value::Array(list) => list.len(),
            _ => 0,
        }
    }

    fn child(&mut self, i: usize) -> &mut Self {
        match self {
            callcard::json::Value::Object(map) => map.values_mut().nth(i).unwrap(),
            callcard::json::Value::Array(list) => &mut list[i],
            _ => unreachable!("a leaf has no children"),
        }
    }

    fn from_generated(value: Value) -> Self {
        ours(&value)
    }
}

fn crm() -> Crm {
    Crm::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sandbox/data")).unwrap()
}

fn call(number: &str) -> Lookup {
    Lookup::for_call(&CallCardOptions { phone_number: Some(number.into()), ..Default::default() })
}

#[test]
fn text_parsers_take_any_text() {
    let mut g = Gen(0x5eed_0001);
    for _ in 0..20_000 {
        let s = g.text();
        let _ = phone::digits(&s);
        let _ = phone::portal_normal(&s);
        let _ = phone::split_calling_code(&s);
        let _ = phone::search_variants(&s);
        let _ = phone::display(&s);
        let _ = phone::display_near(&s, Some(&g.text()));
        let _ = phone::matches_any(&s, &phone::search_variants(&g.text()));
        let _ = launch::normalize_domain(&s, g.next().is_multiple_of(2));
        let _ = FrameName::parse(&s);
        let _ = message::split_reply(&s);
        let _ = message::parse_payload(&s);
        let _ = envelope::parse([200, 400, 401, 500, 503][g.below(5)], &s);
        let _ = LaunchFields::from_inlined(&s);
        let _ = install::handler_url(&s);
        let _ = install::test_call_params(1, &s);
        let _ = link::search_batch(&s);
        let _ = card::unix_time(&s);
    }
}

/// A generated value as the widget reads it: through its own JSON reader, which must take
/// whatever `serde_json` writes.
fn ours(value: &Value) -> callcard::json::Value {
    callcard::json::parse(&value.to_string()).unwrap()
}

#[test]
fn launch_and_frame_values_take_any_json() {
    let mut g = Gen(0x5eed_0002);
    let base = json!({
        "DOMAIN": "portal.example", "PROTOCOL": 1, "LANG": "de", "AUTH_ID": "t0ken", "AUTH_EXPIRES": 3600,
        "MEMBER_ID": "m1", "PLACEMENT": "CALL_CARD", "INSTALL": false, "IS_ADMIN": true,
        "PLACEMENT_OPTIONS": {"CALL_ID": "c1", "PHONE_NUMBER": "+49 30 1234567", "CRM_ENTITY_TYPE": "CONTACT",
            "CRM_ENTITY_ID": "17", "CALL_DIRECTION": "incoming", "CALL_LIST_MODE": "false",
            "CRM_BINDINGS": [{"ENTITY_TYPE": "DEAL", "ENTITY_ID": 4}]},
    });
    let frame = FrameName::parse("portal.example|1|sid").unwrap();
    for _ in 0..20_000 {
        let mut init = base.clone();
        for _ in 0..=g.below(3) {
            g.mutate(&mut init);
        }
        let arbitrary = ours(&g.json(4));
        let _ = CallCardOptions::parse(Some(&arbitrary));
        let _ = envelope::api_error(&arbitrary);
        let _ = envelope::parse(200, &init.to_string());
        let init_ours = ours(&init);
        let _ = CallCardOptions::parse(init_ours.get("PLACEMENT_OPTIONS"));
        for value in [&init_ours, &arbitrary] {
            if let Ok(fields) = LaunchFields::from_init_data(value) {
                let _ = Launch::resolve(&fields, Some(&frame), Some(&fields));
                let _ = Launch::resolve(&fields, None, None);
            }
        }
        let seed = json!({ "query": {"DOMAIN": "portal.example", "APP_SID": "sid"}, "form": init }).to_string();
        if let Ok(fields) = LaunchFields::from_inlined(&seed) {
            let _ = Launch::resolve(&fields, Some(&frame), None);
        }
    }
}

#[test]
fn the_card_reader_takes_any_reply() {
    let mut g = Gen(0x5eed_0003);
    let known = call("49301234567");
    let lookups = [
        known.clone(),
        call("78125550100"),
        call("12025550123"),
        known.picked(EntityRef { kind: EntityKind::Company, id: 3 }),
        known.picked(EntityRef { kind: EntityKind::Lead, id: 7 }),
    ];
    let mut crm = crm();
    for lookup in &lookups {
        let batch = lookup.batch().unwrap();
        let real = ours(&rest::batch(&mut crm, &parse_query(&batch.form_body()), callcard_sandbox::outcome::Policy::default()).unwrap().result);
        for round in 0..3_000 {
            let mut reply = real.clone();
            for _ in 0..=g.below(4) {
                g.mutate(&mut reply);
            }
            if round % 10 == 0 {
                reply = ours(&g.json(5));
            }
            if let Ok(parsed) = BatchReply::parse(&reply) {
                let _ = card::read(lookup, &parsed, NOW);
                let _ = install::read_status(&parsed, Some(true));
                let _ = link::read_hits(&g.text(), &parsed);
            }
        }
    }
}

#[test]
fn link_search_replies_take_any_reply() {
    let mut g = Gen(0x5eed_0004);
    let mut crm = crm();
    for query in ["Schmidt", "+49 30 1234567", "Müller"] {
        let batch = link::search_batch(query).unwrap();
        let real = ours(&rest::batch(&mut crm, &parse_query(&batch.form_body()), callcard_sandbox::outcome::Policy::default()).unwrap().result);
        for _ in 0..3_000 {
            let mut reply = real.clone();
            for _ in 0..=g.below(4) {
                g.mutate(&mut reply);
            }
            if let Ok(parsed) = BatchReply::parse(&reply) {
                let _ = link::read_hits(query, &parsed);
            }
        }
    }
}
