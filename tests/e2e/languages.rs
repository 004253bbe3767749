//! Every interface language: the known contact's card in the portal's language, its dates and
//! amounts in the language's own way, Arabic right to left, problems explained in full.

use std::time::Duration;

use crate::harness::{config, root, run_sandbox, scratch, Agent};

/// What the known contact's card says in one language.
struct Expected {
    lang: &'static str,
    locale: &'static str,
    direction: &'static str,
    responsible: &'static str,
    open_deals: &'static str,
    about_label: &'static str,
    /// The page's title (`document.title`).
    title: &'static str,
}

const LANGUAGES: &[Expected] = &[
    Expected { lang: "ua", locale: "uk", direction: "Вхідний дзвінок", responsible: "Відповідальний", open_deals: "Відкриті угоди", about_label: "Імовірно, щодо", title: "Картка клієнта" },
    Expected { lang: "la", locale: "es", direction: "Llamada entrante", responsible: "Responsable", open_deals: "Negociaciones abiertas", about_label: "Probablemente por", title: "Tarjeta del cliente" },
    Expected { lang: "br", locale: "pt-BR", direction: "Chamada recebida", responsible: "Responsável", open_deals: "Negócios abertos", about_label: "Provavelmente sobre", title: "Cartão do cliente" },
    Expected { lang: "ja", locale: "ja", direction: "着信", responsible: "担当者", open_deals: "進行中の取引", about_label: "用件の見込み", title: "発信者カード" },
    Expected { lang: "ar", locale: "ar", direction: "مكالمة واردة", responsible: "المسؤول", open_deals: "الصفقات المفتوحة", about_label: "على الأرجح بخصوص", title: "بطاقة المتصل" },
];

/// The languages whose texts tables (`texts-<code>-<hash>.json`) the widget's page fetched.
const TABLES_FETCHED: &str = "return performance.getEntriesByType('resource').map(e => (e.name.match(/\\/texts-([a-z]+)-[0-9a-f]+\\.json$/) || [])[1]).filter(Boolean);";

#[tokio::test]
async fn the_known_contacts_card_speaks_the_portals_language_with_its_own_dates_and_money() {
    // A portal of its own: the comments the other tests write to this contact stay out of it.
    let sandbox = run_sandbox(config(root().join("dist")));
    for expected in LANGUAGES {
        let agent = Agent::open_on(&sandbox, &format!("known-contact&lang={}", expected.lang)).await;
        let lang = expected.lang;
        // The document and the card say the language as BCP 47 (Bitrix24's `ua` is `uk`).
        assert_eq!(agent.eval("return document.documentElement.lang;", vec![]).await, expected.locale, "{lang}");
        assert_eq!(agent.attr("[data-testid=callcard]", "lang").await.as_deref(), Some(expected.locale), "{lang}");
        let rtl = lang == "ar";
        assert_eq!(agent.eval("return document.documentElement.dir;", vec![]).await, if rtl { "rtl" } else { "ltr" }, "{lang}");
        assert_eq!(agent.eval("return document.title;", vec![]).await, expected.title, "{lang}");
        assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some(expected.direction), "{lang}");
        // The portal POSTed the launch: its language's texts came inlined with it, nothing fetched.
        assert_eq!(agent.eval(TABLES_FETCHED, vec![]).await, serde_json::json!([]), "{lang}");
        assert_eq!(agent.text_content("[data-testid=responsible] h2").await.as_deref(), Some(expected.responsible), "{lang}");
        assert!(agent.text_content("[data-testid=deals] h2").await.unwrap_or_default().starts_with(expected.open_deals), "{lang}");
        assert_eq!(agent.attr("[data-testid=probably-about]", "aria-label").await.as_deref(), Some(expected.about_label), "{lang}");
        // Money as the locale writes it, exactly the stored amount: the browser's own Intl.
        let euros = "return new Intl.NumberFormat(arguments[0], { style: 'currency', currency: 'EUR' }).format('48000.00');";
        let want = agent.eval(euros, vec![expected.locale.into()]).await;
        let amounts = agent.eval("return [...document.querySelectorAll('[data-testid=deal-amount]')].map(e => e.textContent);", vec![]).await;
        assert!(amounts.as_array().is_some_and(|a| a.contains(&want)), "{lang}: {want} in {amounts}");
        // Dates too: the comment of Nov 2, 2026 in the locale's medium date.
        let date = "return new Intl.DateTimeFormat(arguments[0], { dateStyle: 'medium' }).format(new Date(2026, 10, 2, 12));";
        let day = agent.eval(date, vec![expected.locale.into()]).await;
        let times = agent.texts("[data-testid=comment-time]").await;
        // (Bidirectional marks aside: Arabic puts them in dates, differently with a time.)
        let plain = |s: &str| s.chars().filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}')).collect::<String>();
        assert!(times.iter().any(|t| day.as_str().is_some_and(|d| plain(t).contains(&plain(d)))), "{lang}: {day} in {times:?}");
        if rtl {
            // Mirrored: the client's head starts on the right; the number stays left to right.
            let layout = "const head = document.querySelector('.client-head').getBoundingClientRect(); \
                          const avatar = document.querySelector('.client-head .avatar').getBoundingClientRect(); \
                          return [avatar.right > head.right - 60, getComputedStyle(document.querySelector('[data-testid=call-number]')).direction];";
            assert_eq!(agent.eval(layout, vec![]).await, serde_json::json!([true, "ltr"]), "{lang}");
            agent.tab_screenshot("known-contact-ar").await;
        }
        if lang == "ja" {
            agent.tab_screenshot("known-contact-ja").await;
        }
        agent.close().await;
    }
}

