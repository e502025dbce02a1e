// The mail app with a POP3 account ("download to this browser"), against the real Dovecot
// through the real proxy: the account is added with Type POP3 and "delete once stored",
// its mail is downloaded into this browser and listed "On this device", a message opens by
// its URL, the server is emptied only of what is stored; after a reload the stored mail is
// there again once the password is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startProxy } from './fixtures/servers.mjs';
import { converse, deliver } from './fixtures/mailbox.mjs';
import { launch } from './fixtures/browser.mjs';
import { fillAccount, statusText, trustUntil } from './fixtures/mailapp.mjs';

const tag = `pop-${process.pid}-${Date.now()}`;
const USER = 'carol@example.test';
const PASSWORD = 'carol-password';
let proxy, context, page;
const errors = [];

/** Carol's message count on the server, over plain POP3 (loopback only). */
async function onServer() {
  const m = await converse(10110, [
    [null, /^\+OK.*\r\n/m], [`USER ${USER}\r\n`, /\+OK.*\r\n/], [`PASS ${PASSWORD}\r\n`, /\+OK.*\r\n/],
    ['STAT\r\n', /\+OK (\d+) \d+\r\n/], ['QUIT\r\n', /\+OK.*\r\n/],
  ]);
  return Number(m[3][1]);
}

async function emptyCarol() {
  const n = await onServer();
  const steps = [[null, /^\+OK.*\r\n/m], [`USER ${USER}\r\n`, /\+OK.*\r\n/], [`PASS ${PASSWORD}\r\n`, /\+OK.*\r\n/]];
  for (let i = 1; i <= n; i++) steps.push([`DELE ${i}\r\n`, /[+-](OK|ERR).*\r\n/]);
  steps.push(['QUIT\r\n', /\+OK.*\r\n/]);
  await converse(10110, steps);
}

before(async () => {
  await emptyCarol();
  await deliver(`${tag}-one`, 'The first one.', USER);
  await deliver(`${tag}-two`, 'The second one.', USER);
  for (let i = 0; i < 100 && (await onServer()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
  proxy = await startProxy(['127.0.0.1:10995', '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
});
after(async () => {
  await context?.close();
  proxy?.close();
});


/** Adds carol's POP3 account (delete once stored) and waits until both messages are listed
 *  on "On this device"; the page is then where a new account lands. */
async function addCarol() {
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, USER, PASSWORD, { incoming: '10995', pop3: true, serverCopy: 'Delete them once stored here' });
  const list = page.getByRole('list', { name: 'Messages' });
  await trustUntil(page, list, 'the list of mail on this device', { errors });
  await page.waitForURL(/\/mail\/carol@example\.test\/device$/);
  const first = page.getByRole('listitem', { name: new RegExp(`${tag}-one`) });
  // Headless Chromium may not promise persistent storage: the app then asks before deleting.
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !(await first.isVisible())) {
    const anyway = page.getByRole('button', { name: 'Download, then delete on the server anyway' });
    if (await anyway.isVisible().catch(() => false)) await anyway.click();
    const trust = page.getByRole('button', { name: /^Trust/ });
    if (await trust.isVisible().catch(() => false)) await trust.click();
    await page.waitForTimeout(200);
  }
  await first.waitFor({ timeout: 1000 }).catch(async () => { throw new Error(`no message listed; the page says: ${await statusText(page)}`); });
  await page.getByRole('listitem', { name: new RegExp(`${tag}-two`) }).waitFor();
}

/** Carol's "On this device" signed in, as the first test leaves it (added when it is not). */
async function onDevice() {
  if (!(await page.getByRole('link', { name: 'On this device' }).isVisible().catch(() => false))) await addCarol();
}

test('a POP3 account: mail downloaded into this browser, then removed from the server', async () => {
  await addCarol();
  const first = page.getByRole('listitem', { name: new RegExp(`${tag}-one`) });
  await page.getByText(/2 new messages; 2 deleted from the server; 0 left there/).waitFor({ timeout: 20000 });
  assert.equal(await onServer(), 0, 'stored here, so gone from the server');
  // Folders pane: "On this device", no server folders.
  const folders = page.getByRole('navigation', { name: 'Folders' });
  assert.ok(await folders.getByRole('link', { name: 'On this device' }).isVisible());
  await first.getByRole('button').click();
  await page.waitForURL(/\/device\/m\/[^/]+$/);
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: `${tag}-one` }).waitFor();
  assert.match(await reading.textContent(), /The first one\./);
  assert.ok(await reading.getByRole('button', { name: 'Reply', exact: true }).isVisible());
});

