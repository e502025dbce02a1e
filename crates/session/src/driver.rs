//! One machine over one transport: the loop every flow shares (feed what arrives, write
//! what the machine wants written, hand out its events).

use mailscope_core::machine::Machine;

use crate::{SessionError, Transport};

pub struct Driver<M, T> {
    pub machine: M,
    pub transport: T,
    protocol: &'static str,
    /// Bytes read since [`Driver::reset_received`], for progress.
    received: usize,
}

impl<M: Machine, T: Transport> Driver<M, T> {
    pub fn new(machine: M, transport: T, protocol: &'static str) -> Self {
        Driver {
            machine,
            transport,
            protocol,
            received: 0,
        }
    }

    fn protocol_error(&self, e: M::Error) -> SessionError {
        if M::is_injection(&e) {
            return SessionError::Injected;
        }
        SessionError::Protocol {
            protocol: self.protocol,
            detail: e.to_string(),
        }
    }

    /// What the machine wants written, written.
    pub async fn flush(&mut self) -> Result<(), SessionError> {
        let out = self.machine.take_output();
        if !out.is_empty() {
            self.transport.write(&out).await?;
        }
        Ok(())
    }

    /// The next event already in the machine (its output written), without reading.
    pub async fn parsed(&mut self) -> Result<Option<M::Event>, SessionError> {
        let event = self
            .machine
            .next_event()
            .map_err(|e| self.protocol_error(e))?;
        // AUTH LOGIN, DATA, a literal's continuation: the machine writes from inside.
        self.flush().await?;
        Ok(event)
    }

    /// Bytes from the server into the machine.
    pub fn took(&mut self, bytes: &[u8]) {
        self.received += bytes.len();
        self.machine.feed(bytes);
    }

    pub fn received(&self) -> usize {
        self.received
    }

    pub fn reset_received(&mut self) {
        self.received = 0;
    }

    /// The next event, reading as needed.
    pub async fn next_event(&mut self) -> Result<M::Event, SessionError> {
        loop {
            if let Some(e) = self.parsed().await? {
                return Ok(e);
            }
            let bytes = self.transport.read().await?;
            self.took(&bytes);
        }
    }

    /// The next event, telling `progress` the bytes received so far.
    pub async fn next_event_with(
        &mut self,
        progress: &mut dyn FnMut(usize),
    ) -> Result<M::Event, SessionError> {
        loop {
            if let Some(e) = self.parsed().await? {
                return Ok(e);
            }
            let bytes = self.transport.read().await?;
            self.took(&bytes);
            progress(self.received);
        }
    }

    /// After the machine's go-ahead: TLS on the same connection, then reading resumes.
    pub async fn start_tls(&mut self) -> Result<(), SessionError> {
        let early = self.transport.start_tls().await?;
        self.machine.tls_started();
        self.machine.feed(&early);
        Ok(())
    }

    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.machine
            .transcript()
            .map(|l| (l.sent, l.text.clone()))
            .collect()
    }
}
