// HTML mail is shown only inside a sandbox: no script runs, no dialog opens, and nothing
// remote loads until the user asks for this one message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector } from './fixtures/inspector.mjs';
import { startCanary, hostileMessage } from './fixtures/canary.mjs';

let context, page, requests, ui, canary;
const dialogs = [];

before(async () => {
  canary = await startCanary();
  context = await launch();
  ({ page, requests } = await openApp(context));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  ui = new Inspector(page);
});
after(async () => {
  await context?.close();
  await canary?.close();
});

/** A freshly loaded inspector (nothing open). */
async function fresh() {
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  // What the page itself fetches after starting (the service worker's script) is done.
  await page.waitForLoadState('networkidle');
}

/** The hostile invoice open on the body tab. */
async function openInvoice() {
  await ui.drop([{ name: 'invoice.eml', buffer: Buffer.from(hostileMessage(canary.origin)) }]);
  await ui.waitForCount(1);
  await ui.tab('body');
}

test('hostile HTML runs nothing and loads nothing', async () => {
  await fresh();
  const loaded = requests.length;
  await openInvoice();
  const frameEl = page.getByTestId('html-frame');
  await frameEl.waitFor();
  // No scripts, no same origin, no forms, no top navigation: only a clicked link may open a
  // tab of its own.
  assert.equal(await frameEl.getAttribute('sandbox'), 'allow-popups allow-popups-to-escape-sandbox');

  const frame = await (await frameEl.elementHandle()).contentFrame();
  await frame.waitForSelector('#visible');
  assert.equal(await frame.locator('#visible').textContent(), 'Please pay the invoice.');
  // The link is there but clicking it runs nothing.
  await frame.locator('#js').click();
  await frame.locator('form button').click().catch(() => {});
  await page.waitForTimeout(1000);

  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal(await page.title(), 'Mailscope (1 open)', 'the page was not touched by the mail');
  assert.deepEqual(canary.hits, [], 'no remote request reached the canary');
  assert.deepEqual(requests.slice(loaded).filter((u) => u.startsWith('http')), [], 'no request left the page');
  const notice = await page.getByTestId('remote-notice').textContent();
  assert.match(notice, /remote resource\(s\) blocked/);
  const blocked = Number(notice.match(/(\d+) remote/)[1]);
  assert.ok(blocked >= 5, `counted the remote references (${blocked})`);
});

test('remote content loads only when asked, and still runs no script', async () => {
  await fresh();
  await openInvoice();
  await page.getByTestId('html-frame').waitFor();
  await page.getByTestId('load-remote').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=remote-notice]')?.textContent.includes('allowed'));
  const deadline = Date.now() + 5000;
  while (!canary.hits.includes('/pixel.gif') && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(canary.hits.includes('/pixel.gif'), `the image loaded once allowed (${canary.hits})`);
  assert.ok(!canary.hits.includes('/refresh'), 'the refresh redirect stayed inert');
  assert.ok(!canary.hits.includes('/form'), 'the form was not sent');
  assert.deepEqual(dialogs, [], 'still no dialog: onload handlers do not run');
});

test('a link in a mail opens in a new tab, without opener or referrer, and never moves the message frame', async () => {
  const message = [
    'From: Shop <news@shop.example>', 'To: victim@example.org', 'Subject: Links',
    'Date: Tue, 3 Mar 2026 10:00:00 +0000', 'Message-ID: <links@shop.example>', 'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8', '',
    `<p><a id="self" href="${canary.origin}/self-link" target="_self">same frame</a></p>`,
    `<p><a id="top" href="${canary.origin}/top-link" target="_top">top</a></p>`,
    '', ''].join('\r\n');
  await fresh();
  await ui.drop([{ name: 'links.eml', buffer: Buffer.from(message) }]);
  await ui.waitForCount(1);
  await ui.tab('body');
  const frameEl = page.getByTestId('html-frame');
  const frame = await (await frameEl.elementHandle()).contentFrame();
  await frame.waitForSelector('#self');
  for (const [id, path] of [['self', '/self-link'], ['top', '/top-link']]) {
    const [popup] = await Promise.all([context.waitForEvent('page', { timeout: 10000 }), frame.locator(`#${id}`).click()]);
    await popup.waitForLoadState('domcontentloaded').catch(() => {});
    assert.equal(popup.url(), `${canary.origin}${path}`, `${id} opened in a tab of its own`);
    assert.equal(await popup.evaluate(() => window.opener), null, 'no opener');
    assert.equal(await popup.evaluate(() => document.referrer), '', 'no referrer');
    await popup.close();
  }
  // The message frame and the app are where they were.
  assert.equal(await frame.evaluate(() => location.href), 'about:srcdoc');
  assert.match(page.url(), /^http:\/\/127\.0\.0\.1/);
  assert.deepEqual(dialogs, []);
});
