// The live checks as a person meets them: a freshly loaded inspector, a message with three
// DKIM signatures and a five-hop route opened from disk (written by the native benchmark,
// crates/driver/examples/live_bench.rs), "Check live" clicked: the time until the verdicts
// show (the live-check worker fetched and compiled, every DNS question asked through the
// proxy to NSD on loopback), and within it the DNS part the section reports; before it, the
// time to open the live checks (their page fetched into the Authentication tab's frame). Median of five
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
const opens = [];
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
  // The clicks a person makes: open the live checks (their page is fetched into a frame),
  // then "Check live" once it names the resolver.
  const started = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Open live checks' }).click();
  const live = page.frameLocator('iframe[title="Live checks"]');
  await live.locator('button.primary:not([disabled])').waitFor({ timeout: 10000 });
  const shown = await page.evaluate(() => performance.now());
  await live.getByRole('button', { name: 'Check live' }).click();
  const clicked = await page.evaluate(() => performance.now());
  await live.getByRole('button', { name: 'Check again' }).waitFor({ timeout: 30000 });
  const ended = await page.evaluate(() => performance.now());
  const summary = await live.getByTestId('live-transcript').locator('summary').textContent();
  const m = summary.match(/(\d+) queries in (\d+) rounds?, (\d+) ms/);
  if (!m) throw new Error(`no DNS figures in "${summary}"`);
  opens.push(shown - started);
  clicks.push(ended - clicked);
  dns.push(Number(m[3]));
  queries = `${m[1]} queries in ${m[2]} rounds`;
  await context.close();
}
console.log('live checks in Chromium, a fresh page each time, median of 5:');
console.log(`  open to ready:       ${median(opens).toFixed(0)} ms (the live checks' page fetched into its frame, the resolver named)`);
console.log(`  click to verdicts:   ${median(clicks).toFixed(0)} ms (the worker fetched and compiled, then DNS)`);
console.log(`  of which DNS:        ${median(dns)} ms (${queries}, through the proxy to NSD on loopback)`);
