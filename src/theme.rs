//! The agent's choice of light or dark, kept with the portal's user options so that it follows
//! them to every call card (`setUserOption {name: "theme", value}`; `getInitData` gives it back
//! in `USER_OPTIONS`).

use crate::json::Value;

/// The name of the portal user option that holds the choice.
pub const OPTION: &str = "theme";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// As the agent's system says (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];

    /// The stored spelling: `light`, `dark`, `auto`.
    pub fn code(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_code(code: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == crate::text::trim(code))
    }

    /// The choice in `USER_OPTIONS`: an object of the user's options, or PHP's `[]` when there
    /// are none. Anything unreadable is no choice.
    pub fn from_user_options(options: Option<&Value>) -> Option<Theme> {
        options?.get(OPTION)?.as_str().and_then(Theme::from_code)
    }

    /// The root's `data-theme` for a choice: none for automatic (the stylesheet follows the
    /// system then).
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light | Theme::Dark => Some(self.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn the_choice_is_read_from_the_portals_user_options() {
        assert_eq!(Theme::from_user_options(Some(&json!({"theme": "dark"}))), Some(Theme::Dark));
        assert_eq!(Theme::from_user_options(Some(&json!({"theme": "auto", "x": 1}))), Some(Theme::Auto));
        // PHP's empty array, other options only, nonsense: no choice.
        assert_eq!(Theme::from_user_options(Some(&json!([]))), None);
        assert_eq!(Theme::from_user_options(Some(&json!({"other": "dark"}))), None);
        assert_eq!(Theme::from_user_options(Some(&json!({"theme": ["dark"]}))), None);
        assert_eq!(Theme::from_user_options(Some(&json!({"theme": "sepia"}))), None);
        assert_eq!(Theme::from_user_options(None), None);
        for t in Theme::ALL {
            assert_eq!(Theme::from_code(t.code()), Some(t));
        }
        assert_eq!(Theme::Auto.attribute(), None);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }
}
