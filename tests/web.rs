//! Browser tests: components mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use callcard::crm::card::{Caller, Channel, ClientCard, CommentLine, CompanyLink, Deals, DealLine, Section, Stage};
use callcard::crm::entity::{EntityKind, EntityRef};
use callcard::launch::{CallCardOptions, CallDirection};
use callcard::rest::envelope::{ApiError, RestError};
use callcard::problem::{Problem, ProblemCode};
use callcard::screen::Screen;
use callcard::ui::{AgentRequest, CallSummary, CallerView, Handlers, Root};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn text(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector).unwrap().map(|e| e.text_content().unwrap_or_default())
}

const HOSTILE: &str = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>\u{202e}evil";

#[wasm_bindgen_test]
async fn crm_text_is_shown_as_text_never_as_markup() {
    let root = container();
    let card = ClientCard {
        entity: EntityRef { kind: EntityKind::Contact, id: 7 },
        name: HOSTILE.into(),
        post: Some("<b>CEO</b>".into()),
        company: Some(CompanyLink { entity: None, title: "</section><h1>x</h1>".into() }),
        phones: vec![
            Channel { value: "030 1234567".into(), kind: "WORK".into(), matched: true },
            Channel { value: "+49 170 5550101".into(), kind: "MOBILE".into(), matched: false },
        ],
        emails: vec![],
        photo: None,
        status: None,
        responsible: Section::Ready(None),
        deals: Some(Section::Ready(Deals {
            open: vec![DealLine {
                id: 1,
                title: "<i>deal</i>".into(),
                stage: Stage { name: "In progress".into(), color: Some("#47E4C2".into()) },
                amount: Some("48000.00".into()),
                currency: "EUR".into(),
                bound: true,
                moved: None,
            }],
            won: 2,
            lost: 1,
        })),
        activities: Section::Failed(RestError::Api {
            status: 200,
            error: ApiError { code: "INTERNAL_SERVER_ERROR".into(), description: "boom".into() },
        }),
        comments: Section::Ready(vec![CommentLine {
            id: 1,
            text: "<script>x</script>".into(),
            date: "2026-11-02T10:00:00+00:00".into(),
            author: Some("<img src=x onerror=alert(1)>".into()),
        }]),
        people: None,
        calls: Section::Ready(Vec::new()),
        agent: None,
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <CallerView caller=Caller::Known(std::sync::Arc::new(card.clone())) call=CallCardOptions::default()/> }
    });
    leptos::task::tick().await;

    assert!(root.query_selector("img, script, b, h1 + h1").unwrap().is_none(), "markup was interpreted");
    assert_eq!(text(&root, "[data-testid=client-name]").as_deref(), Some(HOSTILE));
    assert_eq!(text(&root, "[data-testid=client-post]").as_deref(), Some("<b>CEO</b>"));
    assert_eq!(text(&root, "[data-testid=client-company]").as_deref(), Some("</section><h1>x</h1>"));
    assert_eq!(text(&root, "[data-testid=client-kind]").as_deref(), Some("Contact"));
    assert!(text(&root, "[data-testid=deal]").unwrap().contains("<i>deal</i>"));
    assert_eq!(text(&root, "[data-testid=deal-amount]").as_deref(), Some("€48,000.00"));
    assert_eq!(text(&root, "[data-testid=comment-author]").as_deref(), Some("by <img src=x onerror=alert(1)>"));
    assert_eq!(text(&root, "[data-testid=deals-summary]").as_deref(), Some("2 won · 1 lost"));
    assert_eq!(text(&root, "[data-testid=comment] .comment-text").as_deref(), Some("<script>x</script>"));
    // A failed section explains itself and the others still show.
    let failed = root.query_selector("[data-testid=section-error]").unwrap().unwrap();
    assert_eq!(failed.get_attribute("data-section").as_deref(), Some("activities"));
    assert!(root.query_selector("[data-testid=section-retry]").unwrap().is_some());
    let matched = root.query_selector("[data-testid=client-phones] li[data-matched=true]").unwrap().unwrap();
    assert!(matched.text_content().unwrap().contains("030 1234567"));
    assert_ne!(web_sys::window().unwrap().document().unwrap().title(), "pwned");
}

