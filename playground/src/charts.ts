// Line charts (uPlot) for the train/test loss and the population's fitness.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesSpec {
  label: string;
  stroke: string;
  dash?: number[];
}

/** A growing line chart: x values plus one array per series, resized with its container. */
export class LineChart {
  private readonly plot: uPlot;
  private readonly data: number[][];
  private dirty = false;

  constructor(
    private readonly el: HTMLElement,
    xLabel: string,
    series: SeriesSpec[],
    private readonly log = false,
  ) {
    this.data = [[], ...series.map(() => [])];
    const opts: uPlot.Options = {
      width: this.width(),
      height: 170,
      // distr 3 is uPlot's log scale (a const enum, which isolated modules cannot name).
      scales: { x: { time: false }, y: log ? ({ distr: 3 } as unknown as uPlot.Scale) : {} },
      axes: [
        { label: xLabel, stroke: '#333', grid: { stroke: '#eee' } },
        {
          stroke: '#333',
          grid: { stroke: '#eee' },
          size: 50,
          values: (_u: uPlot, splits: (number | null)[]) =>
            splits.map((v) => (v === null ? '' : Math.abs(v) >= 0.01 || v === 0 ? String(v) : v.toExponential(0))),
        },
      ],
      legend: { live: false },
      cursor: { show: false },
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 2,
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: false },
        })),
      ],
    };
    this.plot = new uPlot(opts, this.data as uPlot.AlignedData, el);
    new ResizeObserver(() => this.plot.setSize({ width: this.width(), height: 170 })).observe(el);
  }

  private width(): number {
    return Math.max(200, Math.floor(this.el.clientWidth || 300));
  }

  push(x: number, ys: number[]): void {
    this.data[0]!.push(x);
    // A log scale cannot show zero or negative values: leave a gap instead.
    ys.forEach((y, i) => this.data[i + 1]!.push(Number.isFinite(y) && (!this.log || y > 0) ? y : NaN));
    if (!this.dirty) {
      this.dirty = true;
      requestAnimationFrame(() => {
        this.dirty = false;
        this.plot.setData(this.data as uPlot.AlignedData);
      });
    }
  }

  clear(): void {
    for (const d of this.data) d.length = 0;
    this.plot.setData(this.data as uPlot.AlignedData);
  }
}