test('after a reload the stored mail is there once the password is given; deleting here is local', async () => {
  await onDevice();
  await page.getByRole('listitem', { name: new RegExp(`${tag}-one`) }).getByRole('button').click();
  await page.waitForURL(/\/device\/m\/[^/]+$/);
  const url = page.url();
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: `${tag}-one` }).waitFor({ timeout: 20000 });
  assert.equal(page.url(), url);
  await reading.getByRole('button', { name: 'Delete from this browser' }).click();
  await page.waitForURL(/\/device$/);
  await page.getByRole('listitem', { name: new RegExp(`${tag}-one`) }).waitFor({ state: 'detached' });
  await page.getByRole('listitem', { name: new RegExp(`${tag}-two`) }).waitFor();
  // The header's search filters what is stored here.
  await page.getByRole('searchbox', { name: 'Search this folder' }).fill('nothing-like-this');
  await page.getByRole('searchbox', { name: 'Search this folder' }).press('Enter');
  await page.getByText('No stored message matches.').waitFor();
  assert.deepEqual(errors, []);
});

/** A message of about `megabytes` MB put straight into carol's mailbox. */
function saveToCarol(subject, megabytes) {
  const state = process.env.STATE ?? '/tmp/mailscope-mail';
  const body = randomBytes(megabytes * 1024 * 1024 * 3 / 4).toString('base64').match(/.{1,76}/g).join('\r\n');
  const message = `From: bob@sender.test\r\nTo: ${USER}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n`
    + `Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nA big one.\r\n--b\r\n`
    + `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n`
    + `Content-Disposition: attachment; filename="big.bin"\r\n\r\n${body}\r\n--b--\r\n`;
  execFileSync('doveadm', ['-c', `${state}/dovecot.conf`, 'save', '-u', USER], { input: message });
}

test('a connection lost in the middle of a 20 MB download loses nothing; the next check fetches it once', async () => {
  await onDevice();
  const subject = `${tag}-twenty-megabytes`;
  await page.getByRole('searchbox', { name: 'Search this folder' }).fill('');
  await page.getByRole('searchbox', { name: 'Search this folder' }).press('Enter');
  const items = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
  await items.first().waitFor();
  const before = await items.count();
  saveToCarol(subject, 20);
  assert.equal(await onServer(), 1);
  const checkMail = async () => {
    await page.getByRole('button', { name: 'Check mail' }).click();
    await page.getByRole('button', { name: 'Download, then delete on the server anyway' }).click({ timeout: 20000 });
  };
  await checkMail();
  // Progress shows; then the proxy dies in the middle of RETR.
  await page.waitForFunction(() => Number(document.querySelector('progress[aria-label=Downloading]')?.value) > 0, null, { timeout: 30000 });
  const listen = new URL(proxy.url).host;
  await proxy.crash();
  await page.getByText(/^Checking mail failed/).waitFor({ timeout: 30000 })
    .catch(async () => { throw new Error(`no failure said; the page says: ${await statusText(page)}`); });
  assert.match(await statusText(page), /Nothing was deleted from the server unless it is stored here/);
  assert.equal(await onServer(), 1, 'Dovecot still holds the message');
  assert.equal(await items.count(), before, 'nothing half-stored');

  proxy = await startProxy(['127.0.0.1:10995', '127.0.0.1:10465'], listen);
  await checkMail();
  await page.getByText('1 new message; 1 deleted from the server; 0 left there.').waitFor({ timeout: 60000 })
    .catch(async () => { throw new Error(`the second check did not finish; the page says: ${await statusText(page)}`); });
  assert.equal(await items.count(), before + 1);
  assert.equal(await onServer(), 0);
  await page.getByRole('listitem', { name: new RegExp(subject) }).getByRole('button').click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: subject }).waitFor({ timeout: 30000 });
  assert.deepEqual(errors, []);
});