#[wasm_bindgen_test]
async fn call_summary_names_direction_and_line() {
    let root = container();
    let call = CallCardOptions {
        direction: Some(CallDirection::Outgoing),
        line_name: Some("Sales Berlin".into()),
        line_number: Some("4930555000".into()),
        ..Default::default()
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <CallSummary call=call.clone()/> });
    leptos::task::tick().await;
    assert_eq!(text(&root, "[data-testid=call-direction]").as_deref(), Some("Outgoing call"));
    assert_eq!(text(&root, "[data-testid=call-line]").as_deref(), Some("Sales Berlin · 4930555000"));
}

#[wasm_bindgen_test]
async fn an_error_screen_explains_and_retries() {
    let root = container();
    let screen = RwSignal::new(Screen::Failed(Problem {
        code: ProblemCode::Limit,
        title: "The portal is busy".into(),
        advice: "Too many requests at once; try again in a few seconds.".into(),
        technical: "QUERY_LIMIT_EXCEEDED".into(),
        retry: true,
    }));
    let retries = RwSignal::new(0);
    // Only a retry is asked of this screen.
    let handlers = Handlers(Callback::new(move |request| {
        if matches!(request, AgentRequest::Retry) {
            retries.update(|n| *n += 1);
            screen.set(Screen::Loading);
        }
    }));
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <Root screen=move || screen.get() data_state=move || screen.with(Screen::data_state) loading_next=|| false handlers=handlers/> });
    leptos::task::tick().await;

    let main = root.query_selector("[data-testid=callcard]").unwrap().unwrap();
    assert_eq!(main.get_attribute("data-state").as_deref(), Some("error"));
    assert_eq!(text(&root, "[data-testid=error-title]").as_deref(), Some("The portal is busy"));
    let button: web_sys::HtmlElement = root.query_selector("[data-testid=retry]").unwrap().unwrap().unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(retries.get_untracked(), 1);
    assert_eq!(main.get_attribute("data-state").as_deref(), Some("loading"));
    assert!(root.query_selector("[data-testid=loading]").unwrap().is_some());
}

/// patches/wasm-streams, in place of the crate for leptos' server_fn: a Rust stream offered as a
/// web `ReadableStream` reads back, through the stream's own reader, chunk for chunk and ends.
#[wasm_bindgen_test]
async fn a_rust_stream_offered_as_a_web_stream_reads_back_chunk_for_chunk() {
    use futures::StreamExt;
    let items = futures::stream::iter([Ok(JsValue::from_str("a")), Ok(JsValue::from(2)), Ok(JsValue::from_str("c"))]);
    let raw: web_sys::ReadableStream = wasm_streams::ReadableStream::from_stream(items).into_raw();
    assert!(raw.is_instance_of::<web_sys::ReadableStream>());
    let read: Vec<Result<JsValue, JsValue>> = wasm_streams::ReadableStream::from_raw(raw).into_stream().collect().await;
    let read: Vec<JsValue> = read.into_iter().map(Result::unwrap).collect();
    assert_eq!(read, [JsValue::from_str("a"), JsValue::from(2), JsValue::from_str("c")]);
}

/// An error item errors the web stream: the reader gets it, then nothing more.
#[wasm_bindgen_test]
async fn an_error_in_the_rust_stream_errors_the_web_stream() {
    use futures::StreamExt;
    let items = futures::stream::iter([Ok(JsValue::from(1)), Err(JsValue::from_str("lost")), Ok(JsValue::from(3))]);
    let raw = wasm_streams::ReadableStream::from_stream(items).into_raw();
    let read: Vec<Result<JsValue, JsValue>> = wasm_streams::ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(read, [Ok(JsValue::from(1)), Err(JsValue::from_str("lost"))]);
}

