//! The account form: the address and password first; "Manual settings" opens the incoming
//! (IMAP or POP3) and outgoing (SMTP) servers, filled in from the address (the provider
//! table, else the usual names) until the user changes one of them.

use leptos::prelude::*;

use crate::components::account_fields::typed_port;
use mailscope_core::account::{Account, Found, Incoming, ServerCopy};
use mailscope_core::providers::Server;
use mailscope_core::security::{Security, Service};

/// One server's fields.
#[derive(Clone, Copy)]
pub struct ServerFields {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub security: RwSignal<Security>,
    pub user: RwSignal<String>,
    /// Empty: the account's password.
    pub password: RwSignal<String>,
}

impl ServerFields {
    fn new() -> ServerFields {
        ServerFields {
            host: RwSignal::new(String::new()),
            port: RwSignal::new(String::new()),
            security: RwSignal::new(Security::Tls),
            user: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
        }
    }

    fn set(&self, s: &Server, user: &str) {
        self.host.set(s.host.clone());
        self.port.set(s.port.to_string());
        self.security.set(s.security);
        self.user.set(user.to_string());
    }

    fn server(&self, what: &str) -> Result<Server, String> {
        let port = typed_port(&self.port.get_untracked(), what)?;
        Ok(Server {
            host: self.host.get_untracked().trim().to_string(),
            port,
            security: self.security.get_untracked(),
        })
    }
}

#[derive(Clone, Copy)]
pub struct Form {
    pub address: RwSignal<String>,
    pub name: RwSignal<String>,
    pub password: RwSignal<String>,
    pub kind: RwSignal<Incoming>,
    pub incoming: ServerFields,
    pub outgoing: ServerFields,
    pub manual: RwSignal<bool>,
    /// A server field was changed by hand: the address no longer fills them.
    pub edited: RwSignal<bool>,
    /// Where the settings came from, in words.
    pub found: RwSignal<Option<Found>>,
    /// POP3: what stays on the server once stored here.
    pub server_copy: RwSignal<ServerCopy>,
}

impl Form {
    pub fn new() -> Form {
        Form {
            address: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            kind: RwSignal::new(Incoming::Imap),
            incoming: ServerFields::new(),
            outgoing: ServerFields::new(),
            manual: RwSignal::new(false),
            edited: RwSignal::new(false),
            found: RwSignal::new(None),
            server_copy: RwSignal::new(ServerCopy::OnServer),
        }
    }

    /// The form showing `a` (its settings, for changing them).
    pub fn of(a: &Account) -> Form {
        let f = Form::new();
        f.address.set(a.address.clone());
        f.name.set(a.name.clone());
        f.kind.set(a.incoming_kind);
        f.server_copy.set(a.server_copy);
        f.incoming.set(&a.incoming, &a.incoming_user);
        f.outgoing.set(&a.outgoing, &a.outgoing_user);
        f.edited.set(true);
        f.manual.set(true);
        f
    }

    /// Fills the servers from the address, unless the user set them by hand.
    pub fn fill_from_address(&self) {
        if self.edited.get_untracked() {
            return;
        }
        let address = self.address.get_untracked();
        match Account::for_address(&address) {
            Some((a, found)) => {
                self.incoming.set(&a.incoming, &a.incoming_user);
                self.outgoing.set(&a.outgoing, &a.outgoing_user);
                if self.kind.get_untracked() == Incoming::Pop3 {
                    self.set_pop3_defaults(&address);
                }
                self.found.set(Some(found));
            }
            None => self.found.set(None),
        }
    }

    fn set_pop3_defaults(&self, address: &str) {
        let pop = mailscope_core::providers::lookup(address)
            .and_then(|p| p.pop3)
            .or_else(|| {
                mailscope_core::providers::guesses(address, Service::Pop3)
                    .into_iter()
                    .next()
            });
        if let Some(p) = pop {
            self.incoming.set(&p, &self.incoming.user.get_untracked());
        }
    }

