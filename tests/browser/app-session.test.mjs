// The mail app's session against real Postfix and Dovecot through the real proxy, by role
// and accessible name: a message submitted through Postfix opens in the reading pane and,
// under "Inspect this message", shows its real route (ESMTPSA submission, LMTP delivery)
// read from each hop's row; answered with Reply, the reply reaches bob and the original is
// marked answered on the server; a 6 MB message downloads with its progress shown; when the
// connection drops, the app signs in again and carries on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { appendMessage, deliver, imapSearch, submit, takeMessages } from './fixtures/mailbox.mjs';
import { hopFacts } from './fixtures/inspector.mjs';
import { signedIn, trustUntil, waitStatus as waitStatusOn } from './fixtures/mailapp.mjs';

const tag = `asession-${process.pid}-${Date.now()}`;
const allowed = ['127.0.0.1:10993', '127.0.0.1:10465'];
let proxy, context, page, errors;
const asked = [];
const inspectorWasm = (paths) => paths.filter((p) => /^\/mailscope-app-[0-9a-f]{16}_bg\.wasm$/.test(p));

before(async () => {
  await submit(`${tag}-submitted`);
  ({ proxy, context, page, errors } = await signedIn({
    allow: allowed,
    init: async (p) => {
      p.on('request', (r) => asked.push(new URL(r.url()).pathname));
      // Every status line the page shows, in order (progress lines come and go quickly).
      await p.addInitScript(() => {
        window.__statuses = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[role=status]')) {
            const s = el.textContent.trim();
            if (s && !window.__statuses.includes(s)) window.__statuses.push(s);
          }
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
    },
  }));
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const row = (text) => page.getByRole('listitem', { name: new RegExp(text) });
const reading = () => page.getByRole('region', { name: 'Message', exact: true });
const statuses = () => page.evaluate(() => window.__statuses);

const waitStatus = (re, timeout) => waitStatusOn(page, re, { timeout, errors });

test('signed in, the password is nowhere in the page\'s storage', async () => {
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(stored.includes('alice@example.test'), 'the account is remembered');
  assert.ok(!stored.includes('alice-password'), 'but never its password');
});

test('a submitted message shows its route under "Inspect this message"; a reply reaches bob and marks it answered', async () => {
  const subject = `${tag}-submitted`;
  await row(subject).waitFor({ timeout: 20000 });
  await row(subject).getByRole('button').first().click();
  await reading().getByRole('heading', { name: subject }).waitFor();
  assert.deepEqual(inspectorWasm(asked), [], 'the inspector is not loaded with the mail app');
  await reading().getByText('Inspect this message').click();
  // The inspector's own page, framed: its bundle is loaded only now.
  const inspector = page.frameLocator('iframe[title^="The inspector"]');
  await inspector.getByTestId('tab-route').click();
  const facts = await hopFacts(inspector);
  const submission = facts.find((f) => f.with === 'ESMTPSA');
  assert.ok(submission, JSON.stringify(facts));
  assert.equal(submission.ip, '127.0.0.1');
  assert.match(submission.tls, /^TLS/);
  assert.ok(facts.some((f) => f.with === 'LMTP'), JSON.stringify(facts));
  assert.equal(inspectorWasm(asked).length, 1, 'the inspector came when asked for');

  await reading().getByRole('button', { name: 'Reply', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Write a message' });
  await dialog.waitFor();
  assert.match(await dialog.getByLabel('To').inputValue(), /bob@example\.test/);
  assert.equal(await dialog.getByLabel('Subject').inputValue(), `Re: ${subject}`);
  await dialog.getByLabel('Message').fill('Thanks, received.');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await trustUntil(page, page.getByText(/A copy is in Sent/), 'the reply sent', { errors });
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `Re: ${subject}`, 20)).length, 1, 'bob got the reply');
  const answered = async () => (await imapSearch('alice@example.test', 'alice-password', 'INBOX', `ANSWERED SUBJECT "${subject}"`)).length;
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && (await answered()) === 0) await page.waitForTimeout(200);
  assert.equal(await answered(), 1, 'the original is marked answered on the server');
});

test('a 6 MB message downloads with its progress shown, then reads', async () => {
  // Back to INBOX from the folder pane (a reload would ask for the password again).
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ }).click();
  await page.waitForURL(/\/f\/INBOX$/);
  await page.getByRole('dialog', { name: 'Write a message' }).waitFor({ state: 'detached' });
  const subject = `${tag}-big`;
  const line = `${'0123456789'.repeat(7)}xx\r\n`;
  const body = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length));
  await appendMessage('alice@example.test', 'alice-password', 'INBOX', `From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\n\r\n${body}`);
  await row(subject).waitFor({ timeout: 20000 });
  await row(subject).getByRole('button').first().click();
  await reading().getByRole('heading', { name: subject }).waitFor({ timeout: 60000 });
  const progress = (await statuses()).filter((s) => /^Downloading the message: .+ of 6\.\d+ MB \(\d+ %\)…$/.test(s));
  assert.ok(progress.length >= 2, `progress shown as it came: ${(await statuses()).join(' | ')}`);
  const percents = progress.map((s) => Number(s.match(/\((\d+) %\)/)[1]));
  assert.ok(percents[0] < 100, percents.join(','));
});

test('the connection drops: the app signs in again and carries on', async () => {
  const listen = new URL(proxy.url).host;
  await proxy.crash();
  await waitStatus(/reconnecting \(try \d of 3\)/, 20000);
  proxy = await startProxy(allowed, listen);
  await waitStatus(/^Reconnected\.$/, 30000);
  // The new session works: new mail still arrives by itself.
  const subject = `${tag}-after`;
  await deliver(subject);
  await row(subject).waitFor({ timeout: 20000 });
  assert.deepEqual(errors, []);
});
