//! The app's own page in the browser (`PLACEMENT=DEFAULT`, `app.html`, a module of its own so
//! that the call card never loads it): reads the installation, runs an administrator's changes
//! and the installation step, and keeps what the page shows in the screen signal. The decisions
//! are [`crate::install`]'s; this module only talks to the portal.

use leptos::prelude::*;
use leptos::task::spawn_local;
use crate::json::Value;

use crate::frame::client::FrameClient;
use crate::frame::Command;
use crate::i18n::Lang;
use crate::install::{self, Action, ActionOutcome, AppPage, InstallStep, Reading};
use crate::launch::{Launch, LaunchError, Placement};
use crate::page::{self, init_data, Inputs};
use crate::rest::batch::Outcome;
use crate::rest::client::RestClient;
use crate::problem::{Problem, ProblemCode};
use crate::screen::Screen;
use crate::theme::Theme;
use crate::ui::{self, PageHandlers};
use crate::{appearance, browser};

/// Mounts the app's own page.
pub fn start() {
    // The app's page carries every language's texts (it is not the call card).
    crate::i18n::tables::use_builtin();
    leptos::mount::mount_to_body(|| {
        let (inputs, live) = page::start(|lang| lang.app_page().title);
        let theme = appearance::provide();
        let lang = live.lang;
        let screen = RwSignal::new(Screen::Loading);
        let session = StoredValue::new_local(None::<Session>);
        let theme_frame = StoredValue::new_local(inputs.frame.clone());
        let kept = StoredValue::new_local(inputs);
        let boot = move || {
            screen.set(Screen::Loading);
            let inputs = kept.get_value();
            spawn_local(async move {
                match open(inputs, lang, theme).await {
                    Ok((s, install)) => {
                        s.rest.on_retrying(move |waiting| live.retrying.set(waiting));
                        let page = AppPage::new(s.handler.clone(), install);
                        let action = first_action(&page);
                        screen.set(Screen::AppPage(page));
                        session.set_value(Some(s.clone()));
                        run(s, action, screen, lang);
                    }
                    Err(shown) => screen.set(shown),
                }
                browser::mark("callcard-ready");
            });
        };
        boot();
        let handlers = PageHandlers {
            retry: Callback::new(move |_| boot()),
            act: Callback::new(move |action: Action| {
                if let Some(s) = session.get_value() {
                    run(s, action, screen, lang);
                }
            }),
            test_call: Callback::new(move |number: String| {
                if let Some(s) = session.get_value() {
                    test_call(s, number, screen, lang);
                }
            }),
            choose_theme: Callback::new(move |chosen: Theme| {
                theme.set(chosen);
                theme_frame.with_value(|frame| appearance::save(frame.as_ref(), chosen));
            }),
        };
        view! { <ui::AppRoot screen=screen handlers=handlers/> }
    });
}

/// The page's session and whether this opening is the installation step; or what to show
/// instead. `INSTALL` and `IS_ADMIN` come only from the frame, so a frame's `getInitData` is
/// always asked; posted data, when there is some, must agree with it.
async fn open(inputs: Inputs, lang: RwSignal<Lang>, theme: RwSignal<Theme>) -> Result<(Session, bool), Screen> {
    let t = lang.get_untracked().texts();
    let failed = |e: LaunchError| Screen::Failed(Problem::launch(t, &e));
    let seed = inputs.seed.transpose().map_err(failed)?;
    let in_frame = inputs.frame.as_ref().zip(inputs.frame_name.as_ref());
    let launch = match (seed, in_frame) {
        (None, None) => Err(LaunchError::NoLaunchData),
        (Some(seed), None) => Launch::resolve(&seed, None, None),
        (None, Some((frame, name))) => init_data(frame).await.and_then(|init| Launch::resolve(&init, Some(name), None)),
        (Some(seed), Some((frame, name))) => {
            init_data(frame).await.and_then(|init| Launch::resolve(&seed, Some(name), Some(&init)))
        }
    }
    .map_err(failed)?;
    lang.set(crate::i18n::Lang::from_code(&launch.lang));
    appearance::adopt(theme, launch.theme);
    match launch.placement {
        Placement::AppPage => {
            let frame = inputs.frame.clone();
            let session = Session {
                rest: RestClient::new(launch.portal.clone(), launch.access_token.clone(), launch.expires_in, frame.clone()),
                frame,
                handler: own_handler(),
                told_admin: launch.is_admin,
            };
            Ok((session, launch.install))
        }
        // This page is only the app's own; a call card opens index.html.
        Placement::CallCard(_) => Err(Screen::NotSupported { placement: "CALL_CARD".into() }),
        Placement::Other(code) => Err(Screen::NotSupported { placement: code }),
    }
}

