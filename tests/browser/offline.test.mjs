// The app as delivered, in Chromium through the real proxy: compressed on the wire, kept by
// the browser (a reload asks the server for no hashed file), opening with the proxy stopped
// (the inspector analyses a dropped file; the mail app shows a POP3 account's stored mail
// and says it is offline), and a new build offered with "Reload to update".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startProxy } from './fixtures/servers.mjs';
import { startWire } from './fixtures/wire.mjs';
import { launch } from './fixtures/browser.mjs';
import { deliver } from './fixtures/mailbox.mjs';
import { fillAccount, statusText, trustUntil } from './fixtures/mailapp.mjs';
import { Inspector, REPO, fixture } from './fixtures/inspector.mjs';

const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Waits until a service worker controls the page (it claims the page it was installed from). */
async function untilControlled(page, what) {
  await page
    .waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 30000 })
    .catch(async () => {
      const state = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        const s = (w) => w?.state ?? 'none';
        return `controller ${s(navigator.serviceWorker.controller)}, active ${s(r?.active)}, installing ${s(r?.installing)}, waiting ${s(r?.waiting)}`;
      });
      throw new Error(`no service worker came to control ${what}: ${state}`);
    });
}

/** A free port on loopback, for a proxy that must come back at the same address. */
async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

test('the app arrives compressed, and a reload asks the server for no hashed file', async () => {
  const proxy = await startProxy();
  cleanups.push(() => proxy.stop());
  const wire = await startWire(proxy.url);
  cleanups.push(() => wire.close());
  const context = await launch();
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const encodings = new Map();
  page.on('response', async (r) => {
    if (r.url().endsWith('_bg.wasm')) encodings.set(new URL(r.url()).pathname, (await r.allHeaders())['content-encoding']);
  });
  await page.goto(wire.url);
  await page.getByTestId('drop-zone').waitFor();
  await untilControlled(page, '/');
  const root = await context.newCDPSession(page);
  assert.deepEqual((await root.send('Page.getInstallabilityErrors')).installabilityErrors, [], '/ is installable');
  await root.detach();
  await page.goto(`${wire.url}mail/setup`);
  await page.getByLabel('E-mail address').waitFor();
  await untilControlled(page, '/mail/');
  // Chromium finds the mail app installable (manifest, icons, service worker).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], '/mail/ is installable');
  await cdp.detach();
  const wasm = [...encodings];
  assert.equal(wasm.length, 2, `the two apps' wasm files: ${JSON.stringify(wasm)}`);
  for (const [path, encoding] of wasm) assert.equal(encoding, 'br', `${path} on the wire`);

  wire.reset();
  await page.goto(wire.url);
  await page.getByTestId('drop-zone').waitFor();
  await page.goto(`${wire.url}mail/setup`);
  await page.getByLabel('E-mail address').waitFor();
  const hashed = wire.seen.requests.filter((p) => HASHED.test(p));
  assert.deepEqual(hashed, [], `asked again: ${wire.seen.requests.join(', ')}`);
  assert.ok(wire.seen.bytes < 10_000, `a repeat visit of both apps moved ${wire.seen.bytes} bytes`);

  // Without a service worker the browser's own cache keeps hashed files (immutable).
  const plain = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  cleanups.push(() => plain.close());
  const bare = await (await plain.newContext({ serviceWorkers: 'block' })).newPage();
  await bare.goto(wire.url);
  await bare.getByTestId('drop-zone').waitFor();
  wire.reset();
  await bare.reload();
  await bare.getByTestId('drop-zone').waitFor();
  assert.deepEqual(wire.seen.requests.filter((p) => HASHED.test(p)), [], `asked again: ${wire.seen.requests.join(', ')}`);
  assert.ok(wire.seen.requests.includes('/'), 'the page itself is revalidated');
});

test('with the proxy stopped, the inspector and the mail app open from this browser', async () => {
  const tag = `offline-${process.pid}-${Date.now()}`;
  const USER = 'carol@example.test';
  await deliver(tag, 'Read without a network.', USER);
  const listen = `127.0.0.1:${await freePort()}`;
  const proxy = await startProxy(['127.0.0.1:10995', '127.0.0.1:10465'], listen);
  cleanups.push(() => proxy.stop());
  const context = await launch();
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(proxy.url);
  await page.getByTestId('drop-zone').waitFor();
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, USER, 'carol-password', { incoming: '10995', pop3: true });
  const message = page.getByRole('listitem', { name: new RegExp(tag) });
  await trustUntil(page, message, `the stored message ${tag}`, { errors });
  await untilControlled(page, '/mail/');
  assert.doesNotMatch(await statusText(page), /Offline/);

  await proxy.stop();
  await page.reload();
  await page.getByText('Offline', { exact: true }).waitFor({ timeout: 20000 })
    .catch(async () => { throw new Error(`no offline notice; the page says: ${await statusText(page)}`); });
  await message.waitFor({ timeout: 10000 });
  await message.getByRole('button').click();
  const reading = page.getByRole('region', { name: 'Message', exact: true });
  await reading.getByRole('heading', { name: tag }).waitFor();
  assert.match(await reading.textContent(), /Read without a network\./);
  assert.ok(await page.getByRole('button', { name: 'Check mail' }).isDisabled(), 'checking waits');

  await page.goto(proxy.url);
  await page.getByTestId('drop-zone').waitFor();
  const ui = new Inspector(page);
  await ui.drop([{ name: 'route.eml', buffer: fixture('route.eml') }]);
  await page.getByTestId('subject').waitFor();
  assert.ok((await ui.subject()).length > 0, 'the dropped message is analysed');
  assert.deepEqual(errors, []);
});

test('a new build is offered with "Reload to update", and the reload runs it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailscope-dist-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(REPO, 'dist'), dir, { recursive: true });
  const proxy = await startProxy([], '127.0.0.1:0', dir);
  cleanups.push(() => proxy.stop());
  const context = await launch();
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(proxy.url);
  await page.getByTestId('drop-zone').waitFor();
  await untilControlled(page, '/');

  // The next build: its page changed, so its service worker is a new version.
  const index = join(dir, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<title>', '<meta name="mailscope-build" content="next"><title>'));
  assert.match(readFileSync(index, 'utf8'), /mailscope-build/, 'the page was changed');
  for (const twin of ['index.html.br', 'index.html.gz', 'sw.js.br', 'sw.js.gz']) rmSync(join(dir, twin), { force: true });
  execFileSync('node', [join(REPO, 'scripts/offline.mjs'), dir]);
  const later = new Date(Date.now() + 5000);
  for (const f of [index, join(dir, 'sw.js')]) utimesSync(f, later, later);
  const build = () => page.evaluate(() => document.querySelector('meta[name=mailscope-build]')?.content ?? 'first');

  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  assert.equal(await build(), 'first', 'the running version stays until the user chooses');
  const offer = page.getByRole('button', { name: 'Reload to update' });
  await offer.waitFor({ timeout: 30000 });
  await Promise.all([page.waitForEvent('load', { timeout: 30000 }), offer.click()]);
  await page.getByTestId('drop-zone').waitFor();
  assert.equal(await build(), 'next');
  assert.equal(await offer.count(), 0);
});
