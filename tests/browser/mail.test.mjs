// POP3 mail in the browser against real Dovecot (tests/mailserver.sh), through the real
// proxy: messages download into IndexedDB, nothing is fetched twice, they survive a reload,
// and "delete once downloaded" empties the server only after they are stored. Each test
// starts from bob's mailbox holding only its own messages and an empty store in the page
// (`start`), so any one runs alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { launch } from './fixtures/browser.mjs';
import { startProxy, startApopPop3 } from './fixtures/servers.mjs';
import { converse } from './fixtures/mailbox.mjs';

let context, page, proxy, apop;
const errors = [];
const consoleLines = [];

/** Bob's message count on the server, over plain POP3 (loopback only). */
async function serverCount() {
  const [, , , stat] = await converse(10110, [
    [null, /^\+OK.*\r\n/m], ['USER bob@example.test\r\n', /\+OK.*\r\n/], ['PASS bob-password\r\n', /\+OK.*\r\n/],
    ['STAT\r\n', /\+OK (\d+) \d+\r\n/], ['QUIT\r\n', /\+OK.*\r\n/],
  ]);
  return Number(stat[1]);
}

async function emptyBob() {
  const n = await serverCount();
  const steps = [[null, /^\+OK.*\r\n/m], ['USER bob@example.test\r\n', /\+OK.*\r\n/], ['PASS bob-password\r\n', /\+OK.*\r\n/]];
  for (let i = 1; i <= n; i++) steps.push([`DELE ${i}\r\n`, /[+-](OK|ERR).*\r\n/]);
  steps.push(['QUIT\r\n', /\+OK.*\r\n/]);
  await converse(10110, steps);
}

async function deliver(subject) {
  await converse(10025, [
    [null, /^220 .*\r\n/m], ['EHLO client.test\r\n', /^250 .*\r\n/m], ['MAIL FROM:<carol@sender.test>\r\n', /^250 .*\r\n/m],
    ['RCPT TO:<bob@example.test>\r\n', /^250 .*\r\n/m], ['DATA\r\n', /^354 .*\r\n/m],
    [`From: carol@sender.test\r\nTo: bob@example.test\r\nSubject: ${subject}\r\n\r\nHello Bob.\r\n.\r\n`, /^250 .*\r\n/m],
    ['QUIT\r\n', /^221 .*\r\n/m],
  ]);
}

before(async () => {
  apop = await startApopPop3('apop-user', 'tanstaaf');
  proxy = await startProxy(allowed());
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  // The durability every read-write transaction on the POP3 store asks for.
  await page.addInitScript(() => {
    window.__idbWrites = [];
    const open = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, options) {
      if (mode === 'readwrite' && String(stores) === 'pop3') window.__idbWrites.push(options?.durability ?? 'default');
      return open.apply(this, arguments);
    };
  });
  // Every status the page shows, with when, so that a failure can say what happened.
  await page.addInitScript(() => {
    window.__statuses = [];
    let last = null;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=mail-status]')?.textContent ?? null;
      if (text !== last) { last = text; window.__statuses.push(`${Math.round(performance.now())} ms: ${text}`); }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(`${proxy.url}workbench/`);
  await page.getByTestId('mail-page').waitFor();
});
after(async () => {
  await context?.close();
  proxy?.close();
  await apop?.close();
});

const allowed = () => ['127.0.0.1:10995', '127.0.0.1:10110', `127.0.0.1:${apop.port}`];

const status = () => page.getByTestId('mail-status').textContent();
/** Waits for the status to match; on a timeout, says which statuses the page showed, what
 *  the transcript holds and what the console printed. */
async function waitStatus(re) {
  try {
    await page.waitForFunction(
      (s) => new RegExp(s).test(document.querySelector('[data-testid=mail-status]')?.textContent ?? ''), re.source, { timeout: 30000 });
  } catch (e) {
    const statuses = await page.evaluate(() => window.__statuses ?? []).catch(() => []);
    const transcript = await page.getByTestId('mail-transcript').textContent({ timeout: 1000 }).catch(() => '(none)');
    throw new Error(`status never matched ${re}: ${e.message}\nstatuses: ${statuses.slice(-12).join(' | ')}`
      + `\ntranscript: ${transcript.slice(-1500)}\nconsole: ${consoleLines.slice(-20).join(' | ')}\nerrors: ${errors.join(' | ')}`);
  }
}

