import type { History, Matrix, NeuralNetwork } from '../index.js';
import {
  accuracyChartSpec,
  confusionChartSpec,
  lossChartSpec,
  predictedActualChartSpec,
  renderSvg,
  residualChartSpec,
} from './charts.js';
import type { ClassificationSummary } from './metrics.js';
import { networkSvg } from './network-svg.js';
import { greyPngDataUri } from './png.js';

/** Misclassified images to show, for image datasets. */
export interface ReportImages {
  readonly rows: number;
  readonly cols: number;
  /** Raw pixels in [0, 1], one image per row (aligned with the classification's rows). */
  readonly pixels: Matrix;
  /** At most this many are shown (default 48). */
  readonly max?: number;
}

/** One thing preprocessing did (imputed cells, a dropped column, an encoding), as text or tied to a column. */
export type PreprocessingNote = string | { readonly column?: string; readonly message: string };

/** Regression predictions and targets in the target's original units, one column per target. */
export interface ReportRegression {
  readonly targetNames: readonly string[];
  readonly actual: Matrix;
  readonly predicted: Matrix;
}

/** The baseline a model must beat: what it predicts, and its scores keyed like {@link ReportInput.results}. */
export interface ReportBaseline {
  readonly description: string;
  readonly results: Readonly<Record<string, string | number>>;
}

/** Everything a training report shows. */
export interface ReportInput {
  readonly title: string;
  readonly net: NeuralNetwork;
  readonly history: History;
  /** Dataset facts, shown as a table (e.g. name, source, task, rows per split). */
  readonly dataset: Readonly<Record<string, string | number>>;
  /** Hyper-parameters, shown as a table. */
  readonly settings: Readonly<Record<string, string | number>>;
  /** Final scores, shown as a table (e.g. test loss, test accuracy). */
  readonly results: Readonly<Record<string, string | number>>;
  readonly classification?: ClassificationSummary | undefined;
  readonly images?: ReportImages | undefined;
  readonly inputNames?: readonly string[];
  readonly outputNames?: readonly string[];
  /** Footer line (version, date). */
  readonly footer?: string;
  /** Shown under each result card with the same key, and described in the results section. */
  readonly baseline?: ReportBaseline | undefined;
  /** Result keys (e.g. the test loss) that are no better than the baseline: their cards are flagged. */
  readonly worseThanBaseline?: readonly string[];
  /** Shown in a warning box at the top (e.g. the model does not beat its baseline). */
  readonly warnings?: readonly string[];
  /** Regression: a predicted-vs-actual and a residual chart per target. */
  readonly regression?: ReportRegression | undefined;
  /** What preprocessing did, one note per line (the section says so when there are none). */
  readonly preprocessing?: readonly PreprocessingNote[];
}

/** Escapes text for HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(rows: Readonly<Record<string, string | number>>): string {
  const body = Object.entries(rows)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmtNum(v) : v)}</td></tr>`)
    .join('');
  return `<table class="kv">${body}</table>`;
}

function fmtNum(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? v.toPrecision(4) : v.toExponential(3);
}

/** The loss chart alone, as an SVG document (`--plot`). */
export function lossChartSvg(history: History): Promise<string> {
  return renderSvg(lossChartSpec(history));
}

