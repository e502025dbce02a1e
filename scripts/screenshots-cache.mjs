// Screenshots of what the mail app keeps in the browser, at 1280×800 and 390×844, light and
// dark, into test-results/cache-*.png: a folder grouped by conversation, a conversation
// open, what Settings says is kept, the kept mail with the proxy stopped (offline), and what
// removing the account then would lose.
// Needs the test mail servers (tests/mailserver.sh start) and a built dist/ (scripts/build.sh).
//   node scripts/screenshots-cache.mjs
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/fixtures/browser.mjs';
import { startProxy } from '../tests/browser/fixtures/servers.mjs';
import { appendMessage, fillFolder } from '../tests/browser/fixtures/mailbox.mjs';
import { fillAccount, trustUntil, waitStatus } from '../tests/browser/fixtures/mailapp.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'test-results');
mkdirSync(out, { recursive: true });
const USER = 'alice@example.test', PW = 'alice-password';
const folder = `Trip-${Date.now() % 100000}`;
await fillFolder(USER, PW, folder, 0, folder);
const people = [['Ann Lee', 'ann'], ['Bob Stone', 'bob'], ['Carol Diaz', 'carol']];
const ids = [];
const lines = ['Shall we book the cabin for the second week of March?', 'Yes — I can drive. Who else is in?',
  'Count me in. I will bring the board games.', 'Booked! Deposit paid, details attached soon.', 'Great. Leaving Friday at 5?', 'Works for me.'];
for (let n = 0; n < lines.length; n++) {
  const [name, box] = people[n % 3];
  const id = `<trip-${n}-${folder}@example.test>`;
  const refs = ids.length ? `In-Reply-To: ${ids.at(-1)}\r\nReferences: ${ids.join(' ')}\r\n` : '';
  await appendMessage(USER, PW, folder, `From: ${name} <${box}@example.test>\r\nTo: ${USER}\r\nSubject: ${n ? 'Re: ' : ''}Cabin in March\r\n` +
    `Date: Mon, ${n + 2} Nov 2026 1${n}:00:00 +0000\r\nMessage-ID: ${id}\r\n${refs}\r\n${lines[n]}\r\n`);
  ids.push(id);
}
for (const [n, subject] of [[9, 'Quarterly report draft'], [10, 'Your order has shipped']]) {
  await appendMessage(USER, PW, folder, `From: Dan Fox <dan@example.test>\r\nTo: ${USER}\r\nSubject: ${subject}\r\n` +
    `Date: Mon, ${n} Nov 2026 09:00:00 +0000\r\nMessage-ID: <x${n}-${folder}@example.test>\r\n\r\nSee the attached.\r\n`);
}
// The list shows once INBOX has a message.
await appendMessage(USER, PW, 'INBOX', `From: Ann Lee <ann@example.test>\r\nTo: ${USER}\r\nSubject: Your trip is confirmed\r\n\r\nHello.\r\n`);
const port = await new Promise((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const ALLOW = ['127.0.0.1:10993', '127.0.0.1:10465'];
let proxy = await startProxy(ALLOW, `127.0.0.1:${port}`);

for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const context = await launch();
    const page = context.pages()[0] ?? (await context.newPage());
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    const shot = (name) => page.screenshot({ path: join(out, `cache-${name}-${w}-${scheme}.png`) });
    await page.goto(`${proxy.url}mail/setup`);
    await fillAccount(page, USER, PW);
    await trustUntil(page, page.getByRole('list', { name: 'Messages' }), 'the message list');
    await page.goto(`${proxy.url}mail/${USER}/f/${folder}`);
    await page.getByLabel('Password').fill(PW);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitStatus(page, new RegExp(`^${folder}: \\d+ messages`), { timeout: 30000 });
    await page.getByRole('button', { name: 'Conversations' }).click();
    await waitStatus(page, /conversations/);
    await page.waitForTimeout(500);
    await shot('conversations');
    // Opened once (its messages then read), then again: the last open, the others one line.
    const body = page.getByTestId('text-body').filter({ hasText: 'Works for me.' });
    await page.getByRole('listitem', { name: /Cabin in March, 6 messages/ }).getByRole('button').first().click();
    await body.waitFor({ timeout: 20000 });
    // (At 390 px one pane shows at a time: Back to the list first.)
    const back = async () => {
      const b = page.getByRole('button', { name: 'Back', exact: true });
      if (await b.isVisible()) await b.click();
    };
    await back();
    await page.getByRole('listitem', { name: /Quarterly report draft/ }).getByRole('button').first().click();
    await page.getByTestId('text-body').filter({ hasText: 'See the attached.' }).first().waitFor({ timeout: 20000 });
    await back();
    await page.getByRole('listitem', { name: /Cabin in March, 6 messages/ }).getByRole('button').first().click();
    await body.waitFor({ timeout: 20000 });
    await page.waitForTimeout(600);
    await shot('conversation');
    await page.goto(`${proxy.url}mail/${USER}/settings`);
    await page.getByLabel('Password').fill(PW).catch(() => {});
    await page.getByRole('button', { name: 'Sign in' }).click().catch(() => {});
    await page.getByRole('heading', { name: 'Kept in this browser' }).scrollIntoViewIfNeeded({ timeout: 20000 });
    await page.waitForTimeout(800);
    await shot('settings');
    await page.goto(`${proxy.url}mail/${USER}/f/${folder}`);
    await page.getByLabel('Password').fill(PW);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitStatus(page, /conversations/, { timeout: 30000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 30000 });
    await proxy.stop();
    await page.reload();
    await page.getByTestId('offline-kept').waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await shot('offline');
    // A change made offline, then "Remove this account": what would be lost is said.
    const first = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').first();
    await first.hover();
    await first.getByRole('button', { name: 'Flag' }).click();
    await page.waitForTimeout(300);
    await page.goto(`${proxy.url}mail/${USER}/settings`);
    await page.getByRole('button', { name: 'Remove this account' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'not reached the server' });
    await warning.scrollIntoViewIfNeeded({ timeout: 20000 });
    await page.waitForTimeout(500);
    await shot('remove');
    proxy = await startProxy(ALLOW, `127.0.0.1:${port}`);
    await context.close();
  }
}
await proxy.stop();
console.log(`screenshots in ${out}`);
