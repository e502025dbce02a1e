// Parsing speed and app size, measured in one headless Chromium page: the release build of
// Mailscope's core (through the app's own wasm) against postal-mime, the JavaScript parser a
// browser tool would use. Prints figures; asserts nothing. Run: npm run bench
// (or scripts/bench.sh, which builds the app first).
import { readFileSync, readdirSync, statSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../browser/fixtures/browser.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(REPO, 'dist');
const POSTAL = join(REPO, 'node_modules/postal-mime/dist/esm');
const APP = process.env.MAILSCOPE_URL ?? 'http://127.0.0.1:8080/';

function corpusMessages(limit) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.eml') && out.length < limit) out.push(readFileSync(p).toString('base64'));
    }
  };
  walk(join(REPO, 'crates/core/testdata/corpus/sisimai-set-of-emails/maildir/bsd'));
  walk(join(REPO, 'crates/core/testdata/corpus/flanker'));
  return out;
}

function appSize() {
  const files = readdirSync(DIST).filter((f) => /\.(wasm|js|css)$/.test(f));
  let raw = 0, gz = 0;
  const each = {};
  for (const f of files) {
    const b = readFileSync(join(DIST, f));
    const g = gzipSync(b, { level: 9 }).length;
    raw += b.length; gz += g;
    each[f.replace(/-[0-9a-f]{16}/, '')] = { raw: b.length, gzip: g };
  }
  return { raw, gzip: gz, each };
}

/** A 26.6 MB message: a short text part and one big base64 attachment. */
function coldMessage() {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = [];
  for (let i = 0; i < 341_000; i++) {
    let l = '';
    for (let j = 0; j < 76; j++) l += abc[(i * 31 + j * 7) % 64];
    lines.push(l);
  }
  return 'Received: from a.example (a.example [192.0.2.1]) by b.example with ESMTPS id x1; Tue, 3 Mar 2026 10:00:01 +0000\r\n'
    + 'From: a@example.org\r\nTo: b@example.net\r\nSubject: cold drop\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\n'
    + 'Message-ID: <cold@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
    + '--b\r\nContent-Type: text/plain\r\n\r\nThe attachment follows.\r\n--b\r\nContent-Type: application/octet-stream\r\n'
    + 'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="big.bin"\r\n\r\n'
    + lines.join('\r\n') + '\r\n--b--\r\n';
}

