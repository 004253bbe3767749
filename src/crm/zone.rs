//! The caller's time zone from their number, where the number alone tells it for certain.
//!
//! A calling code names a country; a country with one time zone gives it exactly (its IANA
//! name, which the browser's `Intl` turns into the local time). A country spanning several zones
//! (USA and Canada, most of Russia, Brazil, Mexico, Australia, Indonesia…) tells nothing certain
//! from the code, so the card shows no time rather than a wrong one. Where a national prefix is
//! tied to one place (Moscow's and Saint Petersburg's landlines) it is used.
//!
//! Sources: the ITU-T E.164 list of calling codes, and the IANA time zone database's
//! `zone1970.tab` for which countries have one zone. Countries whose overseas parts share the
//! calling code and differ in time (Spain with the Canaries, Portugal with the Azores, New
//! Zealand with the Chathams, Chile with Easter Island) count as several.

use super::{calling_codes, phone};

/// Where the caller's clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// One time zone: its IANA name.
    One(&'static str),
    /// The number's country spans several zones and the number does not say which.
    Several,
}

/// Calling codes of countries with a single time zone, and that zone: `code:zone` entries
/// separated by commas (one text, as [`super::calling_codes`]'s table). Ukraine's is the
/// database's older name, `Europe/Kiev`: every browser knows it, not every one knows
/// `Europe/Kyiv` yet.
const SINGLE_ZONE: &str = "\
    20:Africa/Cairo,\
    27:Africa/Johannesburg,\
    30:Europe/Athens,\
    31:Europe/Amsterdam,\
    32:Europe/Brussels,\
    33:Europe/Paris,\
    36:Europe/Budapest,\
    39:Europe/Rome,\
    40:Europe/Bucharest,\
    41:Europe/Zurich,\
    43:Europe/Vienna,\
    44:Europe/London,\
    45:Europe/Copenhagen,\
    46:Europe/Stockholm,\
    47:Europe/Oslo,\
    48:Europe/Warsaw,\
    49:Europe/Berlin,\
    51:America/Lima,\
    53:America/Havana,\
    54:America/Argentina/Buenos_Aires,\
    57:America/Bogota,\
    58:America/Caracas,\
    60:Asia/Kuala_Lumpur,\
    63:Asia/Manila,\
    65:Asia/Singapore,\
    66:Asia/Bangkok,\
    81:Asia/Tokyo,\
    82:Asia/Seoul,\
    84:Asia/Ho_Chi_Minh,\
    86:Asia/Shanghai,\
    90:Europe/Istanbul,\
    91:Asia/Kolkata,\
    92:Asia/Karachi,\
    94:Asia/Colombo,\
    98:Asia/Tehran,\
    212:Africa/Casablanca,\
    234:Africa/Lagos,\
    254:Africa/Nairobi,\
    353:Europe/Dublin,\
    358:Europe/Helsinki,\
    359:Europe/Sofia,\
    370:Europe/Vilnius,\
    371:Europe/Riga,\
    372:Europe/Tallinn,\
    373:Europe/Chisinau,\
    374:Asia/Yerevan,\
    375:Europe/Minsk,\
    380:Europe/Kiev,\
    381:Europe/Belgrade,\
    385:Europe/Zagreb,\
    386:Europe/Ljubljana,\
    420:Europe/Prague,\
    421:Europe/Bratislava,\
    852:Asia/Hong_Kong,\
    886:Asia/Taipei,\
    966:Asia/Riyadh,\
    971:Asia/Dubai,\
    972:Asia/Jerusalem,\
    992:Asia/Dushanbe,\
    994:Asia/Baku,\
    995:Asia/Tbilisi,\
    996:Asia/Bishkek,\
    998:Asia/Tashkent";

/// Calling codes shared by places in different zones.
const SEVERAL_ZONES: &[&str] = &["1", "7", "34", "52", "55", "56", "61", "62", "64", "351", "976"];

/// Russian landline prefixes of one city (`+7 495 …` Moscow), in Moscow time.
const MOSCOW_TIME_PREFIXES: &[&str] = &["495", "499", "812"];

/// The caller's zone from their number as the call gives it; `None` when the number is not
/// international or its country is not known here.
pub fn of_number(raw: &str) -> Option<Zone> {
    let (code, national) = phone::international_parts(raw)?;
    if code == "7" && MOSCOW_TIME_PREFIXES.iter().any(|p| national.starts_with(p)) {
        return Some(Zone::One("Europe/Moscow"));
    }
    if let Some(zone) = calling_codes::entry(SINGLE_ZONE, &code) {
        return Some(Zone::One(zone));
    }
    SEVERAL_ZONES.contains(&code.as_str()).then_some(Zone::Several)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_zone_countries_give_it_and_others_say_several() {
        assert_eq!(of_number("49301234567"), Some(Zone::One("Europe/Berlin")));
        assert_eq!(of_number("+44 20 7946 0958"), Some(Zone::One("Europe/London")));
        assert_eq!(of_number("+380 44 123 4567"), Some(Zone::One("Europe/Kiev")));
        assert_eq!(of_number("+1 202 555 0123"), Some(Zone::Several));
        assert_eq!(of_number("+34 928 123 456"), Some(Zone::Several), "the Canaries share Spain's code");
        // Moscow's and Saint Petersburg's landlines, but not a Russian mobile number.
        assert_eq!(of_number("74951234567"), Some(Zone::One("Europe/Moscow")));
        assert_eq!(of_number("78125550100"), Some(Zone::One("Europe/Moscow")));
        assert_eq!(of_number("79161234567"), Some(Zone::Several));
    }

    #[test]
    fn national_or_unknown_numbers_give_nothing() {
        assert_eq!(of_number("030 1234567"), None, "national: no country");
        assert_eq!(of_number("+999 1234567"), None);
        assert_eq!(of_number(""), None);
        assert_eq!(of_number("+"), None);
    }

    #[test]
    fn every_zone_is_named_once_per_code() {
        let all: Vec<(&str, &str)> = calling_codes::entries(SINGLE_ZONE).collect();
        assert_eq!(all.len(), SINGLE_ZONE.split(',').count(), "every entry is `code:zone`");
        for (i, (code, zone)) in all.iter().enumerate() {
            assert!(!SEVERAL_ZONES.contains(code), "{code}");
            assert!(all[i + 1..].iter().all(|(c, _)| c != code), "{code} twice");
            assert!(zone.contains('/') && !zone.contains(' '), "{zone}");
            assert_eq!(phone::split_calling_code(&format!("{code}1234567")).map(|(c, _)| c), Some(*code), "{code} splits");
        }
        assert!(all.len() > 60);
    }
}