    /// The account as typed, or what is wrong with it.
    pub fn account(&self) -> Result<Account, Vec<String>> {
        let incoming = self.incoming.server("incoming ").map_err(|e| vec![e])?;
        let outgoing = self.outgoing.server("outgoing ").map_err(|e| vec![e])?;
        let address = self.address.get_untracked().trim().to_string();
        let mut a = Account::new(&address, self.kind.get_untracked(), incoming, outgoing);
        a.name = self.name.get_untracked().trim().to_string();
        a.server_copy = self.server_copy.get_untracked();
        let user = |f: &ServerFields| {
            let u = f.user.get_untracked().trim().to_string();
            if u.is_empty() {
                address.clone()
            } else {
                u
            }
        };
        a.incoming_user = user(&self.incoming);
        a.outgoing_user = user(&self.outgoing);
        let problems = a.problems();
        if problems.is_empty() {
            Ok(a)
        } else {
            Err(problems)
        }
    }

    /// The passwords for (incoming, outgoing): each server's own, else the account's.
    pub fn passwords(&self) -> (String, String) {
        let main = self.password.get_untracked();
        let own = |f: &ServerFields| {
            let p = f.password.get_untracked();
            if p.is_empty() {
                main.clone()
            } else {
                p
            }
        };
        (own(&self.incoming), own(&self.outgoing))
    }
}

#[component]
fn ServerGroup(
    legend: &'static str,
    fields: ServerFields,
    edited: RwSignal<bool>,
    service: Signal<Service>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let touched = move || edited.set(true);
    let sec_value = move || fields.security.get().as_str();
    view! {
        <fieldset class="server-group">
            <legend>{legend}</legend>
            {children.map(|c| c())}
            <div class="field-row">
                <label class="grow">"Server"
                    <input type="text" autocomplete="off" spellcheck="false" autocapitalize="off"
                        prop:value=move || fields.host.get() on:input=move |ev| { touched(); fields.host.set(event_target_value(&ev)) } />
                </label>
                <label class="port">"Port"
                    <input type="text" inputmode="numeric" prop:value=move || fields.port.get()
                        on:input=move |ev| { touched(); fields.port.set(event_target_value(&ev)) } />
                </label>
                <label>"Security"
                    <select aria-label="Security" prop:value=sec_value on:change=move |ev| {
                        touched();
                        let s = Security::parse(&event_target_value(&ev));
                        // The usual port goes with the choice, when the port was a usual one.
                        let port = fields.port.get_untracked().trim().parse::<u16>().ok();
                        if port.is_none_or(|p| Security::usual_for(p).is_some()) {
                            fields.port.set(s.default_port(service.get_untracked()).to_string());
                        }
                        fields.security.set(s);
                    }>
                        <option value="tls">"TLS"</option>
                        <option value="starttls">"STARTTLS"</option>
                        <option value="none">"None (password readable on the network)"</option>
                    </select>
                </label>
            </div>
            <div class="field-row">
                <label class="grow">"User name"
                    <input type="text" autocomplete="off" spellcheck="false" autocapitalize="off" placeholder="the e-mail address"
                        prop:value=move || fields.user.get() on:input=move |ev| fields.user.set(event_target_value(&ev)) />
                </label>
                <label class="grow">"Password for this server"
                    <input type="password" autocomplete="off" placeholder="the account's password"
                        prop:value=move || fields.password.get() on:input=move |ev| fields.password.set(event_target_value(&ev)) />
                </label>
            </div>
        </fieldset>
    }
}

