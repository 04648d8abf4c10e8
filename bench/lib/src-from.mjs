// `node --import ./bench/lib/src-from.mjs` with NEURITE_SRC=/path/to/other/checkout/src: every
// import of this checkout's src/ resolves to that src/ instead, so the same bench code measures
// another commit's library (bench/ab.ts: before/after runs in alternation). A file the other
// checkout lacks keeps this checkout's version and is named on stderr once.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { register } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const ownSrc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
let otherSrc;
const missing = new Set();

/** Resolve hook (runs in the loader thread): rewrites a resolved URL under our src/ to the other src/. */
export function initialize(data) {
  otherSrc = data.otherSrc;
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (otherSrc === undefined || !r.url.startsWith('file:')) return r;
  const rel = relative(ownSrc, fileURLToPath(r.url));
  if (rel.startsWith('..') || rel.startsWith(sep)) return r;
  const target = join(otherSrc, rel);
  if (existsSync(target)) return { ...r, url: pathToFileURL(target).href };
  if (!missing.has(rel)) process.stderr.write(`src-from: ${rel} missing in ${otherSrc}, using this checkout's\n`);
  missing.add(rel);
  return r;
}

// Registered from the main thread only (the hooks thread loads this file too).
const other = process.env.NEURITE_SRC;
if (isMainThread && other !== undefined && other !== '') {
  register(import.meta.url, { data: { otherSrc: other } });
}
