//! Moving between the app's views: the current view read from the address bar, and going to
//! another by its path (leptos_router keeps the history, so Back and Forward work).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use mailscope_core::app_path::{Place, View};

#[derive(Clone, Copy)]
pub struct Nav {
    /// The view the address shows.
    pub view: Memo<View>,
    go: Callback<(String, bool)>,
}

impl Nav {
    /// Made once, inside the router.
    pub fn provide() -> Nav {
        let location = use_location();
        let view = Memo::new(move |_| {
            View::parse(&location.pathname.get(), &location.search.get())
        });
        let navigate = use_navigate();
        let go = Callback::new(move |(path, replace): (String, bool)| {
            navigate(
                &path,
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            )
        });
        let nav = Nav { view, go };
        provide_context(nav);
        nav
    }

    /// Goes to `view` (a new history entry).
    pub fn go(&self, view: View) {
        self.go.run((view.path(), false));
    }

    /// Shows `view` in place of this one (no history entry: a redirect).
    pub fn replace(&self, view: View) {
        self.go.run((view.path(), true));
    }

    /// Goes to `place` of the account shown now.
    pub fn to(&self, place: Place) {
        if let View::Account(a, _) = self.view.get_untracked() {
            self.go(View::Account(a, place));
        }
    }

    /// The place within the account shown now, without tracking it.
    pub fn place_untracked(&self) -> Option<Place> {
        match self.view.get_untracked() {
            View::Account(_, p) => Some(p),
            _ => None,
        }
    }

    /// The place within the account shown now.
    pub fn place(&self) -> Option<Place> {
        match self.view.get() {
            View::Account(_, p) => Some(p),
            _ => None,
        }
    }
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}
