//! The widths of the folder pane and the message list, dragged with the splitters between
//! the panes (or moved with the arrow keys on them), and the list's density: remembered in
//! this browser.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::settings;

const KEY: &str = "mailscope.pane-widths";
const DENSITY_KEY: &str = "mailscope.density";

/// Rows of two lines (sender over subject), or compact rows of one.
#[derive(Clone, Copy)]
pub struct Density {
    pub compact: RwSignal<bool>,
}

impl Density {
    pub fn provide() {
        let compact = settings::load::<String>(DENSITY_KEY).is_some_and(|d| d == "compact");
        provide_context(Density {
            compact: RwSignal::new(compact),
        });
    }

    pub fn set(&self, compact: bool) {
        self.compact.set(compact);
        settings::save(
            DENSITY_KEY,
            &if compact { "compact" } else { "comfortable" },
        );
    }
}

pub fn use_density() -> Density {
    expect_context::<Density>()
}
const MIN: [f64; 2] = [160.0, 260.0];
const MAX: [f64; 2] = [420.0, 720.0];

#[derive(Clone, Copy)]
pub struct Widths(RwSignal<[f64; 2]>);

impl Widths {
    pub fn load() -> Widths {
        let w: [f64; 2] = settings::load(KEY).unwrap_or([220.0, 400.0]);
        Widths(RwSignal::new([clamp(0, w[0]), clamp(1, w[1])]))
    }

    /// The CSS variables the grid reads.
    pub fn style(&self) -> String {
        let [f, l] = self.0.get();
        format!("--folders-w:{f}px;--list-w:{l}px")
    }

    fn set(&self, which: usize, px: f64) {
        self.0.update(|w| w[which] = clamp(which, px));
    }

    fn save(&self) {
        settings::save(KEY, &self.0.get_untracked());
    }
}

fn clamp(which: usize, px: f64) -> f64 {
    px.clamp(MIN[which], MAX[which]).round()
}

/// The handle between two panes.
#[component]
pub fn Splitter(which: usize, widths: Widths, label: &'static str) -> impl IntoView {
    let dragging = StoredValue::new(None::<(f64, f64)>);
    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        if let Some(t) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = t.set_pointer_capture(ev.pointer_id());
        }
        dragging.set_value(Some((
            ev.client_x() as f64,
            widths.0.get_untracked()[which],
        )));
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if let Some((x0, w0)) = dragging.get_value() {
            widths.set(which, w0 + ev.client_x() as f64 - x0);
        }
    };
    let up = move |_| {
        if dragging.get_value().is_some() {
            dragging.set_value(None);
            widths.save();
        }
    };
    let key = move |ev: web_sys::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => -16.0,
            "ArrowRight" => 16.0,
            _ => return,
        };
        ev.prevent_default();
        widths.set(which, widths.0.get_untracked()[which] + step);
        widths.save();
    };
    view! {
        <div class=format!("splitter splitter-{which}") role="separator" aria-orientation="vertical" aria-label=label tabindex="0"
            aria-valuemin=MIN[which].to_string() aria-valuemax=MAX[which].to_string() aria-valuenow=move || widths.0.get()[which].to_string()
            on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up on:keydown=key></div>
    }
}