/// What the page needs to act.
#[derive(Clone)]
pub struct Session {
    pub rest: RestClient,
    pub frame: Option<FrameClient>,
    /// This deployment's handler URL, which `placement.bind` registers.
    pub handler: String,
    /// `IS_ADMIN` as the frame told it.
    pub told_admin: Option<bool>,
}

/// This page's address as a handler URL (the portal's query left out).
pub fn own_handler() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| install::handler_url(&href))
        .unwrap_or_default()
}

/// The action the page starts with: the installation step, or a look at the installation.
pub fn first_action(page: &AppPage) -> Action {
    if page.install {
        Action::Install
    } else {
        Action::Check
    }
}

/// Runs `action` and shows its progress and outcome on `screen`. An action asked for while
/// another runs is ignored (the page offers none then).
pub fn run(session: Session, action: Action, screen: RwSignal<Screen>, lang: RwSignal<Lang>) {
    let mut started = false;
    update(screen, |page| {
        if page.busy.is_none() {
            page.busy = Some(action);
            page.outcome = None;
            started = true;
        }
    });
    if !started {
        return;
    }
    spawn_local(async move {
        let t = lang.get_untracked().texts();
        let outcome = match action {
            Action::Check | Action::TestCall => None,
            Action::Install => Some(install_step(&session, screen, lang).await),
            Action::Bind => Some(change(action, "placement.bind", session.rest.call("placement.bind", &install::bind_params(&session.handler)).await.map(|_| ()), t)),
            Action::Unbind => Some(change(action, "placement.unbind", session.rest.call("placement.unbind", &install::unbind_params()).await.map(|_| ()), t)),
            Action::Rebind => Some(rebind(&session, t).await),
        };
        // During the installation step, a tab just bound or moved here finishes it.
        let finishing = matches!(outcome, Some(ActionOutcome::Done(Action::Bind | Action::Rebind)))
            && screen.with_untracked(|s| matches!(s, Screen::AppPage(p) if p.install));
        let outcome = if finishing { Some(finish(&session, lang)) } else { outcome };
        let reading = read(&session, lang).await;
        update(screen, |page| {
            page.reading = reading;
            page.busy = None;
            page.outcome = outcome;
        });
    });
}

/// Asks the portal to show the user an incoming call from `number` in a call card.
pub fn test_call(session: Session, number: String, screen: RwSignal<Screen>, lang: RwSignal<Lang>) {
    let Some(user_id) = screen.with_untracked(|s| match s {
        Screen::AppPage(page) => page.can_test_call(),
        _ => None,
    }) else {
        return;
    };
    let texts = lang.get_untracked().app_page();
    let Some(params) = install::test_call_params(user_id, &number) else {
        let problem = Problem { code: ProblemCode::Rejected, title: texts.test_number_invalid.into(), advice: String::new(), technical: String::new(), retry: false };
        update(screen, |page| page.outcome = Some(ActionOutcome::Failed(Action::TestCall, problem)));
        return;
    };
    update(screen, |page| {
        page.busy = Some(Action::TestCall);
        page.outcome = None;
    });
    spawn_local(async move {
        let outcome = match session.rest.call("telephony.externalCall.register", &params).await {
            Ok(registered) => {
                let call_id = registered.result.get("CALL_ID").and_then(Value::as_str).unwrap_or_default().to_string();
                ActionOutcome::TestCallShown { call_id }
            }
            Err(e) => ActionOutcome::Failed(Action::TestCall, Problem::rest_for(lang.get_untracked().texts(), &e, "telephony.externalCall.register")),
        };
        update(screen, |page| {
            page.busy = None;
            page.outcome = Some(outcome);
        });
    });
}