const DELETE_ANYWAY = 'Download, then delete on the server anyway';
const KEEP_THIS_TIME = 'Download, and keep them on the server this time';

/** A fresh start: bob's mailbox holds only `messages` (delivered through Postfix), the page
 *  has no stored mail (its IndexedDB deleted, then reloaded), and the form names bob's
 *  account on `port` with `security` and the server copy choice `keep`. */
async function start(messages = [], { port = 10995, security = 'tls', keep = 'leave' } = {}) {
  await emptyBob();
  for (const m of messages) await deliver(m);
  for (let i = 0; i < 100 && (await serverCount()) < messages.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await serverCount(), messages.length, 'bob\'s mailbox holds this test\'s messages');
  await page.evaluate(() => new Promise((done, fail) => {
    const r = indexedDB.deleteDatabase('mailscope');
    r.onsuccess = done; r.onblocked = done; r.onerror = () => fail(r.error);
  }));
  await page.reload();
  await page.getByTestId('mail-page').waitFor();
  await page.getByTestId('mail-host').fill('127.0.0.1');
  await page.getByTestId('mail-port').fill(String(port));
  await page.getByTestId('mail-security').selectOption(security);
  await page.getByTestId('mail-user').fill('bob@example.test');
  await page.getByTestId('mail-password').fill('bob-password');
  await page.getByTestId('mail-keep').selectOption(keep);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=mail-item]').length === 0);
}

/** Forgets the trust given to the certificate of the server on `port`, so that the page asks. */
const untrust = (port) => page.evaluate((p) => localStorage.setItem('mailscope.certificate-exceptions',
  JSON.stringify(JSON.parse(localStorage.getItem('mailscope.certificate-exceptions') ?? '[]').filter((e) => e.port !== p))), port);

/** Clicks "Check mail" and waits until the status matches `until`, trusting the test
 *  servers' certificate if the page asks. With a choice that deletes on the server, the page
 *  first asks (this browser has not promised to keep its storage): `answer` is the button. */
async function check(until, answer) {
  await page.getByTestId('mail-password').fill('bob-password');
  await page.getByTestId('mail-check').click();
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (until.test(await status())) return;
    if (await page.getByTestId('mail-trust').isVisible().catch(() => false)) await page.getByTestId('mail-trust').click();
    const asked = page.getByRole('button', { name: answer ?? KEEP_THIS_TIME });
    if (answer && await asked.isVisible().catch(() => false)) await asked.click();
    await page.waitForTimeout(100);
  }
  await waitStatus(until);
}

const items = () => page.getByTestId('mail-item');
const itemCount = (n) => page.waitForFunction((k) => document.querySelectorAll('[data-testid=mail-item]').length === k, n);

test('messages download into the browser and stay on the server', async () => {
  await start(['pop-one', 'pop-two', 'pop-three']);
  await untrust(10995);
  await page.getByTestId('mail-check').click();
  await page.getByTestId('mail-untrusted').waitFor({ timeout: 20000 });
  await page.getByTestId('mail-trust').click();
  await waitStatus(/new message/);
  assert.equal(await status(), '3 new messages; 0 deleted from the server; 3 left there.');
  await itemCount(3);
  assert.equal(await serverCount(), 3);
});

test('checking again fetches nothing twice', async () => {
  await start(['pop-one', 'pop-two', 'pop-three']);
  await check(/^3 new messages/);
  await check(/^0 new messages/);
  assert.equal(await status(), '0 new messages; 0 deleted from the server; 3 left there.');
  assert.equal(await items().count(), 3);
});