/// patches/send_wrapper, in place of the crate under every value Leptos keeps: with one thread
/// and no thread recorded, a wrapper still reads, writes, hands back and drops its value, once.
#[wasm_bindgen_test]
fn a_send_wrapper_without_a_thread_id_keeps_and_drops_its_value_once() {
    use send_wrapper::SendWrapper;
    use std::cell::Cell;
    use std::rc::Rc;
    struct Counted(Rc<Cell<u32>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let drops = Rc::new(Cell::new(0));
    let mut wrapped = SendWrapper::new((Counted(drops.clone()), 1));
    assert!(wrapped.valid());
    wrapped.1 += 1;
    assert_eq!(wrapped.1, 2);
    let (value, number) = wrapped.take();
    assert_eq!((number, drops.get()), (2, 0));
    drop(SendWrapper::new(value));
    assert_eq!(drops.get(), 1);
    // The wrapper holds the value and nothing else.
    assert_eq!(std::mem::size_of::<SendWrapper<u64>>(), std::mem::size_of::<u64>());
}

/// patches/tachys, where every element is made by its tag's name and so is one type: a view
/// drawn again keeps its element, attributes and text updated in place, while its tag stays (a
/// field keeps the agent's focus and caret), and is replaced by a new one when its tag changes.
#[wasm_bindgen_test]
async fn an_element_drawn_again_is_kept_while_its_tag_stays_and_replaced_when_it_changes() {
    let root = container();
    let step = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        move || match step.get() {
            0 => view! { <p class="first" data-testid="drawn">"one"</p> }.into_any(),
            1 => view! { <p class="second" data-testid="drawn">"two"</p> }.into_any(),
            _ => view! { <span data-testid="drawn">"three"</span> }.into_any(),
        }
    });
    leptos::task::tick().await;
    let drawn = || root.query_selector("[data-testid=drawn]").unwrap().unwrap();
    let first = drawn();
    assert_eq!((first.tag_name().as_str(), first.text_content().unwrap().as_str()), ("P", "one"));
    step.set(1);
    leptos::task::tick().await;
    let second = drawn();
    assert!(second.is_same_node(Some(&first)), "the same <p>, updated in place");
    assert_eq!((second.class_name().as_str(), second.text_content().unwrap().as_str()), ("second", "two"));
    step.set(2);
    leptos::task::tick().await;
    let third = drawn();
    assert!(!third.is_same_node(Some(&first)), "a <span> in place of the <p>");
    assert_eq!((third.tag_name().as_str(), third.text_content().unwrap().as_str()), ("SPAN", "three"));
    assert_eq!(root.child_element_count(), 1, "nothing else drawn");
}

/// patches/tachys, where every event of a view is one attribute type (`ByName`): each handler
/// runs once per event with the event as its own type (a click's `MouseEvent`, a key's
/// `KeyboardEvent`), and no more once its element is gone.
#[wasm_bindgen_test]
async fn every_event_reaches_its_handler_as_its_own_type_once() {
    let root = container();
    let shown = RwSignal::new(true);
    let clicks = RwSignal::new(Vec::<bool>::new());
    let keys = RwSignal::new(Vec::<String>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        move || {
            or_nothing_view(shown.get().then(|| view! {
                <button data-testid="click" on:click=move |ev: web_sys::MouseEvent| clicks.update(|c| c.push(ev.ctrl_key()))>"click"</button>
                <input data-testid="key" on:keydown=move |ev: web_sys::KeyboardEvent| keys.update(|k| k.push(ev.key()))/>
            }))
        }
    });
    leptos::task::tick().await;
    let element = |testid: &str| root.query_selector(&format!("[data-testid={testid}]")).unwrap().unwrap();
    let button = element("click");
    let init = web_sys::MouseEventInit::new();
    init.set_ctrl_key(true);
    button.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    button.dispatch_event(&web_sys::MouseEvent::new("click").unwrap()).unwrap();
    let key = web_sys::KeyboardEventInit::new();
    key.set_key("Enter");
    element("key").dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &key).unwrap()).unwrap();
    assert_eq!(clicks.get_untracked(), vec![true, false]);
    assert_eq!(keys.get_untracked(), vec!["Enter".to_string()]);
    shown.set(false);
    leptos::task::tick().await;
    button.dispatch_event(&web_sys::MouseEvent::new("click").unwrap()).unwrap();
    assert_eq!(clicks.get_untracked().len(), 2, "the listener went with its element");
}

fn or_nothing_view(view: Option<impl IntoView + 'static>) -> AnyView {
    view.map_or_else(|| ().into_any(), |v| v.into_view().into_any())
}

