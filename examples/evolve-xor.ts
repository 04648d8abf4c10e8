/**
 * XOR learned by evolution alone (no backpropagation): a population of 2 → 4 → 1 networks,
 * fitness = −MSE on the four cases, evaluated on the batch fast path.
 *
 * Run: `npx tsx examples/evolve-xor.ts`
 */
import { evolveXor, type XorTaskResult } from '../src/evolve/index.js';

/** Evolves XOR with the given seed and prints one line per 10 generations; returns the result. */
export async function main(seed = 1, log: (line: string) => void = console.log): Promise<XorTaskResult> {
  const result = await evolveXor({
    seed,
    onGeneration: (s) => {
      if (s.generation % 10 === 0)
        log(`generation ${String(s.generation)}: best ${s.best.toFixed(4)} mean ${s.mean.toFixed(4)}`);
    },
  });
  log(
    `solved=${String(result.solved)} after ${String(result.generations)} generations, MSE ${result.mse.toFixed(4)}, outputs ${result.outputs.map((y) => y.toFixed(3)).join(' ')}`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await main();
