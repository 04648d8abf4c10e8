// The published library has no runtime dependencies (an installer gets one package), yet the
// browser-safe code may use a well-kept library such as csv-parse. After tsc, every bare import in
// the library's part of dist/ is bundled by esbuild into dist/vendor/ and the import is rewritten
// to that file. The other packages' folders are left alone: neurite-cli and neurite-redis declare their own
// dependencies. A bare import in a .d.ts fails the build, since users' type checks would need it.
import process from 'node:process';
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_PACKAGE_DIRS } from './package-dirs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// Static imports and re-exports at the start of a line (tsc's output); dynamic import() is left
// alone: evolve/node builds a worker's source text that loads tsx only when running from src/.
const SPECIFIER = /^((?:import|export)\b[^'";]*?\bfrom\s*|import\s*)(['"])([^'"]+)\2/gm;
const isBare = (s) =>
  !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && s !== 'neurite' && !s.startsWith('neurite/');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const top = relative(dist, path).split(sep)[0];
      if (dir === dist && (ALL_PACKAGE_DIRS.includes(top) || top === 'vendor')) continue;
      yield* files(path);
    } else if (name.endsWith('.js') || name.endsWith('.d.ts')) yield path;
  }
}

const vendored = new Map();
const vendorFile = (spec) => join(dist, 'vendor', `${spec.replace(/[^a-zA-Z0-9.-]+/g, '_')}.js`);
const problems = [];
for (const file of files(dist)) {
  const text = readFileSync(file, 'utf8');
  let changed = false;
  const out = text.replace(SPECIFIER, (whole, lead, quote, spec) => {
    if (!isBare(spec)) return whole;
    if (file.endsWith('.d.ts')) {
      problems.push(`${relative(root, file)} imports types from '${spec}'`);
      return whole;
    }
    vendored.set(spec, vendorFile(spec));
    let rel = relative(dirname(file), vendorFile(spec)).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    changed = true;
    return `${lead}${quote}${rel}${quote}`;
  });
  if (changed) writeFileSync(file, out);
}
if (problems.length > 0) {
  process.stderr.write(`vendor-deps: the published types must not need a dependency:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
for (const [spec, outfile] of vendored) {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(spec)};`, resolveDir: root },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    legalComments: 'inline',
    outfile,
    logLevel: 'warning',
  });
  process.stdout.write(`vendor-deps: bundled ${spec} into ${relative(root, outfile)}\n`);
}
