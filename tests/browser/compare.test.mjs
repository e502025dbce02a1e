// Two messages side by side: one message sent through the test Postfix to two recipients,
// one delivered to alice's mailbox and one refused at bounce.test; the delivered copy is
// compared with the copy the bounce returned. Their routes share the submission hop and
// part after it; the delivered copy has the LMTP hop and the delivery fields the other lacks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector } from './fixtures/inspector.mjs';
import { converse, takeMessages } from './fixtures/mailbox.mjs';

let context, page, errors, ui;
const token = `compare-${Date.now()}`;

/** Alice submits one message to herself and to a recipient that bounces. */
async function sendToBoth() {
  const plain = Buffer.from('\0alice@example.test\0alice-password').toString('base64');
  await converse(10465, [
    [null, /^220 .*\r\n/m], ['EHLO client.test\r\n', /^250 .*\r\n/m], [`AUTH PLAIN ${plain}\r\n`, /^235 .*\r\n/m],
    ['MAIL FROM:<alice@example.test>\r\n', /^250 .*\r\n/m], ['RCPT TO:<alice@example.test>\r\n', /^250 .*\r\n/m],
    ['RCPT TO:<nobody@bounce.test>\r\n', /^250 .*\r\n/m], ['DATA\r\n', /^354 .*\r\n/m],
    [`From: Alice <alice@example.test>\r\nTo: alice@example.test, nobody@bounce.test\r\nSubject: ${token}\r\n`
      + `Message-ID: <${token}@example.test>\r\nDate: ${new Date().toUTCString()}\r\n\r\nTwo copies.\r\n.\r\n`, /^250 .*\r\n/m],
    ['QUIT\r\n', /^221 .*\r\n/m],
  ], { tls: true });
}

before(async () => {
  context = await launch();
  ({ page, errors } = await openApp(context));
  ui = new Inspector(page);
});
after(async () => context?.close());

test('a delivered copy and the copy its bounce returned, compared', async () => {
  await sendToBoth();
  // Both arrive in alice's mailbox: the copy, and Postfix's report with the other copy.
  const found = [];
  const deadline = Date.now() + 30000;
  while (found.length < 2 && Date.now() < deadline) found.push(...(await takeMessages('alice@example.test', 'alice-password', token, 5)));
  const delivered = found.find((m) => !/multipart\/report/i.test(m));
  const bounce = found.find((m) => /multipart\/report/i.test(m));
  assert.ok(delivered && bounce, `both the copy and the bounce arrived (${found.length})`);

  await ui.drop([{ name: 'delivered.eml', buffer: Buffer.from(delivered) }, { name: 'bounce.eml', buffer: Buffer.from(bounce) }]);
  await ui.waitForCount(2);
  await ui.items().nth(1).click();
  await page.getByTestId('open-original').click();
  await ui.waitForCount(3);
  await ui.items().first().click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=subject]')?.textContent === s, token);

  // "c" opens the comparison; the returned copy is chosen by name.
  await page.keyboard.press('c');
  const view = page.getByTestId('compare');
  await view.waitFor();
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: `${token} — original of bounce.eml` });
  await page.waitForFunction(() => /original of bounce\.eml/.test(document.querySelector('.compare-names')?.textContent ?? ''));

  const rows = await page.getByTestId('compare-hop').evaluateAll((els) => els.map((e) => ({ host: e.querySelector('th').textContent, shared: e.dataset.shared === 'true' })));
  assert.ok(rows[0].shared, `the submission hop is shared: ${JSON.stringify(rows)}`);
  assert.equal(rows[0].host, 'mail.example.test');
  assert.ok(rows.some((r) => !r.shared), `the delivered copy went one hop further: ${JSON.stringify(rows)}`);
  assert.equal(await page.getByTestId('compare-parted').textContent(), 'The routes part after mail.example.test.');
  const onlyA = await page.getByTestId('compare-only-a').textContent();
  assert.match(onlyA, /Delivered-To/);
  assert.deepEqual(errors, []);
});

test('with one message open, the comparison says what to open', async () => {
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  await ui.drop([{ name: 'one.eml', buffer: Buffer.from(`From: a@example.org\r\nSubject: alone\r\n\r\nx\r\n`) }]);
  await ui.waitForCount(1);
  await page.getByRole('tab', { name: 'Compare' }).click();
  assert.match(await page.getByTestId('compare-none').textContent(), /Open a second message/);
});
