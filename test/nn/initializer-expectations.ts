// test/meta/registry-coverage.test.ts fails when a registered initialiser has no row here.
import type { InitializerName } from '../../src/nn/initializers.js';

// What each initialiser must draw, from its paper or scheme (Keras' definitions): the bound of a
// uniform, or the standard deviation of a normal, for a layer of fanIn inputs and fanOut units.
export const EXPECTED: Record<InitializerName, (fanIn: number, fanOut: number) => { uniform?: number; std?: number }> =
  {
    glorotUniform: (i, o) => ({ uniform: Math.sqrt(6 / (i + o)) }),
    glorotNormal: (i, o) => ({ std: Math.sqrt(2 / (i + o)) }),
    heUniform: (i) => ({ uniform: Math.sqrt(6 / i) }),
    heNormal: (i) => ({ std: Math.sqrt(2 / i) }),
    normal: (_i, o) => ({ std: 1 / Math.sqrt(o) }),
    zeros: () => ({}),
  };
