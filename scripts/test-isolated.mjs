// Runs every browser test alone: its file's before/after hooks and that one test, no other.
// A test that passes only after another one ran fails here, naming itself. Needs what
// scripts/test.sh sets up (MAILSCOPE_URL, the test mail servers).
//   node scripts/test-isolated.mjs [spec files…]   (default: every tests/browser/*.test.mjs)
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync('tests/browser').filter((f) => f.endsWith('.test.mjs')).sort().map((f) => `tests/browser/${f}`);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const failed = [];
let ran = 0;
for (const file of files) {
  // Tests at the top level, and tests made in a loop (a template name: `${x} …`), whose
  // varying part matches anything: those run together, each still without the others.
  const names = [...readFileSync(file, 'utf8').matchAll(/^\s*test\((['"`])((?:\\.|(?!\1).)*)\1/gm)]
    .map((m) => m[2].replace(/\\(.)/g, '$1'));
  if (names.length === 0) throw new Error(`${file}: no test found`);
  for (const name of names) {
    ran += 1;
    const started = Date.now();
    const made = name.includes('${');
    const pattern = made ? name.split(/\$\{[^}]*\}/).map(escape).join('.+') : escape(name);
    const r = spawnSync('node', ['--test', '--test-timeout=300000', `--test-name-pattern=^${pattern}$`, file], { encoding: 'utf8', timeout: 600000 });
    const out = `${r.stdout}${r.stderr}`;
    const pass = Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0);
    const ok = r.status === 0 && (made ? pass >= 1 : pass === 1);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s  ${file}: ${name}`);
    if (!ok) {
      failed.push(`${file}: ${name}`);
      console.log(out.split('\n').filter((l) => /not ok|Error|error:|assert|waiting|expected|actual/i.test(l)).slice(0, 12).join('\n'));
    }
  }
}
console.log(`${ran - failed.length} of ${ran} tests pass alone`);
if (failed.length) {
  console.log(`failed alone:\n${failed.join('\n')}`);
  process.exit(1);
}
