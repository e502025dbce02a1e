// The live checks as a person meets them: a freshly loaded inspector, a message with three
// DKIM signatures and a five-hop route opened from disk (written by the native benchmark,
// crates/driver/examples/live_bench.rs), "Check live" clicked: the time until the verdicts
// show (the live-check worker fetched and compiled, every DNS question asked through the
// proxy to NSD on loopback), and within it the DNS part the section reports. Median of five
// fresh pages. Needs MAILSCOPE_URL (served with --resolver 127.0.0.1:10053) and
// tests/mailserver.sh started.
//   MAILSCOPE_URL=http://127.0.0.1:PORT/ node tests/bench/live.bench.mjs FILE.eml
import { readFileSync } from 'node:fs';
import { launch, openApp } from '../browser/fixtures/browser.mjs';
import { Inspector } from '../browser/fixtures/inspector.mjs';

const file = process.argv[2];
if (!file) throw new Error('usage: node tests/bench/live.bench.mjs FILE.eml (from live_bench)');
const raw = readFileSync(file);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const clicks = [];
const dns = [];
let queries = '';
for (let i = 0; i < 5; i++) {
  const context = await launch();
  const { page } = await openApp(context);
  const ui = new Inspector(page);
  await page.getByTestId('file-picker').setInputFiles({ name: 'bench.eml', mimeType: 'message/rfc822', buffer: raw });
  await ui.waitForCount(1);
  await ui.tab('auth');
  const button = page.getByRole('button', { name: 'Check live' });
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Check live' && !b.disabled), null, { timeout: 10000 });
  const started = await page.evaluate(() => performance.now());
  await button.click();
  await page.getByRole('button', { name: 'Check again' }).waitFor({ timeout: 30000 });
  const ended = await page.evaluate(() => performance.now());
  const summary = await page.getByTestId('live-transcript').locator('summary').textContent();
  const m = summary.match(/(\d+) queries in (\d+) rounds?, (\d+) ms/);
  if (!m) throw new Error(`no DNS figures in "${summary}"`);
  clicks.push(ended - started);
  dns.push(Number(m[3]));
  queries = `${m[1]} queries in ${m[2]} rounds`;
  await context.close();
}
console.log('live checks in Chromium, a fresh page each time, median of 5:');
console.log(`  click to verdicts:   ${median(clicks).toFixed(0)} ms (the worker's 545 KB fetched and compiled, then DNS)`);
console.log(`  of which DNS:        ${median(dns)} ms (${queries}, through the proxy to NSD on loopback)`);
