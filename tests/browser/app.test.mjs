// The web mail app (/mail/) as a person meets it, by role and name only, against the real
// Dovecot and Postfix through the real proxy: an account added with its address and
// password (manual settings pointed at the test servers, as for a domain the table does not
// know), three panes at 1280 px, a message opened by its own URL, a message written to bob
// without entering any server, drafts saved by themselves, a reload that asks only for the
// password and lands on the same message, Back to the list; then the same at 390 px.
// Each test after the first signs in itself when the page is not signed in: any runs alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { deliver, imapSearch, takeMessages } from './fixtures/mailbox.mjs';
import { launch } from './fixtures/browser.mjs';
import { fillAccount, messageList, statusText, trustUntil as trustUntilOn } from './fixtures/mailapp.mjs';

const tag = `app-${process.pid}-${Date.now()}`;
let proxy, context, page;
const errors = [];

before(async () => {
  await deliver(`${tag}-hello`, 'Hello from the test.');
  proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const status = () => statusText(page);
const trustUntil = (done, what, timeout) => trustUntilOn(page, done, what, { timeout, errors });

/** Signed in to alice at 1280 px with INBOX open, as the first test leaves the page. */
async function inInbox() {
  await page.setViewportSize({ width: 1280, height: 800 });
  const folders = page.getByRole('navigation', { name: 'Folders' });
  if (!(await folders.isVisible().catch(() => false))) {
    await page.goto(`${proxy.url}mail/setup`);
    await fillAccount(page, 'alice@example.test', 'alice-password');
    await trustUntil(messageList(page), 'the list of alice');
  }
  await folders.getByRole('link', { name: /^Inbox/ }).click();
  await page.waitForURL(/\/f\/INBOX$/);
}

test('an account is added with its address and password; three panes side by side', async () => {
  await page.goto(`${proxy.url}mail/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByRole('heading', { name: 'Add an account' }).waitFor();
  await page.getByLabel('E-mail address').fill('alice@example.test');
  await page.getByLabel('Password', { exact: true }).fill('alice-password');
  // example.test is in no table: its usual names are offered, and corrected by hand here.
  assert.match(await status(), /usual server names/);
  await page.getByRole('button', { name: 'Manual settings' }).click();
  const incoming = page.getByRole('group', { name: 'Incoming mail' });
  const outgoing = page.getByRole('group', { name: 'Outgoing mail' });
  assert.equal(await incoming.getByLabel('Server', { exact: true }).inputValue(), 'imap.example.test');
  assert.equal(await outgoing.getByLabel('Server', { exact: true }).inputValue(), 'smtp.example.test');
  await incoming.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await incoming.getByLabel('Port', { exact: true }).fill('10993');
  await incoming.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
  await outgoing.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await outgoing.getByLabel('Port', { exact: true }).fill('10465');
  await outgoing.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
  await page.getByRole('button', { name: 'Add account' }).click();
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await trustUntil(folders, 'the folder pane');
  await page.waitForURL(/\/mail\/alice@example\.test\/f\/INBOX$/);
  const list = page.getByRole('list', { name: 'Messages' });
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await list.waitFor();
  const boxes = await Promise.all([folders, list, reading].map((l) => l.boundingBox()));
  assert.ok(boxes.every(Boolean), 'all three panes are shown');
  assert.ok(boxes[0].x + boxes[0].width <= boxes[1].x + 1 && boxes[1].x + boxes[1].width <= boxes[2].x + 1, `side by side: ${JSON.stringify(boxes)}`);
  assert.ok(boxes.every((b) => b.width > 150), JSON.stringify(boxes));
  // Remembered without its password.
  const stored = await page.evaluate(() => localStorage.getItem('mailscope.accounts'));
  assert.match(stored, /alice@example\.test/);
  assert.doesNotMatch(stored, /alice-password/);
});

test('a message opens by its URL in the reading pane; the list stays', async () => {
  await inInbox();
  const row = page.getByRole('listitem', { name: new RegExp(`${tag}-hello`) });
  await row.waitFor({ timeout: 20000 });
  await row.getByRole('button', { name: new RegExp(`${tag}-hello`) }).click();
  await page.waitForURL(/\/f\/INBOX\/m\/\d+\/\d+$/);
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByText('Hello from the test.').waitFor({ timeout: 20000 }).catch(async () => {
    // The body renders inside a sandboxed frame: read it there.
    const frame = page.frameLocator('iframe').first();
    await frame.getByText('Hello from the test.').waitFor({ timeout: 10000 });
  });
  assert.ok(await row.isVisible(), 'the list still shows');
  assert.ok(await reading.getByRole('button', { name: 'Reply', exact: true }).isVisible());
});

test('Write to bob without entering a server: it arrives, and a copy is in Sent', async () => {
  await inInbox();
  await page.getByRole('button', { name: 'Write' }).click();
  await page.waitForURL(/\/write$/);
  const dialog = page.getByRole('dialog', { name: 'Write a message' });
  await dialog.getByLabel('To').fill('bob@example.test');
  await dialog.getByLabel('Subject').fill(`${tag}-to-bob`);
  await dialog.getByLabel('Message').fill('Written in the app.');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await trustUntil(page.getByText(/A copy is in Sent/), 'the copy in Sent', 40000);
  const got = await takeMessages('bob@example.test', 'bob-password', `${tag}-to-bob`, 20);
  assert.equal(got.length, 1, 'bob got it');
  assert.match(got[0], /^From: .*alice@example\.test/m);
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'Sent', `SUBJECT "${tag}-to-bob"`)).length, 1);
});

test('drafts save by themselves, and a closed draft is taken up again', async () => {
  await inInbox();
  await page.getByRole('button', { name: 'Write' }).click();
  const dialog = page.getByRole('dialog', { name: 'Write a message' });
  await dialog.getByLabel('Subject').fill(`${tag}-draft`);
  await dialog.getByLabel('Message').fill('Half written.');
  await dialog.getByText(/Draft saved in Drafts/).waitFor({ timeout: 20000 });
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'Drafts', `SUBJECT "${tag}-draft"`)).length, 1);
  await dialog.getByLabel('Message').fill('Half written, and more.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Saved again on closing, replacing the first save: one draft, the newer text.
  const deadline = Date.now() + 15000;
  let uids = [];
  while (Date.now() < deadline) {
    uids = await imapSearch('alice@example.test', 'alice-password', 'Drafts', `SUBJECT "${tag}-draft" BODY "and more"`);
    if (uids.length) break;
    await page.waitForTimeout(250);
  }
  assert.equal(uids.length, 1, 'the draft on closing has the newer text');
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'Drafts', `SUBJECT "${tag}-draft"`)).length, 1, 'and replaced the first save');
  // Reopened from Drafts, it continues.
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Drafts/ }).click();
  const row = page.getByRole('listitem', { name: new RegExp(`${tag}-draft`) });
  await row.waitFor({ timeout: 20000 });
  await row.getByRole('button', { name: new RegExp(`${tag}-draft`) }).click();
  await page.getByRole('button', { name: 'Continue this draft' }).click();
  const again = page.getByRole('dialog', { name: 'Write a message' });
  assert.equal(await again.getByLabel('Subject').inputValue(), `${tag}-draft`);
  assert.match(await again.getByLabel('Message').inputValue(), /Half written, and more\./);
  await again.getByRole('button', { name: 'Close' }).click();
  await again.waitFor({ state: 'detached' });
});

test('a reload on an open message asks only for the password, then shows it; Back returns to the list', async () => {
  await inInbox();
  const row = page.getByRole('listitem', { name: new RegExp(`${tag}-hello`) });
  await row.waitFor({ timeout: 20000 });
  await row.getByRole('button', { name: new RegExp(`${tag}-hello`) }).click();
  await page.waitForURL(/\/f\/INBOX\/m\/\d+\/\d+$/);
  const url = page.url();
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByLabel('E-mail address').count(), 0, 'no address or server is asked for');
  await page.getByLabel('Password').fill('alice-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('button', { name: 'Reply', exact: true }).waitFor({ timeout: 30000 });
  assert.equal(page.url(), url, 'the same view');
  assert.match(await reading.textContent(), new RegExp(`${tag}-hello`));
  await page.goBack();
  await page.waitForURL(/\/f\/INBOX$/);
  await page.getByRole('listitem', { name: new RegExp(`${tag}-hello`) }).waitFor();
});

test('at 390 px: one pane at a time, Back goes up, every control named', async () => {
  await inInbox();
  await page.setViewportSize({ width: 390, height: 844 });
  const list = page.getByRole('list', { name: 'Messages' });
  await list.waitFor();
  assert.equal(await page.getByRole('region', { name: 'Message', exact: true }).isVisible(), false, 'the reading pane is not beside the list');
  const row = page.getByRole('listitem', { name: new RegExp(`${tag}-hello`) });
  await row.getByRole('button', { name: new RegExp(`${tag}-hello`) }).click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('button', { name: 'Reply', exact: true }).waitFor({ timeout: 20000 });
  assert.equal(await list.isVisible(), false, 'the list is not beside the message');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await list.waitFor();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ }).waitFor();
  assert.equal(await list.isVisible(), false);
  // Every button, link and field on screen has a name.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, a, input, select, textarea')]
    .filter((e) => e.offsetParent !== null && e.getAttribute('aria-hidden') !== 'true' && e.type !== 'hidden')
    .filter((e) => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim() || e.title))
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(errors, []);
});