/// patches/reactive_graph's lock of a resource's value (`async_rw`, in place of `async_lock`):
/// readers share it, a writer waits while any has it, the last reader to let go wakes the
/// writer, and a writer has it alone.
#[wasm_bindgen_test]
fn the_resource_lock_lets_readers_share_and_wakes_a_waiting_writer() {
    use futures::task::{waker, ArcWake};
    use futures::FutureExt;
    use leptos::reactive::async_rw::RwLock;
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll};
    struct Woken(AtomicBool);
    impl ArcWake for Woken {
        fn wake_by_ref(flag: &Arc<Self>) {
            flag.0.store(true, Ordering::SeqCst);
        }
    }
    let lock = Arc::new(RwLock::new(1));
    let first = lock.read_arc().now_or_never().expect("a free lock is read at once");
    let second = lock.read().now_or_never().expect("readers share it");
    assert_eq!((*first, *second), (1, 1));
    let woken = Arc::new(Woken(AtomicBool::new(false)));
    let waker = waker(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    let mut writing = Box::pin(lock.write());
    assert!(writing.as_mut().poll(&mut cx).is_pending(), "no writer while readers have it");
    drop(first);
    assert!(!woken.0.load(Ordering::SeqCst), "one reader still has it");
    drop(second);
    assert!(woken.0.load(Ordering::SeqCst), "the last reader wakes the writer");
    let Poll::Ready(mut written) = writing.as_mut().poll(&mut cx) else { panic!("the writer has it now") };
    *written += 1;
    assert!(lock.read().now_or_never().is_none() && lock.write_arc().now_or_never().is_none(), "a writer has it alone");
    drop(written);
    assert_eq!(*lock.read_arc().now_or_never().expect("free again"), 2);
}

/// A portal the browser cannot reach: the write fails at once (never sent twice), with the
/// browser's own words for why, which the error panel folds away for an administrator.
#[wasm_bindgen_test]
async fn an_unreachable_portal_fails_with_the_browsers_reason() {
    use callcard::portal::{AccessToken, Portal};
    use callcard::rest::client::RestClient;
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let portal = Portal { domain: "127.0.0.1:9".into(), https: false };
    let client = RestClient::new(portal, AccessToken::parse("token").unwrap(), None, None);
    let error = client.call("crm.timeline.comment.add", &callcard::json::Value::Null).await.unwrap_err();
    let RestError::Network(why) = &error else { panic!("{error:?}") };
    assert!(why.starts_with("TypeError: "), "{why}");
    assert!(!why.contains("token"), "{why}");
}

/// The widget's plural rules (`i18n::plural`) are CLDR's: for every language, each count a card
/// shows takes the category the browser's own CLDR data gives it (`Intl.PluralRules`).
#[wasm_bindgen_test]
fn plural_forms_agree_with_the_browsers_cldr_data() {
    use callcard::i18n::plural::{category, Plural};
    use callcard::i18n::Lang;
    for lang in Lang::ALL {
        let locales = js_sys::Array::of1(&JsValue::from_str(lang.locale()));
        let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
        let select: js_sys::Function = js_sys::Reflect::get(&rules, &JsValue::from_str("select")).unwrap().unchecked_into();
        for n in (0..=300).chain([1_000, 1_001, 10_000, 1_000_000, 1_000_001, 2_000_000, 21_000_000]) {
            let cldr = select.call1(&rules, &JsValue::from_f64(n as f64)).unwrap().as_string().unwrap();
            let ours = match category(lang, n) {
                Plural::Zero => "zero",
                Plural::One => "one",
                Plural::Two => "two",
                Plural::Few => "few",
                Plural::Many => "many",
                Plural::Other => "other",
            };
            assert_eq!(ours, cldr, "{} ({}), {n}", lang.code(), lang.locale());
        }
    }
}

/// The browser's reading of JSON (`JSON.parse`, walked into a `Value`) agrees with `serde_json`
/// on the corpus the native reader is checked against (`src/json/conformance.rs`), a lone
/// surrogate escape aside, which it reads as U+FFFD.
mod json_reading {
    use callcard::json::{parse, Value};
    use wasm_bindgen_test::*;

    include!("../src/json/conformance.rs");

    #[wasm_bindgen_test]
    fn json_is_read_and_refused_as_serde_json_does() {
        conformance_reads_what_serde_json_reads();
        conformance_refuses_what_serde_json_refuses();
        conformance_mangled_texts_agree(true);
    }

    #[wasm_bindgen_test]
    fn what_only_a_hostile_sender_writes_reads_as_the_module_documents() {
        assert_eq!(parse("\"a\\ud800b\"").unwrap(), Value::from("a\u{fffd}b"));
        assert_eq!(parse("3.0").unwrap().as_u64(), Some(3));
        assert_eq!(parse("9007199254740993").unwrap().as_u64(), None, "2^53 + 1 reads as 2^53, which may be rounded: a float");
        assert_eq!(parse("-9007199254740991").unwrap().as_i64(), Some(-9_007_199_254_740_991));
        assert_eq!(parse("[1, ").unwrap_err().to_string(), "refused by the browser's JSON reader");
    }
}
