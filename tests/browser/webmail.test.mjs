// Web mail over IMAP in the browser against real Dovecot (tests/mailserver.sh) through the
// real proxy: sign in, the folders with their roles and counts, a delivered message in the
// list, opened in the inspector; a wrong password shows the server's refusal. Each test signs
// in itself when it needs to (trusting the test server's certificate when asked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { deliver, imapSearch } from './fixtures/mailbox.mjs';
import { openWebmail } from './fixtures/webmail.mjs';
import { untilTrusting } from './fixtures/browser.mjs';

let w, page, proxy, status, waitStatus, errors;
const subject = `webmail-${process.pid}-${Date.now()}`;

before(async () => {
  await deliver(subject);
  // 10996: allowed, but nothing listens there.
  proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10996']);
  w = await openWebmail(proxy);
  ({ page, status, waitStatus, errors } = w);
});
after(async () => {
  await w?.context.close();
  proxy?.close();
});

async function signIn(password) {
  await page.getByTestId('imap-host').fill('127.0.0.1');
  await page.getByTestId('imap-port').fill('10993');
  await page.getByTestId('imap-user').fill('alice@example.test');
  await page.getByTestId('imap-password').fill(password);
  await page.getByTestId('imap-sign-in').click();
}

/** Signed in as alice (the certificate trusted if the page asks), with INBOX open. */
async function inInbox() {
  if (!(await page.getByTestId('imap-folder').first().isVisible().catch(() => false))) {
    await signIn('alice-password');
    await untilTrusting(page, page.getByTestId('imap-trust'), async () => /^INBOX: \d+ messages?\.$/.test(await status()), 'INBOX', { said: status });
  }
  await page.getByTestId('imap-folder').first().click();
  await waitStatus(/^INBOX: \d+ messages?\.$/);
}

test('a server the proxy may not reach: the proxy\'s refusal is shown', async () => {
  await page.getByTestId('imap-host').fill('127.0.0.1');
  await page.getByTestId('imap-port').fill('10994');
  await page.getByTestId('imap-user').fill('alice@example.test');
  await page.getByTestId('imap-password').fill('x');
  await page.getByTestId('imap-sign-in').click();
  await waitStatus(/^Signing in failed: /);
  assert.match(await status(), /the proxy does not allow 127\.0\.0\.1:10994.*started to allow \(--allow\)/);
});

test('a server that refuses the connection: said, with what to check', async () => {
  await page.getByTestId('imap-host').fill('127.0.0.1');
  await page.getByTestId('imap-port').fill('10996');
  await page.getByTestId('imap-user').fill('alice@example.test');
  await page.getByTestId('imap-password').fill('x');
  await page.getByTestId('imap-sign-in').click();
  await waitStatus(/^Signing in failed: /);
  assert.match(await status(), /Connection refused.*check the server's name and port, and that the server is running/);
});

test('a wrong password shows the server\'s refusal, explained', async () => {
  // The certificate question comes first: asked afresh.
  await page.evaluate(() => localStorage.setItem('mailscope.certificate-exceptions',
    JSON.stringify(JSON.parse(localStorage.getItem('mailscope.certificate-exceptions') ?? '[]').filter((e) => e.port !== 10993))));
  await signIn('not-the-password');
  await page.getByTestId('imap-untrusted').waitFor({ timeout: 20000 });
  await page.getByTestId('imap-trust').click();
  await waitStatus(/^Signing in failed/);
  assert.match(await status(), /AUTHENTICATIONFAILED.*password was refused/);
});

test('the folders with roles and counts, and a delivered message opened in the inspector', async () => {
  await inInbox();
  const names = await page.getByTestId('imap-folder-name').allTextContents();
  for (const n of ['INBOX', 'Sent', 'Drafts', 'Trash', 'Archive', 'Junk']) assert.ok(names.includes(n), `${n} in ${names}`);
  assert.equal(names[0], 'INBOX');
  // Each special folder carries its role (named only where the folder's name differs).
  const roles = await page.getByTestId('imap-folder-item').evaluateAll((items) => Object.fromEntries(items.map((i) => [i.querySelector('[data-testid=imap-folder-name]').textContent, i.dataset.role])));
  for (const r of ['Sent', 'Drafts', 'Trash', 'Archive', 'Junk']) assert.equal(roles[r], r, JSON.stringify(roles));
  assert.equal(roles.INBOX, '');
  const inbox = await page.getByTestId('imap-folder').first().getByTestId('imap-folder-counts').textContent();
  const [, unread, total] = inbox.match(/(\d+) unread \/ (\d+)/).map(Number);
  assert.ok(total >= 1 && unread >= 1, inbox);
  const row = page.getByTestId('imap-message').filter({ hasText: subject });
  await row.waitFor();
  assert.match(await row.getByTestId('imap-open').getAttribute('title'), /bob@example\.test/);
  await row.getByTestId('imap-open').click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=subject]')?.textContent === s, subject);
  // Opening used BODY.PEEK: the message is still unread on the server.
  assert.match(await page.getByTestId('imap-transcript').textContent(), /BODY\.PEEK\[\]/);
  const transcript = await page.getByTestId('imap-transcript').textContent();
  assert.ok(!transcript.includes('alice-password'));
  assert.match(transcript, /LOGIN \*\*\*/);
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'INBOX', `UNSEEN SUBJECT "${subject}"`)).length, 1, 'still unread');
});

