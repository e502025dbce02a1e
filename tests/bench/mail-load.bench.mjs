// The mail app's first load as a person meets it: a fresh browser opens /mail/ for an
// account it remembers, and everything requested until the "Sign in" form is usable is
// counted (each file's size as served and gzip -9, from dist/), then what the first
// connection adds (the TLS worker). "Usable" is the moment the button is in the page
// (watched inside it); what is asked for after it (the service worker's script, registered
// once the app has started) is listed apart. Prints the figures against the budget (700 KB gzip).
//   MAILSCOPE_URL=http://127.0.0.1:PORT/ node tests/bench/mail-load.bench.mjs
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, APP_URL } from '../browser/fixtures/browser.mjs';
import { REPO } from '../browser/fixtures/inspector.mjs';

const BUDGET = 700_000;
const account = {
  address: 'alice@example.test', name: '', incoming_kind: 'imap',
  incoming: { host: '127.0.0.1', port: 10993, security: 'tls' }, incoming_user: 'alice@example.test',
  outgoing: { host: '127.0.0.1', port: 10465, security: 'tls' }, outgoing_user: 'alice@example.test',
};

/** The file of `dist/` a URL names, and its sizes (raw, gzip -9). */
function sizes(url) {
  const path = new URL(url).pathname.replace(/^\//, '');
  let file = join(REPO, 'dist', path);
  if (!existsSync(file) || path.endsWith('/') || path === '') file = join(REPO, 'dist', path, 'index.html');
  if (!existsSync(file)) file = join(REPO, 'dist/mail/index.html');
  const b = readFileSync(file);
  return { name: path || 'index.html', raw: b.length, gzip: gzipSync(b, { level: 9 }).length };
}

const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
// The account is remembered (no password): the sign-in screen is what a returning person sees.
await page.goto(`${APP_URL}mail/setup`);
await page.evaluate((a) => localStorage.setItem('mailscope.accounts', JSON.stringify([a])), account);
const fresh = await context.newPage();
await page.close();
const requested = [];
fresh.on('request', (r) => { if (!r.url().startsWith('ws')) requested.push(r); });
// The moment the "Sign in" button is in the page, as wall-clock time.
await fresh.addInitScript(() => {
  new MutationObserver((_, observer) => {
    if ([...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign in')) {
      window.__usableAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
});
const t0 = Date.now();
await fresh.goto(`${APP_URL}mail/alice@example.test/f/INBOX`);
await fresh.getByRole('button', { name: 'Sign in' }).waitFor();
const usableAt = await fresh.evaluate(() => window.__usableAt);
await fresh.waitForTimeout(1000);
const ms = Math.round(usableAt - t0);
// When each request started (wall-clock, as the browser timed it).
const started = (r) => r.timing().startTime;
const before = requested.filter((r) => started(r) <= usableAt).map((r) => sizes(r.url()));
const after = requested.filter((r) => started(r) > usableAt).map((r) => sizes(r.url()));
const total = before.reduce((s, f) => s + f.gzip, 0);
const worker = ['mail/mailscope-net.js', 'mail/mailscope-net_bg.wasm', 'mail/mailscope-net_loader.js']
  .map((p) => sizes(`${APP_URL}${p}`));
const workerTotal = worker.reduce((s, f) => s + f.gzip, 0);
await context.close();

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(`Mail app, first load until "Sign in" is usable (${ms} ms on loopback), what the browser requested:`);
for (const f of before) console.log(`  ${f.name}: ${kb(f.raw)} raw, ${kb(f.gzip)} gzip`);
console.log(`  total: ${kb(total)} gzip, budget ${kb(BUDGET)}: ${total <= BUDGET ? `within, by ${kb(BUDGET - total)}` : `over by ${kb(total - BUDGET)}`}`);
console.log(`Asked for in the second after (not counted): ${after.map((f) => `${f.name} ${kb(f.gzip)}`).join(', ') || 'nothing'}`);
console.log(`At the first connection (sign-in), the TLS worker: ${kb(workerTotal)} gzip (${worker.map((f) => `${f.name} ${kb(f.gzip)}`).join(', ')})`);
console.log(`Both: ${kb(total + workerTotal)} gzip`);