function perClassTable(c: ClassificationSummary): string {
  const rows = c.perClass
    .map(
      (p) =>
        `<tr><td>${esc(p.label)}</td><td>${(p.precision * 100).toFixed(1)}%</td><td>${(p.recall * 100).toFixed(1)}%</td><td>${p.f1.toFixed(3)}</td><td>${String(p.support)}</td></tr>`,
    )
    .join('');
  return `<table class="grid"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function imageGrid(c: ClassificationSummary, img: ReportImages): string {
  const wrong: number[] = [];
  for (let r = 0; r < c.predicted.length; r++) if (c.predicted[r] !== c.actual[r]) wrong.push(r);
  const max = img.max ?? 48;
  if (wrong.length === 0) return '<p>No misclassified examples.</p>';
  const size = img.rows * img.cols;
  const cells = wrong.slice(0, max).map((r) => {
    const px = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const v = img.pixels.data[r * size + i] as number;
      px[i] = 255 - Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    const pred = c.classes[c.predicted[r] as number] ?? '?';
    const act = c.classes[c.actual[r] as number] ?? '?';
    return `<figure><img src="${greyPngDataUri(img.cols, img.rows, px)}" width="56" height="56" alt="test example ${String(r)}"><figcaption>predicted <b>${esc(pred)}</b><br>true ${esc(act)}</figcaption></figure>`;
  });
  const note =
    wrong.length > max
      ? `the first ${String(max)} of ${String(wrong.length)} misclassified test examples`
      : `all ${String(wrong.length)} misclassified test examples`;
  return `<p class="note">Showing ${note}.</p><div class="digits">${cells.join('')}</div>`;
}

/** Up to this many targets get their own predicted-vs-actual and residual charts. */
const MAX_TARGET_CHARTS = 4;

async function regressionCharts(r: ReportRegression): Promise<string> {
  const parts: string[] = [];
  const shown = r.targetNames.slice(0, MAX_TARGET_CHARTS);
  for (const [c, name] of shown.entries()) {
    const column = (m: Matrix): number[] => Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c] as number);
    const actual = column(r.actual);
    const predicted = column(r.predicted);
    const scatter = await renderSvg(predictedActualChartSpec(actual, predicted, name));
    const residuals = await renderSvg(residualChartSpec(actual, predicted, name));
    parts.push(
      `<div class="row"><section class="predicted-actual" id="predicted-actual-${String(c)}"><h2>Predicted vs actual: ${esc(name)}</h2>${scatter}</section><section class="residuals" id="residuals-${String(c)}"><h2>Residuals: ${esc(name)}</h2>${residuals}</section></div>`,
    );
  }
  if (r.targetNames.length > shown.length) {
    parts.push(
      `<p class="note">Charts for the first ${String(shown.length)} of ${String(r.targetNames.length)} targets.</p>`,
    );
  }
  return parts.join('');
}

function preprocessingSection(notes: readonly PreprocessingNote[]): string {
  const items = notes.map((n) =>
    typeof n === 'string'
      ? `<li>${esc(n)}</li>`
      : `<li>${n.column === undefined ? '' : `<b>${esc(n.column)}</b>: `}${esc(n.message)}</li>`,
  );
  const body =
    items.length === 0
      ? '<p class="note">No preprocessing notes were recorded for this run.</p>'
      : `<ul>${items.join('')}</ul>`;
  return `<section id="preprocessing"><h2>What preprocessing did</h2>${body}</section>`;
}

const CSS = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:0;background:#f8fafc}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 12px}
.sub{color:#555;margin:0 0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-bottom:20px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px}
.card .v{font-size:24px;font-weight:600}.card .k{color:#555;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .b{color:#555;font-size:12px}.card.worse{border-color:#dc2626;background:#fef2f2}.card.worse .b{color:#b91c1c;font-weight:600}
.warn{background:#fef2f2;border:1px solid #dc2626;color:#7f1d1d;border-radius:8px;padding:10px 16px;margin-bottom:16px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px;margin-bottom:16px;overflow-x:auto}
.row{display:flex;flex-wrap:wrap;gap:16px}.row>section{flex:1 1 420px}
table{border-collapse:collapse}table.kv th{text-align:left;font-weight:500;color:#555;padding:2px 16px 2px 0}
table.grid th,table.grid td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
table.grid th:first-child,table.grid td:first-child{text-align:left}
.note{color:#555;font-size:13px}
.digits{display:flex;flex-wrap:wrap;gap:8px}
.digits figure{margin:0;text-align:center;font-size:11px;color:#444;width:64px}
.digits img{image-rendering:pixelated;border:1px solid #ddd;display:block;margin:0 auto 2px}
.legend span{display:inline-block;width:22px;height:3px;vertical-align:middle;margin:0 4px 0 12px}
footer{color:#777;font-size:12px;margin-top:8px}
section svg.marks{max-width:100%;height:auto}
`;

/**
 * A self-contained HTML report of a training run: summary cards with the baseline's score under
 * each (flagged where the model does not beat it), loss and accuracy curves (Vega-Lite, rendered to
 * inline SVG in Node), confusion matrix and per-class scores or, for regression, predicted vs actual
 * and residuals, what preprocessing did, a drawing of the network, dataset and hyper-parameter
 * tables, and for image data the misclassified examples.
 * Everything is inline: the file opens without network access or JavaScript.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const loss = await renderSvg(lossChartSpec(input.history));
  const accSpec = accuracyChartSpec(input.history);
  const acc = accSpec === undefined ? undefined : await renderSvg(accSpec);
  const c = input.classification;
  const confusion = c === undefined ? undefined : await renderSvg(confusionChartSpec(c.classes, c.matrix));
  const drawing = networkSvg(input.net, {
    ...(input.inputNames === undefined ? {} : { inputNames: input.inputNames }),
    ...(input.outputNames === undefined ? {} : { outputNames: input.outputNames }),
  });
  const sampledNote =
    drawing.sampled.length === 0
      ? 'Every neuron and weight is drawn.'
      : `Large layers are sampled: ${drawing.sampled
          .map(
            (s) =>
              `${s.layer === 0 ? 'inputs' : `layer ${String(s.layer)}`} shows ${String(s.shown)} of ${String(s.size)}`,
          )
          .join(
            ', ',
          )}${drawing.sampled.some((s) => s.layer === 0) ? ' (the inputs with the largest total |weight|)' : ''}; only edges between drawn neurons appear.`;
  const base = input.baseline?.results ?? {};
  const worse = new Set(input.worseThanBaseline ?? []);
  const show = (v: string | number): string => esc(typeof v === 'number' ? fmtNum(v) : v);
  const cards = Object.entries(input.results)
    .slice(0, 8)
    .map(([k, v]) => {
      const b = base[k];
      const flag = worse.has(k);
      const sub = b === undefined ? '' : `<div class="b">${flag ? 'no better than the ' : ''}baseline ${show(b)}</div>`;
      return `<div class="card${flag ? ' worse' : ''}"><div class="k">${esc(k)}</div><div class="v">${show(v)}</div>${sub}</div>`;
    })
    .join('');
  const warnings = (input.warnings ?? []).map((w) => `<div class="warn"><b>Warning:</b> ${esc(w)}</div>`).join('');
  const sections: string[] = [];
  sections.push(
    `<div class="row"><section id="loss"><h2>Loss</h2>${loss}</section>${acc === undefined ? '' : `<section id="accuracy"><h2>Accuracy</h2>${acc}</section>`}</div>`,
  );
  if (input.regression !== undefined) sections.push(await regressionCharts(input.regression));
  if (c !== undefined && confusion !== undefined) {
    sections.push(
      `<div class="row"><section id="confusion"><h2>Confusion matrix</h2>${confusion}</section><section id="per-class"><h2>Per-class scores</h2>${perClassTable(c)}</section></div>`,
    );
  }
  sections.push(
    `<section id="network"><h2>Network</h2><p class="note">Neurons as circles (fill: blue for a positive bias, red for negative); edges are weights, <span style="color:#2563eb">blue positive</span>, <span style="color:#dc2626">red negative</span>, thicker and darker for larger |w| (scaled per layer; edges under 2% of the layer's largest are omitted). ${esc(sampledNote)}</p>${drawing.svg}</section>`,
  );
  if (input.baseline !== undefined) {
    const rows: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(input.results)) {
      const b = input.baseline.results[k];
      if (b !== undefined)
        rows[k] = `${typeof v === 'number' ? fmtNum(v) : v} (baseline ${typeof b === 'number' ? fmtNum(b) : b})`;
    }
    sections.push(
      `<section id="baseline"><h2>Model vs baseline</h2><p class="note">Baseline: ${esc(input.baseline.description)}. A model that does not beat it has learned nothing the baseline did not.</p>${table(rows)}</section>`,
    );
  }
  sections.push(preprocessingSection(input.preprocessing ?? []));
  sections.push(
    `<div class="row"><section id="dataset"><h2>Dataset</h2>${table(input.dataset)}</section><section id="settings"><h2>Hyper-parameters</h2>${table(input.settings)}</section></div>`,
  );
  if (c !== undefined && input.images !== undefined) {
    sections.push(`<section id="misclassified"><h2>Misclassified examples</h2>${imageGrid(c, input.images)}</section>`);
  }
  return htmlPage({
    title: input.title,
    subtitle: `${String(input.dataset['dataset'] ?? '')} · ${input.net.summary().split('\n').pop() ?? ''}`,
    body: `${warnings}<div class="cards">${cards}</div>\n${sections.join('\n')}`,
    ...(input.footer === undefined ? {} : { footer: input.footer }),
  });
}

/** What {@link htmlPage} wraps. */
export interface HtmlPage {
  readonly title: string;
  /** The grey line under the title (plain text). */
  readonly subtitle: string;
  /** The page's HTML content: cards and `<section>`s, styled by the report's stylesheet. */
  readonly body: string;
  /** Footer line (plain text). */
  readonly footer?: string;
}

/**
 * A self-contained page in the training report's style (its stylesheet inline, no script), so
 * every page the command line writes looks like one family.
 */
export function htmlPage(page: HtmlPage): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(page.title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${esc(page.title)}</h1>`,
    `<p class="sub">${esc(page.subtitle)}</p>`,
    page.body,
    page.footer === undefined ? '' : `<footer>${esc(page.footer)}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
