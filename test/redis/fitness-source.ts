// The fitness module the Redis tests write next to their files (plain JS, so built workers can
// import it): −MSE on XOR plus a term from the evaluation's seed (proves the seed travels), an
// optional busy loop (FIT_MS) standing for an expensive fitness, and a marker file per process
// (FIT_DIR) showing which worker processes took part.
export const FITNESS_MODULE = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
const ys = [0, 1, 1, 0];
export function fitness(net, ctx) {
  if (process.env.FIT_DIR) writeFileSync(join(process.env.FIT_DIR, 'pid-' + process.pid), '');
  const ms = Number(process.env.FIT_MS ?? 0);
  const end = performance.now() + ms;
  while (performance.now() < end);
  return -xs.reduce((s, x, i) => s + (net.predict(x)[0] - ys[i]) ** 2, 0) / 4 + (ctx.seed % 1000) * 1e-9;
}
export function failing(net, ctx) {
  if (ctx.generation === 1 && ctx.index === 3) throw new Error('boom at 3');
  return fitness(net, ctx);
}
`;
