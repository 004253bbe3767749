//! The interface's languages: Bitrix24's twenty interface languages, picked by the portal's
//! `LANG`. The words are data (`i18n/<code>.txt`, compiled into static tables by `build.rs`, which
//! refuses a language that lacks a text); dates, amounts, plural forms and country names follow
//! the language's locale (`Intl` in the browser, `i18n::intl`; pure fallbacks for the native tests).

use crate::text::Fill;

/// A counted word's forms, one per CLDR plural category (a language uses the ones it has; the
/// build fills the others with `other`). A form holds `{n}` where the count goes (a form other
/// than `other` may spell the count as a word instead).
/// `repr(C)`: a table's six texts in a row (`Texts::from_list`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Forms {
    pub zero: &'static str,
    pub one: &'static str,
    pub two: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

impl Forms {
    /// The text for `n` in `lang`, the count in it.
    pub fn of(&self, lang: Lang, n: usize) -> String {
        let form = match plural::category(lang, n) {
            Plural::Zero => self.zero,
            Plural::One => self.one,
            Plural::Two => self.two,
            Plural::Few => self.few,
            Plural::Many => self.many,
            Plural::Other => self.other,
        };
        form.fill("{n}", &crate::text::decimal(n as u64))
    }
}

include!(concat!(env!("OUT_DIR"), "/texts.rs"));

pub use card::*;

impl Texts {
    /// A card table as its file holds it (`Lang::texts_file`: a JSON array of the texts in the
    /// fields' order), kept for the page's life. `None` for anything else: not JSON, not all
    /// strings, a text too few or too many.
    pub fn from_table(json: &str) -> Option<&'static Texts> {
        use crate::json::Value;
        let Value::Array(items) = crate::json::parse(json).ok()? else { return None };
        let mut texts: Vec<String> = Vec::new();
        for item in items {
            let Value::String(text) = item else { return None };
            texts.push(text);
        }
        // A page speaks one language for its whole life: its table is read once and never freed.
        if texts.len() != Texts::COUNT {
            return None;
        }
        let texts: Vec<&'static str> = Vec::leak(texts).iter().map(String::as_str).collect();
        Texts::from_list(&texts).map(|t| &*Box::leak(Box::new(t)))
    }
}

impl Lang {
    /// The portal's `LANG` (`ru`, `ua`, `DE`, `pt-BR`…) → the language; unknown codes → English.
    ///
    /// Bitrix24's codes are its own (`ua` Ukrainian, `la` Spanish, `br` Brazilian Portuguese,
    /// `sc`/`tc` Chinese, `vn` Vietnamese, `kz` Kazakh, `in` Hindi); ISO codes a browser or an
    /// on-premise portal may send are read too. Languages the widget does not speak go to the
    /// closest one it does: Belarusian (`by`) and Uzbek (`uz`) portals read Russian, the
    /// language their agents share; Portuguese of Portugal reads Brazilian.
    pub fn from_code(code: &str) -> Lang {
        let lower = crate::text::trim(code).to_ascii_lowercase().replace('_', "-");
        let (primary, region) = crate::text::split_once_ascii(&lower, b'-').unwrap_or((lower.as_str(), ""));
        let bitrix = match (primary, region) {
            ("uk", _) => "ua",
            ("es", _) => "la",
            ("pt", _) => "br",
            ("zh", "tw" | "hk" | "mo" | "hant") => "tc",
            ("zh", _) => "sc",
            ("vi", _) => "vn",
            ("kk", _) => "kz",
            ("hi", _) => "in",
            ("by" | "be" | "uz", _) => "ru",
            (p, _) => p,
        };
        Lang::ALL.into_iter().find(|l| l.code() == bitrix).unwrap_or(Lang::En)
    }

