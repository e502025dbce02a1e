//! IMAP in the browser: the session layer's flow (`mailscope_session::imap`) over the
//! worker's link. The same flow runs natively against Dovecot in `crates/driver`'s tests.

use mailscope_core::security::Security;
use mailscope_session::SessionError;

use super::session::{Failure, Link};

pub type Imap = mailscope_session::imap::ImapSession<Link>;

/// Connects through the proxy, puts TLS in place as asked, and signs in with LOGIN.
pub async fn connect(
    host: &str,
    port: u16,
    security: Security,
    user: &str,
    password: &str,
) -> Result<Imap, Failure> {
    Ok(connect_typed(host, port, security, user, password).await?)
}

/// As [`connect`], the error as the session layer typed it (whether the server could not
/// be reached, or refused).
pub async fn connect_typed(
    host: &str,
    port: u16,
    security: Security,
    user: &str,
    password: &str,
) -> Result<Imap, SessionError> {
    let link = Link::open(host, port, security == Security::Tls)?;
    let mut imap = Imap::open(link, security).await?;
    imap.login(user, password).await?;
    Ok(imap)
}
