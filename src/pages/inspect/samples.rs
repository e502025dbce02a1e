//! Real-world messages a first-time visitor can open with one click. Trunk copies samples/
//! next to the app; a click fetches one from the page's own server (kept out of the wasm
//! bundle, which has a size budget). Sources and licenses: samples/SOURCES.md.

pub struct Sample {
    pub name: &'static str,
    pub label: &'static str,
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        name: "gmail-forward.eml",
        label: "Gmail message (4 hops, DKIM)",
    },
    Sample {
        name: "bounce.eml",
        label: "Bounce from Fastmail (6 hops, SPF/DKIM/DMARC)",
    },
    Sample {
        name: "attached-pdf.eml",
        label: "Message with a PDF attachment",
    },
];
