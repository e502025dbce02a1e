// Draws the app's PNG icons (public/icons/*.png, kept in the repository) from its SVG icons
// with Debian's Chromium: 192 and 512 px of icon.svg, 512 px of maskable.svg (full bleed,
// the drawing inside the safe circle). Run again after changing an SVG.
//   node scripts/icons.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const dir = new URL('../public/icons/', import.meta.url);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
for (const [svg, size, png] of [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['maskable.svg', 512, 'maskable-512.png'],
]) {
  await page.setViewportSize({ width: size, height: size });
  const source = readFileSync(new URL(svg, dir), 'utf8');
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`,
  );
  await page.screenshot({ path: new URL(png, dir).pathname, omitBackground: true });
  console.log(`${png}: ${size} px`);
}
await browser.close();
