//! Phone numbers as the portal matches them.
//!
//! The portal compares match codes with no country awareness (crm's duplicate index,
//! `DuplicateCommunicationCriterion::normalizePhone`, over main's `NormalizePhone`): from ten
//! characters on it drops one leading `00`, `011` or `0`, or reads a leading `8` as `7`, except
//! for numbers starting `80`, `81`, `82`, which it keeps. So `030 1234567` (stored nationally)
//! never matches `+49 30 1234567` (dialled internationally). The widget searches every likely
//! spelling of the caller's number in one call instead.

/// The portal's limit on values in one `crm.duplicate.findbycomm` call.
pub const MAX_VARIANTS: usize = 20;

/// The ASCII characters of `raw` that `keep` keeps, in order.
fn kept(raw: &str, keep: fn(u8) -> bool) -> String {
    let mut kept = String::new();
    for b in raw.bytes() {
        if keep(b) {
            kept.push(char::from(b));
        }
    }
    kept
}

/// The digits of a number, nothing else.
pub fn digits(raw: &str) -> String {
    kept(raw, |b| b.is_ascii_digit())
}

/// The portal's match code of a stored or searched number, rule for rule:
/// 1. written `+8…` and ten characters or more: an international number, `+` read as `00`;
/// 2. digits, `#` and `*` kept;
/// 3. ten characters or more: `80…`, `81…`, `82…` kept as they are; otherwise the first rule that
///    applies, and only that one: drop `00`; drop `011`; `8` becomes `7`; drop `0`;
/// 4. an extension (`#` and what follows the digits) cut off.
pub fn portal_normal(raw: &str) -> String {
    let mut kept = kept(raw, |b| b.is_ascii_digit() || b == b'#' || b == b'*');
    if raw.len() >= 10 && raw.starts_with("+8") {
        kept.insert_str(0, "00");
    }
    if kept.len() >= 10 && !["80", "81", "82"].iter().any(|p| kept.starts_with(p)) {
        kept = if let Some(rest) = kept.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = kept.strip_prefix("011") {
            rest.to_string()
        } else if let Some(rest) = kept.strip_prefix('8') {
            ["7", rest].concat()
        } else if let Some(rest) = kept.strip_prefix('0') {
            rest.to_string()
        } else {
            kept
        };
    }
    match crate::text::split_once_ascii(&kept, b'#') {
        Some((number, _)) if number.ends_with(|c: char| c.is_ascii_digit()) => number.to_string(),
        _ => kept,
    }
}

