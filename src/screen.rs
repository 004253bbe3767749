//! What the tab shows, as plain data: the state machine of the widget's one screen. The Leptos
//! views only render this; keeping it pure lets the native tests check it.

use crate::crm::card::{Caller, Candidates};
use crate::install::{AppPage, Reading};
use crate::launch::CallCardOptions;
use crate::problem::Problem;

/// The widget's screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Loading,
    /// The call and who is calling. `others` holds the other matches when the agent picked one
    /// of several, so that they can go back.
    Card { call: CallCardOptions, caller: Caller, others: Candidates },
    /// The app's own page: its installation and the controls for it.
    AppPage(AppPage),
    /// Opened in a placement this widget does not serve.
    NotSupported { placement: String },
    Failed(Problem),
}

impl Screen {
    /// A copy of the call card's screen (a known client's card is shared, not copied). The app
    /// page is never on a call card (its page is a module of its own): it copies as loading, so
    /// that the card's module holds no code to copy it (README, "Bundle budget").
    pub fn card_copy(&self) -> Screen {
        match self {
            Screen::Card { call, caller, others } => Screen::Card { call: call.clone(), caller: caller.clone(), others: others.clone() },
            Screen::NotSupported { placement } => Screen::NotSupported { placement: placement.clone() },
            Screen::Failed(problem) => Screen::Failed(problem.clone()),
            Screen::Loading | Screen::AppPage(_) => Screen::Loading,
        }
    }

    /// The value of the root's `data-state`, which tests and the benchmark wait on.
    pub fn data_state(&self) -> &'static str {
        match self {
            Screen::Loading => "loading",
            Screen::Card { .. } | Screen::NotSupported { .. } => "ready",
            Screen::AppPage(page) if page.busy.is_some() || page.reading == Reading::Pending => "loading",
            Screen::AppPage(_) => "ready",
            Screen::Failed(_) => "error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;
    use crate::launch::LaunchError;

    #[test]
    fn data_state_follows_the_screen() {
        assert_eq!(Screen::Loading.data_state(), "loading");
        assert_eq!(Screen::NotSupported { placement: "DEFAULT".into() }.data_state(), "ready");
        let p = Problem::launch(&EN, &LaunchError::NoLaunchData);
        assert_eq!(Screen::Failed(p).data_state(), "error");
    }

    #[test]
    fn a_card_copy_is_the_screen_but_for_the_app_page() {
        let p = Problem::launch(&EN, &LaunchError::NoLaunchData);
        for screen in [Screen::Loading, Screen::NotSupported { placement: "DEFAULT".into() }, Screen::Failed(p)] {
            assert_eq!(screen.card_copy(), screen);
        }
        let card = Screen::Card { call: CallCardOptions::default(), caller: Caller::Unknown, others: Candidates::default() };
        assert_eq!(card.card_copy(), card);
        assert_eq!(Screen::AppPage(AppPage::new(String::new(), false)).card_copy(), Screen::Loading);
    }
}