    /// The BCP 47 locale of the language, for the browser's `Intl` and the document's `lang`.
    pub fn locale(self) -> &'static str {
        match self.code() {
            "ua" => "uk",
            "la" => "es",
            "br" => "pt-BR",
            "sc" => "zh-CN",
            "tc" => "zh-TW",
            "vn" => "vi",
            "kz" => "kk",
            "in" => "hi",
            code => code,
        }
    }

    /// The locale the browser's `Intl` writes this language's dates, amounts and names in: the
    /// language's own where the browser has its data, else the closest it has (a browser built
    /// without Kazakh data writes Kazakh agents' dates in Russian, which they read, rather than
    /// in CLDR's root format, `2026 M11 5`).
    pub fn intl_locale(self) -> &'static str {
        match self.code() {
            _ if intl::supported(self.locale()) => self.locale(),
            "kz" => "ru",
            _ => "en",
        }
    }

    /// The language's card texts. Natively every table is compiled in; in the browser English's
    /// table is (read once), and another language's table once it is loaded (`i18n::tables`):
    /// the call card's module carries no other language's texts. Until then (or if it never
    /// loads) English.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn texts(self) -> &'static Texts {
        self.builtin_texts()
    }

    /// See above.
    #[cfg(target_arch = "wasm32")]
    pub fn texts(self) -> &'static Texts {
        tables::loaded(self).unwrap_or_else(tables::english)
    }

    /// Written right to left.
    pub fn rtl(self) -> bool {
        self.code() == "ar"
    }
}

mod intl;
pub mod plural;
#[cfg(target_arch = "wasm32")]
pub mod tables;
pub use plural::Plural;

