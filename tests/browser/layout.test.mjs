// Works from a 360-px phone to a wide screen, follows the system's dark mode, and every
// control has a name a screen reader can say.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector, fixture } from './fixtures/inspector.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => context?.close());

test('a 360-px screen needs no sideways scrolling', async () => {
  const { page } = await openApp(context);
  await page.setViewportSize({ width: 360, height: 740 });
  const ui = new Inspector(page);
  await ui.drop([{ name: 'route.eml', buffer: fixture('route.eml') }]);
  await ui.waitForCount(1);
  for (const tab of ['route', 'auth', 'mime', 'body', 'raw', 'defects']) {
    await ui.tab(tab);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${tab}: page is ${width}px wide`);
  }
});

test('dark mode follows the system', async () => {
  const { page } = await openApp(context, { colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(dark, light);
  assert.equal(light, 'rgb(247, 247, 248)');
  assert.equal(dark, 'rgb(21, 22, 26)');
});

test('every control has an accessible name and the tabs work by keyboard', async () => {
  const { page } = await openApp(context);
  await page.setViewportSize({ width: 1280, height: 900 });
  const ui = new Inspector(page);
  await ui.drop([{ name: 'route.eml', buffer: fixture('route.eml') }]);
  await page.getByTestId('tab-route').waitFor();
  const unnamed = await page.evaluate(() => {
    const named = (el) => {
      const label = el.getAttribute('aria-label') || el.textContent.trim()
        || (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent.trim());
      return Boolean(label);
    };
    return [...document.querySelectorAll('button, input, textarea, select, a[href], iframe')]
      .filter((el) => el.tagName === 'IFRAME' ? !el.title : !named(el))
      .map((el) => el.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unnamed, []);
  await page.getByTestId('tab-route').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-auth');
  assert.equal(await page.getByTestId('tab-auth').getAttribute('aria-selected'), 'true');
  await page.getByTestId('auth').waitFor();
});