/// Country calling codes of two digits; `1` and `7` have one, all others three (ITU E.164 plan).
const TWO_DIGIT_CODES: &[&str] = &[
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// Splits an international number (digits after `+`) into calling code and national number.
/// Anything but ASCII digits is no international number (and never sliced mid-character).
pub fn split_calling_code(intl: &str) -> Option<(&str, &str)> {
    if !intl.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len = match intl.as_bytes().first()? {
        b'1' | b'7' => 1,
        b'0' => return None,
        _ if intl.len() >= 2 && TWO_DIGIT_CODES.contains(&&intl[..2]) => 2,
        _ => 3,
    };
    // A national number is at least four digits long.
    (intl.len() >= len + 4).then(|| intl.split_at(len))
}

/// A caller's number as calling code and national number, when the call gives it
/// internationally: with a `+`, or as a full international number of 11 digits or more (the
/// telephony's `49301234567`).
pub fn international_parts(raw: &str) -> Option<(String, String)> {
    let d = digits(raw);
    if d.len() < 11 && !crate::text::trim_start(raw).starts_with('+') {
        return None;
    }
    split_calling_code(&d).map(|(code, national)| (code.to_string(), national.to_string()))
}

/// The spellings to search for a caller's number, most literal first, at most [`MAX_VARIANTS`].
pub fn search_variants(raw: &str) -> Vec<String> {
    let d = digits(raw);
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: String| {
        if v.len() >= 3 && !out.contains(&v) && out.len() < MAX_VARIANTS {
            out.push(v);
        }
    };
    if d.is_empty() {
        return Vec::new();
    }
    add(d.clone());

    let explicit_intl = crate::text::trim_start(raw).starts_with('+');
    let intl = if explicit_intl {
        Some(d.clone())
    } else if let Some(rest) = d.strip_prefix("00").or_else(|| d.strip_prefix("011")) {
        Some(rest.to_string())
    } else if d.starts_with('0') {
        None
    } else if d.len() == 11 && d.starts_with('8') {
        // Russia's and Kazakhstan's national form of +7: the same number as 7XXXXXXXXXX.
        Some(["7", &d[1..]].concat())
    } else if d.len() >= 11 {
        // Telephony hands over international numbers without the plus.
        Some(d.clone())
    } else {
        None
    };

    if let Some(intl) = intl {
        add(intl.clone());
        add(["00", intl.as_str()].concat());
        if let Some((code, national)) = split_calling_code(&intl) {
            add(national.to_string());
            add(["0", national].concat());
            if code == "7" {
                add(["8", national].concat());
            }
        }
    } else if let Some(national) = d.strip_prefix('0') {
        // A national number with its trunk prefix: also search it without.
        add(national.to_string());
    }
    out
}

/// A number for reading aloud. A number written with spaces, dashes or brackets is shown as
/// written (someone formatted it); a bare string of digits (telephony's form) gets its `+` when
/// it is international and is grouped as its country writes numbers (`+49 30 1234567`,
/// `+7 495 123-45-67`, `+1 202 555 0123`).
pub fn display(raw: &str) -> String {
    display_near(raw, None)
}

/// Like [`display`], for a number seen beside another one of calling code `near` (a call's line
/// beside its caller): ten bare digits starting with that code are read as international too.
pub fn display_near(raw: &str, near: Option<&str>) -> String {
    let raw = crate::text::trim(raw);
    let bare = raw.strip_prefix('+').unwrap_or(raw);
    if bare.is_empty() || !bare.bytes().all(|b| b.is_ascii_digit()) {
        return raw.to_string();
    }
    let international = raw.starts_with('+')
        || (bare.len() >= 11 && !bare.starts_with('0'))
        || (bare.len() == 10 && near.is_some_and(|code| code.len() >= 2 && bare.starts_with(code)));
    if !international {
        return raw.to_string();
    }
    match split_calling_code(bare) {
        Some((code, national)) => ["+", code, " ", &group(national, template(code, national))].concat(),
        None => ["+", bare].concat(),
    }
}

/// How a country groups its national numbers: `x` is a digit, anything else a separator written
/// only when digits follow; digits past the template follow without grouping. Common formats
/// of each country (landline area codes of the big cities, mobile prefixes); others get 3 3 4.
fn template(code: &str, national: &str) -> &'static str {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| national.starts_with(p));
    match code {
        "1" => "xxx xxx xxxx",
        "7" => "xxx xxx-xx-xx",
        "49" if starts(&["30", "40", "69", "89"]) => "xx ",
        "49" => "xxx ",
        "44" if starts(&["20"]) => "xx xxxx xxxx",
        "44" => "xxxx xxxxxx",
        "33" => "x xx xx xx xx",
        "34" | "48" | "420" => "xxx xxx xxx",
        "39" if starts(&["3"]) => "xxx xxx xxxx",
        "39" => "xx xxxx xxxx",
        "31" if starts(&["6"]) => "x xxxxxxxx",
        "31" => "xx xxx xxxx",
        "41" | "43" | "46" | "375" | "380" | "998" => "xx xxx xx xx",
        "55" => "xx xxxxx-xxxx",
        "81" if starts(&["3", "6"]) => "x-xxxx-xxxx",
        "81" => "xx-xxxx-xxxx",
        "86" if starts(&["1"]) => "xxx xxxx xxxx",
        "86" => "xx xxxx xxxx",
        "90" => "xxx xxx xx xx",
        "971" => "x xxx xxxx",
        _ => "xxx xxx xxxx",
    }
}

/// Lays `digits` into `template`.
fn group(digits: &str, template: &str) -> String {
    let mut out = String::new();
    let mut rest = digits.chars().peekable();
    for t in template.chars() {
        if rest.peek().is_none() {
            break;
        }
        match t {
            'x' => out.extend(rest.next()),
            sep => out.push(sep),
        }
    }
    out.extend(rest);
    out
}

