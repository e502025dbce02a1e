// The app as delivered: bytes on the wire for a first and a repeat visit of the inspector (/)
// and the mail app (/mail/) in a fresh Chromium, read two ways — the encoded sizes of the
// page's responses as Chromium reports them (CDP Network.loadingFinished), and every byte
// the server sent, counted by a relay in front of the proxy (headers and the service
// worker's own fetches included). Beside them, the shell's files raw, gzip -9 and brotli as
// built. Floors: a first visit of / at most 260 KB, of /mail/ at most 600 KB; a repeat visit
// under 10 KB for either.
//   MAILSCOPE_URL=http://127.0.0.1:PORT/ node tests/bench/delivery.bench.mjs
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, APP_URL } from '../browser/fixtures/browser.mjs';
import { REPO } from '../browser/fixtures/inspector.mjs';
import { startWire } from '../browser/fixtures/wire.mjs';

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const APPS = [
  { name: 'inspector', path: '/', dir: 'dist', ready: (p) => p.getByTestId('drop-zone'), floor: 260_000 },
  { name: 'mail app', path: '/mail/', dir: 'dist/mail', ready: (p) => p.getByLabel('E-mail address'), floor: 600_000 },
];

/** The shell's files as built: raw, gzip -9, and the brotli twin the proxy sends. */
function built(dir) {
  let raw = 0;
  let gzip = 0;
  let br = 0;
  for (const name of readdirSync(join(REPO, dir))) {
    const file = join(REPO, dir, name);
    if (!statSync(file).isFile() || /\.(br|gz)$/.test(name) || name.startsWith('.')) continue;
    if (/^mailscope-(net|live)/.test(name)) continue; // workers: loaded at the first connection or live check
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    br += existsSync(`${file}.br`) ? statSync(`${file}.br`).size : bytes.length;
  }
  return { raw, gzip, br };
}

/** Opens `url` in `page` and returns what Chromium says the page's responses cost. */
async function visit(page, url, ready) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const encoded = new Map();
  const fromWorker = new Set();
  cdp.on('Network.responseReceived', (e) => { if (e.response.fromServiceWorker) fromWorker.add(e.requestId); });
  cdp.on('Network.loadingFinished', (e) => encoded.set(e.requestId, e.encodedDataLength));
  await page.goto(url);
  await ready(page).waitFor({ timeout: 30000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 30000 });
  // Let the service worker finish keeping the shell.
  await page.waitForTimeout(1500);
  await cdp.detach();
  let total = 0;
  for (const [id, n] of encoded) if (!fromWorker.has(id)) total += n;
  return { total, requests: encoded.size, fromWorker: fromWorker.size };
}

console.log('The app as delivered (brotli from the proxy, the service worker keeping the shell):');
for (const app of APPS) {
  const wire = await startWire(APP_URL);
  const context = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const url = new URL(app.path, wire.url).href;
  const first = await visit(page, url, app.ready);
  const firstWire = wire.seen.bytes;
  wire.reset();
  const again = await context.newPage();
  await page.close();
  const repeat = await visit(again, url, app.ready);
  const repeatWire = wire.seen.bytes;
  const asked = wire.seen.requests.join(', ');
  await context.close();
  await wire.close();
  const files = built(app.dir);
  const floor = firstWire <= app.floor ? 'within' : `over by ${kb(firstWire - app.floor)}`;
  console.log(`  ${app.name} (${app.path}): shell ${kb(files.raw)} raw, ${kb(files.gzip)} gzip, ${kb(files.br)} brotli`);
  console.log(`    first visit: ${kb(first.total)} by Chromium's count of the page's ${first.requests} responses; ${kb(firstWire)} on the wire with the service worker's own fetches (floor ${kb(app.floor)}: ${floor})`);
  console.log(`    repeat visit: ${kb(repeat.total)} by Chromium (${repeat.fromWorker} of ${repeat.requests} answered by the service worker); ${kb(repeatWire)} on the wire (floor 10 KB: ${repeatWire < 10_000 ? 'within' : 'over'}; asked: ${asked || 'nothing'})`);
}
