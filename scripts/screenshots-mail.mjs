// Screenshots of the mail app (/mail/) at 1280×800 and 390×844, light and dark, into
// test-results/mail-*.png: adding an account, signing in, the list, a message, a bounce,
// writing, settings. Needs the test mail servers (tests/mailserver.sh start) and a built
// dist/ (scripts/build.sh); starts its own proxy.
//   node scripts/screenshots-mail.mjs
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/fixtures/browser.mjs';
import { startProxy } from '../tests/browser/fixtures/servers.mjs';
import { deliver, appendMessage } from '../tests/browser/fixtures/mailbox.mjs';
import { trustUntil } from '../tests/browser/fixtures/mailapp.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'test-results');
mkdirSync(out, { recursive: true });
const tag = `shots-${Date.now()}`;
await deliver(`${tag} Lunch on Friday?`, 'Hi Alice,\n\nAre you free for lunch on Friday? The new place on the corner opened.\n\nBob');
await appendMessage('alice@example.test', 'alice-password', 'INBOX', readFileSync(join(repo, 'crates/core/testdata/bounce/postfix-test-server.eml')));
const proxy = await startProxy(['127.0.0.1:10993', '127.0.0.1:10465']);
const context = await launch();


for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    const shot = (name) => page.screenshot({ path: join(out, `mail-${name}-${w}-${scheme}.png`) });
    await page.goto(`${proxy.url}mail/setup`);
    await page.getByLabel('E-mail address').fill('alice@example.test');
    await page.getByLabel('Password', { exact: true }).fill('alice-password');
    await shot('setup');
    await page.getByRole('button', { name: 'Manual settings' }).click();
    for (const [group, port] of [['Incoming mail', '10993'], ['Outgoing mail', '10465']]) {
      const g = page.getByRole('group', { name: group });
      await g.getByLabel('Server', { exact: true }).fill('127.0.0.1');
      await g.getByLabel('Port', { exact: true }).fill(port);
      await g.getByLabel('Security', { exact: true }).selectOption({ label: 'TLS' });
    }
    await shot('setup-manual');
    await page.getByRole('button', { name: 'Add account' }).click();
    await trustUntil(page, page.getByRole('list', { name: 'Messages' }), 'the message list');
    await page.waitForTimeout(500);
    await shot('list');
    const open = async (subject) => {
      await page.getByRole('listitem', { name: subject }).first().getByRole('button', { name: subject }).first().click();
      await page.getByRole('button', { name: 'Reply', exact: true }).waitFor();
      await page.waitForTimeout(600);
    };
    await open(new RegExp(`${tag} Lunch`));
    await shot('message');
    await page.getByRole('button', { name: /^Back$/ }).click().catch(() => {});
    await open(/Undelivered Mail/);
    await shot('bounce');
    await page.goto(`${proxy.url}mail/alice@example.test/write`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('signin');
    await page.getByLabel('Password').fill('alice-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Write a message' });
    await dialog.waitFor({ timeout: 30000 });
    await dialog.getByLabel('To').fill('bob@example.test');
    await dialog.getByLabel('Subject').fill('Lunch on Friday');
    await dialog.getByLabel('Message').fill('Friday works. Noon?\n\nAlice');
    await shot('compose');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.goto(`${proxy.url}mail/alice@example.test/settings`);
    await page.waitForTimeout(1500);
    await shot('settings');
    await page.getByRole('combobox', { name: 'Message list density' }).selectOption('compact');
    await page.goto(`${proxy.url}mail/alice@example.test/f/INBOX`);
    await page.getByLabel('Password').fill('alice-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await shot('list-compact');
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }
}
await context.close();
proxy.close();
console.log(`screenshots in ${out}`);
