// The IMAP web mail kept live, against real Postfix and Dovecot through the real proxy: a
// submitted message opens with its real route (ESMTPSA submission, LMTP delivery); new mail
// appears by itself (IDLE) with the unread count in the title; IDLE is renewed on its timer;
// when the connection drops the page signs in again and carries on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { appendMessage, deliver, imapSearch, submit, takeMessages } from './fixtures/mailbox.mjs';
import { openWebmail } from './fixtures/webmail.mjs';
import { untilTrusting } from './fixtures/browser.mjs';
import { hopFacts } from './fixtures/inspector.mjs';

const tag = `live-${process.pid}-${Date.now()}`;
const allowed = ['127.0.0.1:10993', '127.0.0.1:10465'];
let proxy, w;

before(async () => {
  await submit(`${tag}-submitted`);
  proxy = await startProxy(allowed);
  // IDLE renewed every 3 s here, so the renewal can be watched (25 minutes otherwise).
  w = await openWebmail(proxy, '?idle_seconds=3');
  await w.signIn();
});
after(async () => {
  await w?.context.close();
  proxy?.close();
});

test('a message submitted through Postfix opens with its route (ESMTPSA submission, LMTP delivery), and is answered or saved from there', async () => {
  await w.row(`${tag}-submitted`).waitFor({ timeout: 20000 });
  await w.row(`${tag}-submitted`).getByTestId('imap-open').click();
  await w.page.waitForFunction((s) => document.querySelector('[data-testid=subject]')?.textContent === s, `${tag}-submitted`);
  const hops = await w.page.getByTestId('hop').allTextContents();
  assert.ok(hops.length >= 2, `two hops at least: ${hops}`);
  assert.ok(hops.some((h) => /ESMTPSA/.test(h)), `the authenticated submission hop: ${hops.join(' | ')}`);
  assert.ok(hops.some((h) => /LMTP/.test(h)), `the LMTP delivery hop: ${hops.join(' | ')}`);
  // Protocol, IP and TLS are read from each hop's row, with every Details still closed.
  const facts = await hopFacts(w.page);
  assert.equal(await w.page.locator('[data-testid=hop] details[open]').count(), 0, 'nothing was opened');
  const submission = facts.find((f) => f.with === 'ESMTPSA');
  assert.ok(submission, JSON.stringify(facts));
  assert.equal(submission.ip, '127.0.0.1');
  assert.match(submission.tls, /^TLS/, 'submission on 10465 is TLS (Postfix says so by ESMTPSA)');
  assert.ok(facts.some((f) => f.with === 'LMTP'), JSON.stringify(facts));
  // Answered from here: the compose form below gets the reply.
  await w.page.getByTestId('imap-reply').click();
  await w.page.waitForFunction((s) => document.querySelector('[data-testid=compose-subject]')?.value === `Re: ${s}`, `${tag}-submitted`);
  assert.match(await w.page.getByTestId('compose-to').inputValue(), /bob@example\.test/);
  const download = w.page.waitForEvent('download');
  await w.page.getByTestId('imap-save-eml').click();
  assert.match((await download).suggestedFilename(), /^INBOX-\d+\.eml$/);

  // Sent: the original is marked answered on the server, and the row says so.
  const p = w.page;
  await p.getByTestId('compose-host').fill('127.0.0.1');
  await p.getByTestId('compose-port').fill('10465');
  await p.getByTestId('compose-security').selectOption('tls');
  await p.getByTestId('compose-user').fill('alice@example.test');
  await p.getByTestId('compose-password').fill('alice-password');
  await p.getByTestId('compose-body').fill('Thanks, received.');
  await p.getByTestId('compose-send').click();
  await p.getByTestId('compose-untrusted').waitFor({ timeout: 20000 });
  await p.getByTestId('compose-trust').click();
  await p.waitForFunction(() => /^Sent to bob@example\.test/.test(document.querySelector('[data-testid=compose-status]')?.textContent ?? ''), null, { timeout: 30000 });
  await p.waitForFunction((s) => [...document.querySelectorAll('[data-testid=imap-message]')].some((r) => r.textContent.includes(s) && r.querySelector('.row-marks')?.getAttribute('aria-label').includes('answered')), `${tag}-submitted`, { timeout: 20000 });
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'INBOX', `ANSWERED SUBJECT "${tag}-submitted"`)).length, 1);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `Re: ${tag}-submitted`)).length, 1, 'bob got the reply');
});

