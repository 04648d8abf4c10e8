// The library's entry points as Node loads them: every `exports` entry of packages/neurite with a
// `node` condition, bundled from dist/ into dist/node-bundle/ (one small file per entry point, the
// code they share in chunks beside them, so every entry point sees one copy of each module: one
// backend registry, one NeuriteError class). Node's ES module loader reads, compiles and links each
// file on its own; through the ~250 files of dist/, `import 'neurite'` took 90–135 ms on the bench
// VM, against 28–51 ms for the bundled entry, most of it now Node's own modules (bench/RESULTS.md,
// S12). Browsers and bundlers keep the per-file modules, which tree-shake. Runs after tsc, on dist/.
//
// Every output file sits directly in dist/node-bundle/, so each module's `import.meta.url` is
// rewritten to the URL its file has in dist/ (one level up, same path): assets and worker scripts
// found next to a module (data/assets/mnist.bin.gz, evolve/worker-node.js) are found as before.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const OUT = 'node-bundle';
const outdir = join(dist, OUT);
const fail = (message) => {
  process.stderr.write(`build-node-entries: ${message}\n`);
  process.exit(1);
};

const { exports } = JSON.parse(readFileSync(join(root, 'packages', 'neurite', 'package.json'), 'utf8'));
/** Output name (without .js) → the dist/ file it bundles. */
const entryPoints = {};
for (const [key, target] of Object.entries(exports)) {
  if (typeof target !== 'object' || target.node === undefined) continue;
  // '.' is the Node entry (the core plus the default thread pool); the others bundle their import target.
  const source = key === '.' ? './dist/index-node.js' : target.import;
  const name = key === '.' ? 'index' : key.slice(2).replaceAll('/', '-');
  const expected = `./dist/${OUT}/${name}.js`;
  if (target.node !== expected) {
    fail(`packages/neurite/package.json: exports["${key}"].node must be "${expected}" (found "${target.node}")`);
  }
  if (typeof source !== 'string' || !source.startsWith('./dist/'))
    fail(`exports["${key}"] has no ./dist/ import target`);
  entryPoints[name] = join(root, source);
}
if (Object.keys(entryPoints).length === 0) fail('no exports entry has a `node` condition');

/** Gives each module of dist/ the `import.meta.url` of its own file, from any file of dist/node-bundle/. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      const path = relative(dist, args.path).split(sep).join('/');
      if (path.startsWith('..')) fail(`${args.path} is outside dist/`);
      const url = `new URL(${JSON.stringify(`../${path}`)}, import.meta.url).href`;
      return { contents: contents.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only, names kept: class and function names as written, for users' stack
  // traces and logs.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  outdir,
  chunkNames: 'chunk-[hash]',
  plugins: [ownUrl],
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
});
for (const file of Object.keys(result.metafile.outputs)) {
  if (dirname(join(root, file)) !== outdir) fail(`${file} is not directly in dist/${OUT}/`);
}
