// The mail app's shell doing, by role and name, what the workbench's tests check on its
// forms, against the real Dovecot through the real proxy: new mail appears by itself (IDLE)
// with the unread count in the tab's title; the list works from the keyboard; Archive from
// the reading pane, confirmed from a second connection; a search has its own address and
// "Show all" leaves it; a second account added from the switcher, each account's INBOX
// count in the switcher; the compact list; two tabs on two folders; a message address
// whose message is gone; IDLE ended and started again on a timer set by the first address.
// Each test brings its own messages and starts from the list it needs: any one runs alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { appendMessage, deliver, imapSearch } from './fixtures/mailbox.mjs';
import { launch } from './fixtures/browser.mjs';
import { fillAccount, messageList, signedIn, statusText, trustUntil } from './fixtures/mailapp.mjs';

const tag = `live-${process.pid}-${Date.now()}`;
let proxy, context, page;
const errors = [];

before(async () => {
  proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${proxy.url}mail/setup`);
  await addAccount('alice@example.test', 'alice-password');
});
after(async () => {
  await context?.close();
  proxy?.close();
});


/** Adds an account on the setup page, with the test servers set by hand. */
async function addAccount(address, password) {
  await fillAccount(page, address, password);
  await trustUntil(page, messageList(page), `the list of ${address}`, { errors });
}

const row = (text) => page.getByRole('listitem', { name: new RegExp(text) });

/** Back to alice's INBOX list from wherever the page is (its link in the folders pane). */
async function toInbox() {
  if (!/\/mail\/(alice@example\.test\/)?f\/INBOX$/.test(page.url())) {
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ }).click();
  }
  await page.waitForURL(/\/f\/INBOX$/);
  await messageList(page).waitFor({ timeout: 20000 });
}

/** Delivers a message to alice and waits until its row is in the list. */
async function arrives(subject, body) {
  await toInbox();
  await deliver(subject, body);
  await row(subject).waitFor({ timeout: 30000 });
}

test('new mail appears by itself, with the unread count in the title', async () => {
  await arrives(`${tag}-arrives`, 'Pushed by IDLE.');
  assert.match(await page.title(), /^\(\d+\) Mail · Mailscope$/);
});

test('the list from the keyboard: the first row, Enter opens it by its address', async () => {
  await arrives(`${tag}-keys`, 'Newest: the first row.');
  const list = page.getByRole('list', { name: 'Messages' });
  await page.getByLabel(/^Message list: j and k/).focus();
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/f\/INBOX\/m\/\d+\/\d+$/);
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: `${tag}-keys` }).waitFor({ timeout: 20000 });
  assert.ok(await list.isVisible());
  // Read as a person reads it: seen on the server.
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && (await imapSearch('alice@example.test', 'alice-password', 'INBOX', `SEEN SUBJECT "${tag}-keys"`)).length === 0) await page.waitForTimeout(200);
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'INBOX', `SEEN SUBJECT "${tag}-keys"`)).length, 1, 'marked seen');
});

test('Archive from the reading pane: back to the list, the message in Archive', async () => {
  const subject = `${tag}-archived`;
  await arrives(subject, 'To be archived.');
  await row(subject).getByRole('button').first().click();
  await page.waitForURL(/\/f\/INBOX\/m\/\d+\/\d+$/);
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: subject }).waitFor({ timeout: 20000 });
  await reading.getByRole('button', { name: 'Archive' }).click();
  await page.waitForURL(/\/f\/INBOX$/);
  await row(subject).waitFor({ state: 'detached', timeout: 20000 });
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'INBOX', `SUBJECT "${subject}"`)).length, 0);
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'Archive', `SUBJECT "${subject}"`)).length, 1);
});

test('a search has its own address; "Show all" leaves it', async () => {
  await arrives(`${tag}-hay`, 'Not found.');
  await arrives(`${tag}-find-me`, 'Needle.');
  const search = page.getByRole('searchbox', { name: 'Search this folder' });
  await search.fill(`${tag}-find`);
  await search.press('Enter');
  await page.waitForURL(/\/f\/INBOX\?q=/);
  await page.getByRole('heading', { name: new RegExp(`“${tag}-find” in Inbox`) }).waitFor();
  // Only what matches, once the server's answer is in.
  await page.waitForFunction(() => document.querySelectorAll('[role=listitem]').length === 1, null, { timeout: 20000 })
    .catch(async () => { throw new Error(`the search shows ${await page.getByRole('listitem').count()} rows; the page says: ${await statusText(page)}`); });
  await row(`${tag}-find-me`).waitFor();
  await page.getByRole('button', { name: 'Show all' }).click();
  await page.waitForURL(/\/f\/INBOX$/);
  await page.waitForFunction(() => document.querySelectorAll('[role=listitem]').length > 1, null, { timeout: 20000 });
});

test('a second account from the switcher; each INBOX count in the switcher', async () => {
  await arrives(`${tag}-before-bob`, 'Still here after switching.');
  await page.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Add an account…' });
  await page.getByRole('heading', { name: 'Add an account' }).waitFor();
  await addAccount('bob@example.test', 'bob-password');
  await page.waitForURL(/\/mail\/bob@example\.test\/f\/INBOX$/);
  const options = await page.getByRole('combobox', { name: 'Account' }).locator('option').allTextContents();
  assert.ok(options.some((o) => /^alice@example\.test( \(\d+\))?$/.test(o)), options.join(', '));
  assert.ok(options.some((o) => /^bob@example\.test( \(\d+\))?$/.test(o)), options.join(', '));
  // Back to alice: still signed in, no password asked.
  await page.getByRole('combobox', { name: 'Account' }).selectOption({ value: 'alice@example.test' });
  await page.waitForURL(/\/mail\/alice@example\.test\/f\/INBOX$/);
  await row(`${tag}-before-bob`).waitFor({ timeout: 20000 });
  assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0);
  assert.deepEqual(errors, []);
});

test('the list can be compact: one line per message, remembered', async () => {
  await arrives(`${tag}-dense-1`, 'One.');
  await arrives(`${tag}-dense-2`, 'Two.');
  const messages = page.getByRole('list', { name: 'Messages' });
  const comfortable = (await messages.getByRole('listitem').first().boundingBox()).height;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Message list density' }).selectOption({ label: 'Compact: one line per message' });
  await page.goBack();
  await page.waitForURL(/\/f\/INBOX$/);
  await messages.getByRole('listitem').first().waitFor();
  const compact = (await messages.getByRole('listitem').first().boundingBox()).height;
  assert.ok(compact < comfortable, `compact rows (${compact}px) are lower than comfortable ones (${comfortable}px)`);
  // Rows still line up with the scroll: the second row starts where the first ends.
  const [a, b] = await Promise.all([0, 1].map((i) => messages.getByRole('listitem').nth(i).boundingBox()));
  assert.equal(Math.round(b.y - a.y), Math.round(compact));
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('mailscope.density'))), 'compact');
  await page.evaluate(() => localStorage.removeItem('mailscope.density'));
});

test('two tabs on two folders: each shows its own, with its own session', async () => {
  const archived = `${tag}-in-archive`;
  await appendMessage('alice@example.test', 'alice-password', 'Archive',
    `From: Bob <bob@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: ${archived}\r\nMessage-ID: <${archived}@example.test>\r\n\r\nKept in Archive.\r\n`);
  await toInbox();
  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 800 });
  await other.goto(`${proxy.url}mail/alice@example.test/f/Archive`);
  await other.getByLabel('Password').fill('alice-password');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByRole('heading', { name: 'Archive', exact: true }).waitFor({ timeout: 30000 });
  await other.getByRole('listitem', { name: new RegExp(archived) }).waitFor({ timeout: 20000 });
  // The first tab still shows INBOX, and still works: a new message appears there.
  assert.match(page.url(), /\/f\/INBOX$/);
  await deliver(`${tag}-second-tab`, 'Both tabs live.');
  await row(`${tag}-second-tab`).waitFor({ timeout: 30000 });
  assert.equal(await other.getByRole('listitem', { name: new RegExp(`${tag}-second-tab`) }).count(), 0, 'not in Archive');
  await other.close();
});

test('a message address whose message is gone says so in the reading pane', async () => {
  await arrives(`${tag}-there`, 'Its neighbour is gone.');
  const messages = page.getByRole('list', { name: 'Messages' });
  await row(`${tag}-there`).getByRole('button').first().click();
  await page.waitForURL(/\/f\/INBOX\/m\/\d+\/\d+$/);
  const gone = page.url().replace(/\/\d+$/, '/4000000000');
  await page.goto(gone);
  await page.getByLabel('Password').fill('alice-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByText(/It could not be opened: .*no longer in INBOX/).waitFor({ timeout: 30000 });
  assert.ok(await messages.isVisible(), 'the list is still there to choose from');
});

test('IDLE is ended and started again on its timer, set by the address the app was opened with', async () => {
  // Every 3 s here (25 minutes otherwise); the app's own navigation drops the query, the
  // setting stays.
  const s = await signedIn({ query: '?idle_seconds=3' });
  try {
    assert.doesNotMatch(s.page.url(), /idle_seconds/);
    await s.page.getByRole('link', { name: 'Settings' }).click();
    const transcript = s.page.getByTestId('imap-transcript');
    await transcript.waitFor({ state: 'attached', timeout: 10000 });
    const idles = async () => ((await transcript.textContent()).match(/C: \S+ IDLE/g) ?? []).length;
    const first = await idles();
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && (await idles()) < first + 2) await s.page.waitForTimeout(250);
    const said = await transcript.textContent();
    assert.ok((await idles()) >= first + 2, `two more IDLEs within 20 s (from ${first}): ${said.slice(-600)}`);
    assert.match(said, /C: DONE[\s\S]*C: \S+ IDLE/, 'each IDLE ended by DONE before the next');
    assert.deepEqual(s.errors, []);
  } finally {
    await s.context.close();
    s.proxy.close();
  }
});
