//! The interface's texts: `i18n/<code>.txt`, one file per Bitrix24 interface language, turned
//! into static tables (`i18n::Texts`, `i18n::AppPageTexts`, `i18n::Lang`) at build time.
//!
//! English is the reference: its keys, their order, their plural forms and the `{placeholders}`
//! of each text. Any other language must have exactly those keys with the same placeholders, and
//! the build stops, naming the file, line and key, when it does not. The format is in
//! `i18n/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// Bitrix24's interface languages (the official SDK's `B24LangList`), English first.
const LANGUAGES: &[&str] = &["en", "ru", "de", "ua", "la", "br", "fr", "it", "pl", "tr", "sc", "tc", "ja", "vn", "id", "ms", "th", "kz", "ar", "in"];

/// CLDR plural categories, in the order of `i18n::Forms`' fields.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// One text of a language file: a plain text, or a word's forms by plural category.
#[derive(Clone)]
enum Value {
    Plain(String),
    Forms(BTreeMap<String, String>),
}

struct Entry {
    docs: Vec<String>,
    value: Value,
    line: usize,
}

/// A language file: its two sections (the card's texts, the app page's), keys in file order.
struct File {
    card: Vec<(String, Entry)>,
    app: Vec<(String, Entry)>,
}

fn main() {
    println!("cargo:rerun-if-changed=i18n");
    println!("cargo:rerun-if-changed=build.rs");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for code in LANGUAGES {
        let path = dir.join(format!("{code}.txt"));
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse(&text) {
                Ok(file) => files.push((*code, file)),
                Err(e) => problems.push(format!("i18n/{code}.txt:{e}")),
            },
            Err(e) => problems.push(format!("i18n/{code}.txt: cannot be read ({e})")),
        }
    }
    if problems.is_empty() {
        let reference = &files[0].1;
        for (code, file) in &files[1..] {
            compare(code, "card", &reference.card, &file.card, &mut problems);
            compare(code, "app", &reference.app, &file.app, &mut problems);
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            println!("cargo:warning={p}");
        }
        panic!("the interface texts are incomplete or inconsistent:\n{}", problems.join("\n"));
    }
    let out = std::env::var("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| dir.clone());
    let tables: Vec<(&str, String)> = files.iter().map(|(code, file)| (*code, card_table(file, &files[0].1))).collect();
    // One hash of every table names them all (`texts-<code>-<hash>.json`): the module then holds
    // one hash rather than one a language, which do not compress. A page loads one language's
    // table, so a change of another's renaming it too costs no agent a download.
    let hash = format!("{:016x}", tables.iter().fold(FNV_OFFSET, |hash, (_, json)| fnv1a(hash, json.as_bytes())));
    let names: Vec<(&str, String)> = tables.iter().map(|(code, _)| (*code, format!("texts-{code}-{hash}.json"))).collect();
    write_tables(&tables, &names);
    let code = generate(&files, &hash, &tables[0].1);
    if let Err(e) = std::fs::write(out.join("texts.rs"), code) {
        panic!("cannot write the generated texts: {e}");
    }
}

/// A language's card texts as the call card loads them: a JSON array of strings in the order of
/// `Texts`' fields, which is English's (`reference`; a language's file may order its keys its own
/// way, and `compare` has checked it has them all), a counted word as its six forms (`Forms`'
/// order, the missing ones `other`). `<`, `>` and `&` are escaped, so the file may be inlined
/// into a `<script>` element as it is.
fn card_table(file: &File, reference: &File) -> String {
    let mut texts = Vec::new();
    for (key, _) in &reference.card {
        let Some((_, entry)) = file.card.iter().find(|(k, _)| k == key) else { continue };
        match &entry.value {
            Value::Plain(t) => texts.push(t.as_str()),
            Value::Forms(forms) => texts.extend(CATEGORIES.iter().map(|c| forms.get(*c).unwrap_or(&forms["other"]).as_str())),
        }
    }
    let mut json = String::from("[");
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        for c in text.chars() {
            match c {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                    let _ = write!(json, "\\u{:04x}", c as u32);
                }
                c => json.push(c),
            }
        }
        json.push('"');
    }
    json.push_str("]\n");
    json
}