test('mark read, archive, delete to Trash and for good: each confirmed from a second connection', async () => {
  const alice = (folder, criteria) => imapSearch('alice@example.test', 'alice-password', folder, `${criteria} SUBJECT "${subject}"`);
  const row = () => page.getByTestId('imap-message').filter({ hasText: subject });
  await inInbox();
  await row().getByTestId('imap-mark-read').click();
  await page.waitForFunction((s) => [...document.querySelectorAll('[data-testid=imap-message]')].some((r) => r.textContent.includes(s) && r.querySelector('[aria-label="Mark unread"]')), subject);
  assert.equal((await alice('INBOX', 'SEEN')).length, 1);

  await row().getByTestId('imap-archive').click();
  await waitStatus(/^Moved the message to Archive\.$/);
  assert.equal(await row().count(), 0, 'gone from the list');
  assert.equal((await alice('INBOX', 'ALL')).length, 0);
  assert.equal((await alice('Archive', 'ALL')).length, 1);

  await page.getByTestId('imap-folder').filter({ hasText: 'Archive' }).first().click();
  await waitStatus(/^Archive: \d+ messages?\.$/);
  await row().getByTestId('imap-delete').click();
  await waitStatus(/^Moved the message to Trash\.$/);
  assert.equal((await alice('Trash', 'ALL')).length, 1);

  await page.getByTestId('imap-folder').filter({ hasText: 'Trash' }).first().click();
  await waitStatus(/^Trash: \d+ messages?\.$/);
  await row().getByTestId('imap-delete').click();
  await waitStatus(/^Deleted the message for good\.$/);
  assert.equal((await alice('Trash', 'ALL')).length, 0);
  assert.deepEqual(errors, []);
});

test('the account is remembered without its password', async () => {
  await inInbox();
  await page.reload();
  await page.getByTestId('webmail-page').waitFor();
  assert.equal(await page.getByTestId('imap-host').inputValue(), '127.0.0.1');
  assert.equal(await page.getByTestId('imap-port').inputValue(), '10993');
  assert.equal(await page.getByTestId('imap-user').inputValue(), 'alice@example.test');
  assert.equal(await page.getByTestId('imap-password').inputValue(), '');
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes('alice-password'));
});

