import type { Dense } from '../nn/dense.js';

/**
 * The neurons training must leave alone. Rather than masking gradients (which Adam's momentum
 * would still move past), it saves their weights before an optimizer step and writes them back.
 */
export class FrozenNeurons {
  private readonly set = new Map<string, { layer: number; neuron: number }>();
  private scratch = new Float64Array(0);

  /** Number of frozen neurons. */
  get size(): number {
    return this.set.size;
  }

  /** Freezes (or, with `false`, unfreezes) neuron `neuron` of layer `layer`. */
  toggle(layer: number, neuron: number, frozen: boolean): void {
    const key = `${String(layer)}:${String(neuron)}`;
    if (frozen) this.set.set(key, { layer, neuron });
    else this.set.delete(key);
  }

  /** True when the neuron is frozen. */
  has(layer: number, neuron: number): boolean {
    return this.set.has(`${String(layer)}:${String(neuron)}`);
  }

  /** The frozen neurons. */
  entries(): IterableIterator<{ layer: number; neuron: number }> {
    return this.set.values();
  }

  /** Copies the frozen neurons' parameters aside; false when there are none. */
  save(layers: readonly Dense[]): boolean {
    if (this.set.size === 0) return false;
    let size = 0;
    for (const { layer } of this.set.values()) size += (layers[layer] as Dense).inputs + 1;
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
    let o = 0;
    for (const { layer, neuron } of this.set.values()) {
      const d = layers[layer] as Dense;
      this.scratch.set(d.weights.subarray(neuron * d.inputs, (neuron + 1) * d.inputs), o);
      this.scratch[o + d.inputs] = d.biases[neuron] as number;
      o += d.inputs + 1;
    }
    return true;
  }

  /** Writes back what {@link save} copied. */
  restore(layers: readonly Dense[]): void {
    let o = 0;
    for (const { layer, neuron } of this.set.values()) {
      const d = layers[layer] as Dense;
      d.weights.set(this.scratch.subarray(o, o + d.inputs), neuron * d.inputs);
      d.biases[neuron] = this.scratch[o + d.inputs] as number;
      o += d.inputs + 1;
    }
  }
}