test('a draft kept on the server is taken up again, sent, and leaves Drafts', async () => {
  const subject = `${tag}-draft`;
  await appendMessage('alice@example.test', 'alice-password', 'Drafts',
    `From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.test>\r\n\r\nStarted elsewhere.\r\n`);
  await w.folder('Drafts').click();
  await w.waitStatus(/^Drafts: \d+ messages?\.$/);
  await w.row(subject).getByTestId('imap-open').click();
  await w.page.getByTestId('imap-edit-draft').click();
  const p = w.page;
  await p.waitForFunction((s) => document.querySelector('[data-testid=compose-subject]')?.value === s, subject);
  assert.equal(await p.getByTestId('compose-to').inputValue(), 'Bob <bob@example.test>');
  assert.match(await p.getByTestId('compose-body').inputValue(), /Started elsewhere\./);
  await p.getByTestId('compose-body').fill('Started elsewhere, finished here.');
  await p.getByTestId('compose-host').fill('127.0.0.1');
  await p.getByTestId('compose-port').fill('10465');
  await p.getByTestId('compose-security').selectOption('tls');
  await p.getByTestId('compose-user').fill('alice@example.test');
  await p.getByTestId('compose-password').fill('alice-password');
  await p.getByTestId('compose-send').click();
  // The submission server's certificate is trusted here if the page asks (this test alone).
  const sent = () => p.getByTestId('compose-status').textContent();
  await untilTrusting(p, p.getByTestId('compose-trust'), async () => /^Sent to bob@example\.test/.test(await sent()), 'the draft sent', { said: sent });
  await w.waitStatus(/^The draft was sent, and is gone from Drafts\.$/);
  await p.waitForFunction((s) => ![...document.querySelectorAll('[data-testid=imap-message]')].some((r) => r.textContent.includes(s)), subject);
  assert.equal((await imapSearch('alice@example.test', 'alice-password', 'Drafts', `SUBJECT "${subject}"`)).length, 0, 'gone from Drafts');
  const got = await takeMessages('bob@example.test', 'bob-password', subject);
  assert.equal(got.length, 1);
  assert.match(got[0], /finished here/);
  await w.folder('INBOX').click();
  await w.waitStatus(/^INBOX: \d+ messages?\.$/);
});

test('a big message downloads with its progress shown, then opens in the inspector', async () => {
  const subject = `${tag}-big`;
  const line = `${'0123456789'.repeat(7)}xx\r\n`;
  const body = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length));
  await appendMessage('alice@example.test', 'alice-password', 'INBOX', `From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\n\r\n${body}`);
  await w.row(subject).waitFor({ timeout: 20000 });
  await w.row(subject).getByTestId('imap-open').click();
  await w.page.waitForFunction((s) => document.querySelector('[data-testid=subject]')?.textContent === s, subject, { timeout: 60000 });
  const progress = (await w.statuses()).filter((s) => /^Downloading the message: .+ of 6\.\d+ MB \(\d+ %\)…$/.test(s));
  assert.ok(progress.length >= 2, `progress shown as it came: ${(await w.statuses()).join(' | ')}`);
  const percents = progress.map((s) => Number(s.match(/\((\d+) %\)/)[1]));
  assert.ok(percents.every((p, i) => i === 0 || p >= percents[i - 1]) && percents[0] < 100, percents.join(','));
});

test('new mail appears by itself (IDLE), with the unread count in the title', async () => {
  const subject = `${tag}-pushed`;
  assert.equal(await w.row(subject).count(), 0);
  await deliver(subject);
  await w.row(subject).waitFor({ timeout: 20000 });
  // The row came without a click: IDLE reported it, and INBOX was counted again.
  const counts = await w.folder('INBOX').getByTestId('imap-folder-counts').textContent();
  const unread = Number(counts.match(/(\d+) unread/)[1]);
  assert.ok(unread >= 1, counts);
  await w.page.waitForFunction((n) => document.title === `(${n}) Mail · Mailscope`, unread, { timeout: 5000 });
  assert.match(await w.transcript(), /IDLE[\s\S]*DONE/);
});

test('IDLE is ended and started again on its timer', async () => {
  const idles = async () => ((await w.transcript()).match(/C: \S+ IDLE/g) ?? []).length;
  const before = await idles();
  await w.page.waitForFunction((n) => ((document.querySelector('[data-testid=imap-transcript]')?.textContent ?? '').match(/C: \S+ IDLE/g) ?? []).length >= n + 2, before, { timeout: 20000 });
  assert.ok((await idles()) >= before + 2);
});

test('the connection drops: the page signs in again and carries on', async () => {
  const listen = new URL(proxy.url).host;
  await proxy.crash();
  await w.waitStatus(/reconnecting \(try \d of 3\)/, 20000);
  proxy = await startProxy(allowed, listen);
  await w.waitStatus(/^Reconnected\.$/, 30000);
  // The new session works: new mail still arrives by itself.
  const subject = `${tag}-after`;
  await deliver(subject);
  await w.row(subject).waitFor({ timeout: 20000 });
  assert.deepEqual(w.errors, []);
});
