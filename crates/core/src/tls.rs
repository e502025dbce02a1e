//! TLS as a sans-I/O layer between a protocol machine and the byte transport: ciphertext in
//! from the network, plaintext out to the protocol, and the reverse. The same code runs in
//! the browser (over the proxy's WebSocket) and natively (over a TCP socket), so the proxy
//! only ever relays ciphertext.
//!
//! Trust is Mozilla's roots (webpki-roots), plus exceptions: the user may trust one exact
//! certificate (by SHA-256 fingerprint) for one host and port, as mail clients do for
//! self-signed servers.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// A certificate the user chose to trust for one host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub host: String,
    pub port: u16,
    pub sha256: [u8; 32],
}

/// The certificate a server presented, for the page to show when it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentedCertificate {
    pub der: Vec<u8>,
    pub sha256: [u8; 32],
}

impl PresentedCertificate {
    /// `AB:CD:…`, as browsers and mail clients show fingerprints.
    pub fn fingerprint(&self) -> String {
        self.sha256
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Subject, issuer and validity, when the certificate can be read.
    pub fn summary(&self) -> Option<crate::x509::CertificateSummary> {
        crate::x509::summarise(&self.der)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{0} is not a valid server name")]
    BadName(String),
    #[error("the server's certificate is not trusted: {reason}")]
    Untrusted {
        reason: String,
        certificate: Option<PresentedCertificate>,
    },
    #[error("the TLS connection failed: {0}")]
    Protocol(String),
}

/// SHA-256, through rustls's ring provider.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let hash = rustls::crypto::ring::default_provider()
        .cipher_suites
        .iter()
        .filter_map(|s| s.tls13())
        .map(|t| t.common.hash_provider)
        .find(|h| h.algorithm() == rustls::crypto::hash::HashAlgorithm::SHA256);
    if let Some(h) = hash {
        out.copy_from_slice(h.hash(data).as_ref());
    }
    out
}

#[derive(Debug)]
struct Verifier {
    webpki: Arc<WebPkiServerVerifier>,
    exceptions: Vec<Exception>,
    host: String,
    port: u16,
    presented: Arc<Mutex<Option<PresentedCertificate>>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = PresentedCertificate {
            der: end_entity.to_vec(),
            sha256: sha256(end_entity),
        };
        let pinned = self.exceptions.iter().any(|e| {
            e.port == self.port
                && e.host.eq_ignore_ascii_case(&self.host)
                && e.sha256 == presented.sha256
        });
        if let Ok(mut slot) = self.presented.lock() {
            *slot = Some(presented);
        }
        if pinned {
            return Ok(ServerCertVerified::assertion());
        }
        self.webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// The client side of one TLS connection.
pub struct TlsClient {
    conn: ClientConnection,
    presented: Arc<Mutex<Option<PresentedCertificate>>>,
    /// Decrypted bytes not yet taken: drained from rustls after every record, so that a
    /// large read never fills its bounded plaintext buffer.
    plain: Vec<u8>,
    /// Encrypted bytes not yet taken: a large write is encrypted in pieces, each moved here
    /// so that rustls's bounded outgoing buffer never fills.
    sealed: Vec<u8>,
}

impl TlsClient {
    /// Starts a handshake with `host:port`, trusting Mozilla's roots and `exceptions`.
    pub fn new(host: &str, port: u16, exceptions: &[Exception]) -> Result<Self, TlsError> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| TlsError::Protocol(e.to_string()))?;
        let presented = Arc::new(Mutex::new(None));
        let verifier = Verifier {
            webpki,
            exceptions: exceptions.to_vec(),
            host: host.to_string(),
            port,
            presented: presented.clone(),
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Protocol(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| TlsError::BadName(host.to_string()))?;
        let conn = ClientConnection::new(Arc::new(config), name)
            .map_err(|e| TlsError::Protocol(e.to_string()))?;
        Ok(TlsClient {
            conn,
            presented,
            plain: Vec::new(),
            sealed: Vec::new(),
        })
    }

