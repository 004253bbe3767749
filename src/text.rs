//! Finding a text in a text, splitting at an ASCII separator, joining texts, filling a
//! sentence's placeholders (`{n}`) and trimming white space: the widget's own small loops rather
//! than the standard library's string searches. Those are built for long texts and patterns (with
//! a text to find, the two-way algorithm; with a character, a searcher, a splitter and `memchr`;
//! to trim, a reading of UTF-8 backwards), about 3 KB of the module, where the card searches and
//! trims sentences and names of a few dozen bytes.

/// Where `needle` first starts in `haystack` (a byte offset, at a character boundary); `None`
/// when it is not there or is empty.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    // A match of whole UTF-8 text starts at a character boundary: its first byte is not a
    // continuation byte.
    haystack.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// Whether `needle` is in `haystack` (an empty needle always is, as with `str::contains`).
pub fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || find(haystack, needle).is_some()
}

/// `text` cut around the first `needle`: what is before it and what is after.
pub fn split_once<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, needle)?;
    Some((text.get(..at)?, text.get(at + needle.len()..)?))
}

/// `text` cut around the first `byte`, an ASCII character: what is before it and what is after.
/// By bytes, as the functions below: `str`'s own searches for a character are code of their own
/// (`memchr`, a searcher, a splitter), and every separator the widget looks for is ASCII, which
/// in UTF-8 is always a whole character.
pub fn split_once_ascii(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The parts of `text` between its `byte`s (an ASCII character), as `str::split` gives them.
pub fn split_ascii(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match split_once_ascii(current, byte) {
            Some((part, after)) => {
                rest = Some(after);
                Some(part)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `text` without the `byte`s (an ASCII character) it starts with.
pub fn trim_start_ascii(text: &str, byte: u8) -> &str {
    text.get(text.bytes().take_while(|b| *b == byte).count()..).unwrap_or(text)
}

/// `text` cut around the last `byte`, an ASCII character: what is before it and what is after.
/// By bytes rather than `str::rsplit_once`, whose search from the end is code of its own.
pub fn rsplit_once_ascii(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().rposition(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// Where `text`'s first and last characters that are not white space (Unicode's, as
/// `char::is_whitespace` says) start and end; `(len, len)` when there are none. One pass forwards,
/// so that the module holds neither a backwards reading of UTF-8 nor a pattern searcher for it,
/// which `str::trim` brings.
fn bounds(text: &str) -> (usize, usize) {
    let (mut start, mut end) = (None, text.len());
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            start.get_or_insert(at);
            end = at + c.len_utf8();
        }
    }
    start.map_or((text.len(), text.len()), |start| (start, end))
}

/// `text` without the white space at either end, as `str::trim`.
pub fn trim(text: &str) -> &str {
    let (start, end) = bounds(text);
    text.get(start..end).unwrap_or("")
}

/// `text` without the white space at its start, as `str::trim_start`.
pub fn trim_start(text: &str) -> &str {
    text.get(bounds(text).0..).unwrap_or("")
}

/// Whether `text` is empty or white space only.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// `parts` one after the other, `separator` between each two. A loop rather than `[String]::join`,
/// whose copying is generic code of its own.
pub fn join(parts: &[String], separator: &str) -> String {
    let mut joined = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            joined.push_str(separator);
        }
        joined.push_str(part);
    }
    joined
}

/// A whole number's decimal digits: `42`. The module writes every number this way and every
/// text by concatenation (`[a, b].concat()`), not through `format!` or `to_string`, so that it
/// holds no formatting machinery (`core::fmt`: README, "Bundle budget").
pub fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n, 1);
    out
}

/// A whole number's decimal digits with its sign: `-7`.
pub fn signed(n: i64) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    push_decimal(&mut out, n.unsigned_abs(), 1);
    out
}

/// Appends `n`'s decimal digits, with zeros before them up to `width` digits (`07`).
pub fn push_decimal(out: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let (mut rest, mut count) = (n, 0);
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
        count += 1;
        if rest == 0 {
            break;
        }
    }
    for _ in count..width {
        out.push('0');
    }
    for &digit in digits.iter().skip(digits.len() - count) {
        out.push(char::from(digit));
    }
}