/// POP3: what stays on the server once a message is stored in this browser.
#[component]
fn ServerCopyChoice(server_copy: RwSignal<ServerCopy>) -> impl IntoView {
    let choice = move || match server_copy.get() {
        ServerCopy::OnServer => "leave",
        ServerCopy::DeleteAfterDownload => "delete",
        ServerCopy::DeleteAfterDays(_) => "days",
    };
    let days = move || match server_copy.get() {
        ServerCopy::DeleteAfterDays(d) => d.to_string(),
        _ => "14".into(),
    };
    view! {
        <div class="field-row">
            <label class="grow">"On the server"
                <select aria-label="On the server" prop:value=choice on:change=move |ev| server_copy.set(match event_target_value(&ev).as_str() {
                    "delete" => ServerCopy::DeleteAfterDownload,
                    "days" => ServerCopy::DeleteAfterDays(14),
                    _ => ServerCopy::OnServer,
                })>
                    <option value="leave">"Leave messages on the server"</option>
                    <option value="delete">"Delete them once stored here"</option>
                    <option value="days">"Delete them after some days"</option>
                </select>
            </label>
            {move || matches!(server_copy.get(), ServerCopy::DeleteAfterDays(_)).then(|| view! {
                <label class="port">"Days"
                    <input type="text" inputmode="numeric" prop:value=days on:input=move |ev| {
                        if let Ok(d) = event_target_value(&ev).trim().parse::<u32>() {
                            server_copy.set(ServerCopy::DeleteAfterDays(d.clamp(1, 3650)));
                        }
                    } />
                </label>
            })}
        </div>
    }
}

/// The form's fields (the caller adds the buttons).
#[component]
pub fn AccountForm(form: Form, #[prop(optional)] address_fixed: bool) -> impl IntoView {
    let Form {
        address,
        name,
        password,
        kind,
        incoming,
        outgoing,
        manual,
        edited,
        found,
        server_copy,
    } = form;
    let found_text = move || {
        match found.get() {
        Some(Found::Provider { name, note }) => Some((
            format!("{name}: its servers are filled in."),
            note.map(str::to_string),
        )),
        Some(Found::Guessed) => Some((
            "Not a provider Mailscope knows: the usual server names for this domain will be tried. Use manual settings if your provider gave you others.".to_string(),
            None,
        )),
        None => None,
    }
    };
    let incoming_service = Signal::derive(move || kind.get().service());
    view! {
        <label>"E-mail address"
            <input type="email" autocomplete="username" autocapitalize="off" spellcheck="false" required
                prop:readonly=address_fixed
                prop:value=move || address.get()
                on:input=move |ev| { address.set(event_target_value(&ev)); form.fill_from_address(); } />
        </label>
        <label>"Password"
            <input type="password" autocomplete="current-password" prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev)) />
        </label>
        <label>"Your name " <span class="muted small">"(shown to the people you write to; optional)"</span>
            <input type="text" autocomplete="name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
        </label>
        {move || found_text().map(|(line, note)| view! {
            <p class="found muted small" role="status">{line} {note.map(|n| view! { <br/><strong>{n}</strong> })}</p>
        })}
        <button type="button" class="button subtle" aria-expanded=move || manual.get().to_string()
            on:click=move |_| manual.update(|m| *m = !*m)>"Manual settings"</button>
        <Show when=move || manual.get()>
            <ServerGroup legend="Incoming mail" fields=incoming edited=edited service=incoming_service>
                <label>"Type"
                    <select aria-label="Type" prop:value=move || match kind.get() { Incoming::Imap => "imap", Incoming::Pop3 => "pop3" }
                        on:change=move |ev| {
                            let k = if event_target_value(&ev) == "pop3" { Incoming::Pop3 } else { Incoming::Imap };
                            kind.set(k);
                            let address = address.get_untracked();
                            if k == Incoming::Pop3 {
                                form.set_pop3_defaults(&address);
                            } else if let Some((a, _)) = Account::for_address(&address) {
                                incoming.set(&a.incoming, &incoming.user.get_untracked());
                            }
                        }>
                        <option value="imap">"IMAP: folders stay on the server"</option>
                        <option value="pop3">"POP3: download to this browser"</option>
                    </select>
                </label>
                {move || (kind.get() == Incoming::Pop3).then(|| view! { <ServerCopyChoice server_copy=server_copy /> })}
            </ServerGroup>
            <ServerGroup legend="Outgoing mail" fields=outgoing edited=edited service=Signal::derive(|| Service::Submission) />
        </Show>
    }
}
