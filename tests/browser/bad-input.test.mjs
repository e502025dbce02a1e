// Bad input gets a clear message, never a crash: empty, binary, huge and truncated files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, ftruncateSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector, fixture } from './fixtures/inspector.mjs';

let context, page, errors, ui;

before(async () => {
  context = await launch();
  ({ page, errors } = await openApp(context));
  ui = new Inspector(page);
});
after(async () => context?.close());

const alerts = () => page.getByTestId('alerts').textContent();

test('an empty file is refused with a reason', async () => {
  await ui.pick([{ name: 'empty.eml', mimeType: 'message/rfc822', buffer: Buffer.alloc(0) }]);
  await page.waitForFunction(() => document.querySelector('[data-testid=alerts]').textContent.includes('empty'));
  assert.match(await alerts(), /empty\.eml: the file is empty/);
});

test('a binary file is not taken for a message', async () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(2000, 7)]);
  await ui.pick([{ name: 'picture.eml', mimeType: 'message/rfc822', buffer: png }]);
  await page.getByTestId('open-error').waitFor();
  assert.match(await page.getByTestId('open-error').textContent(), /does not look like an e-mail message: it contains binary data/);
  assert.match(await alerts(), /picture\.eml/);
});

test('a 200 MB file is refused before it is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailscope-big-'));
  const path = join(dir, 'huge.mbox');
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 200 * 1000 * 1000);
  closeSync(fd);
  await ui.pick([path]);
  await page.waitForFunction(() => document.querySelector('[data-testid=alerts]').textContent.includes('huge.mbox'));
  assert.match(await alerts(), /huge\.mbox is 200\.00 MB; Mailscope opens files up to 100\.00 MB/);
});

test('a truncated message is shown with its defects', async () => {
  const whole = fixture('route.eml');
  const cut = whole.subarray(0, Math.floor(whole.length * 0.8));
  await ui.pick([{ name: 'cut.eml', mimeType: 'message/rfc822', buffer: cut }]);
  await page.waitForFunction(() => document.querySelector('[data-testid=subject]')?.textContent.includes('Quarterly'));
  await ui.tab('defects');
  assert.match(await page.getByTestId('defects').textContent(), /boundary "b1" is never closed/);
  assert.deepEqual(errors, [], 'no error or panic in the console');
});

test('a 25 MB message shows progress and then its summary', async () => {
  // Built in the page: 25 MB of base64 attachment, dropped as a file.
  const shown = await page.evaluate(async () => {
    const seen = { progress: false };
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid=progress] progress')) seen.progress = true;
    });
    observer.observe(document.body, { subtree: true, childList: true });
    const line = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n';
    const head = 'From: big@example.org\r\nTo: you@example.org\r\nSubject: big one\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\n'
      + 'Message-ID: <big@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n'
      + '--zz\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--zz\r\nContent-Type: application/octet-stream\r\n'
      + 'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=big.bin\r\n\r\n';
    const body = line.repeat(Math.ceil(25e6 / line.length));
    const file = new File([head, body, '--zz--\r\n'], 'big.eml');
    const dt = new DataTransfer();
    dt.items.add(file);
    document.querySelector('[data-testid=drop-zone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const start = performance.now();
    // The summary comes first (from the header), the tabs once the whole file is analysed.
    while (!document.querySelector('[data-testid=subject]')?.textContent.includes('big one')
      || !document.querySelector('[data-testid=tab-mime]')) {
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - start > 20000) break;
    }
    observer.disconnect();
    return { ...seen, size: file.size };
  });
  assert.ok(shown.size > 25e6);
  assert.ok(shown.progress, 'a progress bar was shown while reading');
  await ui.tab('mime');
  const parts = await ui.parts();
  // 320,513 lines of 76 base64 characters, 57 bytes each.
  assert.equal(parts.find((p) => p.path === '1.2').decoded, '18.27 MB');
  assert.deepEqual(errors, []);
});
