import type { NeuralNetwork } from './network.js';

/** Formats the Keras-style summary table of a network. */
export function summarize(net: NeuralNetwork): string {
  const rows: string[][] = [['#', 'layer', 'output shape', 'activation', 'params']];
  rows.push(['', 'input', `(${String(net.inputSize)})`, '', '0']);
  net.layers.forEach((l, i) => {
    const act = l.activation.name + (l.dropout > 0 ? ` + dropout ${String(l.dropout)}` : '');
    rows.push([
      String(i),
      `dense ${String(l.inputs)}→${String(l.units)}`,
      `(${String(l.units)})`,
      act,
      l.parameterCount.toLocaleString('en-US'),
    ]);
  });
  const widths = (rows[0] as string[]).map((_h, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((s, w) => s + w + 2, -2));
  return [
    line(rows[0] as string[]),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `total parameters: ${net.parameterCount.toLocaleString('en-US')}  loss: ${net.loss.name}  optimizer: ${net.optimizer.spec.type}  backend: ${net.backend.name}`,
  ].join('\n');
}
