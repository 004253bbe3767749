//! Which plural form a count takes: CLDR's categories for whole numbers, by the widget's own
//! rules for its twenty languages. The browser's `Intl.PluralRules` would answer the same from
//! its own CLDR data, for a call into JavaScript and its glue in the module; a browser test
//! checks that both agree for every language, on 0 to 300 and on thousands and millions
//! (`tests/web.rs`).

use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// The category of `n` in `lang`: CLDR's plural rules for whole numbers (`i = n`, `v = 0`), by
/// the language. Matched on the language itself rather than its code: each text compared is
/// code of its own.
pub fn category(lang: Lang, n: usize) -> Plural {
    use Lang::*;
    let (last, last_two) = (n % 10, n % 100);
    // Russian, Ukrainian and Polish: "few" for 2–4 but 12–14.
    let few = (2..=4).contains(&last) && !(12..=14).contains(&last_two);
    let millions = n != 0 && n.is_multiple_of(1_000_000);
    match lang {
        // Chinese, Japanese, Vietnamese, Indonesian, Malay, Thai: one form.
        Sc | Tc | Ja | Vn | Id | Ms | Th => Plural::Other,
        // Russian, Ukrainian.
        Ru | Ua if last == 1 && last_two != 11 => Plural::One,
        // Polish: one only for 1 itself.
        Pl if n == 1 => Plural::One,
        Ru | Ua | Pl if few => Plural::Few,
        Ru | Ua | Pl => Plural::Many,
        // French, Brazilian Portuguese, Hindi: 0 and 1 are "one"; French and Portuguese also
        // have "many" for millions (1000000, 2000000…).
        Fr | Br | In if n <= 1 => Plural::One,
        // Spanish and Italian: "many" for millions too.
        La | It if n == 1 => Plural::One,
        Fr | Br | La | It if millions => Plural::Many,
        // Arabic: six forms.
        Ar => match n {
            0 => Plural::Zero,
            1 => Plural::One,
            2 => Plural::Two,
            _ if (3..=10).contains(&last_two) => Plural::Few,
            _ if (11..=99).contains(&last_two) => Plural::Many,
            _ => Plural::Other,
        },
        // English, German, Turkish, Kazakh and the rest: one and other.
        _ if n == 1 => Plural::One,
        _ => Plural::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(code: &str, counts: &[usize]) -> Vec<Plural> {
        counts.iter().map(|n| category(Lang::from_code(code), *n)).collect()
    }

    #[test]
    fn russian_ukrainian_and_polish_count_in_three_forms() {
        use Plural::{Few, Many, One};
        let counts = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 122];
        let east = [Many, One, Few, Few, Many, Many, Many, Many, One, Few, Many, One, Many, Many, Few];
        assert_eq!(said("ru", &counts), east);
        assert_eq!(said("ua", &counts), east);
        // Polish: 21 and 101 are "many", only 1 itself is "one".
        assert_eq!(said("pl", &counts), [Many, One, Few, Few, Many, Many, Many, Many, Many, Few, Many, Many, Many, Many, Few]);
    }

    #[test]
    fn every_language_has_its_forms() {
        use Plural::{Many, One, Other};
        let counts = [0, 1, 2, 5, 21, 1_000_000, 2_000_001];
        for code in ["sc", "tc", "ja", "vn", "id", "ms", "th"] {
            assert_eq!(said(code, &counts), [Other; 7], "{code}");
        }
        for code in ["en", "de", "tr", "kz"] {
            assert_eq!(said(code, &counts), [Other, One, Other, Other, Other, Other, Other], "{code}");
        }
        for code in ["fr", "br"] {
            assert_eq!(said(code, &counts), [One, One, Other, Other, Other, Many, Other], "{code}");
        }
        for code in ["la", "it"] {
            assert_eq!(said(code, &counts), [Other, One, Other, Other, Other, Many, Other], "{code}");
        }
        assert_eq!(said("in", &counts), [One, One, Other, Other, Other, Other, Other]);
    }

    #[test]
    fn the_other_languages_count_by_their_own_rules() {
        use Plural::{Few, Many, One, Other, Two, Zero};
        assert_eq!(said("en", &[0, 1, 2]), [Other, One, Other]);
        assert_eq!(said("br", &[0, 1, 2, 1_000_000]), [One, One, Other, Many]);
        assert_eq!(said("ja", &[1, 2]), [Other, Other]);
        assert_eq!(said("ar", &[0, 1, 2, 3, 10, 11, 99, 100, 102, 103]), [Zero, One, Two, Few, Few, Many, Many, Other, Other, Few]);
    }
}
