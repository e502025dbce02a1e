//! SMTP submission in the browser: the session layer's flow (`mailscope_session::smtp`)
//! over the worker's link. The same flow runs natively against Postfix in `crates/driver`.

use mailscope_core::security::Security;

use super::session::{Failure, Link};

pub type Smtp = mailscope_session::smtp::SmtpSession<Link>;
pub use mailscope_session::smtp::Recipients;

/// Connects through the proxy, reads the greeting, says EHLO, and puts TLS in place as
/// asked. Signing in is `login`.
pub async fn connect(host: &str, port: u16, security: Security) -> Result<Smtp, Failure> {
    let link = Link::open(host, port, security == Security::Tls)?;
    Ok(Smtp::open(link, security).await?)
}
