//! Warming the analysis up while the page is idle. V8 first runs wasm with its baseline
//! compiler and moves a function to optimised code only after it has run for a while, and a
//! call already running never switches: the first 25 MB message a user opens would be
//! analysed entirely in baseline code, several times slower than the next one. So once the
//! page has loaded, a small message shaped like real mail (header fields, Received, quoted
//! printable and base64 parts) is analysed a few times, a frame apart, which makes V8
//! optimise the analysis before the user has had time to pick a file.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs the warm-up when the browser is idle (or after a short delay where it has no idle
/// callbacks).
pub fn schedule() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let run = Closure::once_into_js(|| wasm_bindgen_futures::spawn_local(warm()));
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(request) => {
            let _ = request.call1(&window, &run);
        }
        None => {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), 100);
        }
    }
}

async fn warm() {
    let message = sample();
    for _ in 0..4 {
        let _ = mailscope_core::analyze(&message);
        // Between runs the optimising compiler works in the background.
        super::files::yield_to_browser().await;
    }
}

/// About 200 KB: the parts of the analysis a large message spends its time in.
fn sample() -> Vec<u8> {
    let mut m = String::with_capacity(220_000);
    for hop in 0..4 {
        m.push_str(&format!(
            "Received: from h{hop}.example (h{hop}.example [192.0.2.{hop}]) by h{}.example with ESMTPS id w{hop}; Tue, 3 Mar 2026 10:00:0{hop} +0000\r\n",
            hop + 1
        ));
    }
    m.push_str(
        "Authentication-Results: h4.example; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org\r\n\
         From: =?UTF-8?Q?J=C3=B6rg?= <j@example.org>\r\nTo: You <you@example.net>\r\n\
         Subject: warm\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\nMessage-ID: <warm@example.org>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
    );
    for _ in 0..200 {
        m.push_str("Gr=C3=BC=C3=9Fe, a line of body text that goes on for a while.\r\n");
    }
    m.push_str(
        "--b\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n\
         Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n\r\n",
    );
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let line: String = (0..76).map(|i| ABC[(i * 7) % 64] as char).collect();
    for _ in 0..2500 {
        m.push_str(&line);
        m.push_str("\r\n");
    }
    m.push_str("--b--\r\n");
    m.into_bytes()
}
