/**
 * CartPole-v1 balanced by an evolved 4 → 8 → 2 controller (Gym dynamics, written in TypeScript).
 * Solved = mean return ≥ 475 over 100 episodes from random starts.
 *
 * Run: `npx tsx examples/evolve-cartpole.ts`
 */
import { evolveCartPole, type CartPoleTaskResult } from '../src/evolve/index.js';

/** Evolves a controller with the given seed; returns the task result (controller, validation, history). */
export async function main(seed = 1, log: (line: string) => void = console.log): Promise<CartPoleTaskResult> {
  const result = await evolveCartPole({
    seed,
    onGeneration: (s) =>
      log(
        `generation ${String(s.generation)}: best ${s.best.toFixed(1)} mean ${s.mean.toFixed(1)} worst ${s.worst.toFixed(1)}`,
      ),
  });
  log(
    result.solvedAt !== undefined
      ? `solved in generation ${String(result.solvedAt)}: mean ${result.validation.mean.toFixed(1)} over 100 episodes`
      : `not solved: mean ${result.validation.mean.toFixed(1)} over 100 episodes`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await main();
