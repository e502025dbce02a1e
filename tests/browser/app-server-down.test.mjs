// The mail server unreachable while the Mailscope server (the proxy) is up: Dovecot is
// reached through a TCP relay of this test, which is closed. The session that ends shows the
// mail kept in this browser; after a reload, signing in fails with the server named and the
// kept folder and message are shown, marked offline ("Try again" meanwhile keeps them); the
// app looks for the server by itself and, once the relay is back, signs in and makes the
// change made meanwhile (checked from a second connection).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { fillFolder, imapSearch } from './fixtures/mailbox.mjs';
import { fillAccount, messageList, statusText, trustUntil, waitStatus as waitStatusOn } from './fixtures/mailapp.mjs';
import { startProxy } from './fixtures/servers.mjs';
import { launch } from './fixtures/browser.mjs';

const USER = 'alice@example.test';
const PW = 'alice-password';
const FOLDER = `sdown-${process.pid}-${Date.now()}`;
let proxy, relay, relayPort, context, page;
const errors = [];
const sockets = new Set();

/** A relay from `port` (0: any free one) to Dovecot's IMAPS port; resolves once listening. */
async function openRelay(port) {
  relay = net.createServer((client) => {
    const upstream = net.connect(10993, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((r) => relay.listen(port, '127.0.0.1', r));
  return relay.address().port;
}

/** Closes the relay and every connection through it, as a server going down. */
async function closeRelay() {
  await new Promise((r) => {
    relay.close(r);
    for (const s of sockets) s.destroy();
  });
}

before(async () => {
  await fillFolder(USER, PW, FOLDER, 4, FOLDER);
  relayPort = await openRelay(0);
  proxy = await startProxy([`127.0.0.1:${relayPort}`, '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${proxy.url}mail/setup`);
  await fillAccount(page, USER, PW, { incoming: String(relayPort) });
  await trustUntil(page, messageList(page), `the list of ${USER}`, { errors });
});
after(async () => {
  await context?.close();
  await proxy?.stop();
  relay?.close();
  for (const s of sockets) s.destroy();
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const row = (text) => page.getByRole('listitem', { name: new RegExp(text) });
const waitStatus = (re, timeout) => waitStatusOn(page, re, { errors, timeout });
const reading = () => page.getByRole('region', { name: 'Message', exact: true });
const offline = () => page.getByTestId('offline-kept');

test('the mail server gone with the proxy up: the kept mail is shown, and a change made meanwhile is made once it is back', async () => {
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: new RegExp(`^${escape(FOLDER)}`) }).click();
  await waitStatus(new RegExp(`^${escape(FOLDER)}: 4 messages\\.$`));
  await row(`${FOLDER}-00002`).getByRole('button').first().click();
  await reading().getByRole('heading', { name: `${FOLDER}-00002` }).waitFor({ timeout: 20000 });

  // The server goes: the session ends, and what is kept stays on screen.
  await closeRelay();
  await offline().waitFor({ timeout: 60000 })
    .catch(async () => { throw new Error(`the ended session did not show the kept mail: ${await statusText(page)} | ${errors}`); });
  await row(`${FOLDER}-00004`).waitFor();
  assert.match(await page.getByTestId('offline-why').textContent(), /^The connection to the server was lost and could not be restored/);

  // Reloaded: the proxy answers, the mail server does not; the sign-in says so and the kept
  // mail is shown.
  await page.reload();
  await page.getByLabel('Password').fill(PW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await offline().waitFor({ timeout: 60000 })
    .catch(async () => { throw new Error(`not shown as offline after a failed sign-in: ${await statusText(page)} | ${errors}`); });
  assert.match(await page.getByTestId('offline-why').textContent(), new RegExp(`^Signing in failed: .*127\\.0\\.0\\.1:${relayPort}`));
  assert.equal(await page.getByText('The Mailscope server cannot be reached').count(), 0, 'the proxy is not said to be down');
  await reading().getByRole('heading', { name: `${FOLDER}-00002` }).waitFor({ timeout: 10000 });
  assert.match(await reading().textContent(), /Message 00002 of 4\./);
  assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: FOLDER }).count(), 4);

  const three = row(`${FOLDER}-00003`);
  await three.hover();
  await three.getByRole('button', { name: 'Flag' }).click();
  await waitStatus(/\(1 change waiting\)\.$/);
  assert.equal((await imapSearch(USER, PW, `"${FOLDER}"`, `FLAGGED SUBJECT "${FOLDER}-00003"`)).length, 0, 'not yet on the server');

  // "Try again" while it is still gone: still offline, the kept mail still shown.
  assert.match(await offline().textContent(), /It is tried again every 20 s\./);
  await offline().getByRole('button', { name: 'Try again' }).click();
  await offline().getByTestId('offline-why').filter({ hasText: /^Signing in failed/ }).waitFor({ timeout: 30000 });
  await row(`${FOLDER}-00004`).waitFor({ timeout: 10000 });

  // Back: the app finds the server by itself (every 20 s), signs in with the password
  // given, and the change is made.
  await openRelay(relayPort);
  await page.getByTestId('replayed').waitFor({ timeout: 60000 })
    .catch(async () => { throw new Error(`not signed in again by itself: ${await statusText(page)} | ${errors}`); });
  assert.match(await page.getByTestId('replayed').textContent(), /1 change made offline reached the server\./);
  assert.equal((await imapSearch(USER, PW, `"${FOLDER}"`, `FLAGGED SUBJECT "${FOLDER}-00003"`)).length, 1, 'flagged on the server');
  assert.equal(await offline().count(), 0, 'no longer offline');
  assert.deepEqual(errors, []);
});
