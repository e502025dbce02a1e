// Writing from the mail app's compose dialog, against the real Postfix and Dovecot through
// the real proxy, by role and accessible name: an attachment (picked, and one dropped then
// removed) reaches bob byte for byte; Reply all and Forward on a received message; and when
// the server says no: a message over its size limit is stopped before anything is sent, a
// refused recipient is explained and the others get the message only when asked, over its
// recipient limit the rest goes in a second message when asked. (The protocol workbench's
// form is tested the same way.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import PostalMime from 'postal-mime';
import { converse, takeMessages } from './fixtures/mailbox.mjs';
import { signedIn, waitStatus as waitStatusOn } from './fixtures/mailapp.mjs';

const tag = `acompose-${process.pid}-${Date.now()}`;
let proxy, context, page, errors;

before(async () => {
  ({ proxy, context, page, errors } = await signedIn());
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const dialog = () => page.getByRole('dialog', { name: 'Write a message' });

/** Opens compose and fills it in. */
async function write({ to, subject, files = [] }) {
  if (await dialog().isVisible()) await dialog().getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Write' }).click();
  await dialog().getByLabel('To').fill(to);
  await dialog().getByLabel('Subject').fill(subject);
  await dialog().getByLabel('Message').fill('Written in the app.');
  if (files.length) await dialog().locator('input[type=file]').setInputFiles(files);
}

const waitStatus = (re) => waitStatusOn(page, re, { timeout: 30000, errors });

/** The SMTP conversation of the last send, from the dialog's Details. */
async function transcript() {
  const details = dialog().locator('details', { has: page.getByText('Details', { exact: true }) });
  if (!(await details.evaluate((d) => d.open))) await dialog().getByText('Details', { exact: true }).click();
  return dialog().getByTestId('compose-transcript').textContent();
}

test('a message over the server\'s size limit is stopped before anything is sent', async () => {
  // 800 KB is under the 1 MB limit as a file and over it once base64-encoded.
  await write({ to: 'bob@example.test', subject: `${tag}-too-big`, files: [{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(800_000) }] });
  await dialog().getByRole('list', { name: 'Attachments' }).getByText('big.bin').waitFor();
  await dialog().getByRole('button', { name: 'Send' }).click();
  await waitStatus(/^Not sent: the message is over the server's size limit/);
  const why = await dialog().locator('.notice').allTextContents();
  assert.ok(why.some((w) => /server accepts at most 1\.0 MB/.test(w) && /552 5\.3\.4/.test(w)), why.join(' | '));
  const said = await transcript();
  assert.match(said, /SIZE 1048576/);
  assert.doesNotMatch(said, /MAIL FROM/, 'nothing of the message was sent');
  assert.equal(await dialog().getByLabel('Subject').inputValue(), `${tag}-too-big`, 'the draft is kept');
});

test('a refused recipient is explained, and the others get the message only when asked', async () => {
  await write({ to: 'bob@example.test, nobody@example.test', subject: `${tag}-partial` });
  await dialog().getByRole('button', { name: 'Send' }).click();
  const ask = dialog().getByRole('button', { name: 'Send to the accepted recipients' });
  await ask.waitFor({ timeout: 20000 });
  const refusal = await dialog().getByTestId('reply-explained').textContent();
  assert.match(refusal, /nobody@example\.test.*550 5\.1\.1/s);
  assert.match(refusal, /does not exist/);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `${tag}-partial`, 1)).length, 0, 'nothing sent before the answer');
  await ask.click();
  await waitStatus(/^Sent to bob@example\.test/);
  assert.equal((await takeMessages('bob@example.test', 'bob-password', `${tag}-partial`, 20)).length, 1);
});

test('over the recipient limit: the rest is explained and goes in a second message', async () => {
  // The test Postfix takes 5 recipients per message; bob+N@example.test all reach bob.
  const to = [1, 2, 3, 4, 5, 6].map((n) => `bob+${n}@example.test`).join(', ');
  await write({ to, subject: `${tag}-batch` });
  await dialog().getByRole('button', { name: 'Send' }).click();
  const ask = dialog().getByRole('button', { name: 'Send to the accepted recipients' });
  await ask.waitFor({ timeout: 20000 });
  assert.match(await dialog().getByTestId('reply-explained').textContent(), /bob\+6@example\.test.*452 4\.5\.3.*more recipients than this server takes at once/s);
  await ask.click();
  await waitStatus(/^Sent to bob\+1@example\.test, .*bob\+5@example\.test/);
  const rest = dialog().getByRole('button', { name: 'Send to them in a second message' });
  assert.match(await dialog().getByText(/did not get it/).textContent(), /1 did not get it: bob\+6@example\.test/);
  await rest.click();
  await waitStatus(/^Sent to bob\+6@example\.test/);
  // Sent in full, the dialog closes; the last conversation is in the account's settings.
  await dialog().waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Settings' }).click();
  const last = await page.getByTestId('smtp-transcript').textContent();
  assert.deepEqual(last.match(/RCPT TO:<[^>]*>/g), ['RCPT TO:<bob+6@example.test>'], 'the second message goes to the rest only');
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ }).click();
  await page.waitForURL(/\/f\/INBOX$/);
  const copies = await takeMessages('bob@example.test', 'bob-password', `${tag}-batch`, 20);
  assert.ok(copies.length >= 2, `both messages arrived (${copies.length} copies)`);
  assert.deepEqual(errors, []);
});

