//! The names Leptos takes from `leptos_hot_reload`: three helpers its view macros call while
//! they expand `view!` and `#[component]` (on the build machine), and the hot-reload script that
//! its server-rendered `AutoReload` component inlines.
//!
//! Why the widget has its own: leptos depends on `leptos_hot_reload` for the browser too, and
//! the crate is a differ of view templates for a development server: a full Rust parser (`syn`
//! with every feature, `rstml`, `proc-macro2`), `walkdir`, `camino`, `anyhow`. None of it can
//! run in a browser and none of it reaches the module, but each wasm build compiled it all. Here
//! the parser is a dependency only where the macros run, and the wasm builds compile this file
//! alone. The helpers keep the original's names, signatures and results.

/// The script a development server's page runs to patch views in place. A client-side widget
/// never renders `AutoReload`, the one component that inlines it, and has no development server
/// to reload from: empty.
pub const HOT_RELOAD_JS: &str = "";

/// The stable identifier of a view macro's call site: its file's path with `-` for each path
/// separator, then `-` and the line.
#[cfg(not(target_arch = "wasm32"))]
#[must_use]
pub fn span_to_stable_id(path: impl AsRef<std::path::Path>, line: usize) -> String {
    let file = path
        .as_ref()
        .to_str()
        .unwrap_or_default()
        .replace(['/', '\\'], "-");
    format!("{file}-{line}")
}

/// What the view macros ask of the view parser.
#[cfg(not(target_arch = "wasm32"))]
pub mod parsing {
    use rstml::node::{CustomNode, NodeElement, NodeName};

    /// The text of a string, character, integer or float literal (digits in base 10, without
    /// suffix); `None` for any other expression, a literal inside a block included.
    #[must_use]
    pub fn value_to_string(value: &syn::Expr) -> Option<String> {
        let syn::Expr::Lit(literal) = value else {
            return None;
        };
        match &literal.lit {
            syn::Lit::Str(text) => Some(text.value()),
            syn::Lit::Char(character) => Some(character.value().to_string()),
            syn::Lit::Int(integer) => Some(integer.base10_digits().to_owned()),
            syn::Lit::Float(float) => Some(float.base10_digits().to_owned()),
            _ => None,
        }
    }

    /// Whether an element names a component: its tag is a path whose last segment starts with
    /// a capital letter (`<Card/>`, `<ui::Card/>`), not a block or a dashed name.
    #[must_use]
    pub fn is_component_node(node: &NodeElement<impl CustomNode>) -> bool {
        match node.name() {
            NodeName::Path(path) => path.path.segments.last().is_some_and(|segment| {
                segment
                    .ident
                    .to_string()
                    .starts_with(|c: char| c.is_ascii_uppercase())
            }),
            NodeName::Block(_) | NodeName::Punctuated(_) => false,
        }
    }
}
