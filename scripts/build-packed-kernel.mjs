// Compiles the hand-written population forward kernel (src/evolve/packed-kernel.wat, WebAssembly
// SIMD text) with binaryen — already installed as AssemblyScript's compiler back end — and embeds
// it as base64 in src/evolve/packed-kernel.generated.ts.
//
// Usage: node scripts/build-packed-kernel.mjs
import binaryen from 'binaryen';
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src/evolve/packed-kernel.wat');
const out = join(root, 'src/evolve/packed-kernel.generated.ts');

const mod = binaryen.parseText(readFileSync(source, 'utf8'));
mod.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
if (!mod.validate()) throw new Error('packed-kernel.wat does not validate');
binaryen.setOptimizeLevel(3);
mod.optimize();
const bytes = Buffer.from(mod.emitBinary());
mod.dispose();

const text = `// Generated from src/evolve/packed-kernel.wat by scripts/build-packed-kernel.mjs (npm run build:wasm); do not edit.

/** Base64 of the compiled population forward kernel (WebAssembly SIMD). */
export const packedKernelBase64 =
  '${bytes.toString('base64')}';
`;
writeFileSync(out, text);
process.stdout.write(`packed evolve kernel: ${String(bytes.length)} B\n`);
