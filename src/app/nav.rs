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
    /// The last place shown that was not the compose dialog: where closing it returns.
    behind_write: StoredValue<Option<Place>>,
}

impl Nav {
    /// Made once, inside the router.
    pub fn provide() -> Nav {
        let location = use_location();
        let view =
            Memo::new(move |_| View::parse(&location.pathname.get(), &location.search.get()));
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
        let behind_write = StoredValue::new(None);
        Effect::new(move |_| match view.get() {
            View::Account(_, Place::Write { .. }) => {}
            View::Account(_, p) => behind_write.set_value(Some(p)),
            _ => behind_write.set_value(None),
        });
        let nav = Nav {
            view,
            go,
            behind_write,
        };
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

    /// Leaves the compose dialog for what was shown under it (else `home`), in place of the
    /// dialog's own history entry, so Back does not open it again.
    pub fn leave_write(&self, home: Place) {
        if let View::Account(a, _) = self.view.get_untracked() {
            let under = self.behind_write.get_value().unwrap_or(home);
            self.replace(View::Account(a, under));
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
