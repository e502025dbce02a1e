// Writes a brotli (.br, highest quality) and a gzip (.gz, level 9) twin beside every file
// of the built app that compresses, so that mailscope-proxy sends the variant a browser
// accepts without compressing anything per request. Already compressed formats and files
// the codecs do not make smaller get no twin.
//   node scripts/precompress.mjs dist
import { readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { join } from 'node:path';

const root = process.argv[2] ?? 'dist';
const COMPRESSIBLE = /\.(html|js|mjs|wasm|css|svg|json|webmanifest|txt|eml|mbox)$/i;
let raw = 0;
let br = 0;
let files = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
      continue;
    }
    if (/\.(br|gz)$/.test(name) || name.startsWith('.')) continue;
    // A twin left by an earlier build of a file that changed must never be sent for it.
    rmSync(`${path}.br`, { force: true });
    rmSync(`${path}.gz`, { force: true });
    if (!COMPRESSIBLE.test(name)) continue;
    const bytes = readFileSync(path);
    const brotli = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gzip = gzipSync(bytes, { level: 9 });
    if (brotli.length < bytes.length) writeFileSync(`${path}.br`, brotli);
    if (gzip.length < bytes.length) writeFileSync(`${path}.gz`, gzip);
    raw += bytes.length;
    br += Math.min(brotli.length, bytes.length);
    files += 1;
  }
};
walk(root);
console.log(`precompressed ${files} files: ${(raw / 1024).toFixed(0)} KB raw, ${(br / 1024).toFixed(0)} KB brotli`);
