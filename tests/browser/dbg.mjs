import { startProxy } from './fixtures/servers.mjs';
import { launch } from './fixtures/browser.mjs';
const proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
const context = await launch();
const page = context.pages()[0] ?? (await context.newPage());
await page.setViewportSize({ width: 1280, height: 800 });
page.on('console', (m) => console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', String(e)));
page.on('websocket', (ws) => { console.log('ws open', ws.url()); ws.on('close', () => console.log('ws closed')); });
await page.goto(`${proxy.url}mail/`);
await page.getByLabel('E-mail address').fill('alice@example.test');
await page.getByLabel('Password', { exact: true }).fill('alice-password');
await page.getByRole('button', { name: 'Manual settings' }).click();
const incoming = page.getByRole('group', { name: 'Incoming mail' });
const outgoing = page.getByRole('group', { name: 'Outgoing mail' });
await incoming.getByLabel('Server', { exact: true }).fill('127.0.0.1');
await incoming.getByLabel('Port', { exact: true }).fill('10993');
await incoming.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
await outgoing.getByLabel('Server', { exact: true }).fill('127.0.0.1');
await outgoing.getByLabel('Port', { exact: true }).fill('10465');
await outgoing.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
await page.getByRole('button', { name: 'Add account' }).click();
for (let i = 0; i < 5; i++) {
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/dbg/s${i}.png` });
  const trust = page.getByRole('button', { name: /^Trust/ });
  if (await trust.isVisible().catch(() => false)) { console.log('trust', await trust.textContent()); await trust.click(); }
  console.log(i, page.url(), (await page.getByRole('status').allTextContents()).join(' | '));
}
await page.setViewportSize({ width: 390, height: 844 });
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/dbg/p-list.png' });
const row = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').first();
await row.getByRole('button').first().click();
for (let i = 0; i < 3; i++) {
  await page.waitForTimeout(1000);
  console.log(i, page.url(), (await page.getByRole('status').allTextContents()).join(' | '));
}
await page.screenshot({ path: '/tmp/dbg/p-msg.png' });
await context.close(); proxy.close();
