// The mail app keeps what it has seen of an IMAP account in this browser (IndexedDB), driven
// by role and accessible name against the real Dovecot through the real proxy, each result
// checked from a second connection: a folder reopened gets only the changes (QRESYNC); a
// folder rebuilt elsewhere (new UIDVALIDITY) is dropped and read again; with the proxy
// stopped and the page reloaded, the kept folder and message are shown, marked offline,
// searched, and a message marked read, another moved and one written meanwhile reach
// Dovecot and bob when the proxy is back (one deleted elsewhere meanwhile is reported);
// conversations by THREAD and, offline, threaded here; the limit for kept messages drops
// the least recently opened first, and "Clear what is kept" empties it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { appendMessage, converse, fillFolder, imapSearch, takeMessages } from './fixtures/mailbox.mjs';
import { fillAccount, messageList, statusText, trustUntil, waitStatus as waitStatusOn } from './fixtures/mailapp.mjs';
import { startProxy } from './fixtures/servers.mjs';
import { launch } from './fixtures/browser.mjs';

const USER = 'alice@example.test';
const PW = 'alice-password';
const tag = `acache-${process.pid}-${Date.now()}`;
const KEPT = `${tag}-kept`;
const REBUILT = `${tag}-rebuilt`;
const BIG = `${tag}-big`;
const THREAD = `${tag}-thread`;
let proxy, listen, context, page;
const errors = [];

/** A free port on loopback, for a proxy that must come back at the same address. */
async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

const ALLOW = ['127.0.0.1:10993', '127.0.0.1:10465'];