/// Whether a stored number is one of the searched spellings, as the portal would judge it.
pub fn matches_any(stored: &str, variants: &[String]) -> bool {
    let s = portal_normal(stored);
    !s.is_empty() && variants.iter().any(|v| portal_normal(v) == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_normalisation() {
        assert_eq!(portal_normal("+7 (495) 123-45-67"), "74951234567");
        assert_eq!(portal_normal("8 495 123 45 67"), "74951234567");
        assert_eq!(portal_normal("030 1234567"), "301234567");
        assert_eq!(portal_normal("0049301234567"), "49301234567");
        assert_eq!(portal_normal("12345"), "12345");
        // One rule only: a trunk 0 is dropped, and the 8 after it stays.
        assert_eq!(portal_normal("0800 1234567"), "8001234567");
        // 80, 81, 82 are kept; a written +8… is international (+ read as 00, then dropped).
        assert_eq!(portal_normal("+81 3 1234 5678"), "81312345678");
        assert_eq!(portal_normal("81312345678"), "81312345678");
        assert_eq!(portal_normal("8 029 123-45-67"), "80291234567");
        // An extension is not part of the number.
        assert_eq!(portal_normal("+49 89 4567 8900#214"), "498945678900");
        assert_eq!(portal_normal("#21"), "#21");
    }

    #[test]
    fn the_marked_number_is_the_one_the_portal_matched() {
        // The switchboard matches a number stored with an extension.
        assert!(matches_any("+49 89 4567 8900#214", &search_variants("+49 89 4567 8900")));
        // A Tokyo number is a Tokyo number, whatever its 8.
        let v = search_variants("+81 3 1234 5678");
        assert!(matches_any("81312345678", &v));
        assert!(matches_any("03-1234-5678", &v));
        assert!(!matches_any("+7 (313) 123-45-67", &v));
    }

    #[test]
    fn international_number_finds_national_spellings() {
        let v = search_variants("49301234567");
        assert!(v.contains(&"49301234567".to_string()));
        assert!(v.contains(&"301234567".to_string()));
        assert!(v.contains(&"0301234567".to_string()));
        assert!(matches_any("030 1234567", &v));
        assert!(matches_any("+49 30 1234567", &v));
        assert!(!matches_any("+49 30 7654321", &v));
    }

    #[test]
    fn russian_numbers_cover_eight_and_seven() {
        let v = search_variants("+7 495 123-45-67");
        assert!(v.contains(&"84951234567".to_string()));
        assert!(v.contains(&"4951234567".to_string()));
        assert!(matches_any("8 (495) 123-45-67", &v));
        let v = search_variants("84951234567");
        assert!(v.contains(&"74951234567".to_string()));
    }

    #[test]
    fn trunk_prefixed_and_short_numbers() {
        let v = search_variants("0301234567");
        assert_eq!(v, vec!["0301234567".to_string(), "301234567".to_string()]);
        assert_eq!(search_variants("101"), vec!["101".to_string()]);
        assert!(search_variants("").is_empty());
        assert!(search_variants("anonymous").is_empty());
        assert!(search_variants(&"9".repeat(5000)).len() <= MAX_VARIANTS);
    }

    #[test]
    fn numbers_for_reading() {
        // Formatted by someone: as written.
        assert_eq!(display("+49 170 5550101"), "+49 170 5550101");
        assert_eq!(display(" 0301234567 "), "0301234567");
        assert_eq!(display("8 (495) 123-45-67"), "8 (495) 123-45-67");
        // Telephony's bare digits: international, grouped as the country writes them.
        assert_eq!(display("49301234567"), "+49 30 1234567");
        assert_eq!(display("491705550101"), "+49 170 5550101");
        assert_eq!(display("12025550123"), "+1 202 555 0123");
        assert_eq!(display("74951234567"), "+7 495 123-45-67");
        assert_eq!(display("+442079460000"), "+44 20 7946 0000");
        assert_eq!(display("+33123456789"), "+33 1 23 45 67 89");
        assert_eq!(display("81312345678"), "+81 3-1234-5678");
        assert_eq!(display("380441234567"), "+380 44 123 45 67");
        assert_eq!(display("9715551234567"), "+971 5 551 234567");
        // Short, national or not a number: untouched.
        assert_eq!(display("101"), "101");
        assert_eq!(display("+"), "+");
        assert_eq!(display("anonymous"), "anonymous");
        // A line beside a German caller.
        assert_eq!(display("4930555000"), "4930555000");
        assert_eq!(display_near("4930555000", Some("49")), "+49 30 555000");
        assert_eq!(display_near("2025550123", Some("49")), "2025550123");
    }

    #[test]
    fn calling_codes() {
        assert_eq!(split_calling_code("12125550100"), Some(("1", "2125550100")));
        assert_eq!(split_calling_code("4930123456"), Some(("49", "30123456")));
        assert_eq!(split_calling_code("380441234567"), Some(("380", "441234567")));
        assert_eq!(split_calling_code("49"), None);
        // Total on any text: no slice through a character.
        for odd in ["\u{2029}", "99é123", "4é", "é", "+4930123456", "49 30 123456"] {
            assert_eq!(split_calling_code(odd), None, "{odd:?}");
        }
    }
}
