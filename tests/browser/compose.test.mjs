// Writing and sending mail from the browser through the real proxy to real Postfix
// (tests/mailserver.sh, submission on 10587 with STARTTLS and SASL): the message and its
// attachment arrive byte for byte, a message over the server's size limit is stopped before
// anything is sent, refusals are explained, and a real bounce comes back. Any test runs alone:
// the test servers' certificate is trusted whenever the page asks (the first test and the
// Sent copy check that question themselves), and each starts from an empty form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import PostalMime from 'postal-mime';
import { launch, untilTrusting } from './fixtures/browser.mjs';
import { startProxy } from './fixtures/servers.mjs';
import { converse, takeMessages, imapSearch as imapSearchOf } from './fixtures/mailbox.mjs';
import { trustUntil } from './fixtures/mailapp.mjs';

let context, page, proxy;
const errors = [];
const run = `${process.pid}-${Date.now()}`;

before(async () => {
  proxy = await startProxy(['127.0.0.1:10587', '127.0.0.1:10110', '127.0.0.1:10993', '127.0.0.1:10025']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${proxy.url}workbench/`);
  await page.getByTestId('compose-page').waitFor();
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const status = () => page.getByTestId('compose-status').textContent();
/** Waits until the status matches `re`, trusting the test servers' certificate if asked. */
const waitStatus = async (re) => untilTrusting(page, page.getByRole('button', { name: /^Trust/ }), async () => re.test(await status()),
  `a status matching ${re}`, { said: async () => `"${await status()}"; errors: ${errors.join(' | ')}` });

/** Until the page asks whether to send to the accepted recipients. */
const askedAboutAccepted = () => trustUntil(page, page.getByRole('button', { name: 'Send to the accepted recipients' }), 'the question about the accepted recipients', { errors });

/** An empty form: nothing attached, nothing typed. */
async function emptyForm() {
  const remove = page.getByTestId('compose-attachment').getByRole('button', { name: 'Remove' });
  while (await remove.count()) await remove.first().click();
  for (const f of ['compose-to', 'compose-cc', 'compose-bcc', 'compose-subject', 'compose-body']) await page.getByTestId(f).fill('');
}

async function account(password = 'alice-password') {
  await page.getByTestId('compose-host').fill('127.0.0.1');
  await page.getByTestId('compose-port').fill('10587');
  await page.getByTestId('compose-security').selectOption('starttls');
  await page.getByTestId('compose-user').fill('alice@example.test');
  await page.getByTestId('compose-password').fill(password);
}

async function write({ to, subject, body = 'Hello Bob.\n.\nA line of one dot above.', files = [] }) {
  await page.getByTestId('compose-to').fill(to);
  await page.getByTestId('compose-subject').fill(subject);
  await page.getByTestId('compose-body').fill(body);
  if (files.length) {
    await page.getByTestId('compose-files').setInputFiles(files);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=compose-attachment]').length === n, files.length);
  }
}

test('a message with an attachment reaches the recipient byte for byte', async () => {
  // The certificate question is part of this test: asked afresh.
  await page.evaluate(() => localStorage.removeItem('mailscope.certificate-exceptions'));
  await emptyForm();
  await account();
  const subject = `compose-attachment-${run} Grüße`;
  const bytes = randomBytes(150_000);
  await write({ to: 'Bob <bob@example.test>', subject, files: [{ name: 'data.bin', mimeType: 'application/octet-stream', buffer: bytes }] });
  assert.match(await page.getByTestId('compose-size').textContent(), /grow by a third as base64/);
  await page.getByTestId('compose-html-on').check();
  await page.getByTestId('compose-html').fill('<p>Hello <b>Bob</b>.</p>');
  await page.getByTestId('compose-send').click();
  await page.getByTestId('compose-untrusted').waitFor({ timeout: 20000 });
  await page.getByTestId('compose-trust').click();
  await waitStatus(/^Sent to bob@example.test/);

  const [raw] = await takeMessages('bob@example.test', 'bob-password', `compose-attachment-${run}`);
  assert.ok(raw, 'bob received the message');
  const parsed = await PostalMime.parse(Buffer.from(raw, 'latin1'));
  assert.equal(parsed.subject, subject);
  assert.equal(parsed.attachments.length, 1);
  assert.equal(parsed.attachments[0].filename, 'data.bin');
  assert.ok(Buffer.from(parsed.attachments[0].content).equals(bytes), 'the attachment is byte-identical');
  assert.match(parsed.text, /Hello Bob\.\r?\n\.\r?\nA line of one dot above\./);
  assert.match(parsed.html, /<p>Hello <b>Bob<\/b>\.<\/p>/, 'the HTML version is there too');

  // The transcript shows the conversation, explained, and never the password.
  const transcript = await page.getByTestId('compose-transcript').textContent();
  assert.match(transcript, /C: STARTTLS/);
  assert.match(transcript, /C: AUTH PLAIN \*\*\*/);
  assert.match(transcript, /235 .*authentication succeeded/);
  assert.ok(!transcript.includes('alice-password'));
  // Sent: the draft is cleared, and the sender is offered next time.
  assert.equal(await page.getByTestId('compose-subject').inputValue(), '');
  assert.equal(await page.getByTestId('compose-html').count(), 0);
  assert.deepEqual(await page.$$eval('#compose-identities option', (o) => o.map((x) => x.value)), ['alice@example.test']);
});

test('a message over the server\'s size limit is stopped before anything is sent', async () => {
  await emptyForm();
  await account();
  // 800 KB is under the 1 MB limit as a file and over it once base64-encoded.
  await write({ to: 'bob@example.test', subject: `too-big-${run}`, files: [{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(800_000) }] });
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Not sent: the message is over the server's size limit/);
  const why = await page.locator('.notice', { hasText: /server accepts at most/ }).textContent();
  assert.match(why, /server accepts at most 1\.0 MB/);
  assert.match(why, /552 5\.3\.4/);
  const transcript = await page.getByTestId('compose-transcript').textContent();
  assert.match(transcript, /SIZE 1048576/);
  assert.ok(!/MAIL FROM/.test(transcript), 'nothing of the message was sent');
  assert.equal(await page.getByTestId('compose-subject').inputValue(), `too-big-${run}`, 'the draft is kept');
});

test('a file dropped on the form is attached, and can be removed', async () => {
  await emptyForm();
  await page.getByTestId('compose-files').setInputFiles([{ name: 'picked.txt', mimeType: 'text/plain', buffer: Buffer.from('picked') }]);
  await page.getByTestId('compose-attachment').filter({ hasText: 'picked.txt' }).waitFor();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
    document.querySelector('[data-testid=compose-page] form').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  const dropped = page.getByTestId('compose-attachment').filter({ hasText: 'dropped.txt' });
  await dropped.waitFor();
  await dropped.getByRole('button', { name: 'Remove' }).click();
  await page.getByTestId('compose-attachment').getByRole('button', { name: 'Remove' }).click();
  assert.equal(await page.getByTestId('compose-attachment').count(), 0);
});

test('a refused recipient is explained, and the others get the message only when asked', async () => {
  await emptyForm();
  await account();
  await write({ to: 'bob@example.test, nobody@example.test', subject: `partial-${run}` });
  await page.getByTestId('compose-send').click();
  await askedAboutAccepted();
  const refusal = page.getByTestId('reply-explained');
  assert.match(await refusal.textContent(), /nobody@example\.test.*550 5\.1\.1/);
  assert.match(await refusal.getByTestId('reply-plain').textContent(), /does not exist/);
  await page.getByRole('button', { name: 'Send to the accepted recipients' }).click();
  await waitStatus(/^Sent to bob@example.test/);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `partial-${run}`)).length, 1);
});

test('over the recipient limit: the rest is explained and goes in a second message', async () => {
  await emptyForm();
  await account();
  // The test Postfix takes 5 recipients per message; bob+N@example.test all reach bob.
  const to = [1, 2, 3, 4, 5, 6].map((n) => `bob+${n}@example.test`).join(', ');
  await write({ to, subject: `batch-${run}` });
  await page.getByTestId('compose-send').click();
  await askedAboutAccepted();
  assert.match(await page.getByTestId('reply-explained').textContent(), /bob\+6@example\.test.*452 4\.5\.3.*more recipients than this server takes at once/s);
  await page.getByRole('button', { name: 'Send to the accepted recipients' }).click();
  await waitStatus(/^Sent to bob\+1@example.test, .*bob\+5@example.test/);
  assert.match(await page.getByText(/^The server takes fewer recipients per message/).textContent(), /1 did not get it: bob\+6@example\.test/);
  await page.getByRole('button', { name: 'Send to them in a second message' }).click();
  await waitStatus(/^Sent to bob\+6@example.test \(/);
  const transcript = await page.getByTestId('compose-transcript').textContent();
  assert.deepEqual(transcript.match(/RCPT TO:<[^>]*>/g), ['RCPT TO:<bob+6@example.test>'], 'the second message goes to the rest only');
  assert.equal(await page.getByRole('button', { name: 'Send to them in a second message' }).count(), 0);
  const copies = await takeMessages('bob@example.test', 'bob-password', `batch-${run}`);
  assert.ok(copies.length >= 2, `both messages arrived (${copies.length} copies)`);
});

test('an anonymous client is refused relaying, and the submission port wants TLS first', async () => {
  await emptyForm();
  // The MX port without signing in: the server will not pass mail on to another domain.
  await page.getByTestId('compose-host').fill('127.0.0.1');
  await page.getByTestId('compose-port').fill('10025');
  await page.getByTestId('compose-security').selectOption('none');
  await page.getByTestId('compose-user').fill('');
  await page.getByTestId('compose-from').fill('alice@example.test');
  await write({ to: 'someone@elsewhere.test', subject: `relay-${run}` });
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Not sent: no recipient was accepted/);
  const relay = await page.getByTestId('reply-explained').textContent();
  assert.match(relay, /someone@elsewhere\.test.*554 5\.7\.1/s);
  assert.match(relay, /refused to pass the message on.*Sign in/s);
  // The submission port in plain text: TLS is required before anything.
  await page.getByTestId('compose-port').fill('10587');
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Not sent: the server refused it \(530\)/);
  assert.match(await page.getByTestId('reply-explained').textContent(), /530 5\.7\.0.*requires TLS \(STARTTLS\)/s);
  await page.getByTestId('compose-from').fill('');
});

test('a wrong password is explained and the draft kept', async () => {
  await emptyForm();
  await account('not-the-password');
  await write({ to: 'bob@example.test', subject: `wrong-password-${run}` });
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Not sent: the server refused it \(535\)/);
  assert.match(await page.getByTestId('reply-explained').textContent(), /535 5\.7\.8.*user name or password was refused/s);
  await page.reload();
  await page.getByTestId('compose-page').waitFor();
  assert.equal(await page.getByTestId('compose-subject').inputValue(), `wrong-password-${run}`, 'the draft survives a reload');
  assert.equal(await page.getByTestId('compose-password').inputValue(), '', 'the password is not kept');
  assert.equal(await page.getByTestId('compose-host').inputValue(), '127.0.0.1', 'the server is remembered');
});

test('a recipient whose server refuses it later: the real bounce comes back', async () => {
  await emptyForm();
  await account();
  await write({ to: 'nobody@bounce.test', subject: `bounce-${run}` });
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Sent to nobody@bounce.test/);
  const [bounce] = await takeMessages('alice@example.test', 'alice-password', `bounce-${run}`, 30);
  assert.ok(bounce, 'the bounce reached the sender');
  assert.match(bounce, /Content-Type: multipart\/report; report-type=delivery-status/i);
  assert.match(bounce, /Final-Recipient: rfc822; ?nobody@bounce\.test/i);
  assert.deepEqual(errors, []);
});

/** Delivers a message from bob to alice over the MX port. */
async function deliverToAlice(subject, id) {
  await converse(10025, [
    [null, /^220 .*\r\n/m], ['EHLO client.test\r\n', /^250 .*\r\n/m], ['MAIL FROM:<bob@example.test>\r\n', /^250 .*\r\n/m],
    ['RCPT TO:<alice@example.test>\r\n', /^250 .*\r\n/m], ['DATA\r\n', /^354 .*\r\n/m],
    [`From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nCc: Cleo <bob+cleo@example.test>, alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n\r\nShall we meet at ten?\r\n.\r\n`, /^250 .*\r\n/m],
    ['QUIT\r\n', /^221 .*\r\n/m],
  ]);
}

test('reply all and forward as attachment from a downloaded message', async () => {
  const subject = `answer-me-${run}`;
  const id = `${run}.original@example.test`;
  await deliverToAlice(subject, id);
  // Download alice's mail on the same page (POP3 with STARTTLS).
  await page.getByTestId('mail-host').fill('127.0.0.1');
  await page.getByTestId('mail-port').fill('10110');
  await page.getByTestId('mail-security').selectOption('starttls');
  await page.getByTestId('mail-user').fill('alice@example.test');
  await page.getByTestId('mail-password').fill('alice-password');
  await page.getByTestId('mail-check').click();
  await page.getByTestId('mail-trust').click({ timeout: 20000 });
  await page.waitForFunction((s) => [...document.querySelectorAll('[data-testid=mail-open]')].some((b) => b.textContent === s), subject, { timeout: 30000 });
  const item = page.getByTestId('mail-item').filter({ hasText: subject });

  // The sending account is alice's: "everyone but me" leaves her out.
  await account();
  await item.getByTestId('mail-reply-all').click();
  assert.equal(await page.getByTestId('compose-to').inputValue(), 'Bob <bob@example.test>');
  assert.equal(await page.getByTestId('compose-cc').inputValue(), 'Cleo <bob+cleo@example.test>', 'everyone but me');
  assert.equal(await page.getByTestId('compose-subject').inputValue(), `Re: ${subject}`);
  assert.match(await page.getByTestId('compose-body').inputValue(), /Bob <bob@example\.test> wrote:\n> Shall we meet at ten\?/);
  await account();
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Sent to bob@example.test, bob\+cleo@example.test/);
  const replies = await takeMessages('bob@example.test', 'bob-password', `Re: ${subject}`);
  assert.ok(replies.length >= 1, 'the reply arrived');
  const reply = await PostalMime.parse(Buffer.from(replies[0], 'latin1'));
  assert.equal(reply.inReplyTo, `<${id}>`);
  assert.equal(reply.references, `<${id}>`);

  await item.getByTestId('mail-forward-attached').click();
  assert.equal(await page.getByTestId('compose-subject').inputValue(), `Fwd: ${subject}`);
  await page.getByTestId('compose-to').fill('bob@example.test');
  await account();
  await page.getByTestId('compose-send').click();
  await waitStatus(/^Sent to bob@example.test \(/);
  const [forward] = await takeMessages('bob@example.test', 'bob-password', `Fwd: ${subject}`);
  assert.match(forward, /Content-Type: message\/rfc822/);
  const fwd = await PostalMime.parse(Buffer.from(forward, 'latin1'), { attachmentEncoding: 'utf8', forceRfc822Attachments: true });
  const inner = fwd.attachments.find((a) => a.mimeType === 'message/rfc822');
  assert.ok(inner, 'the original is attached whole');
  const original = await PostalMime.parse(inner.content);
  assert.equal(original.subject, subject);
  assert.equal(original.messageId, `<${id}>`);
});

const imapSearch = (folder, criteria) => imapSearchOf('alice@example.test', 'alice-password', folder, criteria);

test('a copy of what was sent goes to Sent, and a draft to Drafts, over IMAP', async () => {
  await emptyForm();
  await account();
  await page.getByTestId('compose-keep-copies').check();
  await page.getByTestId('compose-imap-host').fill('127.0.0.1');
  await page.getByTestId('compose-imap-port').fill('10993');
  await page.getByTestId('compose-imap-security').selectOption('tls');
  await write({ to: 'bob@example.test', subject: `kept-in-sent-${run}` });
  await page.getByTestId('compose-send').click();
  // The IMAP server's certificate is met for the first time after the message went out:
  // trusting it saves the copy, and does not send the message again.
  // The submission server's certificate may be asked about first (this test run alone).
  await page.evaluate(() => localStorage.setItem('mailscope.certificate-exceptions',
    JSON.stringify(JSON.parse(localStorage.getItem('mailscope.certificate-exceptions') ?? '[]').filter((e) => e.port !== 10993))));
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !/Not saved in Sent/.test(await status())) {
    if (/^The server's certificate is not trusted/.test(await status())) await page.getByRole('button', { name: /^Trust/ }).click();
    await page.waitForTimeout(100);
  }
  await page.getByTestId('compose-untrusted').waitFor({ timeout: 1000 });
  assert.match(await status(), /^Sent to bob@example\.test .* Not saved in Sent: the IMAP server's certificate is not trusted/);
  await page.getByTestId('compose-trust').click();
  await waitStatus(/A copy is in Sent on 127\.0\.0\.1\.$/);
  assert.equal((await imapSearch('Sent', `SUBJECT "kept-in-sent-${run}" SEEN`)).length, 1);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `kept-in-sent-${run}`)).length, 1, 'sent once');
  const transcript = await page.getByTestId('compose-transcript').textContent();
  assert.match(transcript, /C: M1 LOGIN \*\*\*/);
  assert.match(transcript, /APPEND Sent \(\\Seen\)/);
  assert.ok(!transcript.includes('alice-password'));

  // A draft without recipients yet goes to Drafts, flagged as a draft.
  await page.getByTestId('compose-subject').fill(`a-draft-${run}`);
  await page.getByTestId('compose-body').fill('Not finished.');
  await page.getByTestId('compose-save-draft').click();
  await waitStatus(/^Draft saved in Drafts on 127\.0\.0\.1\.$/);
  assert.equal((await imapSearch('Drafts', `SUBJECT "a-draft-${run}" DRAFT`)).length, 1);
  assert.equal(await page.getByTestId('compose-subject').inputValue(), `a-draft-${run}`, 'the form keeps it');
  // Saved again: the new version replaces the old one (one draft, with the new text).
  await page.getByTestId('compose-body').fill('Nearly finished.');
  await page.getByTestId('compose-save-draft').click();
  await page.waitForFunction(() => /UID EXPUNGE/.test(document.querySelector('[data-testid=compose-transcript]')?.textContent ?? ''));
  await waitStatus(/^Draft saved in Drafts on 127\.0\.0\.1\.$/);
  assert.equal((await imapSearch('Drafts', `SUBJECT "a-draft-${run}"`)).length, 1, 'one draft, not two');
  assert.equal((await imapSearch('Drafts', `SUBJECT "a-draft-${run}" BODY "Nearly finished"`)).length, 1, 'the newer one');
  // Sent: the draft goes, the copy is in Sent.
  await page.getByTestId('compose-to').fill('bob@example.test');
  await page.getByTestId('compose-send').click();
  await waitStatus(/A copy is in Sent on 127\.0\.0\.1\.$/);
  assert.equal((await imapSearch('Drafts', `SUBJECT "a-draft-${run}"`)).length, 0, 'the draft is gone once sent');
  assert.equal((await imapSearch('Sent', `SUBJECT "a-draft-${run}"`)).length, 1);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `a-draft-${run}`)).length, 1);
  await page.getByTestId('compose-keep-copies').uncheck();
  assert.deepEqual(errors, []);
});