test('the messages are still here after a reload, and open in the inspector', async () => {
  await start(['pop-one', 'pop-two', 'pop-three']);
  await check(/^3 new messages/);
  await page.reload();
  await page.getByTestId('mail-page').waitFor();
  await itemCount(3);
  assert.equal(await page.getByTestId('mail-password').inputValue(), '', 'the password is not remembered');
  assert.equal(await page.getByTestId('mail-user').inputValue(), 'bob@example.test');
  await page.getByTestId('mail-open').filter({ hasText: 'pop-two' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=subject]')?.textContent === 'pop-two');
});

test('"delete once downloaded" empties the server only of what is stored', async () => {
  await start(['pop-one', 'pop-two', 'pop-three']);
  await check(/^3 new messages/);
  await deliver('pop-four');
  for (let i = 0; i < 100 && (await serverCount()) < 4; i++) await new Promise((r) => setTimeout(r, 100));
  await page.evaluate(() => { window.__idbWrites = []; });
  await page.getByTestId('mail-keep').selectOption('delete');
  await page.getByTestId('mail-password').fill('bob-password');
  await page.getByTestId('mail-check').click();
  // Storage the browser may clear: the page asks before anything is deleted on the server.
  await page.getByTestId('mail-confirm-delete').waitFor({ timeout: 20000 });
  assert.match(await status(), /has not promised to keep downloaded mail.*Nothing was downloaded or deleted yet/);
  assert.equal(await serverCount(), 4);
  await page.getByRole('button', { name: DELETE_ANYWAY }).click();
  await waitStatus(/^\d+ new messages?; \d+ deleted from the server/);
  assert.equal(await status(), '1 new message; 4 deleted from the server; 0 left there.');
  await itemCount(4);
  assert.equal(await serverCount(), 0);
  // Every write that came before a deletion asked for durable storage.
  const writes = await page.evaluate(() => window.__idbWrites);
  assert.ok(writes.length >= 1 && writes.every((w) => w === 'strict'), JSON.stringify(writes));
  // Reloaded right after the deletions: every message is here.
  await page.reload();
  await page.getByTestId('mail-page').waitFor();
  await itemCount(4);
  assert.match(await page.getByTestId('mail-usage').textContent(), /storage not persistent/);
  assert.deepEqual(errors, []);
});

test('"keep them on the server this time" downloads and deletes nothing', async () => {
  await start(['pop-kept'], { keep: 'delete' });
  await check(/new message/, KEEP_THIS_TIME);
  assert.equal(await status(), '1 new message; 0 deleted from the server; 1 left there.');
  assert.equal(await serverCount(), 1);
  // The next check (deleting anyway) removes it from the server: it is stored here.
  await check(/^0 new messages; 1 deleted/, DELETE_ANYWAY);
  assert.equal(await serverCount(), 0);
  await items().filter({ hasText: 'pop-kept' }).getByTestId('mail-delete-local').click();
  await itemCount(0);
});

/** Puts a message straight into bob's mailbox (Postfix would refuse it: the test servers
 *  accept 1 MB at most). */
function saveToBob(subject, megabytes) {
  const state = process.env.STATE ?? '/tmp/mailscope-mail';
  const lines = [];
  const body = randomBytes(megabytes * 1024 * 1024 * 3 / 4).toString('base64');
  for (let i = 0; i < body.length; i += 76) lines.push(body.slice(i, i + 76));
  const message = `From: carol@sender.test\r\nTo: bob@example.test\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nA big one.\r\n--b\r\n` +
    `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n` +
    `Content-Disposition: attachment; filename="big.bin"\r\n\r\n${lines.join('\r\n')}\r\n--b--\r\n`;
  execFileSync('doveadm', ['-c', `${state}/dovecot.conf`, 'save', '-u', 'bob@example.test'], { input: message });
}

test('a connection lost in the middle of a 20 MB download loses nothing and fetches nothing twice', async () => {
  await start([], { keep: 'delete' });
  saveToBob('twenty-megabytes', 20);
  assert.equal(await serverCount(), 1);
  await page.getByTestId('mail-check').click();
  // Asked before deleting; then progress shows; then the proxy dies mid-RETR.
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !(Number(await page.getByTestId('mail-progress').getAttribute('value', { timeout: 100 }).catch(() => 0)) > 0)) {
    for (const name of [DELETE_ANYWAY]) {
      const b = page.getByRole('button', { name });
      if (await b.isVisible().catch(() => false)) await b.click();
    }
    if (await page.getByTestId('mail-trust').isVisible().catch(() => false)) await page.getByTestId('mail-trust').click();
    await page.waitForTimeout(50);
  }
  const listen = new URL(proxy.url).host;
  await proxy.crash();
  await waitStatus(/^Checking mail failed/);
  assert.match(await status(), /Nothing was deleted from the server unless it is stored here/);
  assert.equal(await serverCount(), 1, 'Dovecot still holds the message');
  assert.equal(await items().count(), 0, 'nothing half-stored');

  proxy = await startProxy(allowed(), listen);
  await check(/new message/, DELETE_ANYWAY);
  assert.equal(await status(), '1 new message; 1 deleted from the server; 0 left there.');
  await itemCount(1);
  assert.equal(await serverCount(), 0);
  await page.getByTestId('mail-open').filter({ hasText: 'twenty-megabytes' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=subject]')?.textContent === 'twenty-megabytes', null, { timeout: 30000 });
  assert.deepEqual(errors, []);
});

test('STARTTLS, and a transcript with the password hidden and each reply explained', async () => {
  await start(['pop-five'], { port: 10110, security: 'starttls' });
  await untrust(10110);
  await page.getByTestId('mail-check').click();
  await page.getByTestId('mail-untrusted').waitFor({ timeout: 20000 });
  await page.getByTestId('mail-trust').click();
  await waitStatus(/^1 new message; 0 deleted/);
  assert.equal(await status(), '1 new message; 0 deleted from the server; 1 left there.');
  await itemCount(1);
  const transcript = await page.getByTestId('mail-transcript').textContent();
  assert.match(transcript, /C: STLS/);
  assert.match(transcript, /C: AUTH PLAIN \*\*\*/);
  assert.match(transcript, /S: \+OK.* — accepted/);
  assert.doesNotMatch(transcript, /bob-password|Ym9iLXBhc3N3b3Jk/);
});

test('search, one .mbox of everything, and deleting here only', async () => {
  await start(['pop-one', 'pop-two', 'pop-three']);
  await check(/^3 new messages/);
  await itemCount(3);
  await page.getByTestId('mail-search').fill('pop-t');
  await itemCount(2);
  await page.getByTestId('mail-search').fill('');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('mail-export-mbox').click()]);
  const mbox = readFileSync(await download.path(), 'latin1');
  assert.equal(mbox.match(/^From MAILER-DAEMON /gm).length, 3);
  assert.match(mbox, /Subject: pop-two/);

  await items().filter({ hasText: 'pop-one' }).getByTestId('mail-delete-local').click();
  await itemCount(2);
  assert.equal(await serverCount(), 3, 'deleting here does not touch the server');
});