/// A calendar date `YYYY-MM-DD…` as the language writes it (the date as the portal wrote it,
/// in its own time zone, not shifted to the browser's): `Nov 3, 2026`, `03.11.2026`, `2026/11/03`.
/// `None` for what is no date, `2026-02-31` included.
pub fn format_date(lang: Lang, iso: &str) -> Option<String> {
    let date = iso.get(..10)?;
    let mut it = crate::text::split_ascii(date, b'-');
    let mut part = || crate::json::integer(it.next()?);
    let (y, m, d) = (part()?, u32::try_from(part()?).ok()?, u32::try_from(part()?).ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || date.len() != 10 {
        return None;
    }
    intl::date(y, m, d, lang.intl_locale()).or_else(|| {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        Some(match lang {
            Lang::En => [MONTHS[(m - 1) as usize], " ", &crate::text::decimal(u64::from(d)), ", ", &crate::text::signed(y)].concat(),
            _ => {
                let mut date = String::new();
                crate::text::push_decimal(&mut date, u64::from(d), 2);
                date.push('.');
                crate::text::push_decimal(&mut date, u64::from(m), 2);
                [&date, ".", &crate::text::signed(y)].concat()
            }
        })
    })
}

/// Days in month `m` of year `y` (Gregorian).
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An amount in its currency as the language writes money (`Intl.NumberFormat`): `€48,000.00`,
/// `48.000,00 €`, `¥48,000`, `-€5.00`. The portal's decimal text is taken exactly, whatever its
/// size (no float, which would round large amounts); anything else is no amount (`None`). The
/// native fallback groups and places the symbol the English or Continental way.
pub fn format_money(lang: Lang, amount: &str, currency: &str) -> Option<String> {
    let amount = crate::text::trim(amount);
    let code = crate::text::trim(currency).to_ascii_uppercase();
    let decimals = if matches!(code.as_str(), "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "PYG") { 0 } else { 2 };
    let (negative, whole, frac) = rounded_decimal(amount, decimals)?;
    let iso_code = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
    if let Some(text) = intl::money(amount, if iso_code { &code } else { "" }, lang.intl_locale()) {
        return Some(if iso_code || code.is_empty() { text } else { [text.as_str(), "\u{a0}", &code].concat() });
    }
    let (group, decimal) = match lang {
        Lang::En => (",", "."),
        Lang::Ru => ("\u{a0}", ","),
        _ => (".", ","),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    let unsigned = if frac.is_empty() { grouped } else { [grouped.as_str(), decimal, &frac].concat() };
    let symbol = match code.as_str() {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "RUB" => Some("₽"),
        "JPY" => Some("¥"),
        "KZT" => Some("₸"),
        "PLN" => Some("zł"),
        _ => None,
    };
    Some(match (lang, symbol) {
        (Lang::En, Some(s)) if s.chars().count() == 1 => [sign, s, &unsigned].concat(),
        (_, Some(s)) => [sign, &unsigned, "\u{a0}", s].concat(),
        (_, None) if code.is_empty() => [sign, unsigned.as_str()].concat(),
        (_, None) => [sign, &unsigned, "\u{a0}", &code].concat(),
    })
}

/// A decimal text (`-1234.5`, `+7`, `.5`, `12.`) rounded half up to `decimals` places: its
/// sign, whole digits without leading zeros and exactly `decimals` fraction digits. Exponents,
/// blanks inside and anything else are not amounts. A zero is never negative.
fn rounded_decimal(text: &str, decimals: usize) -> Option<(bool, String, String)> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, frac) = crate::text::split_once_ascii(digits, b'.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    // Whole and kept fraction digits as one number, most significant first.
    let mut number: Vec<u8> = whole.bytes().map(|b| b - b'0').collect();
    for place in 0..decimals {
        number.push(frac.as_bytes().get(place).map_or(0, |b| b - b'0'));
    }
    if frac.as_bytes().get(decimals).is_some_and(|b| *b >= b'5') {
        let mut i = number.len();
        loop {
            if i == 0 {
                number.insert(0, 1);
                break;
            }
            i -= 1;
            if number[i] == 9 {
                number[i] = 0;
            } else {
                number[i] += 1;
                break;
            }
        }
    }
    let split = number.len() - decimals;
    let whole: String = number[..split].iter().map(|d| char::from(b'0' + d)).collect();
    let whole = match crate::text::trim_start_ascii(&whole, b'0') {
        "" => "0".to_string(),
        w => w.to_string(),
    };
    let frac: String = number[split..].iter().map(|d| char::from(b'0' + d)).collect();
    let zero = whole == "0" && frac.bytes().all(|b| b == b'0');
    Some((negative && !zero, whole, frac))
}

/// The country of a caller's number, in the language (`Intl.DisplayNames`): "Germany",
/// "Deutschland", "ドイツ"; several for a shared code ("United States / Canada"). Natively, and
/// where the browser has no name, the region codes.
pub fn country(lang: Lang, calling_code: &str, national: &str) -> Option<String> {
    let regions = crate::crm::calling_codes::regions(calling_code, national)?;
    let names: Vec<String> = regions.iter().map(|r| intl::region(r, lang.intl_locale()).unwrap_or_else(|| (*r).to_string())).collect();
    Some(crate::text::join(&names, " / "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_languages_table_file_reads_back_as_its_texts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("texts");
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let json = std::fs::read_to_string(dir.join(lang.texts_file())).unwrap();
            assert_eq!(Texts::from_table(&json), Some(lang.builtin_texts()), "{}", lang.code());
            assert!(!json.contains(['<', '>', '&']), "{}: may be inlined into a <script> as it is", lang.code());
        }
        // English is the module's own: no file, its table compiled in, read back as its texts.
        assert!(!dir.join(Lang::En.texts_file()).exists());
        assert_eq!(Texts::from_table(EN_TABLE), Some(&card::EN));
        assert!(BLANK.contact.is_empty() && BLANK.won.other.is_empty());
        // A table of another build (a text more or less), or anything else, is no table.
        let ru = std::fs::read_to_string(dir.join(Lang::Ru.texts_file())).unwrap();
        let mut texts: Vec<String> = serde_json::from_str(&ru).unwrap();
        texts.push("one more".into());
        assert_eq!(Texts::from_table(&serde_json::to_string(&texts).unwrap()), None);
        texts.truncate(texts.len() - 2);
        assert_eq!(Texts::from_table(&serde_json::to_string(&texts).unwrap()), None);
        for other in ["", "{}", "[1, 2]", "<html>Not found</html>", "[\"a\"]"] {
            assert_eq!(Texts::from_table(other), None, "{other}");
        }
    }

    #[test]
    fn counted_words_take_the_form_of_their_count() {
        let said: Vec<String> = [0, 1, 2, 5, 21].iter().map(|n| RU.won.of(Lang::Ru, *n)).collect();
        assert_eq!(said, ["0 успешных", "1 успешная", "2 успешные", "5 успешных", "21 успешная"]);
        assert_eq!(EN.won.of(Lang::En, 1), "1 won");
        assert_eq!(DE.lost.of(Lang::De, 3), "3 verloren");
    }

    #[test]
    fn bitrix24_codes_map_to_languages_and_locales() {
        let cases = [
            ("en", "en", "en"), ("ru", "ru", "ru"), ("de", "de", "de"), ("ua", "ua", "uk"), ("uk", "ua", "uk"), ("la", "la", "es"),
            ("es", "la", "es"), ("br", "br", "pt-BR"), ("pt", "br", "pt-BR"), ("fr", "fr", "fr"), ("it", "it", "it"), ("pl", "pl", "pl"),
            ("tr", "tr", "tr"), ("sc", "sc", "zh-CN"), ("zh-CN", "sc", "zh-CN"), ("tc", "tc", "zh-TW"), ("zh_TW", "tc", "zh-TW"),
            ("ja", "ja", "ja"), ("vn", "vn", "vi"), ("id", "id", "id"), ("ms", "ms", "ms"), ("th", "th", "th"), ("kz", "kz", "kk"),
            ("ar", "ar", "ar"), ("in", "in", "hi"), ("hi", "in", "hi"), ("by", "ru", "ru"), ("uz", "ru", "ru"), ("DE-at", "de", "de"),
            ("xx", "en", "en"), ("", "en", "en"),
        ];
        for (code, lang, locale) in cases {
            let l = Lang::from_code(code);
            assert_eq!((l.code(), l.locale()), (lang, locale), "{code}");
        }
        assert_eq!(Lang::ALL.len(), 20);
        assert!(Lang::from_code("ar").rtl() && !Lang::from_code("la").rtl());
        assert_eq!(Lang::Ru.texts().retry, "Повторить");
    }

    #[test]
    fn dates_are_calendar_dates_or_nothing() {
        assert_eq!(format_date(Lang::En, "2026-11-03T10:15:00+03:00").as_deref(), Some("Nov 3, 2026"));
        assert_eq!(format_date(Lang::De, "2026-11-03T10:15:00+03:00").as_deref(), Some("03.11.2026"));
        assert_eq!(format_date(Lang::Ru, "2028-02-29").as_deref(), Some("29.02.2028"));
        for bad in ["yesterday", "2026-13-01", "2026-02-31", "2026-02-29", "2026-04-31", "2026-00-10", "2026-1-1"] {
            assert_eq!(format_date(Lang::En, bad), None, "{bad}");
        }
    }

    #[test]
    fn money_per_language() {
        assert_eq!(format_money(Lang::En, "48000.00", "EUR").as_deref(), Some("€48,000.00"));
        assert_eq!(format_money(Lang::De, "48000.00", "EUR").as_deref(), Some("48.000,00\u{a0}€"));
        assert_eq!(format_money(Lang::Ru, "2450000", "RUB").as_deref(), Some("2\u{a0}450\u{a0}000,00\u{a0}₽"));
        assert_eq!(format_money(Lang::En, "142000", "PLN").as_deref(), Some("142,000.00\u{a0}zł"));
        assert_eq!(format_money(Lang::En, "5", "CHF").as_deref(), Some("5.00\u{a0}CHF"));
        assert_eq!(format_money(Lang::En, "x", "EUR"), None);
        assert_eq!(format_money(Lang::En, "NaN", "EUR"), None);
        // Exactly as stored, whatever the size or sign; rounded half up; yen without decimals.
        assert_eq!(format_money(Lang::En, "184467440737095516150.994", "EUR").as_deref(), Some("€184,467,440,737,095,516,150.99"));
        assert_eq!(format_money(Lang::En, "-5", "EUR").as_deref(), Some("-€5.00"));
        assert_eq!(format_money(Lang::De, "-5", "EUR").as_deref(), Some("-5,00\u{a0}€"));
        assert_eq!(format_money(Lang::En, "9.995", "USD").as_deref(), Some("$10.00"));
        assert_eq!(format_money(Lang::En, "-0.001", "USD").as_deref(), Some("$0.00"));
        assert_eq!(format_money(Lang::En, "1500.5", "JPY").as_deref(), Some("¥1,501"));
        assert_eq!(format_money(Lang::En, ".5", "").as_deref(), Some("0.50"));
        for bad in ["", "-", ".", "1e5", "1 000", "--1", "1.2.3", "١٢"] {
            assert_eq!(format_money(Lang::En, bad, "EUR"), None, "{bad}");
        }
    }

    #[test]
    fn countries_by_calling_code() {
        // Natively the region codes; the browser names them in the language.
        assert_eq!(country(Lang::De, "49", "301234567").as_deref(), Some("DE"));
        assert_eq!(country(Lang::En, "1", "2125550100").as_deref(), Some("US / CA"));
        assert_eq!(country(Lang::En, "999", "1234"), None);
    }
}
