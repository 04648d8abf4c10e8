/**
 * Seed 000: "extract the weights of each neuron and modify it however you wish". Reads every
 * neuron of a small network, edits one by hand, and shows the output follow the edit.
 *
 * Run: `npx tsx examples/seed-000-neurons.ts`
 */
import { NeuralNetwork } from '../src/index.js';

/** Returns the output before and after setting the output neuron to a hand-made rule. */
export function main(log = false): { before: number; after: number; expected: number } {
  const net = new NeuralNetwork({ layers: [2, 3, 1], activation: 'sigmoid', seed: 0 });
  net.layers.forEach((layer, l) => {
    for (let j = 0; j < layer.units; j++) {
      const { weights, bias } = net.getNeuron(l, j);
      if (log)
        console.log(
          `layer ${String(l)} neuron ${String(j)}: weights ${weights.map((w) => w.toFixed(3)).join(', ')} bias ${bias.toFixed(3)}`,
        );
    }
  });
  const input = [0.5, -1];
  const before = net.predict(input)[0] as number;
  // Make the output neuron listen only to hidden neuron 0, with weight 4 and bias −2.
  net.setNeuron(1, 0, { weights: [4, 0, 0], bias: -2 });
  const hidden0 = net.getNeuron(0, 0);
  const z0 = hidden0.weights.reduce((s, w, i) => s + w * (input[i] as number), hidden0.bias);
  const h0 = 1 / (1 + Math.exp(-z0));
  const expected = 1 / (1 + Math.exp(-(4 * h0 - 2)));
  const after = net.predict(input)[0] as number;
  if (log)
    console.log(
      `output before ${before.toFixed(4)}, after the edit ${after.toFixed(4)} (by hand: ${expected.toFixed(4)})`,
    );
  return { before, after, expected };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) main(true);
