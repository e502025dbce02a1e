// The built page opens a session through the real proxy and completes a TLS handshake, in
// the browser, with a local server whose self-signed certificate it first refuses and then
// trusts by exception; and the same with real Dovecot (tests/mailserver.sh, started by
// scripts/test.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './fixtures/browser.mjs';
import { startTlsServer, startProxy, certFingerprint, startInjectingPop3 } from './fixtures/servers.mjs';

let context, page, server, proxy, injecting;
const requests = [];

before(async () => {
  server = await startTlsServer();
  injecting = await startInjectingPop3();
  proxy = await startProxy([
    `127.0.0.1:${server.port}`, `127.0.0.1:${injecting.port}`,
    '127.0.0.1:10993', '127.0.0.1:10110', '127.0.0.1:10143', '127.0.0.1:10587',
  ]);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${proxy.url}connect/`);
  await page.getByTestId('connect-page').waitFor();
});
after(async () => {
  await context?.close();
  proxy?.close();
  await server?.close();
  await injecting?.close();
});

const status = () => page.getByTestId('connect-status').textContent();

test('an untrusted certificate is refused with its fingerprint, then trusted for that server', async () => {
  await page.getByTestId('connect-host').fill('127.0.0.1');
  await page.getByTestId('connect-port').fill(String(server.port));
  await page.getByTestId('connect-button').click();
  await page.getByTestId('untrusted').waitFor({ timeout: 20000 });
  assert.match(await status(), /not trusted: it is not signed by a trusted authority/);
  assert.equal(await page.getByTestId('fingerprint').textContent(), certFingerprint());
  assert.equal(await page.getByTestId('cert-subject').textContent(), 'CN=mail.example.test');
  assert.equal(await page.getByTestId('cert-issuer').textContent(), 'CN=mail.example.test');
  assert.match(await page.getByTestId('cert-validity').textContent(), /^\d{4}-\d\d-\d\dT.*Z to 21\d\d-/);

  await page.getByTestId('trust-certificate').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-status]')?.textContent.includes('Secure connection'), null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-received]')?.textContent.includes('* OK Mailscope test server ready'));

  // Only the page's own origin was contacted: the server was reached through the proxy.
  const origin = new URL(proxy.url).origin;
  assert.deepEqual(requests.filter((u) => u.startsWith('http') && !u.startsWith(origin)), []);
});

test('the trust is remembered across reloads', async () => {
  const connect = async () => {
    await page.getByTestId('connect-host').fill('127.0.0.1');
    await page.getByTestId('connect-port').fill(String(server.port));
    await page.getByTestId('connect-button').click();
    await page.waitForFunction(() => /Secure connection|not trusted/.test(document.querySelector('[data-testid=connect-status]')?.textContent ?? ''), null, { timeout: 20000 });
  };
  // Trusted first, when it is not yet (this test run alone).
  await connect();
  if (await page.getByTestId('trust-certificate').isVisible()) await page.getByTestId('trust-certificate').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-status]')?.textContent.includes('Secure connection'), null, { timeout: 20000 });
  await page.reload();
  await connect();
  assert.match(await status(), /Secure connection/);
  assert.equal(await page.getByTestId('untrusted').count(), 0, 'not asked again');
});

test('a refusal by the proxy reaches the page with its reason', async () => {
  await page.getByTestId('connect-host').fill('10.0.0.5');
  await page.getByTestId('connect-port').fill('143');
  await page.getByTestId('connect-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-status]')?.textContent.includes('not-allowed'));
  assert.match(await status(), /the proxy does not allow 10\.0\.0\.5:143: private address \(not-allowed\)/);
});

test('real Dovecot over IMAPS: TLS in the browser, through the proxy', async () => {
  await page.getByTestId('connect-host').fill('127.0.0.1');
  await page.getByTestId('connect-port').fill('10993');
  await page.getByTestId('connect-button').click();
  await page.getByTestId('untrusted').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('cert-subject').textContent(), 'CN=mail.example.test');
  await page.getByTestId('trust-certificate').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-received]')?.textContent.includes('Dovecot'), null, { timeout: 20000 });
  assert.match(await page.getByTestId('connect-received').textContent(), /^\* OK \[CAPABILITY IMAP4rev1/);
  assert.match(await status(), /Secure connection established/);
});

const secure = () => page.waitForFunction(
  () => document.querySelector('[data-testid=connect-status]')?.textContent.includes('Secure connection'), null, { timeout: 20000 });

for (const [port, name, overTls] of [
  ['10110', 'POP3 STLS', /\+OK\r?\n[\s\S]*SASL PLAIN/],
  ['10143', 'IMAP STARTTLS', /a2 OK/],
  ['10587', 'SMTP submission STARTTLS', /250-AUTH PLAIN/],
]) {
  test(`${name} with the real test servers: the upgrade runs in the browser`, async () => {
    await page.getByTestId('connect-security').selectOption('starttls');
    await page.getByTestId('connect-host').fill('127.0.0.1');
    await page.getByTestId('connect-port').fill(port);
    await page.getByTestId('connect-button').click();
    await page.getByTestId('untrusted').waitFor({ timeout: 20000 });
    await page.getByTestId('trust-certificate').click();
    await secure();
    // What the server offers after TLS (AUTH appears only then on submission).
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid=connect-received]')?.textContent ?? ''), overTls.source, { timeout: 20000 });
  });
}

test('data after the STARTTLS go-ahead is refused (CVE-2011-0411)', async () => {
  await page.getByTestId('connect-security').selectOption('starttls');
  await page.getByTestId('connect-host').fill('127.0.0.1');
  await page.getByTestId('connect-port').fill(String(injecting.port));
  await page.getByTestId('connect-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=connect-status]')?.textContent.includes('Refused'), null, { timeout: 20000 });
  assert.match(await status(), /sent data after its STARTTLS go-ahead.*CVE-2011-0411/);
  assert.doesNotMatch(await status(), /Secure connection/);
});