before(async () => {
  await fillFolder(USER, PW, KEPT, 8, KEPT);
  await fillFolder(USER, PW, REBUILT, 3, `${REBUILT}-old`);
  // An opening and five replies, each referring to all before it, and two of their own.
  await fillFolder(USER, PW, THREAD, 0, THREAD);
  const ids = [];
  for (let n = 1; n <= 6; n++) {
    const id = `<${THREAD}-${n}@example.test>`;
    const refs = ids.length ? `In-Reply-To: ${ids.at(-1)}\r\nReferences: ${ids.join(' ')}\r\n` : '';
    await appendMessage(USER, PW, THREAD, `From: Ann <ann@example.test>\r\nTo: ${USER}\r\nSubject: ${n === 1 ? '' : 'Re: '}${THREAD} plans\r\n` +
      `Date: Mon, ${n} Nov 2026 10:00:00 +0000\r\nMessage-ID: ${id}\r\n${refs}\r\nPart ${n} of the plans.\r\n`);
    ids.push(id);
  }
  for (const n of [7, 8]) {
    await appendMessage(USER, PW, THREAD, `From: Bob <bob@example.test>\r\nTo: ${USER}\r\nSubject: ${THREAD} alone ${n}\r\n` +
      `Date: Mon, ${n} Nov 2026 10:00:00 +0000\r\nMessage-ID: <${THREAD}-${n}@example.test>\r\n\r\nOn its own.\r\n`);
  }
  // Three messages of about 400 KB, for a limit of 1 MB (two fit).
  const body = ('x'.repeat(76) + '\r\n').repeat(5200);
  await fillFolder(USER, PW, BIG, 0, BIG);
  for (const n of [1, 2, 3]) {
    await appendMessage(USER, PW, BIG, `From: Bob <bob@example.test>\r\nTo: ${USER}\r\nSubject: ${BIG}-${n}\r\n\r\n${body}`);
  }
  listen = `127.0.0.1:${await freePort()}`;
  proxy = await startProxy(ALLOW, listen);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, USER, PW);
  await trustUntil(page, messageList(page), `the list of ${USER}`, { errors });
});
after(async () => {
  await context?.close();
  await proxy?.stop();
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const row = (text) => page.getByRole('listitem', { name: new RegExp(text) });
const folders = () => page.getByRole('navigation', { name: 'Folders' });
const folder = (name) => folders().getByRole('link', { name: new RegExp(`^${escape(name)}(, \\d+ unread)?$`) });
const waitStatus = (re, timeout) => waitStatusOn(page, re, { errors, timeout });
const reading = () => page.getByRole('region', { name: 'Message', exact: true });

async function openFolder(name, count) {
  await folder(name).click();
  await waitStatus(new RegExp(`^${escape(name)}: ${count} messages?\\.$`));
}

/** Stops the proxy and reloads: the kept mail must show as offline. */
async function reloadOffline() {
  await proxy.stop();
  await page.reload();
  await page.getByTestId('offline-kept').waitFor({ timeout: 30000 })
    .catch(async () => { throw new Error(`not shown as offline: ${await statusText(page)} | ${errors}`); });
}

/** Writes a message to bob while offline: it waits in the outbox. */
async function writeOffline(subject, text) {
  const dialog = page.getByRole('dialog', { name: 'Write a message' });
  await page.getByRole('button', { name: 'Write' }).click();
  await dialog.getByLabel('To').fill('bob@example.test');
  await dialog.getByLabel('Subject').fill(subject);
  await dialog.getByLabel('Message').fill(text);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await waitStatus(new RegExp(`^Offline: “${escape(subject)}” waits in the outbox`));
}

/** The IMAP transcript (from Settings). */
async function transcript() {
  await page.getByRole('link', { name: 'Settings' }).click();
  return page.getByTestId('imap-transcript').textContent();
}

/** Runs IMAP commands on `folder` from a second connection (plain IMAP on loopback). */
async function elsewhere(folderName, commands) {
  const steps = [[null, /^\* OK.*\r\n/m], [`a LOGIN ${USER} ${PW}\r\n`, /a OK.*\r\n/]];
  if (folderName) steps.push([`b SELECT "${folderName}"\r\n`, /b OK.*\r\n/]);
  commands.forEach((c, i) => steps.push([`c${i} ${c}\r\n`, new RegExp(`c${i} OK.*\\r\\n`)]));
  steps.push(['z LOGOUT\r\n', /z OK.*\r\n/]);
  await converse(10143, steps);
}

test('a folder reopened brings only what changed (QRESYNC), its rows from this browser', async () => {
  await openFolder(KEPT, 8);
  await row(`${KEPT}-00008`).waitFor();
  await folder('Inbox').click();
  await waitStatus(/^INBOX: \d+ messages?\.$/);

  await elsewhere(KEPT, ['UID STORE 1 +FLAGS (\\Flagged)', 'UID STORE 2:3 +FLAGS (\\Deleted)', 'UID EXPUNGE 2:3']);
  await appendMessage(USER, PW, KEPT,
    `From: Bob <bob@example.test>\r\nTo: ${USER}\r\nSubject: ${KEPT}-new\r\nMessage-ID: <${KEPT}-new@example.test>\r\n\r\nArrived while away.\r\n`);

  await openFolder(KEPT, 7);
  await row(`${KEPT}-new`).waitFor();
  await row(`${KEPT}-00002`).waitFor({ state: 'detached' });
  assert.equal(await row(`${KEPT}-00003`).count(), 0);
  await row(`${KEPT}-00001`).waitFor();
  const t = await transcript();
  const reopen = t.slice(t.lastIndexOf(`SELECT ${KEPT} (QRESYNC (`));
  assert.ok(t.lastIndexOf(`SELECT ${KEPT} (QRESYNC (`) > 0, `the reopen asks with QRESYNC: ${t.slice(-1500)}`);
  assert.match(reopen, /VANISHED \(EARLIER\) 2:3/);
  assert.match(reopen, /FETCH \(UID 1 FLAGS \([^)]*\\Flagged/);
  assert.doesNotMatch(reopen, /UID SEARCH ALL/, 'no list of every UID');
  // The one new row is fetched; the six kept ones are not.
  const fetched = [...reopen.matchAll(/C: \S+ UID FETCH (\S+) \(UID FLAGS RFC822\.SIZE/g)].map((m) => m[1]);
  assert.deepEqual(fetched, ['9'], `rows fetched on the reopen: ${fetched}`);
});

test('a folder deleted and made again elsewhere (a new UIDVALIDITY) is dropped and read again', async () => {
  await openFolder(REBUILT, 3);
  await row(`${REBUILT}-old-00003`).waitFor();
  await folder('Inbox').click();
  await waitStatus(/^INBOX: \d+ messages?\.$/);
  await elsewhere(null, [`DELETE "${REBUILT}"`, `CREATE "${REBUILT}"`]);
  for (const n of [1, 2]) {
    await appendMessage(USER, PW, REBUILT,
      `From: Bob <bob@example.test>\r\nTo: ${USER}\r\nSubject: ${REBUILT}-fresh-${n}\r\n\r\nNew folder.\r\n`);
  }
  await openFolder(REBUILT, 2);
  await row(`${REBUILT}-fresh-2`).waitFor();
  assert.equal(await row(`${REBUILT}-old`).count(), 0, 'nothing of the old folder');
  const t = await transcript();
  const reopen = t.slice(t.lastIndexOf(`SELECT ${REBUILT}`));
  assert.match(reopen, /UID SEARCH ALL/, 'every UID read again');
});

test('a thread of five replies shows as one conversation, in order (the server\'s THREAD)', async () => {
  await openFolder(THREAD, 8);
  const toggle = page.getByRole('button', { name: 'Conversations' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  await waitStatus(new RegExp(`^${escape(THREAD)}: 3 conversations \\(threaded by the server\\)\\.$`));
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: THREAD }).count(), 3);
  const conversation = row(`${THREAD} plans, 6 messages`);
  await conversation.getByRole('button').first().click();
  const parts = reading().getByRole('group', { name: /^Ann, / });
  await reading().getByTestId('text-body').filter({ hasText: 'Part 6 of the plans.' }).waitFor({ timeout: 20000 });
  assert.equal(await parts.count(), 6);
  const text = await reading().textContent();
  const at = [1, 2, 3, 4, 5, 6].map((n) => text.indexOf(`Part ${n} of the plans.`));
  assert.ok(at.every((p, i) => p >= 0 && (i === 0 || p > at[i - 1])), `in order: ${at}`);
  // Opened again, now read: only the last is open, the others one line with their first words.
  await row(`${THREAD} alone 7`).getByRole('button').first().click();
  await reading().getByRole('heading', { name: `${THREAD} alone 7` }).waitFor({ timeout: 20000 });
  await conversation.getByRole('button').first().click();
  await parts.first().locator('summary').getByText('Part 1 of the plans.').waitFor({ timeout: 20000 });
  const open = await parts.evaluateAll((all) => all.map((d) => d.open));
  assert.deepEqual(open, [false, false, false, false, false, true]);
  await parts.nth(4).locator('summary').getByText('Part 5 of the plans.').waitFor({ timeout: 20000 });
  assert.ok(!(await parts.nth(5).locator('summary').getByText('Part 6 of the plans.').isVisible()), 'the open one shows its words once');
  await page.getByRole('link', { name: 'Settings' }).click();
  assert.match(await page.getByTestId('imap-transcript').textContent(), /UID THREAD REFERENCES UTF-8 ALL/);
});

test('offline: the kept folder and message are shown after a reload; changes made meanwhile reach Dovecot', async () => {
  await openFolder(KEPT, 7);
  await row(`${KEPT}-00004`).getByRole('button').first().click();
  await reading().getByRole('heading', { name: `${KEPT}-00004` }).waitFor();
  assert.match(page.url(), /\/m\/\d+\/4$/);
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 30000 });

  await reloadOffline();
  await reading().getByRole('heading', { name: `${KEPT}-00004` }).waitFor({ timeout: 10000 });
  assert.match(await reading().textContent(), /Message 00004 of 8\./);
  await row(`${KEPT}-00008`).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: KEPT }).count(), 7, 'every kept row');

  // Marked read and moved while offline: done here, and waiting.
  const five = row(`${KEPT}-00005`);
  await five.hover();
  await five.getByRole('button', { name: 'Mark read' }).click();
  const seven = row(`${KEPT}-00007`);
  await seven.hover();
  await seven.getByRole('button', { name: 'Flag' }).click();
  await row(`${KEPT}-00006`).getByRole('checkbox').check();
  const bar = page.getByRole('toolbar', { name: 'Selected messages' });
  await bar.getByLabel('Folder').selectOption('Archive');
  await bar.getByRole('button', { name: 'Move', exact: true }).click();
  await waitStatus(/^Offline: .*\(3 changes waiting\)\.$/);
  await row(`${KEPT}-00006`).waitFor({ state: 'detached' });
  assert.equal((await imapSearch(USER, PW, 'Archive', `SUBJECT "${KEPT}-00006"`)).length, 0, 'not yet on the server');
  // Written offline: it waits in the outbox.
  await writeOffline(`${tag}-outbox`, 'Written on the train.');
  // Search looks through what is kept: subjects and senders, and the text of the messages
  // kept whole ("of 8" is only in the bodies, and only message 4 was read).
  const search = page.getByRole('searchbox', { name: 'Search this folder' });
  await search.fill('of 8');
  await search.press('Enter');
  await waitStatus(new RegExp(`^1 message found in ${escape(KEPT)} as kept in this browser`));
  await row(`${KEPT}-00004`).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').count(), 1);
  await search.fill('00008');
  await search.press('Enter');
  await waitStatus(new RegExp(`^1 message found in ${escape(KEPT)} as kept in this browser`));
  await row(`${KEPT}-00008`).waitFor();
  await page.getByRole('button', { name: 'Show all' }).click();
  await row(`${KEPT}-00005`).waitFor();
  // Conversations stay on for the folder, threaded here from the kept rows.
  await folder(THREAD).click();
  await waitStatus(new RegExp(`^${escape(THREAD)}: 3 conversations \\(threaded in this browser\\)\\.$`));
  await row(`${THREAD} plans, 6 messages`).waitFor();
  await folder(KEPT).click();
  await row(`${KEPT}-00008`).waitFor();

  // Meanwhile, elsewhere: the flagged one is deleted.
  await elsewhere(KEPT, ['UID STORE 7 +FLAGS (\\Deleted)', 'UID EXPUNGE 7']);
  proxy = await startProxy(ALLOW, listen);
  // The app finds its server again (it looks every 15 s) and asks for the password.
  const password = page.getByLabel('Password');
  await password.waitFor({ timeout: 40000 });
  await password.fill(PW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Checked from a second connection (the status line then moves on to the outbox).
  const deadline = Date.now() + 40000;
  const moved = async () => (await imapSearch(USER, PW, 'Archive', `SUBJECT "${KEPT}-00006"`)).length === 1;
  const read = async () => (await imapSearch(USER, PW, `"${KEPT}"`, `SEEN SUBJECT "${KEPT}-00005"`)).length === 1;
  while (Date.now() < deadline && !((await moved()) && (await read()))) await page.waitForTimeout(250);
  assert.ok(await moved(), `moved to Archive; the page says: ${await statusText(page)}`);
  assert.ok(await read(), 'marked read');
  assert.equal((await imapSearch(USER, PW, `"${KEPT}"`, `SUBJECT "${KEPT}-00006"`)).length, 0, 'gone from the folder');
  const report = page.getByTestId('replayed');
  await report.waitFor({ timeout: 20000 });
  assert.match(await report.textContent(), /2 changes made offline reached the server\. 1 message had gone meanwhile \(moved or deleted elsewhere\), so nothing was done to it\./);
  // The outbox is sent once signed in again.
  const got = await takeMessages('bob@example.test', 'bob-password', `${tag}-outbox`, 30);
  assert.equal(got.length, 1, 'the message from the outbox reached bob');
  assert.match(got[0], /Written on the train\./);
  assert.deepEqual(errors, []);
});

