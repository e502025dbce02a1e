//! Amazon SES notifications: bounces, complaints and deliveries sent as JSON, often
//! wrapped once more in an Amazon SNS envelope whose `Message` is the JSON as a string.

use super::json::{self, Json};

use crate::report::{Bounce, BounceKind, OriginalMessage};

/// Reads an SES notification from a message body, if that is what it is.
pub(crate) fn parse(body: &str) -> Option<Bounce> {
    // Long lines come wrapped as "!" + line break + space; undo that first.
    let body = body.replace("!\r\n ", "").replace("!\n ", "");
    let start = body.find('{')?;
    let value = json::parse(&body[start..])?;
    let value = match value.get("Message").and_then(Json::as_str) {
        Some(inner) => json::parse(inner)?,
        None => value,
    };
    let kind = value.get("notificationType").and_then(Json::as_str)?;
    let text = |v: &Json, k: &str| v.get(k).and_then(Json::as_str).map(str::to_string);
    let mut bounce = super::simple(BounceKind::Bounce, "text");
    bounce.mta = Some("Amazon SES".into());
    match kind {
        "Bounce" => {
            let b = value.get("bounce")?;
            bounce.reporting_mta = text(b, "reportingMTA").map(|m| super::host(&m));
            bounce.arrival_date = text(b, "timestamp");
            for r in list(b, "bouncedRecipients") {
                let diagnostic = text(r, "diagnosticCode").map(|d| super::without_type(&d));
                let action = text(r, "action").unwrap_or_else(|| "failed".into());
                bounce.recipients.push(super::recipient(
                    text(r, "emailAddress").unwrap_or_default(),
                    &action,
                    text(r, "status"),
                    super::Words {
                        diagnostic: diagnostic.as_deref(),
                        ..Default::default()
                    },
                ));
            }
            bounce.kind = super::kind_of(&bounce.recipients);
        }
        "Complaint" => {
            bounce.kind = BounceKind::FeedbackReport;
            let c = value.get("complaint")?;
            bounce.feedback_type = text(c, "complaintFeedbackType").or(Some("abuse".into()));
            bounce.arrival_date = text(c, "timestamp");
        }
        "Delivery" => {
            let d = value.get("delivery")?;
            bounce.reporting_mta = text(d, "reportingMTA");
            bounce.arrival_date = text(d, "timestamp");
            let response = text(d, "smtpResponse");
            for r in list(d, "recipients") {
                if let Some(address) = r.as_str() {
                    bounce.recipients.push(super::recipient(
                        address.to_string(),
                        "delivered",
                        None,
                        super::Words {
                            diagnostic: response.as_deref(),
                            ..Default::default()
                        },
                    ));
                }
            }
            bounce.kind = BounceKind::DeliveryReport;
        }
        _ => return None,
    }
    bounce.original = value.get("mail").map(|m| {
        let headers = m.get("commonHeaders");
        let header = |k: &str| headers.and_then(|h| h.get(k));
        OriginalMessage {
            source: "headers".into(),
            path: None,
            subject: header("subject").and_then(Json::as_str).map(str::to_string),
            from: header("from")
                .and_then(|f| f.items().first())
                .and_then(Json::as_str)
                .map(str::to_string),
            to: header("to")
                .map(|a| {
                    a.items()
                        .iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            date: text(m, "timestamp"),
            message_id: text(m, "messageId"),
            size: None,
        }
    });
    Some(bounce)
}

fn list<'v>(v: &'v Json, key: &str) -> impl Iterator<Item = &'v Json> {
    v.get(key)
        .map(Json::items)
        .unwrap_or_default()
        .iter()
        .take(1000)
}
