import { describe, expect, it } from 'vitest';
import { NeuralNetwork, NeuriteError, ACTIVATION_NAMES } from '../../src/index.js';
import { denseStack, networkFromStack } from '../../src/io/index.js';

describe('denseStack / networkFromStack', () => {
  it('round-trips every activation with bit-identical predictions', () => {
    const hidden = ACTIVATION_NAMES.map((activation) =>
      activation === 'leakyRelu' || activation === 'elu'
        ? { units: 4, activation, alpha: 0.3 }
        : { units: 4, activation },
    );
    const net = new NeuralNetwork({ layers: [3, ...hidden, 2], seed: 7 });
    const stack = denseStack(net);
    expect(stack.layers.map((l) => l.activation)).toEqual([...ACTIVATION_NAMES, 'sigmoid']);
    expect(stack.layers.find((l) => l.activation === 'elu')?.alpha).toBeCloseTo(0.3);
    const back = networkFromStack(stack);
    const x = [0.3, -1.2, 2.5];
    expect(Array.from(back.predict(x))).toEqual(Array.from(net.predict(x)));
  });

  it('copies the weights, so later training does not change a stack', () => {
    const net = new NeuralNetwork({ layers: [2, 2, 1], seed: 1 });
    const stack = denseStack(net);
    const before = Array.from(stack.layers[0]!.weights);
    net.layers[0]!.weights[0] = 42;
    expect(Array.from(stack.layers[0]!.weights)).toEqual(before);
  });

  it('refuses layers that do not chain, naming the layer', () => {
    const stack = denseStack(new NeuralNetwork({ layers: [3, 2, 1], seed: 1 }));
    const broken = { inputs: 4, layers: stack.layers };
    expect(() => networkFromStack(broken)).toThrow(NeuriteError);
    expect(() => networkFromStack(broken)).toThrow(/layer 0 expects 3 inputs/);
    expect(() => networkFromStack({ inputs: 3, layers: [] })).toThrow(/no layer/);
  });
});
