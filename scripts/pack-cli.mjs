// Builds the neurite-cli package (packages/neurite-cli) from the repository's dist/: the CLI, the
// report and the Node helpers, with every relative import that reaches into the library rewritten
// to the library's public entry point ('neurite', 'neurite/data', …), so the CLI runs on the
// `neurite` package it depends on. An import of a library file that is not an entry point fails
// the build (lint forbids it in src/ too).
import process from 'node:process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_DIRS } from './cli-dirs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkgDir = join(root, 'packages', 'neurite-cli');
const out = join(pkgDir, 'dist');

const lib = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const cli = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (cli.version !== lib.version || cli.dependencies.neurite !== lib.version) {
  process.stderr.write(
    `pack-cli: neurite-cli ${cli.version} must depend on neurite ${lib.version} exactly (found ${cli.dependencies.neurite}); keep the versions in step\n`,
  );
  process.exit(1);
}
if (!existsSync(join(dist, 'cli', 'main.js'))) {
  process.stderr.write('pack-cli: dist/cli/main.js is missing; run `npm run build` at the repository root first\n');
  process.exit(1);
}

/** dist file → the library's public specifier, from the library's `exports`. */
const entries = new Map();
for (const [key, value] of Object.entries(lib.exports)) {
  if (typeof value !== 'object' || typeof value.import !== 'string') continue;
  entries.set(resolve(root, value.import), key === '.' ? lib.name : `${lib.name}/${key.slice(2)}`);
}

rmSync(out, { recursive: true, force: true });
const problems = [];
const LITERAL = /(['"])(\.\.?\/[^'"\s]*\.js)\1/g;
function copy(from, to) {
  if (statSync(from).isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) copy(join(from, name), join(to, name));
    return;
  }
  if (from.endsWith('.map') || from.endsWith('.d.ts')) return;
  if (!from.endsWith('.js')) {
    cpSync(from, to);
    return;
  }
  const text = readFileSync(from, 'utf8').replace(LITERAL, (whole, quote, spec) => {
    const target = resolve(dirname(from), spec);
    const top = relative(dist, target).split(sep)[0];
    if (CLI_DIRS.includes(top)) return whole;
    const entry = entries.get(target);
    if (entry === undefined) {
      problems.push(`${relative(root, from)}: '${spec}' is not a public entry point of ${lib.name}`);
      return whole;
    }
    return `${quote}${entry}${quote}`;
  });
  writeFileSync(to, text);
}
for (const dir of CLI_DIRS) copy(join(dist, dir), join(out, dir));
if (problems.length > 0) {
  process.stderr.write(`pack-cli: the CLI may use only the library's entry points:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
cpSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
process.stdout.write(`pack-cli: ${relative(root, out)} ready (neurite-cli ${cli.version} on neurite ${lib.version})\n`);
