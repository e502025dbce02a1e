// Moves the inline start script Trunk writes into each built page to a file of its own
// (start-<hash>.js beside the page), so that the app runs under a Content-Security-Policy
// with no inline script at all (`script-src 'self' 'wasm-unsafe-eval'`), whatever the build.
//   node scripts/externalize-loader.mjs dist
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? 'dist';
const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.html')) pages.push(path);
  }
};
walk(root);
let moved = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  const dir = relative(root, join(page, '..')).split('\\').join('/');
  const base = dir ? `/${dir}/` : '/';
  // Trunk writes `type="module"`, or `type=module` once the page is minified.
  const out = html.replace(/<script type=(?:"module"|module)>([\s\S]*?)<\/script>/g, (_, code) => {
    const name = `start-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
    writeFileSync(join(page, '..', name), code);
    moved += 1;
    return `<script type="module" src="${base}${name}"></script>`;
  });
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(out)) {
    console.error(`${page}: an inline script is left that the policy would block`);
    process.exit(1);
  }
  writeFileSync(page, out);
}
console.log(`start scripts moved out of ${moved} page(s)`);
