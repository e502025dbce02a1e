// Screenshots of the protocol workbench (/workbench/) and the connection test (/connect/)
// at 1280×800 and 390×844, light and dark, into test-results/workbench-*.png and
// connect-*.png (whole pages). Needs a built dist/ (scripts/build.sh); starts its own proxy.
//   node scripts/screenshots-workbench.mjs
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/fixtures/browser.mjs';
import { startProxy } from '../tests/browser/fixtures/servers.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(out, { recursive: true });
const proxy = await startProxy([]);
const context = await launch();
for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    for (const [name, path, ready] of [['workbench', 'workbench/', 'compose-send'], ['connect', 'connect/', 'connect-button']]) {
      await page.goto(`${proxy.url}${path}`);
      await page.getByTestId(ready).waitFor({ timeout: 20000 });
      await page.screenshot({ path: join(out, `${name}-${w}-${scheme}.png`), fullPage: true });
    }
    await page.close();
  }
}
await context.close();
proxy.close();
console.log(`screenshots in ${out}`);