/// FNV-1a, 64 bits: the content hash in a table's file name (a name never changes meaning, so
/// it may be cached for good, and a module only ever loads the tables of its own build).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(start: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(start, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Writes the tables but English's to `target/texts/`, where the release build (Trunk's post-build hook)
/// copies them from into `dist/` beside the module. Each file goes in whole (written apart, then
/// renamed), since a native and a wasm build may run this at once; older tables are removed.
fn write_tables(tables: &[(&str, String)], names: &[(&str, String)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("texts");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    // English is compiled into the module: no file.
    let written: Vec<(&str, &String, &String)> =
        tables.iter().zip(names).filter(|((code, _), _)| *code != "en").map(|((code, json), (_, name))| (*code, json, name)).collect();
    for (code, json, name) in &written {
        if let Err(e) = write_whole(&dir, name, json) {
            panic!("cannot write the {code} table: {e}");
        }
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.ends_with(".json") && file != TABLES_INDEX && !written.iter().any(|(_, _, name)| **name == file) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    // Which file is which language's (`{"ar":"texts-ar-<hash>.json",…}`), for a handler that
    // cannot list the files it serves (the edge function) and inlines the posted language's.
    let index: Vec<String> = written.iter().map(|(code, _, name)| format!("\"{code}\":\"{name}\"")).collect();
    if let Err(e) = write_whole(&dir, TABLES_INDEX, &format!("{{{}}}", index.join(","))) {
        panic!("cannot write {TABLES_INDEX}: {e}");
    }
}

/// Writes `dir/name` whole or not at all (a part file, then renamed): the release build and the
/// tests' builds run this script at once, and none may read half a file.
fn write_whole(dir: &Path, name: &str, contents: &str) -> std::io::Result<()> {
    let part = dir.join(format!("{name}.{}.part", std::process::id()));
    std::fs::write(&part, contents).and_then(|()| std::fs::rename(&part, dir.join(name)))
}

/// The tables' index, beside them (`write_tables`).
const TABLES_INDEX: &str = "texts.json";

fn parse(text: &str) -> Result<File, String> {
    let mut file = File { card: Vec::new(), app: Vec::new() };
    let mut section: Option<&str> = None;
    let mut docs = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() {
            docs.clear();
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            docs.push(comment.trim().to_string());
            continue;
        }
        if line == "[card]" || line == "[app]" {
            section = Some(if line == "[card]" { "card" } else { "app" });
            docs.clear();
            continue;
        }
        let Some((key, value)) = line.split_once(" = ").or_else(|| line.strip_suffix(" =").map(|k| (k, ""))) else {
            return Err(format!("{line_no}: not `key = text`: {line}"));
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("{line_no}: `{key}` has no text"));
        }
        let entries = match section {
            Some("card") => &mut file.card,
            Some(_) => &mut file.app,
            None => return Err(format!("{line_no}: `{key}` before a [card] or [app] section")),
        };
        let (name, category) = match key.split_once('.') {
            Some((name, category)) if CATEGORIES.contains(&category) => (name, Some(category)),
            Some(_) => return Err(format!("{line_no}: `{key}`: a plural form is one of {}", CATEGORIES.join(", "))),
            None => (key, None),
        };
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') || name.is_empty() {
            return Err(format!("{line_no}: `{key}` is not a key (a-z, 0-9, _)"));
        }
        let existing = entries.iter_mut().find(|(k, _)| k == name);
        match (existing, category) {
            (None, None) => entries.push((name.to_string(), Entry { docs: std::mem::take(&mut docs), value: Value::Plain(value.to_string()), line: line_no })),
            (None, Some(c)) => entries.push((
                name.to_string(),
                Entry { docs: std::mem::take(&mut docs), value: Value::Forms(BTreeMap::from([(c.to_string(), value.to_string())])), line: line_no },
            )),
            (Some((_, Entry { value: Value::Forms(forms), .. })), Some(c)) => {
                if forms.insert(c.to_string(), value.to_string()).is_some() {
                    return Err(format!("{line_no}: `{key}` given twice"));
                }
            }
            (Some(_), _) => return Err(format!("{line_no}: `{name}` given twice")),
        }
    }
    for (key, entry) in file.card.iter().chain(&file.app) {
        if let Value::Forms(forms) = &entry.value {
            if !forms.contains_key("other") {
                return Err(format!("{}: `{key}` has no `{key}.other` form", entry.line));
            }
        }
    }
    Ok(file)
}

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        found.insert(rest[start + 1..start + len].to_string());
        rest = &rest[start + len..];
    }
    found
}

