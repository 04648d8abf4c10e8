// Builds a package of packages/ from the repository's dist/ (package-dirs.mjs says which part):
//   node scripts/pack-package.mjs neurite neurite-redis neurite-cli   (any of them)
// - neurite, the library: the library's files of dist/, unchanged, and the README with what it links
//   (docs/, examples/, bench/RESULTS.md); run it again after `npm run docs` to add docs/api.
// - neurite-redis, neurite-cli: their folders of dist/, with every relative import that reaches
//   outside them rewritten to the public entry point of the package that holds the file ('neurite',
//   'neurite/data', …, 'neurite-redis'), so they run on the packages they depend on. An import of a
//   file that is no entry point fails (lint forbids it in src/ too), in the library as well.
// `npm run build` runs this for all three, so the workspace links in node_modules are built packages.
// The package folder is synchronised, not rebuilt: only changed files are written (each atomically),
// stale ones removed, so a test packing the package while this runs again reads whole files.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_PACKAGE_DIRS, LIBRARY, LIBRARY_EXTRAS, PACKAGE_DIRS } from './package-dirs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const fail = (message) => {
  process.stderr.write(`pack-package: ${message}\n`);
  process.exit(1);
};
const names = [LIBRARY, ...Object.keys(PACKAGE_DIRS)];
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !names.includes(name));
if (requested.length === 0 || unknown.length > 0) {
  fail(`name some of: ${names.join(', ')} (got ${JSON.stringify(requested)})`);
}
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const lib = readJson(join(root, 'packages', LIBRARY, 'package.json'));
if (!existsSync(join(dist, 'index.js'))) fail('dist/ is missing; run `npm run build` at the repository root first');

/** Synchronises packages/<name> with what it ships. */
function packPackage(name) {
  const isLibrary = name === LIBRARY;
  const dirs = isLibrary ? readdirSync(dist).filter((entry) => !ALL_PACKAGE_DIRS.includes(entry)) : PACKAGE_DIRS[name];
  const pkgDir = join(root, 'packages', name);
  const out = join(pkgDir, 'dist');
  const pkg = isLibrary ? lib : readJson(join(pkgDir, 'package.json'));
  if (isLibrary && Object.keys(lib.dependencies ?? {}).length > 0) {
    fail(`the library must install with no runtime dependency (found ${Object.keys(lib.dependencies).join(', ')})`);
  }
  // The packages this one may import: the library, and the sibling packages it depends on.
  const used = [lib];
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (dep in PACKAGE_DIRS) used.push(readJson(join(root, 'packages', dep, 'package.json')));
  }
  for (const other of isLibrary ? [] : [pkg, ...used.slice(1)]) {
    const wanted = other === pkg ? pkg.dependencies.neurite : pkg.dependencies[other.name];
    if (other.version !== lib.version || wanted !== lib.version) {
      fail(
        `${pkg.name} ${pkg.version} must depend on ${other === pkg ? 'neurite' : other.name} ${lib.version} exactly (found ${wanted}); keep the versions in step`,
      );
    }
  }
  for (const dir of dirs) {
    if (!existsSync(join(dist, dir))) {
      fail(`dist/${dir} is missing; run \`npm run build\` at the repository root first`);
    }
  }

  /** dist file → public specifier, from each used package's `exports` (their dist/ paths mirror the root's). */
  const entries = new Map();
  for (const p of used) {
    for (const [key, value] of Object.entries(p.exports)) {
      if (typeof value !== 'object' || typeof value.import !== 'string') continue;
      entries.set(resolve(root, value.import), key === '.' ? p.name : `${p.name}/${key.slice(2)}`);
    }
  }

  /** Every file the package folder should hold (path in the package → content). */
  const wanted = new Map();
  const problems = [];
  const LITERAL = /(['"])(\.\.?\/[^'"\s]*\.js)\1/g;
  function collect(from, to, rewrite) {
    if (statSync(from).isDirectory()) {
      for (const entry of readdirSync(from)) collect(join(from, entry), join(to, entry), rewrite);
      return;
    }
    if (rewrite && (from.endsWith('.map') || (from.endsWith('.d.ts') && pkg.types === undefined))) return;
    if (!rewrite || (!from.endsWith('.js') && !from.endsWith('.d.ts'))) {
      wanted.set(to, readFileSync(from));
      return;
    }
    const text = readFileSync(from, 'utf8').replace(LITERAL, (whole, quote, spec) => {
      const target = resolve(dirname(from), spec);
      const top = relative(dist, target).split(sep)[0];
      if (dirs.includes(top)) return whole;
      const entry = entries.get(target.replace(/\.d\.ts$/, '.js'));
      if (entry === undefined) {
        problems.push(
          `${relative(root, from)}: '${spec}' is not a public entry point of ${used.map((p) => p.name).join(' or ')}`,
        );
        return whole;
      }
      return `${quote}${entry}${quote}`;
    });
    wanted.set(to, Buffer.from(text));
  }
  for (const dir of dirs) collect(join(dist, dir), join(out, dir), true);
  if (problems.length > 0) {
    fail(`${name} may use only the entry points of its dependencies:\n  ${problems.join('\n  ')}`);
  }
  const extras = [...(isLibrary ? LIBRARY_EXTRAS : []), 'LICENSE'];
  for (const extra of extras) collect(join(root, extra), join(pkgDir, extra), false);

  // Remove what is no longer wanted in the folders this script writes, then write what changed.
  function prune(path) {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) prune(join(path, entry));
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!wanted.has(path)) rmSync(path);
  }
  for (const top of new Set(['dist', ...extras.map((e) => e.split('/')[0])])) prune(join(pkgDir, top));
  let written = 0;
  for (const [path, content] of wanted) {
    if (existsSync(path) && readFileSync(path).equals(content)) continue;
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${String(process.pid)}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, path);
    written++;
  }
  process.stdout.write(
    `pack-package: packages/${name} ready, ${String(written)} of ${String(wanted.size)} files written (${name} ${pkg.version}${isLibrary ? '' : ` on neurite ${lib.version}`})\n`,
  );
}

for (const name of requested) packPackage(name);
