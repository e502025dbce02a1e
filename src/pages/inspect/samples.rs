//! Real-world messages a first-time visitor can open with one click. Built into the app so
//! that opening one makes no request. Sources and licenses: samples/SOURCES.md.

pub struct Sample {
    pub name: &'static str,
    pub label: &'static str,
    pub bytes: &'static [u8],
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        name: "gmail-forward.eml",
        label: "Gmail message (4 hops, DKIM)",
        bytes: include_bytes!("../../../samples/gmail-forward.eml"),
    },
    Sample {
        name: "bounce.eml",
        label: "Bounce from Fastmail (6 hops, SPF/DKIM/DMARC)",
        bytes: include_bytes!("../../../samples/bounce.eml"),
    },
    Sample {
        name: "attached-pdf.eml",
        label: "Message with a PDF attachment",
        bytes: include_bytes!("../../../samples/attached-pdf.eml"),
    },
];