fn compare(code: &str, section: &str, reference: &[(String, Entry)], other: &[(String, Entry)], problems: &mut Vec<String>) {
    for (key, entry) in reference {
        let Some((_, theirs)) = other.iter().find(|(k, _)| k == key) else {
            problems.push(format!("i18n/{code}.txt: [{section}] lacks `{key}` (i18n/en.txt:{})", entry.line));
            continue;
        };
        let wanted: BTreeSet<String> = match &entry.value {
            Value::Plain(t) => placeholders(t),
            Value::Forms(f) => f.values().flat_map(|t| placeholders(t)).collect(),
        };
        // A text has every placeholder English has; a plural form may leave the count out ("one
        // day" spelled as a word), its `other` form may not.
        let texts: Vec<(&String, bool)> = match (&entry.value, &theirs.value) {
            (Value::Plain(_), Value::Plain(t)) => vec![(t, true)],
            (Value::Forms(_), Value::Forms(f)) => f.iter().map(|(category, t)| (t, category == "other")).collect(),
            _ => {
                problems.push(format!("i18n/{code}.txt:{}: `{key}` must be {} as in English", theirs.line, if matches!(entry.value, Value::Forms(_)) { "plural forms" } else { "one text" }));
                continue;
            }
        };
        for (t, complete) in texts {
            let found = placeholders(t);
            if (complete && found != wanted) || !found.is_subset(&wanted) {
                problems.push(format!("i18n/{code}.txt:{}: `{key}` must have the placeholders {:?}: {t}", theirs.line, wanted));
            }
        }
    }
    for (key, entry) in other {
        if !reference.iter().any(|(k, _)| k == key) {
            problems.push(format!("i18n/{code}.txt:{}: `{key}` is not an English key", entry.line));
        }
    }
}

