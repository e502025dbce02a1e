// The mail app's IMAP cache as a person meets it, in headless Chromium through the proxy
// against the test Dovecot: a 10,000-message folder opened cold, left, and reopened. For
// each open (cold, reopened, reopened after a reload): the time from the click to the
// first screen of rows (measured in the page,
// from the click event to the newest row drawn), and the bytes Dovecot sent (counted by a
// TCP relay between the proxy and Dovecot's port 10993, so TLS records as on the wire) until
// the folder is in step. Then a message opened a second time: from the click to its
// heading, and the bytes either way meanwhile.
// The peer for each figure is the cold open in the same run. Prints figures; asserts nothing.
// Run: scripts/bench-cache.sh (or scripts/bench.sh, which runs every benchmark).
import net from 'node:net';
import { fillFolder, converse } from '../browser/fixtures/mailbox.mjs';
import { startProxy } from '../browser/fixtures/servers.mjs';
import { launch } from '../browser/fixtures/browser.mjs';
import { fillAccount, messageList, trustUntil, waitStatus } from '../browser/fixtures/mailapp.mjs';

const USER = 'alice@example.test', PASS = 'alice-password';
const N = 10000;
const name = `cache-bench-${Date.now()}`;
const newest = `${name}-${String(N).padStart(5, '0')}`;

async function deleteFolder(folder) {
  await converse(10143, [[null, /^\* OK.*\r\n/m], [`a LOGIN ${USER} ${PASS}\r\n`, /a OK.*\r\n/],
    [`b DELETE "${folder}"\r\n`, /b (OK|NO).*\r\n/], ['c LOGOUT\r\n', /c OK.*\r\n/]]);
}

await fillFolder(USER, PASS, name, N, name);
// The relay that counts what Dovecot sends (and what it is sent).
const wire = { received: 0, sent: 0 };
const relay = net.createServer((client) => {
  const server = net.connect(10993, '127.0.0.1');
  server.on('data', (d) => { wire.received += d.length; client.write(d); });
  client.on('data', (d) => { wire.sent += d.length; server.write(d); });
  const end = () => { client.destroy(); server.destroy(); };
  server.on('error', end); client.on('error', end); server.on('close', end); client.on('close', end);
});
await new Promise((r) => relay.listen(0, '127.0.0.1', r));
const relayPort = String(relay.address().port);
const proxy = await startProxy([`127.0.0.1:${relayPort}`, '127.0.0.1:10465']);
const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
await page.setViewportSize({ width: 1280, height: 800 });
try {
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, USER, PASS, { incoming: relayPort });
  await trustUntil(page, messageList(page), 'the list');
  await waitStatus(page, /^INBOX: \d+ messages?\.$/);

  // The click and the first drawn row of `subject`, timed in the page.
  const watch = (subject) => page.evaluate((subject) => {
    window.__click = undefined;
    window.__row = undefined;
    addEventListener('click', () => { window.__click ??= performance.now(); }, { capture: true, once: true });
    const seen = () => [...document.querySelectorAll('[role=listitem]')].some((e) => e.getAttribute('aria-label')?.includes(subject));
    const obs = new MutationObserver(() => {
      if (window.__click !== undefined && window.__row === undefined && seen()) { window.__row = performance.now(); obs.disconnect(); }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  }, subject);
  const elapsed = async () => {
    await page.waitForFunction(() => window.__row !== undefined, null, { timeout: 60000 });
    return page.evaluate(() => window.__row - window.__click);
  };
  const folderLink = page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: new RegExp(`^${name}`) });
  const inbox = page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: /^Inbox/ });
  const settle = () => page.waitForTimeout(1000);

  const open = async () => {
    await watch(newest);
    wire.received = 0;
    await folderLink.click();
    const first = await elapsed();
    await waitStatus(page, new RegExp(`^${name}: ${N} messages\\.$`), { timeout: 60000 });
    await settle();
    return { first, bytes: wire.received };
  };

  const cold = await open();
  await inbox.click();
  await waitStatus(page, /^INBOX: \d+ messages?\.$/);
  const warm = await open();
  // The page reloaded (signed in again): nothing in memory but what sign-in read from
  // IndexedDB (every kept folder's state and first screen).
  await inbox.click();
  await waitStatus(page, /^INBOX: \d+ messages?\.$/);
  await page.reload();
  await page.getByLabel('Password').fill(PASS);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitStatus(page, /^INBOX: \d+ messages?\.$/, { timeout: 30000 });
  await settle();
  const reloaded = await open();

  // A message opened, then opened again from what is kept.
  const row = page.getByRole('listitem', { name: new RegExp(newest) });
  const heading = page.getByRole('region', { name: 'Message', exact: true }).getByRole('heading', { name: newest });
  const t0 = Date.now();
  await row.getByRole('button').first().click();
  await heading.waitFor({ timeout: 30000 });
  const download = Date.now() - t0;
  await settle();
  await page.goBack();
  await heading.waitFor({ state: 'detached' });
  await settle();
  wire.received = 0;
  wire.sent = 0;
  await page.evaluate(() => {
    window.__click = undefined;
    window.__shown = undefined;
    addEventListener('click', () => { window.__click ??= performance.now(); }, { capture: true, once: true });
    const obs = new MutationObserver(() => {
      if (window.__click !== undefined && document.querySelector('#mail-subject')) { window.__shown = performance.now(); obs.disconnect(); }
    });
    obs.observe(document.body, { subtree: true, childList: true });
  });
  await row.getByRole('button').first().click();
  await page.waitForFunction(() => window.__shown !== undefined, null, { timeout: 30000 });
  const kept = await page.evaluate(() => window.__shown - window.__click);
  await settle();
  const bytesSent = wire.sent;

  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  console.log(`IMAP cache, ${N}-message folder (Chromium, proxy, Dovecot; QRESYNC):`);
  const x = (a, b) => `${(a / Math.max(b, 1)).toFixed(1)}x`;
  console.log(`  first screen of rows after the click: cold ${cold.first.toFixed(0)} ms; reopened ${warm.first.toFixed(0)} ms (${x(cold.first, warm.first)} sooner);`);
  console.log(`    reopened after a reload (kept folders read from IndexedDB at sign-in) ${reloaded.first.toFixed(0)} ms (${x(cold.first, reloaded.first)} sooner)`);
  console.log(`  bytes from Dovecot until in step: cold ${kb(cold.bytes)}; reopened ${kb(warm.bytes)} (${x(cold.bytes, warm.bytes)} fewer); after a reload ${kb(reloaded.bytes)} (${x(cold.bytes, reloaded.bytes)} fewer)`);
  console.log(`  a message opened: first time ${download} ms (downloaded, end to end), again from the cache ${kept.toFixed(0)} ms after the click;`);
  console.log(`    bytes meanwhile: ${bytesSent} to Dovecot, ${wire.received} from it`);
} finally {
  await context.close();
  await proxy.stop();
  relay.close();
  await deleteFolder(name);
}
