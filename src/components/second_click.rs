//! A button for something that cannot be undone: the first click asks, naming what goes;
//! only the second does it.

use leptos::prelude::*;

#[component]
pub fn SecondClick(
    /// The first button's words ("Delete this folder…").
    label: Signal<String>,
    /// The question asked after it ("Delete Projects and every message in it?").
    question: Signal<String>,
    /// The button that does it ("Delete it"), and the one that does not ("Keep it").
    yes: &'static str,
    no: &'static str,
    /// Test ids: `{testid}`, `{testid}-confirm`, `{testid}-yes`.
    testid: &'static str,
    on_yes: Callback<()>,
    /// Changes here take the question back (another folder chosen).
    #[prop(optional)]
    reset: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    if let Some(r) = reset {
        Effect::new(move |_| {
            r.track();
            asking.set(false);
        });
    }
    move || {
        if asking.get() {
            view! {
                <span class="warning" data-testid=format!("{testid}-confirm")>
                    {move || question.get()} " "
                    <button class="small-button" on:click=move |_| {
                        asking.set(false);
                        on_yes.run(());
                    } data-testid=format!("{testid}-yes")>{yes}</button>
                    " "
                    <button class="small-button" on:click=move |_| asking.set(false)>{no}</button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button class="small-button" on:click=move |_| asking.set(true) data-testid=testid>{move || label.get()}</button>
            }
            .into_any()
        }
    }
}
