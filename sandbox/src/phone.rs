//! The portal's phone normalisation, rule for rule, written from its own code and kept apart
//! from the widget's, so that a misreading on one side shows up as a failing test.
//!
//! - `NormalizePhone($number, $minLength = 10)` in main's `tools.php`;
//! - `DuplicateCommunicationCriterion::normalizePhone` in crm's
//!   `lib/integrity/duplicatecommunicationcriterion.php`: the match code `crm.duplicate.findbycomm`
//!   compares, for both the stored numbers and the searched values.

/// `NormalizePhone`: `None` where PHP returns `false` (a number shorter than `min_length`
/// characters as written, spaces and signs included).
///
/// 1. Shorter than `min_length` bytes (as written): `false`.
/// 2. Ten characters or more starting `+8`: the plus becomes `00` (`+81 …` → `0081…`).
/// 3. Keep digits, `#` and `*`.
/// 4. Ten characters or more: a number starting `80`, `81` or `82` stays as it is; otherwise one
///    rule only, the first that applies: drop `00`; drop `011`; `8` becomes `7`; drop `0`.
pub fn normalize_phone(number: &str, min_length: i64) -> Option<String> {
    if min_length <= 0 || (number.len() as i64) < min_length {
        return None;
    }
    let mut number = number.to_string();
    if number.len() >= 10 && number.starts_with("+8") {
        number = format!("00{}", &number[1..]);
    }
    let kept: String = number.chars().filter(|c| c.is_ascii_digit() || *c == '#' || *c == '*').collect();
    if kept.len() < 10 {
        return Some(kept);
    }
    Some(if kept.starts_with("80") || kept.starts_with("81") || kept.starts_with("82") {
        kept
    } else if let Some(rest) = kept.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = kept.strip_prefix("011") {
        rest.to_string()
    } else if let Some(rest) = kept.strip_prefix('8') {
        format!("7{rest}")
    } else if let Some(rest) = kept.strip_prefix('0') {
        rest.to_string()
    } else {
        kept
    })
}

/// The duplicate index's match code of a phone value: `NormalizePhone($value, 1)`, or the value's
/// digits and `#*,;` when that gives nothing; then only the first run of digits before an
/// extension mark is kept (`preg_replace('/(\d+)([;#]*)([\d,]*)/', '$1', …)`).
pub fn match_code(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let normal = match normalize_phone(value, 1) {
        Some(n) if !n.is_empty() => n,
        _ => value.chars().filter(|c| c.is_ascii_digit() || matches!(c, '#' | '*' | ',' | ';')).collect(),
    };
    drop_extensions(&normal)
}

/// `preg_replace('/(\d+)([;#]*)([\d,]*)/', '$1', $s)`: every run of digits swallows the `;`/`#`
/// marks after it and the digits and commas after those.
fn drop_extensions(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                out.push(chars[i]);
                i += 1;
            }
            while i < chars.len() && matches!(chars[i], ';' | '#') {
                i += 1;
            }
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',') {
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_phone_follows_the_portal_rule_for_rule() {
        // Shorter than the minimum length, counted as written: false.
        assert_eq!(normalize_phone("+7 (495)", 10), None);
        assert_eq!(normalize_phone("", 1), None);
        // Under ten digits nothing is dropped.
        assert_eq!(normalize_phone("030 123", 1).as_deref(), Some("030123"));
        // 80, 81, 82 stay as they are.
        assert_eq!(normalize_phone("0800 1234567", 1).as_deref(), Some("8001234567"));
        assert_eq!(normalize_phone("8001234567", 1).as_deref(), Some("8001234567"));
        assert_eq!(normalize_phone("81312345678", 1).as_deref(), Some("81312345678"));
        // +8… is an international number: its plus becomes 00, which is then dropped.
        assert_eq!(normalize_phone("+81 3 1234 5678", 1).as_deref(), Some("81312345678"));
        assert_eq!(normalize_phone("+86 10 1234 5678", 1).as_deref(), Some("861012345678"));
        // One rule only: 00, then 011, then 8 → 7, then 0.
        assert_eq!(normalize_phone("0049 30 1234567", 1).as_deref(), Some("49301234567"));
        assert_eq!(normalize_phone("011 44 20 7946 0000", 1).as_deref(), Some("442079460000"));
        assert_eq!(normalize_phone("8 (495) 123-45-67", 1).as_deref(), Some("74951234567"));
        assert_eq!(normalize_phone("030 1234567 8", 1).as_deref(), Some("3012345678"));
        assert_eq!(normalize_phone("000123456789", 1).as_deref(), Some("0123456789"), "00 dropped once");
        // # and * are kept.
        assert_eq!(normalize_phone("+49 30 1234567#12", 1).as_deref(), Some("49301234567#12"));
    }

    #[test]
    fn match_codes_cut_extensions() {
        assert_eq!(match_code("+49 30 1234567#12"), "49301234567");
        // NormalizePhone keeps no `;` or `,`: the digits after them stay (only `#` survives it).
        assert_eq!(match_code("+49 30 1234567;12,3"), "49301234567123");
        // A value NormalizePhone rejects (never, with minimum 1) keeps its own marks; a value
        // with no digits at all stays what it was reduced to.
        assert_eq!(match_code("ext"), "");
        assert_eq!(match_code("030 1234567"), "301234567");
        assert_eq!(match_code(""), "");
    }
}
