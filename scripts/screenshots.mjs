// Screenshots of the inspector's views at 1280×800 and 390×844, light and dark, into
// test-results/ (for looking at what a change did). Needs MAILSCOPE_URL (a served build).
//   node scripts/screenshots.mjs
import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openApp } from '../tests/browser/fixtures/browser.mjs';
import { Inspector } from '../tests/browser/fixtures/inspector.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'test-results');
mkdirSync(out, { recursive: true });
const messages = [
  ['bounce', readFileSync(join(repo, 'crates/core/testdata/bounce/postfix-test-server.eml'))],
  ['route', readFileSync(join(repo, 'tests/browser/fixtures/route.eml'))],
];
const views = process.argv.slice(2).length ? process.argv.slice(2) : ['route', 'auth', 'mime', 'compare'];

const context = await launch();
for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const { page } = await openApp(context, { colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    const ui = new Inspector(page);
    await ui.drop(messages.map(([name, buffer]) => ({ name: `${name}.eml`, buffer })));
    await ui.waitForCount(messages.length);
    for (let i = 0; i < messages.length; i++) {
      await ui.items().nth(i).click();
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(out, `inspect-${messages[i][0]}-${w}-${scheme}.png`) });
    }
    for (const view of views) {
      await ui.tab(view);
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(out, `inspect-${view}-${w}-${scheme}.png`), fullPage: true });
    }
    await page.close();
  }
}
await context.close();
console.log(`screenshots in ${out}`);
