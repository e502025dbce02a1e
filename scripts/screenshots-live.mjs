// Screenshots of the inspector's live checks (Authentication tab, after "Check live") at
// 1280×800 and 390×844, light and dark, into test-results/. Needs MAILSCOPE_URL (a build
// served with --resolver 127.0.0.1:10053) and tests/mailserver.sh started.
//   node scripts/screenshots-live.mjs
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openApp } from '../tests/browser/fixtures/browser.mjs';
import { Inspector } from '../tests/browser/fixtures/inspector.mjs';
import { submitSigned } from '../tests/browser/fixtures/mailbox.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'test-results');
mkdirSync(out, { recursive: true });
const raw = Buffer.from(await submitSigned('client.example.test'), 'latin1');

const context = await launch();
for (const scheme of ['light', 'dark']) {
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const { page } = await openApp(context, { colorScheme: scheme });
    await page.setViewportSize({ width: w, height: h });
    const ui = new Inspector(page);
    await ui.drop([{ name: 'signed.eml', buffer: raw }]);
    await ui.waitForCount(1);
    await ui.tab('auth');
    await page.screenshot({ path: join(out, `live-closed-${w}-${scheme}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Open live checks' }).click();
    const live = page.frameLocator('iframe[title="Live checks"]');
    await live.getByText('127.0.0.1:10053').waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(out, `live-before-${w}-${scheme}.png`), fullPage: true });
    await live.getByRole('button', { name: 'Check live' }).click();
    await live.getByRole('button', { name: 'Check again' }).waitFor({ timeout: 20000 });
    await live.getByTestId('live-transcript').locator('summary').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `live-after-${w}-${scheme}.png`), fullPage: true });
    await page.close();
  }
}
await context.close();
console.log(`screenshots in ${out}`);
