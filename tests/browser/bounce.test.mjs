// Bounces explained in the page: the panel at the top of a real Postfix bounce (from the
// test mail servers), the way into the original message, the mark in the list; what is
// not a bounce. And text in multi-byte charsets, which the page decodes with the
// browser's own TextDecoder. Each test starts from a freshly loaded page with what it drops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector, fixture, REPO } from './fixtures/inspector.mjs';

const testdata = (path) => readFileSync(join(REPO, 'crates/core/testdata', path));

let context, page, errors, ui;

before(async () => {
  context = await launch();
  ({ page, errors } = await openApp(context));
  ui = new Inspector(page);
});
after(async () => context?.close());

/** The inspector as freshly loaded: nothing opened. */
async function fresh() {
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
}

/** Opens the real Postfix bounce (the test mail servers' own). */
async function dropBounce() {
  await ui.drop([{ name: 'postfix-bounce.eml', buffer: testdata('bounce/postfix-test-server.eml') }]);
  await ui.waitForCount(1);
}

test('a real Postfix bounce shows who did not get it, why, and what to do', async () => {
  await fresh();
  await dropBounce();
  const panel = page.getByTestId('bounce-panel');
  await panel.waitFor();
  assert.equal(await page.getByTestId('bounce-title').textContent(), 'Not delivered');
  const rcpt = page.getByTestId('bounce-recipient');
  assert.equal(await rcpt.count(), 1);
  assert.equal(await rcpt.getByTestId('bounce-address').textContent(), 'nobody@bounce.test');
  assert.equal(await rcpt.getByTestId('bounce-reason').textContent(), 'user-unknown');
  const text = await panel.textContent();
  assert.match(text, /The address does not exist at the receiving server\./);
  assert.match(text, /What to do: Check the address for typing mistakes/);
  assert.match(text, /Codes: 550 5\.1\.1 — Permanent failure: bad destination mailbox address/);
  assert.match(text, /What mail\.example\.test said:/);
  assert.match(await page.locator('.bounce-diagnostic').textContent(), /User doesn't exist: nobody@bounce\.test/);
  assert.match(text, /Written by Postfix at mail\.example\.test/);
  assert.match(text, /The report carries the whole message of the original: “Bounce test [0-9-]+” to nobody@bounce\.test/);
  // The panel comes before the summary.
  const order = await page.evaluate(() => {
    const p = document.querySelector('[data-testid=bounce-panel]');
    const s = document.querySelector('[data-testid=summary]');
    return p.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, 'the bounce panel is at the top');
  // "Export analysis (JSON)" sits outside the panel's frame, not over it.
  const button = await page.getByTestId('export-json').boundingBox();
  const frame = await panel.boundingBox();
  assert.ok(button.y >= frame.y + frame.height || button.y + button.height <= frame.y,
    `the export button (${JSON.stringify(button)}) does not overlap the panel (${JSON.stringify(frame)})`);
  assert.equal(await ui.items().first().getByTestId('bounce-mark').textContent(), 'Bounce');
});

test('the original message opens as a message of its own, with its own route', async () => {
  await fresh();
  await dropBounce();
  await page.getByTestId('open-original').click();
  await ui.waitForCount(2);
  await page.waitForFunction(() => /^Bounce test/.test(document.querySelector('[data-testid=subject]')?.textContent ?? ''));
  assert.equal(await page.getByTestId('bounce-panel').count(), 0, 'the original is no bounce');
  assert.match(await ui.items().nth(1).textContent(), /original of postfix-bounce\.eml/);
  assert.equal(await ui.items().nth(1).getByTestId('bounce-mark').count(), 0);
  const hops = await ui.hops();
  assert.ok(hops.length >= 1, 'the copy kept its Received fields');
  assert.ok(hops.some((h) => /mail\.example\.test/.test(h.by)), JSON.stringify(hops));
});

test('an auto-reply is labelled for what it is, and plain mail has no panel', async () => {
  const autoReply = testdata('corpus/sisimai-set-of-emails/maildir/bsd/rfc3834-01.eml');
  await fresh();
  await ui.drop([{ name: 'vacation.eml', buffer: autoReply }, { name: 'route.eml', buffer: fixture('route.eml') }]);
  await ui.waitForCount(2);
  await ui.items().nth(0).click();
  assert.equal(await page.getByTestId('bounce-title').textContent(), 'Automatic reply');
  assert.match(await page.getByTestId('bounce-panel').textContent(), /The message did arrive/);
  assert.equal(await ui.items().nth(0).getByTestId('bounce-mark').textContent(), 'Auto-reply');
  await ui.items().nth(1).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=subject]')?.textContent.includes('Quarterly'));
  assert.equal(await page.getByTestId('bounce-panel').count(), 0);
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [], 'no errors in the console');
});

test('Japanese, Chinese and Korean charsets are decoded by the browser', async () => {
  await fresh();
  await ui.drop([{ name: 'cjk.eml', buffer: fixture('cjk.eml') }]);
  await ui.waitForCount(1);
  assert.equal(await ui.subject(), '配達できませんでした', 'ISO-2022-JP encoded word');
  assert.equal((await page.getByTestId('from').locator('.display-name').textContent()).trim(), '山田', 'Shift_JIS encoded word');
  await ui.tab('body');
  assert.equal((await page.getByTestId('text-body').textContent()).trim(), 'こんにちは、世界（Shift_JIS）');
  await ui.tab('mime');
  for (const [path, text] of [['1.2', '你好，世界（Big5）'], ['1.3', '안녕하세요 세계 (EUC-KR)']]) {
    await page.locator(`[data-testid=part][data-path="${path}"] button`, { hasText: 'Preview' }).click();
    assert.equal((await page.getByTestId('preview-text').textContent()).trim(), text, path);
  }
});

test('a challenge-response message is held, not refused, and its link is shown, never followed', async () => {
  const { startCanary } = await import('./fixtures/canary.mjs');
  const canary = await startCanary();
  try {
    const raw = [
      'From: Bob\'s mail filter <verify@challenge.example>', 'To: ann@example.org',
      'Subject: Please verify your message to bob@example.net', 'Auto-Submitted: auto-replied',
      'Date: Tue, 3 Mar 2026 10:00:00 +0000', 'Message-ID: <c@challenge.example>', '',
      'Your message to bob@example.net has been held because the sender is not pre-approved.',
      'It is waitlisted until you confirm you are a person:', '', `${canary.origin}/confirm?id=12345`, '',
    ].join('\r\n');
    await fresh();
    await ui.drop([{ name: 'challenge.eml', buffer: Buffer.from(raw) }]);
    await ui.waitForCount(1);
    const panel = page.getByTestId('bounce-panel');
    await panel.waitFor();
    assert.equal(await page.getByTestId('bounce-title').textContent(), 'Held until you confirm');
    assert.match(await panel.textContent(), new RegExp(`To confirm, the filter asks you to open: ${canary.origin}/confirm\\?id=12345 \\(Mailscope does not open it\\)`));
    assert.equal(await ui.items().first().getByTestId('bounce-mark').textContent(), 'Held');
    await page.waitForTimeout(300);
    assert.deepEqual(canary.hits, [], 'the link was not followed');
  } finally {
    await canary.close();
  }
});
