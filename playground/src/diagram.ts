// The network diagram: one column per layer, each neuron a button showing its activation map, with
// the connections drawn behind them (colour = sign of the weight, width = its magnitude).
import { MAX_UNITS } from './settings.ts';
import { CLASS_COLORS, cssColor, drawMap } from './render.ts';
import type { StateMessage } from './protocol.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface DiagramHandlers {
  select(layer: number, neuron: number): void;
  units(layer: number, delta: number): void;
  activation(layer: number, name: string): void;
}

export interface Architecture {
  hidden: number[];
  activation: string[];
  outputs: number;
  outputActivation: string;
  activationChoices: readonly string[];
  features: [string, string];
}

export class Diagram {
  private readonly svg: SVGSVGElement;
  private neurons: HTMLButtonElement[][] = [];
  private canvases: HTMLCanvasElement[][] = [];
  private inputCanvases: HTMLCanvasElement[] = [];
  private paths = new Map<string, SVGPathElement>();
  private key = '';
  private selected: [number, number] | undefined;
  private last: StateMessage | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly on: DiagramHandlers,
  ) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('wires');
    this.svg.setAttribute('aria-hidden', 'true');
    new ResizeObserver(() => this.layoutWires()).observe(root);
  }

  /** Rebuilds the columns when the architecture changes (a no-op otherwise). */
  build(a: Architecture): void {
    const key = JSON.stringify(a);
    if (key === this.key) return;
    this.key = key;
    this.root.replaceChildren(this.svg);
    this.neurons = [];
    this.canvases = [];
    this.paths.clear();
    this.svg.replaceChildren();

    const inputCol = this.column('Inputs');
    this.inputCanvases = a.features.map((name) => {
      const cell = document.createElement('div');
      cell.className = 'neuron input';
      cell.title = `input ${name}`;
      const c = this.canvas();
      const label = document.createElement('span');
      label.className = 'tag';
      label.textContent = name;
      cell.append(c, label);
      inputCol.body.append(cell);
      return c;
    });
    this.neurons.push([]);

    const sizes = [...a.hidden, a.outputs];
    sizes.forEach((units, l) => {
      const isOut = l === a.hidden.length;
      const col = this.column(isOut ? 'Output' : `Layer ${String(l + 1)}`);
      if (!isOut) {
        const tools = document.createElement('div');
        tools.className = 'col-tools';
        const minus = this.button('−', `Remove a neuron from layer ${String(l + 1)}`, () => this.on.units(l, -1));
        minus.disabled = units <= 1;
        minus.dataset['testid'] = `remove-neuron-${String(l)}`;
        const plus = this.button('+', `Add a neuron to layer ${String(l + 1)}`, () => this.on.units(l, 1));
        plus.disabled = units >= MAX_UNITS;
        plus.dataset['testid'] = `add-neuron-${String(l)}`;
        const count = document.createElement('span');
        count.textContent = String(units);
        count.className = 'count';
        tools.append(minus, count, plus);
        const sel = document.createElement('select');
        sel.setAttribute('aria-label', `Activation of layer ${String(l + 1)}`);
        sel.dataset['testid'] = `activation-${String(l)}`;
        for (const name of a.activationChoices) sel.add(new Option(name, name, false, name === a.activation[l]));
        sel.addEventListener('change', () => this.on.activation(l, sel.value));
        col.head.append(tools, sel);
      } else {
        const info = document.createElement('span');
        info.className = 'muted small';
        info.textContent = a.outputActivation;
        col.head.append(info);
      }
      const buttons: HTMLButtonElement[] = [];
      const canvases: HTMLCanvasElement[] = [];
      for (let j = 0; j < units; j++) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'neuron';
        b.dataset['testid'] = `neuron-${String(l)}-${String(j)}`;
        b.setAttribute(
          'aria-label',
          `${isOut ? 'Output' : `Layer ${String(l + 1)}`} neuron ${String(j + 1)}: edit its weights and bias`,
        );
        const c = this.canvas();
        b.append(c);
        b.addEventListener('click', () => this.on.select(l, j));
        col.body.append(b);
        buttons.push(b);
        canvases.push(c);
      }
      this.neurons.push(buttons);
      this.canvases.push(canvases);
    });
    // Wires: one path per weight, created now and restyled on every state.
    let prev = 2;
    sizes.forEach((units, l) => {
      for (let j = 0; j < units; j++) {
        for (let k = 0; k < prev; k++) {
          const p = document.createElementNS(SVG, 'path');
          this.svg.append(p);
          this.paths.set(`${String(l)}:${String(j)}:${String(k)}`, p);
        }
      }
      prev = units;
    });
    this.markSelected();
    requestAnimationFrame(() => this.layoutWires());
  }

  private column(title: string): { head: HTMLElement; body: HTMLElement } {
    const col = document.createElement('div');
    col.className = 'col';
    const head = document.createElement('div');
    head.className = 'col-head';
    const h = document.createElement('span');
    h.className = 'col-title';
    h.textContent = title;
    head.append(h);
    const body = document.createElement('div');
    body.className = 'col-body';
    col.append(head, body);
    this.root.append(col);
    return { head, body };
  }

  private canvas(): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.width = c.height = 48;
    return c;
  }

  private button(text: string, label: string, fn: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'mini';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', fn);
    return b;
  }

  /** Marks a neuron as selected (or clears the selection). */
  select(sel: [number, number] | undefined): void {
    this.selected = sel;
    this.markSelected();
  }

  private markSelected(): void {
    this.neurons.forEach((col, li) =>
      col.forEach((b, j) => {
        const on = this.selected !== undefined && this.selected[0] === li - 1 && this.selected[1] === j;
        b.classList.toggle('selected', on);
        b.setAttribute('aria-pressed', String(on));
      }),
    );
  }

  /** Draws the input feature maps (x1 and x2 over the plane). */
  drawInputs(bounds: [number, number, number, number], size = 24): void {
    const [x0, x1, y0, y1] = bounds;
    const span = Math.max(Math.abs(x0), Math.abs(x1), Math.abs(y0), Math.abs(y1)) || 1;
    this.inputCanvases.forEach((c, f) => {
      const map = new Float32Array(size * size);
      for (let r = 0; r < size; r++)
        for (let q = 0; q < size; q++) {
          const x = x0 + ((q + 0.5) / size) * (x1 - x0);
          const y = y1 - ((r + 0.5) / size) * (y1 - y0);
          map[r * size + q] = (f === 0 ? x : y) / span;
        }
      drawMap(c, size, map, 'tanh');
    });
  }

  update(s: StateMessage): void {
    this.last = s;
    s.maps.forEach((layer, l) =>
      layer.forEach((map, j) => {
        const c = this.canvases[l]?.[j];
        if (c) drawMap(c, s.mapSize, map, s.layers[l]?.activation ?? 'tanh');
      }),
    );
    const frozen = new Set(s.frozen);
    this.neurons.forEach((col, li) =>
      col.forEach((b, j) => b.classList.toggle('frozen', frozen.has(`${String(li - 1)}:${String(j)}`))),
    );
    let max = 0;
    for (const l of s.layers) for (const w of l.weights) max = Math.max(max, Math.abs(w));
    s.layers.forEach((l, li) => {
      for (let j = 0; j < l.units; j++)
        for (let k = 0; k < l.inputs; k++) {
          const p = this.paths.get(`${String(li)}:${String(j)}:${String(k)}`);
          if (!p) continue;
          const w = l.weights[j * l.inputs + k] ?? 0;
          const mag = Math.min(1, Math.abs(w) / Math.max(1, max));
          p.setAttribute('stroke', cssColor(CLASS_COLORS[w < 0 ? 0 : 1]!));
          p.setAttribute('stroke-width', (0.5 + 5 * mag).toFixed(2));
          p.setAttribute('stroke-opacity', (0.25 + 0.65 * mag).toFixed(2));
        }
    });
  }

  /** Places the wires between the neurons' current positions. */
  layoutWires(): void {
    const box = this.root.getBoundingClientRect();
    this.svg.setAttribute('width', String(this.root.scrollWidth));
    this.svg.setAttribute('height', String(this.root.scrollHeight));
    const centre = (el: Element, side: 1 | -1): [number, number] => {
      const r = el.getBoundingClientRect();
      return [r.left - box.left + (side === 1 ? r.width : 0), r.top - box.top + r.height / 2];
    };
    const inputs: Element[] = this.root.querySelectorAll('.neuron.input').length
      ? [...this.root.querySelectorAll('.neuron.input')]
      : [];
    const cols: Element[][] = [inputs, ...this.neurons.slice(1)];
    for (let l = 1; l < cols.length; l++) {
      const from = cols[l - 1] ?? [];
      const to = cols[l] ?? [];
      to.forEach((t, j) => {
        const [tx, ty] = centre(t, -1);
        from.forEach((f, k) => {
          const [fx, fy] = centre(f, 1);
          const p = this.paths.get(`${String(l - 1)}:${String(j)}:${String(k)}`);
          const mx = (fx + tx) / 2;
          p?.setAttribute('d', `M${fx},${fy} C${mx},${fy} ${mx},${ty} ${tx},${ty}`);
        });
      });
    }
    if (this.last) this.update(this.last);
  }
}
