//! Acting in the portal: opening a record, calling a number. Inside the portal these go through
//! the frame (`openPath`, `imPhoneTo`); where the portal refuses or is not there (a mobile app,
//! the page opened alone) the link underneath works as a normal link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use crate::rest::batch::one;

use crate::frame::client::FrameClient;
use crate::frame::Command;


pub struct Actions {
    pub frame: Option<FrameClient>,
    /// The portal's origin, for plain links.
    pub origin: String,
}

impl Actions {
    /// The page's actions, as the views read them (`Live::actions`). Shared rather than copied:
    /// every link and number on a card reads them.
    fn get() -> Option<Rc<Actions>> {
        use_context::<super::Live>().map(|live| live.actions.get_value())
    }

    /// A plain link to a portal page, for `href`.
    pub fn href(path: &str) -> String {
        Actions::get().map(|a| [a.origin.as_str(), path].concat()).unwrap_or_else(|| path.to_string())
    }

    /// Click handler for a portal link: `openPath` inside the portal, else the link as it is.
    pub fn open_path(path: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let opener = Actions::opener();
        move |event| {
            if let Some(open) = &opener {
                event.prevent_default();
                open(path.clone());
            }
        }
    }

    /// Opens portal pages in the portal's slider (`openPath`), as a link in a new tab where the
    /// portal refuses (PATH_NOT_AVAILABLE, or METHOD_NOT_SUPPORTED_ON_DEVICE in the mobile app:
    /// the portal answers at once only to refuse; silence means the slider is open). `None`
    /// outside a portal frame. Read the context once, at a view's creation.
    pub fn opener() -> Option<impl Fn(String) + Clone + 'static> {
        let actions = Actions::get().filter(|a| a.frame.is_some())?;
        Some(move |path: String| {
            let actions = actions.clone();
            spawn_local(async move {
                let Some(frame) = &actions.frame else { return };
                let answer = frame.call(Command::OpenPath, &one("path", path.as_str().into())).await;
                if answer.is_ok_and(|v| open_path_refused(&v)) {
                    if let Some(w) = web_sys::window() {
                        let _ = w.open_with_url_and_target_and_features(&[actions.origin.as_str(), &path].concat(), "_blank", "noopener,noreferrer");
                    }
                }
            });
        })
    }

    /// Click handler for a phone number: the portal's own dialler, else the `tel:` link.
    pub fn phone_to(number: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let actions = Actions::get();
        move |event| {
            let Some(frame) = actions.as_ref().and_then(|a| a.frame.as_ref()) else { return };
            if frame.send(Command::ImPhoneTo, &one("phone", number.as_str().into())).is_ok() {
                event.prevent_default();
            }
        }
    }
}

/// Whether the portal's answer to `openPath` refuses to open the path (`{result: 'error',
/// errorCode}`), as opposed to reporting that the slider was closed.
fn open_path_refused(answer: &crate::json::Value) -> bool {
    answer.get("result").and_then(|r| r.as_str()) == Some("error")
}