test('two accounts at once: each keeps its own session, new mail reaches both, the title sums them', async () => {
  await inInbox();
  await page.getByTestId('imap-add-account').click();
  assert.equal(await page.getByTestId('imap-host').inputValue(), '', 'a new account starts blank');
  await page.getByTestId('imap-host').fill('127.0.0.1');
  await page.getByTestId('imap-port').fill('10993');
  await page.getByTestId('imap-user').fill('bob@example.test');
  await page.getByTestId('imap-password').fill('bob-password');
  await page.getByTestId('imap-sign-in').click();
  await waitStatus(/^INBOX: \d+ messages?\.$/);
  const tabs = page.getByTestId('imap-account-tab');
  assert.equal(await tabs.count(), 2);

  // Mail for each while bob's tab is shown: bob's appears at once, alice's session (not on
  // screen) keeps its IDLE and her tab's count goes up.
  const forBob = `${subject}-bob`, forAlice = `${subject}-alice`;
  const aliceTab = tabs.first();
  const before = Number(((await aliceTab.textContent()).match(/\((\d+)\)/) ?? [0, 0])[1]);
  await deliver(forBob, 'For Bob.', 'bob@example.test');
  await deliver(forAlice, 'For Alice.');
  await page.getByTestId('imap-message').filter({ hasText: forBob }).waitFor({ timeout: 20000 });
  await page.waitForFunction(([n]) => {
    const m = document.querySelector('[data-testid=imap-account-tab]')?.textContent.match(/\((\d+)\)/);
    return m && Number(m[1]) === n + 1;
  }, [before], { timeout: 20000 });
  await aliceTab.click();
  await page.getByTestId('imap-message').filter({ hasText: forAlice }).waitFor({ timeout: 10000 });
  assert.equal(await page.getByTestId('imap-user').inputValue(), 'alice@example.test');
  assert.equal(await page.getByTestId('imap-message').filter({ hasText: forBob }).count(), 0, 'each account shows its own mail');

  // The title counts both INBOXes.
  const counts = await tabs.allTextContents();
  const sum = counts.map((t) => Number((t.match(/\((\d+)\)/) ?? [0, 0])[1])).reduce((a, b) => a + b, 0);
  assert.equal(await page.title(), `(${sum}) Mail · Mailscope`);

  // Both are remembered, without passwords.
  await page.reload();
  await page.getByTestId('webmail-page').waitFor();
  assert.equal(await page.getByTestId('imap-account-tab').count(), 2);
  await page.getByTestId('imap-account-tab').nth(1).click();
  assert.equal(await page.getByTestId('imap-user').inputValue(), 'bob@example.test');
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!stored.includes('alice-password') && !stored.includes('bob-password'));
  assert.deepEqual(errors, []);
});

test('passwords are never kept by the page; one an older version stored is erased', async () => {
  await inInbox();
  const saved = await page.evaluate(() => localStorage.getItem('mailscope.imap-accounts'));
  const list = JSON.parse(saved);
  list[0].password = 'alice-password';
  await page.evaluate((v) => localStorage.setItem('mailscope.imap-accounts', v), JSON.stringify(list));
  await page.reload();
  await page.getByTestId('webmail-page').waitFor();
  await page.getByTestId('imap-account-tab').first().click();
  // Taken up once to fill the form, and gone from storage.
  assert.equal(await page.getByTestId('imap-password').inputValue(), 'alice-password');
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes('alice-password'));
  // Signing in keeps it out of storage; the form is one a password manager can fill.
  await page.getByTestId('imap-sign-in').click();
  await waitStatus(/^INBOX: \d+ messages?\.$/);
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes('alice-password'));
  assert.equal(await page.getByTestId('imap-password').getAttribute('autocomplete'), 'current-password');
  assert.equal(await page.getByTestId('imap-user').getAttribute('autocomplete'), 'username');
  assert.equal(await page.getByTestId('imap-password').evaluate((el) => el.form?.tagName), 'FORM');
  await page.reload();
  await page.getByTestId('webmail-page').waitFor();
  assert.equal(await page.getByTestId('imap-password').inputValue(), '');
  assert.deepEqual(errors, []);
});