const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
await page.route('**/postal-mime/**', (route) => {
  const file = new URL(route.request().url()).pathname.replace(/^\/postal-mime\//, '');
  route.fulfill({ body: readFileSync(join(POSTAL, file)), contentType: 'text/javascript' });
});
await page.goto(APP);
await page.waitForFunction(() => window.wasmBindings?.analyze_json);

const mixed = corpusMessages(200);
const results = await page.evaluate(async ({ mixed }) => {
  const { default: PostalMime } = await import('/postal-mime/postal-mime.js');
  const enc = new TextEncoder();
  const b64line = (n) => {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < 76; i++) s += abc[(i * 7 + n) % 64];
    return s + '\r\n';
  };
  const attachment = (name, bytes) => {
    const lines = [];
    for (let i = 0; i < Math.ceil(bytes / 57); i++) lines.push(b64line(i));
    return `--b\r\nContent-Type: application/octet-stream; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n`
      + `Content-Disposition: attachment; filename="${name}"\r\n\r\n${lines.join('')}`;
  };
  const head = (subject) => 'Received: from a.example (a.example [192.0.2.1]) by b.example with ESMTPS id x1; Tue, 3 Mar 2026 10:00:01 +0000\r\n'
    + 'From: =?UTF-8?Q?J=C3=B6rg?= <j@example.org>\r\nTo: You <you@example.net>\r\n'
    + `Subject: ${subject}\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000\r\nMessage-ID: <${subject}@example.org>\r\n`
    + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n';
  const text = (n) => '--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    + 'Gr=C3=BC=C3=9Fe, this is line of body text that goes on for a while.\r\n'.repeat(n);
  const small = enc.encode(head('small') + text(40) + '--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' + '<p>Hello <b>there</b></p>\r\n'.repeat(40) + '--b--\r\n');
  const medium = enc.encode(head('medium') + text(50) + attachment('a.pdf', 330_000) + attachment('b.png', 330_000) + attachment('c.zip', 330_000) + '--b--\r\n');
  const large = enc.encode(head('large') + text(50) + attachment('big.bin', 18_700_000) + '--b--\r\n');
  const mixedBytes = mixed.map((b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));

  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Each sample repeats the set enough times to last about 25 ms, since the page's timer is
  // coarse (0.1 ms); the figure is the median sample divided by its repetitions.
  async function time(fn, set, minMs) {
    const once = async () => { for (const m of set) await fn(m); };
    let t0 = performance.now();
    await once();
    const reps = Math.max(1, Math.ceil(25 / Math.max(performance.now() - t0, 0.05)));
    const runs = [];
    const deadline = performance.now() + minMs;
    do {
      t0 = performance.now();
      for (let r = 0; r < reps; r++) await once();
      runs.push((performance.now() - t0) / reps);
    } while (performance.now() < deadline || runs.length < 5);
    return median(runs);
  }
  const ours = (m) => window.wasmBindings.analyze_json(m).length;
  const postal = async (m) => (await PostalMime.parse(m)).attachments.length;
  const sets = { 'small (5 KB)': [small], 'medium (1 MB, 3 attachments)': [medium], 'large (25 MB)': [large], 'mixed (200 corpus messages)': mixedBytes };
  const out = [];
  for (const [name, set] of Object.entries(sets)) {
    const bytes = set.reduce((a, m) => a + m.length, 0);
    // Warm both up once, then measure.
    for (const m of set) { ours(m); await postal(m); }
    const oursMs = await time(ours, set, 1500);
    const postalMs = await time(postal, set, 1500);
    out.push({ name, bytes, oursMBs: bytes / 1e6 / (oursMs / 1000), postalMBs: bytes / 1e6 / (postalMs / 1000) });
  }

  // Drop to summary: a 25 MB file dropped on the page until its subject is on screen.
  const drops = [];
  for (let i = 0; i < 5; i++) {
    const subject = `drop ${i}`;
    const file = new File([head(subject) + text(50) + attachment('big.bin', 18_700_000) + '--b--\r\n'], `big-${i}.eml`);
    const dt = new DataTransfer();
    dt.items.add(file);
    const t0 = performance.now();
    document.querySelector('[data-testid=drop-zone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((resolve) => {
      const check = () => (document.querySelector('[data-testid=subject]')?.textContent === subject ? resolve() : requestAnimationFrame(check));
      check();
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    drops.push({ ms: performance.now() - t0, size: file.size });
  }
  return { out, drops: drops.map((d) => d.ms), dropSize: drops[0].size };
}, { mixed });
await page.close();

// The path a person takes: a real 26.6 MB file from disk given to the file input of a freshly
// loaded page (a new tab each run), until the summary is painted and until the whole
// analysis is shown; and postal-mime reading and parsing the same file in the same kind of
// fresh page.
const coldFile = join(tmpdir(), 'mailscope-bench-26mb.eml');
writeFileSync(coldFile, coldMessage());
const cold = { summary: [], whole: [], postal: [], size: statSync(coldFile).size };
for (let i = 0; i < 5; i++) {
  const fresh = await context.newPage();
  await fresh.goto(APP);
  await fresh.getByTestId('drop-zone').waitFor();
  await fresh.evaluate(() => {
    window.__cold = new Promise((resolve) => {
      document.querySelector('[data-testid=file-picker]').addEventListener('change', () => {
        const t0 = performance.now();
        let summary = null;
        const check = () => {
          if (summary === null && document.querySelector('[data-testid=subject]')?.textContent === 'cold drop') summary = performance.now() - t0;
          if (summary !== null && document.querySelector('[data-testid=tab-mime]')) requestAnimationFrame(() => resolve({ summary, whole: performance.now() - t0 }));
          else requestAnimationFrame(check);
        };
        check();
      }, { capture: true, once: true });
    });
  });
  await fresh.getByTestId('file-picker').setInputFiles(coldFile);
  const t = await fresh.evaluate(() => window.__cold);
  cold.summary.push(t.summary);
  cold.whole.push(t.whole);
  await fresh.close();

  const peer = await context.newPage();
  await peer.route('**/postal-mime/**', (route) => {
    const file = new URL(route.request().url()).pathname.replace(/^\/postal-mime\//, '');
    route.fulfill({ body: readFileSync(join(POSTAL, file)), contentType: 'text/javascript' });
  });
  await peer.goto(APP);
  await peer.getByTestId('drop-zone').waitFor();
  await peer.evaluate(async () => {
    const { default: PostalMime } = await import('/postal-mime/postal-mime.js');
    window.__postal = new Promise((resolve) => {
      document.querySelector('[data-testid=file-picker]').addEventListener('change', async (e) => {
        // Only postal-mime reads this file: the app's own handler is kept out.
        e.stopImmediatePropagation();
        const t0 = performance.now();
        const parsed = await PostalMime.parse(await e.target.files[0].arrayBuffer());
        resolve({ ms: performance.now() - t0, attachments: parsed.attachments.length });
      }, { capture: true, once: true });
    });
  });
  await peer.getByTestId('file-picker').setInputFiles(coldFile);
  cold.postal.push((await peer.evaluate(() => window.__postal)).ms);
  await peer.close();
}
await context.close();
rmSync(coldFile, { force: true });

const size = appSize();
const f = (x) => x.toFixed(1);
console.log(`Chromium ${process.env.CHROMIUM ?? '/usr/bin/chromium'}, one page, medians.\n`);
console.log('| message | size | Mailscope core (wasm) MB/s | postal-mime MB/s | ratio |');
console.log('|---|---:|---:|---:|---:|');
for (const r of results.out) {
  console.log(`| ${r.name} | ${r.bytes >= 1e6 ? (r.bytes / 1e6).toFixed(2) + ' MB' : (r.bytes / 1e3).toFixed(1) + ' KB'} | ${f(r.oursMBs)} | ${f(r.postalMBs)} | ${f(r.oursMBs / r.postalMBs)}× |`);
}
const drops = [...results.drops].sort((a, b) => a - b);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = (xs) => xs.map((d) => d.toFixed(0)).join(', ');
console.log(`\nCold, as a person meets it: a ${(cold.size / 1e6).toFixed(1)} MB file from disk given to the file input of a freshly loaded page (5 runs, new tab each):`);
console.log(`  summary painted: median ${med(cold.summary).toFixed(0)} ms (${runs(cold.summary)})`);
console.log(`  whole analysis shown: median ${med(cold.whole).toFixed(0)} ms (${runs(cold.whole)})`);
console.log(`  postal-mime, reading and parsing the same file: median ${med(cold.postal).toFixed(0)} ms (${runs(cold.postal)})`);
console.log(`  ratio to postal-mime: summary ${(med(cold.summary) / med(cold.postal)).toFixed(2)}×, whole analysis ${(med(cold.whole) / med(cold.postal)).toFixed(2)}×`);
console.log(`\nWarm, in memory: drop to summary, ${(results.dropSize / 1e6).toFixed(1)} MB message on a page that has opened it before: median ${drops[2].toFixed(0)} ms (runs: ${results.drops.map((d) => d.toFixed(0)).join(', ')} ms)`);
console.log(`App as served: ${(size.raw / 1000).toFixed(0)} KB raw, ${(size.gzip / 1000).toFixed(0)} KB gzip`);
for (const [k, v] of Object.entries(size.each)) console.log(`  ${k}: ${(v.raw / 1000).toFixed(0)} KB raw, ${(v.gzip / 1000).toFixed(0)} KB gzip`);
mkdirSync(join(REPO, 'test-results'), { recursive: true });
writeFileSync(join(REPO, 'test-results/bench.json'), JSON.stringify({ ...results, cold, size }, null, 2));