fn update(screen: RwSignal<Screen>, f: impl FnOnce(&mut AppPage)) {
    screen.update(|s| {
        if let Screen::AppPage(page) = s {
            f(page);
        }
    });
}

/// One batch: the app's scopes, the user's rights, the tabs.
async fn read(session: &Session, lang: RwSignal<Lang>) -> Reading {
    match session.rest.batch(&install::status_batch(), None).await {
        Ok(reply) => Reading::Known(install::read_status(&reply, session.told_admin)),
        Err(e) => Reading::Failed(Problem::rest(lang.get_untracked().texts(), &e)),
    }
}

/// The installation step: look, bind when needed, finish; or stop and say why.
async fn install_step(session: &Session, screen: RwSignal<Screen>, lang: RwSignal<Lang>) -> ActionOutcome {
    // Tells the portal the app runs its own installation and will finish it, as the official
    // SDK does when it starts in install mode.
    if let Some(frame) = &session.frame {
        let _ = frame.send(Command::SetInstall, &crate::json!({ "install": true }));
    }
    let reading = read(session, lang).await;
    let step = match &reading {
        Reading::Known(installation) => installation.install_step(&session.handler),
        // The portal could not be asked: binding tells whether it works, and why not.
        _ => InstallStep::Bind,
    };
    update(screen, |page| page.reading = reading);
    match step {
        InstallStep::Blocked(why) => ActionOutcome::Blocked(why),
        InstallStep::Finish => finish(session, lang),
        InstallStep::Bind => {
            let bound = session.rest.call("placement.bind", &install::bind_params(&session.handler)).await;
            match bound {
                Ok(_) => finish(session, lang),
                Err(e) => ActionOutcome::Failed(Action::Install, Problem::rest_for(lang.get_untracked().texts(), &e, "placement.bind")),
            }
        }
    }
}

/// Tells the portal the installation is complete; it then shows the app's tabs.
fn finish(session: &Session, lang: RwSignal<Lang>) -> ActionOutcome {
    let sent = session.frame.as_ref().map(|f| f.send(Command::SetInstallFinish, &Value::Null).is_ok()).unwrap_or(false);
    if sent {
        ActionOutcome::Done(Action::Install)
    } else {
        let t = lang.get_untracked();
        let problem = Problem {
            code: ProblemCode::Launch,
            title: t.app_page().install_failed.into(),
            advice: t.app_page().no_frame.into(),
            technical: String::new(),
            retry: false,
        };
        ActionOutcome::Failed(Action::Install, problem)
    }
}

fn change(action: Action, method: &str, result: Result<(), crate::rest::envelope::RestError>, t: &crate::i18n::Texts) -> ActionOutcome {
    match result {
        Ok(()) => ActionOutcome::Done(action),
        Err(e) => ActionOutcome::Failed(action, Problem::rest_for(t, &e, method)),
    }
}

/// Every old tab goes and ours is bound, in one batch that stops at the first failure.
async fn rebind(session: &Session, t: &crate::i18n::Texts) -> ActionOutcome {
    let reply = match session.rest.batch(&install::rebind_batch(&session.handler), None).await {
        Ok(reply) => reply,
        Err(e) => return ActionOutcome::Failed(Action::Rebind, Problem::rest_for(t, &e, "placement.bind")),
    };
    for key in ["unbind", "bind"] {
        if let Outcome::Failed(error) = reply.outcome(key) {
            return ActionOutcome::Failed(Action::Rebind, Problem::api_for(t, error, Some(if key == "bind" { "placement.bind" } else { "placement.unbind" })));
        }
    }
    ActionOutcome::Done(Action::Rebind)
}
