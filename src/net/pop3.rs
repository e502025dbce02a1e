//! POP3 in the browser: the session layer's flow (`mailscope_session::pop3`) over the
//! worker's link. The same flow runs natively against Dovecot in `crates/driver`'s tests.

use mailscope_core::pop3::Secret;
pub use mailscope_core::security::Security;

pub use super::session::Failure as Pop3Failure;
use super::session::Link;

pub type Pop3 = mailscope_session::pop3::Pop3Session<Link>;

/// Connects through the proxy, puts TLS in place as asked, and signs in (SASL PLAIN when
/// offered, else APOP when the greeting offers it, else USER/PASS).
pub async fn connect(
    host: &str,
    port: u16,
    security: Security,
    user: &str,
    password: Secret,
) -> Result<Pop3, Pop3Failure> {
    let link = Link::open(host, port, security == Security::Tls)?;
    let mut pop = Pop3::open(link, security).await?;
    pop.sign_in(user, password).await?;
    Ok(pop)
}
