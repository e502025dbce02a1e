// The mail app with a POP3 account ("download to this browser"), against the real Dovecot
// through the real proxy: the account is added with Type POP3 and "delete once stored",
// its mail is downloaded into this browser and listed "On this device", a message opens by
// its URL, the server is emptied only of what is stored; after a reload the stored mail is
// there again once the password is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { converse, deliver } from './fixtures/mailbox.mjs';
import { launch } from './fixtures/browser.mjs';

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

const status = () => page.getByRole('status').allTextContents().then((t) => t.join(' | '));

async function trustUntil(done, what, timeout = 40000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await done.isVisible().catch(() => false)) return;
    const trust = page.getByRole('button', { name: /^Trust/ });
    if (await trust.isVisible().catch(() => false)) await trust.click();
    await page.waitForTimeout(200);
  }
  throw new Error(`${what} never came; the page says: ${await status()}; errors: ${errors.join(' | ')}`);
}

test('a POP3 account: mail downloaded into this browser, then removed from the server', async () => {
  await page.goto(`${proxy.url}mail/setup`);
  await page.getByLabel('E-mail address').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Manual settings' }).click();
  const incoming = page.getByRole('group', { name: 'Incoming mail' });
  await incoming.getByLabel('Type', { exact: true }).selectOption({ label: 'POP3: download to this browser' });
  await incoming.getByLabel('On the server', { exact: true }).selectOption({ label: 'Delete them once stored here' });
  await incoming.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await incoming.getByLabel('Port', { exact: true }).fill('10995');
  await incoming.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
  const outgoing = page.getByRole('group', { name: 'Outgoing mail' });
  await outgoing.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await outgoing.getByLabel('Port', { exact: true }).fill('10465');
  await outgoing.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
  await page.getByRole('button', { name: 'Add account' }).click();
  const list = page.getByRole('list', { name: 'Messages' });
  await trustUntil(list, 'the list of mail on this device');
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
  await first.waitFor({ timeout: 1000 }).catch(async () => { throw new Error(`no message listed; the page says: ${await status()}`); });
  await page.getByRole('listitem', { name: new RegExp(`${tag}-two`) }).waitFor();
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