fn generate(files: &[(&str, File)], hash: &str, english_table: &str) -> String {
    let mut out = String::from("// Generated by build.rs from i18n/*.txt: edit those files, not this one.\n\n");
    let reference = &files[0].1;
    for (name, entries, doc) in [("Texts", &reference.card, "Every text of the call card."), ("AppPageTexts", &reference.app, "The texts of the app's own page.")] {
        let _ = writeln!(out, "/// {doc}\n#[derive(Clone, Copy, Debug, PartialEq)]\n#[repr(C)]\npub struct {name} {{");
        for (key, entry) in entries.iter() {
            for d in &entry.docs {
                let _ = writeln!(out, "    /// {d}");
            }
            let ty = if matches!(entry.value, Value::Forms(_)) { "Forms" } else { "&'static str" };
            let _ = writeln!(out, "    pub {key}: {ty},");
        }
        out.push_str("}\n\n");
    }
    // The card's table read back from its file: the same fields in the same order. `Texts` holds
    // nothing but texts (`repr(C)`, as `Forms`), so a table of them has its layout: one copy,
    // where a setter a text or a struct literal of every text costs the module kilobytes.
    let count: usize = reference.card.iter().map(|(_, e)| if matches!(e.value, Value::Forms(_)) { CATEGORIES.len() } else { 1 }).sum();
    let _ = writeln!(out, "impl Texts {{\n    /// How many texts a card table holds (a counted word's six forms count six).\n    pub const COUNT: usize = {count};\n");
    out.push_str("    /// A card table (`Lang::texts_file`) read back: its texts in the fields' order, a counted word's six forms in `Forms`' order. `None` unless there are exactly as many.\n    pub fn from_list(texts: &[&'static str]) -> Option<Texts> {\n        let texts: [&'static str; Texts::COUNT] = texts.try_into().ok()?;\n        // SAFETY: `Texts` is `repr(C)` and its fields are `&'static str`s and `Forms`, which is\n        // `repr(C)` with six `&'static str` fields: a run of texts in declaration order without\n        // padding, the array's layout (`transmute` checks the sizes when it compiles). The\n        // fields are declared in the table's order: both are written from English's keys.\n        Some(unsafe { core::mem::transmute::<[&'static str; Texts::COUNT], Texts>(texts) })\n    }\n}\n\n");
    // English's card table as the other languages' files hold theirs: the call card's module reads
    // it once (`i18n::tables::english`) instead of holding `card::EN`, whose two words (address and
    // length) a text compress far worse than the texts' own quotes and commas.
    let _ = writeln!(out, "/// English's card table, as a language's file holds it (`Texts::from_table`).\npub const EN_TABLE: &str = {:?};\n", english_table.trim_end());
    out.push_str("/// Every text empty: what the call card would say if English's table could not be read, which\n/// a unit test rules out (`i18n::tables::english`).\n// SAFETY: as in `Texts::from_list`.\npub static BLANK: Texts = unsafe { core::mem::transmute::<[&'static str; Texts::COUNT], Texts>([\"\"; Texts::COUNT]) };\n\n");
    let variant = |code: &str| {
        let mut c = code.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    };
    out.push_str("/// A Bitrix24 interface language, by the portal's own code (`LANG`).\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Lang {\n");
    for (code, _) in files {
        let _ = writeln!(out, "    {},", variant(code));
    }
    out.push_str("}\n\nimpl Lang {\n    /// Every language, English first.\n");
    let _ = writeln!(out, "    pub const ALL: [Lang; {}] = [{}];", files.len(), files.iter().map(|(c, _)| format!("Lang::{}", variant(c))).collect::<Vec<_>>().join(", "));
    out.push_str("\n    /// The portal's code of the language.\n    pub fn code(self) -> &'static str {\n        match self {\n");
    for (code, _) in files {
        let _ = writeln!(out, "            Lang::{} => {code:?},", variant(code));
    }
    out.push_str("        }\n    }\n\n    /// The file of the language's card texts (`texts-<code>-<hash>.json`, beside the module;\n    /// one hash of every table names them all).\n    pub fn texts_file(self) -> String {\n");
    let _ = writeln!(out, "        [\"texts-\", self.code(), \"-{hash}.json\"].concat()");
    out.push_str("    }\n\n    /// The language's card texts compiled into the module (the app's page, the native tests; the call card loads its one language instead).\n    pub fn builtin_texts(self) -> &'static Texts {\n        match self {\n");
    for (code, _) in files {
        let _ = writeln!(out, "            Lang::{} => &card::{},", variant(code), code.to_ascii_uppercase());
    }
    out.push_str("        }\n    }\n\n    pub fn app_page(self) -> &'static AppPageTexts {\n        match self {\n");
    for (code, _) in files {
        let _ = writeln!(out, "            Lang::{} => &app::{},", variant(code), code.to_ascii_uppercase());
    }
    out.push_str("        }\n    }\n}\n\n");
    for (module, name, pick) in [("card", "Texts", 0), ("app", "AppPageTexts", 1)] {
        let _ = writeln!(out, "pub mod {module} {{\n    use super::*;\n");
        for (code, file) in files {
            let entries = if pick == 0 { &file.card } else { &file.app };
            let _ = writeln!(out, "    pub static {}: {name} = {name} {{", code.to_ascii_uppercase());
            for (key, entry) in entries {
                match &entry.value {
                    Value::Plain(t) => {
                        let _ = writeln!(out, "        {key}: {t:?},");
                    }
                    Value::Forms(forms) => {
                        let other = &forms["other"];
                        let each: Vec<String> = CATEGORIES.iter().map(|c| format!("{c}: {:?}", forms.get(*c).unwrap_or(other))).collect();
                        let _ = writeln!(out, "        {key}: Forms {{ {} }},", each.join(", "));
                    }
                }
            }
            out.push_str("    };\n");
        }
        out.push_str("}\n\n");
    }
    out
}