test('"delete after some days" deletes from the server what is stored long enough', async () => {
  await start(['pop-old']);
  await check(/^1 new message/);
  await page.getByTestId('mail-keep').selectOption('days');
  await page.getByTestId('mail-days').fill('0');
  await check(/^0 new messages; 1 deleted/, DELETE_ANYWAY);
  assert.equal(await status(), '0 new messages; 1 deleted from the server; 0 left there.');
  assert.equal(await serverCount(), 0);
  assert.match(await page.getByTestId('mail-usage').textContent(), /^Stored in this browser: [\d.]+ (KB|MB) of [\d.]+ (KB|MB) available\. The browser may clear it/);
  assert.deepEqual(errors, []);
});

test('when this browser\'s storage is full, the check stops and nothing is deleted', async () => {
  await start([], { keep: 'delete' });
  saveToBob('no-room-for-this', 1);
  assert.equal(await serverCount(), 1);
  // IndexedDB refuses the write as a full disk does (QuotaExceededError).
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    window.__restorePut = () => { IDBObjectStore.prototype.put = put; };
    IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await check(/^Checking mail failed/, DELETE_ANYWAY);
  assert.match(await status(), /storage for this site is full.*Nothing was deleted from the server/);
  assert.equal(await serverCount(), 1, 'the server keeps the message');
  assert.equal(await items().count(), 0);

  await page.evaluate(() => window.__restorePut());
  await check(/^1 new message; 1 deleted/, DELETE_ANYWAY);
  assert.equal(await serverCount(), 0);
});

test('a server that offers APOP gets a digest, never the password', async () => {
  await start();
  await page.getByTestId('mail-security').selectOption('none');
  await page.getByTestId('mail-port').fill(String(apop.port));
  await page.getByTestId('mail-user').fill('apop-user');
  await page.getByTestId('mail-password').fill('tanstaaf');
  await page.getByTestId('mail-check').click();
  await waitStatus(/^1 new message; 0 deleted/);
  await itemCount(1);
  const transcript = await page.getByTestId('mail-transcript').textContent();
  assert.match(transcript, /C: APOP apop-user \*\*\*/);
  assert.doesNotMatch(transcript, /tanstaaf|PASS/);
});
