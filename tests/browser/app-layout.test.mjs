// The mail app's layout by width, against the real Dovecot through the real proxy: at
// 1280 px the message list's width dragged with the mouse (and moved with the arrow keys)
// is remembered across a reload; at 900 px the folders are a drawer behind "Folders", beside
// which list and message stay side by side, and choosing a folder closes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from './fixtures/mailapp.mjs';

let proxy, context, page, errors;

before(async () => {
  ({ proxy, context, page, errors } = await signedIn());
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const listPane = () => page.getByRole('region', { name: 'Message list' });

test('the list pane is dragged wider, and stays so after a reload', async () => {
  const before = (await listPane().boundingBox()).width;
  const handle = page.getByRole('separator', { name: 'Resize the message list' });
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const dragged = (await listPane().boundingBox()).width;
  assert.ok(Math.abs(dragged - (before + 60)) <= 2, `dragged from ${before} to ${dragged}`);
  await handle.focus();
  await page.keyboard.press('ArrowRight');
  const keyed = (await listPane().boundingBox()).width;
  assert.ok(keyed > dragged, `the arrow key widens it (${dragged} → ${keyed})`);
  await page.reload();
  await page.getByLabel('Password').fill('alice-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('list', { name: 'Messages' }).waitFor({ timeout: 30000 });
  assert.equal((await listPane().boundingBox()).width, keyed, 'remembered');
});

test('at 900 px the folders are a drawer; list and message side by side', async () => {
  await page.setViewportSize({ width: 900, height: 800 });
  const folders = page.getByRole('navigation', { name: 'Folders' });
  const menu = page.getByRole('button', { name: 'Folders' });
  // The drawer slides out (a 150 ms transition) when the layout changes: wait for it to be
  // off screen, bounded.
  await page.waitForFunction(() => document.getElementById('folders').getBoundingClientRect().right <= 0, null, { timeout: 5000 })
    .catch(() => { throw new Error('the folder pane stayed on screen at 900 px'); });
  const [list, reading] = await Promise.all([listPane().boundingBox(), page.getByRole('region', { name: 'Message', exact: true }).boundingBox()]);
  assert.ok(list.x + list.width <= reading.x + 1, 'list beside the message');
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.waitForFunction(() => document.getElementById('folders').getBoundingClientRect().x >= 0);
  await folders.getByRole('link', { name: /^Archive/ }).click();
  await page.waitForURL(/\/f\/Archive$/);
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'choosing a folder closes the drawer');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(errors, []);
});
