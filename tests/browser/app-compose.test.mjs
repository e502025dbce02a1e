// Sending from the mail app's compose dialog when the server says no, against the real
// Postfix through the real proxy, by role and accessible name: a message over the server's
// size limit is stopped before anything is sent; a refused recipient is explained and the
// others get the message only when asked; over the server's recipient limit, the rest goes
// in a second message when asked. (The protocol workbench's form is tested the same way.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startProxy } from './fixtures/servers.mjs';
import { takeMessages } from './fixtures/mailbox.mjs';
import { launch } from './fixtures/browser.mjs';
import { fillAccount, statusText, trustUntil } from './fixtures/mailapp.mjs';

const tag = `acompose-${process.pid}-${Date.now()}`;
let proxy, context, page;
const errors = [];

before(async () => {
  proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, 'alice@example.test', 'alice-password');
  await trustUntil(page, page.getByRole('list', { name: 'Messages' }), 'the list of alice@example.test', { errors });
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

async function waitStatus(re, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await page.getByRole('status').allTextContents()).some((l) => re.test(l.trim()))) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`no status matched ${re}; the page says: ${await statusText(page)}; errors: ${errors.join(' | ')}`);
}

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
  const copies = await takeMessages('bob@example.test', 'bob-password', `${tag}-batch`, 20);
  assert.ok(copies.length >= 2, `both messages arrived (${copies.length} copies)`);
  assert.deepEqual(errors, []);
});