test('past the limit, the least recently opened messages are dropped first', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Limit for messages kept, in MB').fill('1');
  await page.getByRole('button', { name: 'Set limit' }).click();
  await waitStatus(/^Messages kept up to 1 MB/);
  await openFolder(BIG, 3);
  const open = async (n) => {
    await row(`${BIG}-${n}`).getByRole('button').first().click();
    await reading().getByRole('heading', { name: `${BIG}-${n}` }).waitFor({ timeout: 20000 });
  };
  for (const n of [1, 2, 3, 2, 1]) await open(n);
  const t = await transcript();
  const downloads = [...t.matchAll(/C: \S+ UID FETCH (\d+) \(?BODY\.PEEK\[\]/g)].map((m) => Number(m[1]));
  // 1, 2, 3 downloaded; opening 3 dropped 1 (the least recently opened); 2 was kept, 1 came again.
  assert.deepEqual(downloads, [1, 2, 3, 1], `downloads: ${downloads}`);
  assert.match(await page.getByTestId('kept-usage').textContent(), /2 messages kept whole/);
  await page.getByRole('button', { name: 'Clear what is kept' }).click();
  await waitStatus(/^Cleared: /);
  assert.match(await page.getByTestId('kept-usage').textContent(), /^0 folders, 0 message rows, 0 messages kept whole/);
  assert.deepEqual(errors, []);
});