/// A sentence with its placeholders filled in.
pub trait Fill {
    /// Every `key` (`{n}`) replaced by `value`, as `str::replace` does.
    fn fill(&self, key: &str, value: &str) -> String;
}

impl Fill for str {
    fn fill(&self, key: &str, value: &str) -> String {
        let mut filled = String::with_capacity(self.len() + value.len());
        let mut rest = self;
        while let Some((before, after)) = split_once(rest, key) {
            filled.push_str(before);
            filled.push_str(value);
            rest = after;
        }
        filled.push_str(rest);
        filled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_finds_as_the_standard_library_does() {
        for (haystack, needle) in [("Anna Schmidt", "schmidt"), ("Anna Schmidt", "Schmidt"), ("ab", "abc"), ("", "a"), ("aaab", "aab"), ("Müller Straße", "Straße"), ("日本語のテキスト", "テキ")] {
            assert_eq!(find(haystack, needle), haystack.find(needle), "{haystack:?} {needle:?}");
            assert_eq!(contains(haystack, needle), haystack.contains(needle), "{haystack:?} {needle:?}");
            assert_eq!(split_once(haystack, needle), haystack.split_once(needle), "{haystack:?} {needle:?}");
        }
        assert_eq!(find("abc", ""), None, "nothing to find is not found");
        for (text, byte) in [("crm.contact.list", b'.'), ("host:8080", b':'), ("nothing", b':'), ("ä:ö:ü", b':'), (":", b':'), ("", b','), ("a,,b,", b','), ("00012", b'0'), ("000", b'0')] {
            let separator = char::from(byte);
            assert_eq!(rsplit_once_ascii(text, byte), text.rsplit_once(separator), "{text:?}");
            assert_eq!(split_once_ascii(text, byte), text.split_once(separator), "{text:?}");
            assert_eq!(split_ascii(text, byte).collect::<Vec<_>>(), text.split(separator).collect::<Vec<_>>(), "{text:?}");
            assert_eq!(trim_start_ascii(text, byte), text.trim_start_matches(separator), "{text:?}");
        }
        assert!(contains("abc", ""));
    }

    #[test]
    fn it_joins_as_the_standard_library_does() {
        for parts in [vec![], vec!["Anna".to_string()], vec!["+49 30 1234".to_string(), "".to_string(), "030 99".to_string()]] {
            assert_eq!(join(&parts, " · "), parts.join(" · "), "{parts:?}");
        }
    }

    #[test]
    fn it_writes_numbers_as_format_does() {
        for n in [0, 1, 9, 10, 42, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decimal(n), format!("{n}"));
        }
        for n in [0, 7, -7, 1_000, -1_000, i64::MAX, i64::MIN] {
            assert_eq!(signed(n), format!("{n}"));
        }
        for (n, width) in [(7, 2), (12, 2), (5, 4), (2026, 4), (123, 2)] {
            let mut out = String::from("x");
            push_decimal(&mut out, n, width);
            assert_eq!(out, format!("x{n:0width$}"));
        }
    }

    #[test]
    fn it_fills_every_placeholder_as_replace_does() {
        for (text, key, value) in [
            ("{n} days", "{n}", "3"),
            ("Add {number} to {name}? {number}", "{number}", "+49 30 123"),
            ("no placeholder", "{n}", "3"),
            ("{n}{n}", "{n}", "{n}"),
            ("звонок {when}: {length}", "{when}", "вчера"),
            ("", "{n}", "3"),
        ] {
            assert_eq!(text.fill(key, value), text.replace(key, value), "{text:?}");
        }
    }

    #[test]
    fn it_trims_white_space_as_the_standard_library_does() {
        for text in ["", " ", "\t\n ", "Anna", "  Anna Schmidt  ", "\u{a0}Анна\u{a0}", "\u{3000}山田\u{3000}太郎\u{3000}", "\u{2003}x", "x\u{85}", "a b", "\u{200b}zero-width is no space\u{200b}"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
            assert_eq!(trim_start(text), text.trim_start(), "{text:?}");
            assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
        }
    }
}