#[tokio::test]
async fn a_problem_is_explained_in_polish_its_technical_cause_too() {
    let agent = Agent::open("several-matches&lang=pl").await;
    assert_eq!(agent.sandbox_post("fail&method=batch&times=1", ""), 204);
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert!(agent.wait_for("[data-testid=error]", Duration::from_secs(10)).await, "no error screen");
    assert_eq!(agent.text("[data-testid=error-title]").await.as_deref(), Some("Portal nie mógł wykonać żądania"));
    assert!(agent.text("[data-testid=error-detail]").await.unwrap_or_default().starts_with("Odpowiedział błędem."));
    let technical = agent.text_content("[data-testid=error-technical]").await.unwrap_or_default();
    assert!(technical.contains("portal odpowiedział") && technical.contains("(HTTP 500)"), "{technical}");
    agent.close().await;

    // A launch the widget cannot read: the cause in Polish, the field as the portal names it.
    let agent = Agent::open("malformed-options&lang=pl").await;
    assert_eq!(agent.state().await, "error");
    assert_eq!(agent.text("[data-testid=error-title]").await.as_deref(), Some("Widżet nie może się uruchomić"));
    let technical = agent.text_content("[data-testid=error-technical]").await.unwrap_or_default();
    assert!(technical.contains("Portal przesłał nieprzydatne PLACEMENT_OPTIONS: to niepoprawny JSON"), "{technical}");
    agent.close().await;
}

#[tokio::test]
async fn an_arabic_portal_opening_the_app_by_get_turns_it_right_to_left() {
    // The language comes from getInitData there, after the page has started.
    let agent = Agent::open("static-app&lang=ar").await;
    assert_eq!(agent.state().await, "ready");
    // Nothing inlined its texts: the card fetched its language's table, that one only.
    assert_eq!(agent.eval(TABLES_FETCHED, vec![]).await, serde_json::json!(["ar"]));
    let document = "return [document.documentElement.lang, document.documentElement.dir, document.title];";
    assert_eq!(agent.eval(document, vec![]).await, serde_json::json!(["ar", "rtl", "بطاقة المتصل"]));
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("مكالمة واردة"));
    agent.close().await;
}

#[tokio::test]
async fn the_sandbox_portal_says_which_language_it_sent() {
    let agent = Agent::open("known-contact&lang=kz").await;
    assert_eq!(agent.portal_text("[data-testid=portal-lang]").await, "The portal sent LANG=kz: Қазақша.");
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Кіріс қоңырау"));
    // Dates in words a Kazakh agent reads, never CLDR's root format ("2026 M11 5") of a browser
    // without Kazakh data.
    let root_format = "return /\\bM\\d{1,2}\\b/.test(document.querySelector('[data-testid=callcard]').textContent);";
    assert_eq!(agent.eval(root_format, vec![]).await, false);
    agent.close().await;
}

#[tokio::test]
async fn a_language_whose_table_cannot_be_had_reads_english_never_a_blank_card() {
    // A deployment that lacks the German table (an upload that forgot it): nothing to inline,
    // and its fetch answers 404.
    let dist = scratch("no-de-table");
    std::fs::create_dir_all(&dist).unwrap();
    for entry in std::fs::read_dir(root().join("dist")).unwrap().map(Result::unwrap) {
        let name = entry.file_name().into_string().unwrap();
        if !name.starts_with("texts-de-") {
            std::fs::copy(entry.path(), dist.join(&name)).unwrap();
        }
    }
    let sandbox = run_sandbox(config(dist.clone()));
    let agent = Agent::open_on(&sandbox, "known-contact&lang=de").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Incoming call"));
    assert_eq!(agent.eval("return [document.documentElement.lang, document.title];", vec![]).await, serde_json::json!(["en", "Caller card"]));
    // It was asked for, once.
    let asked = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/texts-de-')).length;";
    assert_eq!(agent.eval(asked, vec![]).await, 1);
    agent.close().await;
    let _ = std::fs::remove_dir_all(&dist);
}
