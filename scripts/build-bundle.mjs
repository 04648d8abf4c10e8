// The CDN-style build: the browser-safe library (core with the wasm backend, data, evolve) as one
// minified ES module, dist/neurite.bundle.js, for a page that imports a single file with no
// bundler and no import map (e.g. from a CDN's copy of the package). The wasm kernels are already
// inline (base64 in modules.generated.js), so the file is complete. Runs after tsc, on dist/.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ENTRIES = ['./index.js', './data/index.js', './evolve/index.js'];
// Where two entry points export different things under one name, the core's (or, for evolve's
// BatchOptions, data's) is the bundle's: ES modules drop an ambiguous star export otherwise.
const RESOLVE = ["export { argmax } from './index.js';"];
const RESOLVE_TYPES = ["export type { BatchOptions } from './data/index.js';"];
const stars = ENTRIES.map((e) => `export * from '${e}';`);
const source = [...stars, ...RESOLVE].join('\n');

await build({
  stdin: { contents: source, resolveDir: dist, sourcefile: 'bundle-entry.js', loader: 'js' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  outfile: join(dist, 'neurite.bundle.js'),
  logLevel: 'warning',
});
// Its types are those of the three entry points it joins.
writeFileSync(
  join(dist, 'neurite.bundle.d.ts'),
  `// Types of dist/neurite.bundle.js: the neurite, neurite/data and neurite/evolve entry points.\n${[...stars, ...RESOLVE, ...RESOLVE_TYPES].join('\n')}\n`,
);