test('an attachment reaches bob byte for byte; a file dropped on the dialog is attached and can be removed', async () => {
  const subject = `${tag}-attachment Grüße`;
  const bytes = randomBytes(150_000);
  await write({ to: 'Bob <bob@example.test>', subject, files: [{ name: 'data.bin', mimeType: 'application/octet-stream', buffer: bytes }] });
  const attachments = dialog().getByRole('list', { name: 'Attachments' });
  await attachments.getByText('data.bin').waitFor();
  assert.match(await dialog().getByText(/on the wire/).textContent(), /grow by a third as base64/);
  await dialog().evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
    el.querySelector('form').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await attachments.getByText('dropped.txt').waitFor();
  await attachments.getByRole('button', { name: 'Remove dropped.txt' }).click();
  await attachments.getByText('dropped.txt').waitFor({ state: 'detached' });
  await dialog().getByRole('button', { name: 'Send' }).click();
  await waitStatus(/^Sent to bob@example\.test/);
  const [raw] = await takeMessages('bob@example.test', 'bob-password', `${tag}-attachment`, 20);
  assert.ok(raw, 'bob received the message');
  const parsed = await PostalMime.parse(Buffer.from(raw, 'latin1'));
  assert.equal(parsed.subject, subject);
  assert.deepEqual(parsed.attachments.map((a) => a.filename), ['data.bin']);
  assert.ok(Buffer.from(parsed.attachments[0].content).equals(bytes), 'the attachment is byte-identical');
});

test('Reply all answers everyone but me, threaded; Forward quotes the message', async () => {
  const subject = `${tag}-answer-me`;
  const id = `${tag}.original@example.test`;
  await converse(10025, [
    [null, /^220 .*\r\n/m], ['EHLO client.test\r\n', /^250 .*\r\n/m], ['MAIL FROM:<bob@example.test>\r\n', /^250 .*\r\n/m],
    ['RCPT TO:<alice@example.test>\r\n', /^250 .*\r\n/m], ['DATA\r\n', /^354 .*\r\n/m],
    [`From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nCc: Cleo <bob+cleo@example.test>, alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n\r\nShall we meet at ten?\r\n.\r\n`, /^250 .*\r\n/m],
    ['QUIT\r\n', /^221 .*\r\n/m],
  ]);
  if (await dialog().isVisible()) await dialog().getByRole('button', { name: 'Close' }).click();
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ }).click();
  const row = page.getByRole('listitem', { name: new RegExp(subject) });
  await row.waitFor({ timeout: 20000 });
  await row.getByRole('button').first().click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: subject }).waitFor();

  await reading.getByRole('button', { name: 'Reply all' }).click();
  assert.equal(await dialog().getByLabel('To').inputValue(), 'Bob <bob@example.test>');
  assert.equal(await dialog().getByLabel('Cc', { exact: true }).inputValue(), 'Cleo <bob+cleo@example.test>', 'everyone but me');
  assert.equal(await dialog().getByLabel('Subject').inputValue(), `Re: ${subject}`);
  assert.match(await dialog().getByLabel('Message').inputValue(), /Bob <bob@example\.test> wrote:\n> Shall we meet at ten\?/);
  await dialog().getByRole('button', { name: 'Send' }).click();
  await waitStatus(/^Sent to bob@example\.test, bob\+cleo@example\.test/);
  const replies = await takeMessages('bob@example.test', 'bob-password', `Re: ${subject}`, 20);
  assert.ok(replies.length >= 1, 'the reply arrived');
  const reply = await PostalMime.parse(Buffer.from(replies[0], 'latin1'));
  assert.equal(reply.inReplyTo, `<${id}>`);
  assert.equal(reply.references, `<${id}>`);

  await dialog().waitFor({ state: 'detached' });
  await reading.getByRole('button', { name: 'Forward', exact: true }).click();
  assert.equal(await dialog().getByLabel('Subject').inputValue(), `Fwd: ${subject}`);
  assert.match(await dialog().getByLabel('Message').inputValue(), /Shall we meet at ten\?/);
  await dialog().getByLabel('To').fill('bob@example.test');
  await dialog().getByRole('button', { name: 'Send' }).click();
  await waitStatus(/^Sent to bob@example\.test \(/);
  const [forward] = await takeMessages('bob@example.test', 'bob-password', `Fwd: ${subject}`, 20);
  assert.match(forward, /Shall we meet at ten\?/);
  assert.deepEqual(errors, []);
});
