//! Leptos effects, their work boxed.
//!
//! Leptos compiles an effect's scheduling once for each closure type it is given, about 1.2 KB
//! of the module each time. Boxed and handed over by one function that is not generic, every
//! effect of the widget shares one copy.

use leptos::prelude::*;

/// Runs `work` now, and again whenever a signal it read changes, for as long as the current
/// owner lives: `Effect::new`, with the work boxed.
pub fn watch(work: impl FnMut() + 'static) {
    start(Box::new(work));
}

#[inline(never)]
fn start(mut work: Box<dyn FnMut()>) {
    Effect::new(move |_| work());
}
