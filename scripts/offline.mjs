// Writes dist/sw.js, Mailscope's service worker, from public/offline/sw.js: the files of the
// inspector's shell (/) and of the mail app's (/mail/) it keeps, and a version made from
// their contents, so that any change to any of them is a new worker (and its "Reload to
// update" in open pages). Runs after the build has written every file (scripts/build.sh).
//   node scripts/offline.mjs dist
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const root = process.argv[2] ?? 'dist';
const template = new URL('../public/offline/sw.js', import.meta.url);

// A shell is its page (kept under the shell's address) and the files beside it; nothing in
// subfolders (samples, other bundles), no compressed twin, no dotfile, not the worker
// itself. The workers' files (mailscope-net*, mailscope-live*) are kept once first used: a page
// opens without them, and a first visit need not fetch them before the user connects.
const shell = (dir, base) => {
  const files = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile() && !name.startsWith('.'))
    .filter((name) => !/\.(br|gz)$/.test(name) && name !== 'sw.js' && name !== 'index.html')
    .sort();
  return { dir, base, files };
};
const shells = [shell(root, '/'), shell(join(root, 'mail'), '/mail/')];

const hash = createHash('sha256');
const now = {};
const later = [];
for (const { dir, base, files } of shells) {
  now[base] = [base];
  for (const f of files) (/^mailscope-(net|live)/.test(f) ? later : now[base]).push(base + f);
  for (const name of ['index.html', ...files]) {
    hash.update(`${base}${name}\0`);
    hash.update(readFileSync(join(dir, name)));
  }
}
const version = hash.digest('hex').slice(0, 16);
const worker = readFileSync(template, 'utf8')
  .replace('__VERSION__', version)
  .replace('__SHELLS__', JSON.stringify(now, null, 2))
  .replace('__LATER__', JSON.stringify(later, null, 2));
writeFileSync(join(root, 'sw.js'), worker);
const count = Object.values(now).flat().length;
console.log(`sw.js: version ${version}, ${count} files kept for offline use, ${later.length} once used`);