test('removing the account says what made offline would be lost, and erases it with the kept mail', async () => {
  await openFolder(KEPT, 5);
  // Kept in IndexedDB a moment after it shows.
  const kept = Date.now() + 10000;
  while (Date.now() < kept && (await keptKeys()).states === 0) await page.waitForTimeout(100);
  await reloadOffline();
  const eight = row(`${KEPT}-00008`);
  await eight.hover();
  await eight.getByRole('button', { name: 'Flag' }).click();
  await writeOffline(`${tag}-never`, 'Never sent.');
  const held = await keptKeys();
  assert.ok(held.queue > 0 && held.outbox > 0 && held.rows > 0, `kept before: ${JSON.stringify(held)}`);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Remove this account' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'not reached the server' });
  await warning.waitFor();
  assert.equal(await warning.textContent(),
    '1 change made offline and 1 message in the outbox have not reached the server yet: removing the account loses them. Sign in first and they are sent.');
  await page.getByRole('button', { name: 'Click again to remove it from this browser' }).click();
  await page.waitForURL(/\/mail\/(setup)?$/);
  const deadline = Date.now() + 10000;
  let left = await keptKeys();
  while (Date.now() < deadline && Object.values(left).some((n) => n > 0)) {
    await page.waitForTimeout(100);
    left = await keptKeys();
  }
  assert.deepEqual(left, { rows: 0, states: 0, bodies: 0, queue: 0, outbox: 0, 'outbox-meta': 0 }, 'nothing of the account is left');
  proxy = await startProxy(ALLOW, listen);
  assert.deepEqual(errors, []);
});

/** How many records of each store of the app's IndexedDB name alice's account. */
async function keptKeys() {
  return page.evaluate(async (user) => {
    const db = await new Promise((ok, bad) => {
      const r = indexedDB.open('mailscope-imap');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => bad(r.error);
    });
    const counts = {};
    for (const store of ['rows', 'states', 'bodies', 'queue', 'outbox', 'outbox-meta']) {
      const keys = await new Promise((ok, bad) => {
        const r = db.transaction(store).objectStore(store).getAllKeys();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => bad(r.error);
      });
      counts[store] = keys.filter((k) => String(k).includes(user)).length;
    }
    db.close();
    return counts;
  }, USER);
}
