// The IMAP web mail on big folders, in headless Chromium through the proxy against the test
// Dovecot (tests/mailserver.sh): folders of 1,000 and 10,000 messages are filled, then for
// each, in a fresh page: time from clicking the folder to the first screen of rows, time to
// the rows after a jump to the middle, and the page's memory (JS heap after GC, wasm memory,
// DOM nodes) after scrolling the list top, middle, end, top. The peer: the same SELECT and
// first page of rows over a raw IMAP socket from Node, no proxy and no browser.
// Prints figures; asserts nothing. Run: scripts/bench-webmail.sh
import { fillFolder, converse } from '../browser/fixtures/mailbox.mjs';
import { startProxy } from '../browser/fixtures/servers.mjs';
import { openWebmail } from '../browser/fixtures/webmail.mjs';

const USER = 'alice@example.test', PASS = 'alice-password';
const run = `bench-${Date.now()}`;
const sizes = [1000, 10000];

async function deleteFolder(name) {
  await converse(10143, [[null, /^\* OK.*\r\n/m], [`a LOGIN ${USER} ${PASS}\r\n`, /a OK.*\r\n/], [`b DELETE "${name}"\r\n`, /b (OK|NO).*\r\n/], ['c LOGOUT\r\n', /c OK.*\r\n/]]);
}

/** The peer: what the app asks on a first open, over a raw socket: SELECT, every UID, and
 *  the newest 50 rows with the same items. */
async function rawFirstScreen(name, n) {
  const t0 = performance.now();
  await converse(10143, [
    [null, /^\* OK.*\r\n/m], [`a LOGIN ${USER} ${PASS}\r\n`, /a OK.*\r\n/],
    [`b SELECT "${name}"\r\n`, /b OK.*\r\n/],
    ['s UID SEARCH ALL\r\n', /s OK.*\r\n/],
    [`c UID FETCH ${n - 49}:${n} (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (REFERENCES)])\r\n`, /c OK.*\r\n/],
    ['d LOGOUT\r\n', /d OK.*\r\n/],
  ]);
  return performance.now() - t0;
}

async function measure(proxy, name, n) {
  const w = await openWebmail(proxy);
  await w.page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
  await w.page.reload();
  await w.page.getByTestId('webmail-page').waitFor();
  await w.signIn();
  const cdp = await w.context.newCDPSession(w.page);
  await cdp.send('Performance.enable');

  const t0 = performance.now();
  await w.folder(name).click();
  await w.row(`${name}-${String(n).padStart(5, '0')}`).waitFor({ timeout: 30000 });
  await w.settled();
  const first = performance.now() - t0;

  const list = w.page.getByTestId('imap-messages');
  const middle = String(Math.ceil(n / 2)).padStart(5, '0');
  const t1 = performance.now();
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight / 2 - el.clientHeight / 2; });
  await w.row(`${name}-${middle}`).waitFor({ timeout: 30000 });
  await w.settled();
  const toMiddle = performance.now() - t1;

  for (const [where, subject] of [['end', `${name}-00001`], ['top', `${name}-${String(n).padStart(5, '0')}`]]) {
    await list.evaluate((el, at) => { el.scrollTop = at === 'end' ? el.scrollHeight : 0; }, where);
    await w.row(subject).waitFor({ timeout: 30000 });
    await w.settled();
  }
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const wasmBytes = await w.page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? 0);
  const rows = await w.page.getByTestId('imap-message').count();
  await w.context.close();
  return { first, toMiddle, heap: metrics.JSHeapUsedSize, wasmBytes, nodes: metrics.Nodes, rows };
}

const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const proxy = await startProxy(['127.0.0.1:10993']);
try {
  for (const n of sizes) {
    const name = `${run}-${n}`;
    const t = performance.now();
    await fillFolder(USER, PASS, name, n, name);
    console.log(`filled ${name} with ${n} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const results = {};
  for (const n of sizes) {
    const name = `${run}-${n}`;
    await rawFirstScreen(name, n); // Dovecot indexes the new folder once, for both sides.
    const m = await measure(proxy, name, n);
    const peer = Math.min(...(await Promise.all([0, 1, 2].map(() => rawFirstScreen(name, n)))));
    results[n] = m;
    console.log(`${n} messages: first screen ${m.first.toFixed(0)} ms (raw IMAP from Node: ${peer.toFixed(0)} ms, ${(m.first / peer).toFixed(1)}×), ` +
      `to the middle ${m.toMiddle.toFixed(0)} ms; after scrolling top-middle-end-top: JS heap ${mb(m.heap)}, wasm memory ${mb(m.wasmBytes)}, ` +
      `${m.nodes} DOM nodes, ${m.rows} rows drawn`);
  }
  const [a, b] = sizes.map((n) => results[n]);
  console.log(`memory ${sizes[1]} vs ${sizes[0]} messages: JS heap ${(b.heap / a.heap).toFixed(2)}×, wasm ${(b.wasmBytes / a.wasmBytes).toFixed(2)}×, DOM nodes ${(b.nodes / a.nodes).toFixed(2)}×`);
} finally {
  for (const n of sizes) await deleteFolder(`${run}-${n}`).catch(() => {});
  proxy.close();
}
