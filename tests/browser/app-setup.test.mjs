// Adding an account in the mail app: a provider's servers filled in from the address alone
// (nothing contacted while typing), an unknown domain's usual server names tried in order
// through the real proxy, and a refused sign-in saying which server and what to change,
// with nothing saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { launch } from './fixtures/browser.mjs';
import { statusText } from './fixtures/mailapp.mjs';

let proxy, context, page;
const sockets = [];
const errors = [];

before(async () => {
  proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  // The connection worker opens the WebSockets: they are seen on the context.
  page.on('websocket', (ws) => sockets.push(ws.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const status = () => statusText(page);
const target = (url) => { const u = new URL(url); return `${u.searchParams.get('host')}:${u.searchParams.get('port')}`; };

test('a provider in the table: its servers filled in from the address, nothing contacted', async () => {
  await page.goto(`${proxy.url}mail/setup`);
  await page.getByLabel('E-mail address').fill('someone@gmail.com');
  await page.getByText('Gmail: its servers are filled in.').waitFor();
  assert.match(await status(), /app password/i, 'what to know before signing in');
  await page.getByRole('button', { name: 'Manual settings' }).click();
  const incoming = page.getByRole('group', { name: 'Incoming mail' });
  const outgoing = page.getByRole('group', { name: 'Outgoing mail' });
  assert.equal(await incoming.getByLabel('Server', { exact: true }).inputValue(), 'imap.gmail.com');
  assert.equal(await incoming.getByLabel('Port', { exact: true }).inputValue(), '993');
  assert.equal(await incoming.getByLabel('User name', { exact: true }).inputValue(), 'someone@gmail.com');
  assert.equal(await outgoing.getByLabel('Server', { exact: true }).inputValue(), 'smtp.gmail.com');
  assert.equal(await outgoing.getByLabel('Port', { exact: true }).inputValue(), '465');
  // POP3 instead: the provider's POP3 server.
  await incoming.getByLabel('Type', { exact: true }).selectOption({ label: 'POP3: download to this browser' });
  assert.equal(await incoming.getByLabel('Server', { exact: true }).inputValue(), 'pop.gmail.com');
  assert.equal(await incoming.getByLabel('Port', { exact: true }).inputValue(), '995');
  // Another address fills again (nothing was edited by hand).
  await incoming.getByLabel('Type', { exact: true }).selectOption({ label: 'IMAP: folders stay on the server' });
  await page.getByLabel('E-mail address').fill('someone@fastmail.com');
  assert.equal(await incoming.getByLabel('Server', { exact: true }).inputValue(), 'imap.fastmail.com');
  assert.deepEqual(sockets, [], 'typing contacts no server');
});

test('an unknown domain: the usual names are tried through the proxy, in order, then manual settings', async () => {
  await page.goto(`${proxy.url}mail/setup`);
  await page.getByLabel('E-mail address').fill('someone@nowhere.test');
  await page.getByLabel('Password', { exact: true }).fill('secret');
  assert.match(await status(), /usual server names/);
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText(/None of the usual names for the incoming and outgoing servers answered/).waitFor({ timeout: 30000 });
  const tried = sockets.map(target);
  assert.deepEqual(tried, [
    'imap.nowhere.test:993', 'imap.nowhere.test:143', 'mail.nowhere.test:993', 'mail.nowhere.test:143',
    'smtp.nowhere.test:465', 'smtp.nowhere.test:587', 'mail.nowhere.test:465', 'mail.nowhere.test:587',
  ]);
  assert.ok(await page.getByRole('group', { name: 'Incoming mail' }).isVisible(), 'manual settings open');
  assert.equal(await page.evaluate(() => localStorage.getItem('mailscope.accounts')), null, 'nothing saved');
});

test('a refused sign-in names the server and what to change; nothing is saved', async () => {
  await page.goto(`${proxy.url}mail/setup`);
  await page.getByLabel('E-mail address').fill('alice@example.test');
  await page.getByLabel('Password', { exact: true }).fill('not-her-password');
  await page.getByRole('button', { name: 'Manual settings' }).click();
  for (const [group, port] of [['Incoming mail', '10993'], ['Outgoing mail', '10465']]) {
    const g = page.getByRole('group', { name: group });
    await g.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await g.getByLabel('Port', { exact: true }).fill(port);
  }
  await page.getByRole('button', { name: 'Add account' }).click();
  const said = page.getByText(/Incoming mail \(IMAP\) \(127\.0\.0\.1:10993, TLS\):.*Check the user name and password/);
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !(await said.isVisible())) {
    const trust = page.getByRole('button', { name: /^Trust/ });
    if (await trust.isVisible().catch(() => false)) await trust.click();
    await page.waitForTimeout(200);
  }
  assert.ok(await said.isVisible(), `the refusal is explained; the page says: ${await status()}`);
  assert.equal(await page.evaluate(() => localStorage.getItem('mailscope.accounts')), null, 'nothing saved');
  assert.ok(await page.getByRole('heading', { name: 'Add an account' }).isVisible());
  assert.deepEqual(errors, []);
});

/** Manual settings with the incoming server at 127.0.0.1:`port` (TLS), then "Add account";
 *  returns once a line naming the incoming server says why it failed. */
async function incomingFails(port, why) {
  await page.goto(`${proxy.url}mail/setup`);
  await page.getByLabel('E-mail address').fill('alice@example.test');
  await page.getByLabel('Password', { exact: true }).fill('alice-password');
  await page.getByRole('button', { name: 'Manual settings' }).click();
  for (const [group, p] of [['Incoming mail', port], ['Outgoing mail', '10465']]) {
    const g = page.getByRole('group', { name: group });
    await g.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await g.getByLabel('Port', { exact: true }).fill(p);
    await g.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
  }
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText(why).first().waitFor({ timeout: 30000 })
    .catch(async () => { throw new Error(`no line matched ${why}; the page says: ${await status()}`); });
  assert.equal(await page.evaluate(() => localStorage.getItem('mailscope.accounts')), null, 'nothing saved');
}

test('a server the proxy may not reach: the proxy\'s refusal is shown, with how to allow it', async () => {
  await incomingFails('10994', /Incoming mail \(IMAP\) \(127\.0\.0\.1:10994, TLS\):.*the proxy does not allow 127\.0\.0\.1:10994.*--allow/);
});

test('a server that refuses the connection: said, with what to check', async () => {
  // Allowed by the proxy, but nothing listens there.
  const closed = await startProxy(['127.0.0.1:10996', '127.0.0.1:10465']);
  const previous = proxy;
  proxy = closed;
  try {
    await incomingFails('10996', /Incoming mail \(IMAP\) \(127\.0\.0\.1:10996, TLS\):.*Connection refused.*check the server's name and port, and that the server is running/);
  } finally {
    proxy = previous;
    closed.close();
  }
});
