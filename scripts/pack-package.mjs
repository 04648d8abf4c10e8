// Builds a package of packages/ (neurite-cli, neurite-redis) from the repository's dist/: its
// folders (package-dirs.mjs), with every relative import that reaches outside them rewritten to
// the public entry point of the package that holds the file ('neurite', 'neurite/data', …,
// 'neurite-redis'), so it runs on the packages it depends on. An import of a file that is no
// entry point fails the build (lint forbids it in src/ too).
//   node scripts/pack-package.mjs neurite-cli
import process from 'node:process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_DIRS } from './package-dirs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const name = process.argv[2] ?? '';
const dirs = PACKAGE_DIRS[name];
const fail = (message) => {
  process.stderr.write(`pack-package: ${message}\n`);
  process.exit(1);
};
if (dirs === undefined) fail(`name one of: ${Object.keys(PACKAGE_DIRS).join(', ')} (got ${JSON.stringify(name)})`);
const pkgDir = join(root, 'packages', name);
const out = join(pkgDir, 'dist');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

const lib = readJson(join(root, 'package.json'));
const pkg = readJson(join(pkgDir, 'package.json'));
// The packages this one may import: the library, and the sibling packages it depends on.
const used = [lib];
for (const dep of Object.keys(pkg.dependencies ?? {})) {
  if (dep in PACKAGE_DIRS) used.push(readJson(join(root, 'packages', dep, 'package.json')));
}
for (const other of [pkg, ...used.slice(1)]) {
  const wanted = other === pkg ? pkg.dependencies.neurite : pkg.dependencies[other.name];
  if (other.version !== lib.version || wanted !== lib.version) {
    fail(
      `${pkg.name} ${pkg.version} must depend on ${other === pkg ? 'neurite' : other.name} ${lib.version} exactly (found ${wanted}); keep the versions in step`,
    );
  }
}
for (const dir of dirs) {
  if (!existsSync(join(dist, dir))) fail(`dist/${dir} is missing; run \`npm run build\` at the repository root first`);
}

/** dist file → public specifier, from each used package's `exports` (their dist/ paths mirror the root's). */
const entries = new Map();
for (const p of used) {
  for (const [key, value] of Object.entries(p.exports)) {
    if (typeof value !== 'object' || typeof value.import !== 'string') continue;
    entries.set(resolve(root, value.import), key === '.' ? p.name : `${p.name}/${key.slice(2)}`);
  }
}

rmSync(out, { recursive: true, force: true });
const problems = [];
const LITERAL = /(['"])(\.\.?\/[^'"\s]*\.js)\1/g;
function copy(from, to) {
  if (statSync(from).isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) copy(join(from, entry), join(to, entry));
    return;
  }
  if (from.endsWith('.map') || (from.endsWith('.d.ts') && pkg.types === undefined)) return;
  if (!from.endsWith('.js') && !from.endsWith('.d.ts')) {
    cpSync(from, to);
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
  writeFileSync(to, text);
}
for (const dir of dirs) copy(join(dist, dir), join(out, dir));
if (problems.length > 0) fail(`${name} may use only the entry points of its dependencies:\n  ${problems.join('\n  ')}`);
cpSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
process.stdout.write(`pack-package: ${relative(root, out)} ready (${name} ${pkg.version} on neurite ${lib.version})\n`);