    /// Ciphertext from the network.
    pub fn receive(&mut self, mut ciphertext: &[u8]) -> Result<(), TlsError> {
        while !ciphertext.is_empty() {
            let n = self
                .conn
                .read_tls(&mut ciphertext)
                .map_err(|e| TlsError::Protocol(e.to_string()))?;
            if n == 0 {
                break;
            }
            if let Err(e) = self.conn.process_new_packets() {
                return Err(match e {
                    rustls::Error::InvalidCertificate(why) => TlsError::Untrusted {
                        reason: describe(&why),
                        certificate: self.presented.lock().ok().and_then(|p| p.clone()),
                    },
                    other => TlsError::Protocol(other.to_string()),
                });
            }
            self.drain()?;
        }
        Ok(())
    }

    /// Moves what rustls decrypted into our own buffer.
    fn drain(&mut self) -> Result<(), TlsError> {
        match self.conn.reader().read_to_end(&mut self.plain) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(TlsError::Protocol(
                "the server ended TLS without a close_notify".into(),
            )),
            Err(e) => Err(TlsError::Protocol(e.to_string())),
        }
    }

    /// Plaintext for the protocol machine, all that is decrypted so far.
    pub fn plaintext(&mut self) -> Result<Vec<u8>, TlsError> {
        self.drain()?;
        Ok(std::mem::take(&mut self.plain))
    }

    /// Plaintext from the protocol machine, to be encrypted.
    pub fn send(&mut self, plaintext: &[u8]) -> Result<(), TlsError> {
        let mut rest = plaintext;
        while !rest.is_empty() {
            let n = self
                .conn
                .writer()
                .write(rest)
                .map_err(|e| TlsError::Protocol(e.to_string()))?;
            if n == 0 {
                // rustls's buffer is full: move what it sealed out, then go on.
                let before = self.sealed.len();
                self.drain_tls();
                if self.sealed.len() == before {
                    return Err(TlsError::Protocol(
                        "the TLS layer accepts no more data".into(),
                    ));
                }
            }
            rest = &rest[n..];
        }
        Ok(())
    }

    fn drain_tls(&mut self) {
        while self.conn.wants_write() {
            if self.conn.write_tls(&mut self.sealed).is_err() {
                break;
            }
        }
    }

    /// Ciphertext to write to the network.
    pub fn ciphertext(&mut self) -> Vec<u8> {
        self.drain_tls();
        std::mem::take(&mut self.sealed)
    }

    pub fn is_handshaking(&self) -> bool {
        self.conn.is_handshaking()
    }

    /// The certificate the server presented, once it has.
    pub fn presented_certificate(&self) -> Option<PresentedCertificate> {
        self.presented.lock().ok().and_then(|p| p.clone())
    }
}

fn describe(e: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    match e {
        C::UnknownIssuer => {
            "it is not signed by a trusted authority (self-signed or a private CA)".into()
        }
        C::Expired | C::ExpiredContext { .. } => "it has expired".into(),
        C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".into(),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "it was issued for another name".into()
        }
        C::Revoked => "it has been revoked".into(),
        C::Other(o) if format!("{o:?}").contains("CaUsedAsEndEntity") => {
            "it is a certificate authority's certificate used as a server certificate (a self-made certificate)".into()
        }
        other => format!("{other:?}"),
    }
}

/// STARTTLS (RFC 3207 §5, RFC 2595 §3.1): after the server's "go ahead", any further bytes
/// already received were sent before TLS and may be injected (CVE-2011-0411). The driver
/// must refuse them rather than read them as if they came over TLS.
pub fn check_starttls_boundary(buffered_after_reply: &[u8]) -> Result<(), TlsError> {
    if buffered_after_reply.is_empty() {
        Ok(())
    } else {
        Err(TlsError::Protocol(format!(
            "the server sent {} byte(s) after agreeing to start TLS; they could have been injected by an attacker, so the connection is closed",
            buffered_after_reply.len()
        )))
    }
}
