import cliProgress from 'cli-progress';
import type { EpochLogs } from '../index.js';
import { fmt, type Io } from './output.js';

/** How training progress is shown: a bar (terminal), one line per epoch, or nothing (`--json`). */
export type ProgressMode = 'bar' | 'lines' | 'silent';

/** Receives training events and shows them. */
export interface Progress {
  start(info: { epochs: number; batches: number }): void;
  batch(batch: number, logs: { loss: number; epoch: number }): void;
  epoch(epoch: number, logs: EpochLogs): void;
  stop(): void;
}

/** The mode for this run: silent with `--json`, a bar when stderr is a terminal, else lines. */
export function progressMode(io: Io, json: boolean): ProgressMode {
  return json ? 'silent' : io.isTty ? 'bar' : 'lines';
}

/** A progress display. The bar's total is every batch of every epoch, so its ETA covers the whole run. */
export function createProgress(mode: ProgressMode, io: Io): Progress {
  let epochs = 0;
  let batches = 0;
  let bar: cliProgress.SingleBar | undefined;
  let lastVal = '—';
  let lastLoss = 0;
  let lastDraw = 0;
  // The clock starts with the first training phase, as the run's duration does (`done … in Ns`), so
  // the last epoch's time never exceeds it: data preparation and augmentation come before both.
  let started: number | undefined;
  return {
    start(info) {
      started ??= performance.now();
      epochs = info.epochs;
      batches = info.batches;
      if (mode !== 'bar') return;
      bar = new cliProgress.SingleBar(
        {
          format:
            'epoch {ep}/{epochs} [{bar}] batch {b}/{batches} | loss {loss} | val loss {val} | ETA {eta_formatted}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 200,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, epochs * batches), 0, { ep: 1, epochs, b: 0, batches, loss: '—', val: '—' });
    },
    batch(b, logs) {
      lastLoss = logs.loss;
      const now = Date.now();
      if (bar === undefined || (now - lastDraw < 100 && b + 1 < batches)) return;
      lastDraw = now;
      bar.update(logs.epoch * batches + b + 1, {
        ep: logs.epoch + 1,
        b: b + 1,
        loss: fmt(lastLoss),
        val: lastVal,
      });
    },
    epoch(e, logs) {
      if (logs.valLoss !== undefined) lastVal = fmt(logs.valLoss);
      // At most ~50 lines however many epochs (xor trains for 500): every k-th epoch and the last.
      const every = Math.max(1, Math.ceil(epochs / 50));
      if (mode === 'lines' && ((e + 1) % every === 0 || e + 1 === epochs || e === 0)) {
        const parts = [`epoch ${String(e + 1)}/${String(epochs)}`, `loss ${fmt(logs.loss)}`];
        if (logs.valLoss !== undefined) parts.push(`val loss ${fmt(logs.valLoss)}`);
        if (logs['accuracy'] !== undefined) parts.push(`accuracy ${fmt(logs['accuracy'])}`);
        if (logs['valAccuracy'] !== undefined) parts.push(`val accuracy ${fmt(logs['valAccuracy'])}`);
        parts.push(`${((performance.now() - (started ?? performance.now())) / 1000).toFixed(1)}s`);
        io.out(`${parts.join('  ')}\n`);
      }
      bar?.update((e + 1) * batches, { ep: e + 1, b: batches, loss: fmt(logs.loss), val: lastVal });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
