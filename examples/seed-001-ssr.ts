/**
 * Seed 001: a 5 → 4 → 4 → 2 network trained on the sum of squared residuals (SSR), once with
 * sigmoid and once with ReLU hidden layers, recording the SSR after every epoch — the data behind
 * the post's "loss falling over epochs" plots.
 *
 * Run: `npx tsx examples/seed-001-ssr.ts`
 */
import { NeuralNetwork, Rng, type ActivationName } from '../src/index.js';

/** A small seeded regression problem: 2 smooth targets of 5 inputs. */
export function makeData(n = 64, seed = 1): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = Array.from({ length: 5 }, () => rng.uniform(-1, 1));
    const [a = 0, b = 0, c = 0, d = 0, e = 0] = r;
    x.push(r);
    y.push([0.5 + 0.3 * Math.tanh(a + b - c), 0.5 + 0.2 * Math.sin(d * e + a)]);
  }
  return { x, y };
}

/** Trains one network per hidden activation and returns each SSR curve. */
export async function main(log = false, epochs = 300): Promise<Record<'sigmoid' | 'relu', number[]>> {
  const { x, y } = makeData();
  const curves = {} as Record<'sigmoid' | 'relu', number[]>;
  for (const activation of ['sigmoid', 'relu'] as const satisfies readonly ActivationName[]) {
    const net = new NeuralNetwork({
      layers: [5, { units: 4, activation }, { units: 4, activation }, { units: 2, activation: 'linear' }],
      seed: 1,
    });
    const history = await net.fit(x, y, {
      epochs,
      batchSize: 8,
      loss: 'ssr',
      optimizer: { type: 'sgd', learningRate: 0.01 },
    });
    curves[activation] = history.loss;
    if (log)
      console.log(
        `${activation}: SSR per row ${history.loss[0]?.toFixed(3) ?? ''} → ${history.loss.at(-1)?.toFixed(3) ?? ''}`,
      );
  }
  return curves;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await main(true);
