import { NeuriteError } from '../core/errors.js';
import type { CsvRecord } from '../data/csv/cells.js';
import {
  decodePredictions,
  describePipeline,
  readPipeline,
  transformRecords,
  type Pipeline,
  type TablePredictions,
  type TransformReport,
  type TransformedRows,
} from '../data/pipeline/index.js';
import { NeuralNetwork } from '../model/network.js';
import type { History } from '../model/fit.js';
import type { ModelJSON, ToJSONOptions } from '../model/serialize.js';
import type { NetworkOptions } from '../model/options.js';

/** Predictions from raw records, with what preprocessing had to do to them. */
export type TablePredictionResult = TablePredictions & {
  /** Cells filled in, unknown categories ignored (see `describeTransform`). */
  readonly report: TransformReport;
};

/**
 * A network together with the pipeline fitted on its training table, so it predicts from raw
 * records (`{ column: cell }`, strings as a CSV gives them or numbers) in the library and, saved
 * as a model file, in `neurite predict`/`evaluate`. The pipeline travels in the network's
 * `metadata.pipeline`, so a plain `NeuralNetwork.toJSON` of `model.net` carries it too.
 */
export class TableModel {
  /** The trained network: inputs are the pipeline's `featureNames`. */
  readonly net: NeuralNetwork;
  /** The fitted preprocessing. */
  readonly pipeline: Pipeline;
  /** How training went, when this model was just trained (not saved with it). */
  readonly history: History | undefined;

  /** Pairs a network with a pipeline; the network's input and output sizes must match it. */
  constructor(net: NeuralNetwork, pipeline: Pipeline, history?: History) {
    const outputs = pipeline.target.kind === 'label' ? pipeline.target.classes.length : pipeline.target.columns.length;
    if (net.inputSize !== pipeline.featureNames.length || net.outputSize !== outputs) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `the network has ${String(net.inputSize)} inputs and ${String(net.outputSize)} outputs but the pipeline makes ${String(pipeline.featureNames.length)} inputs and ${String(outputs)} targets`,
      );
    }
    this.net = net;
    this.pipeline = pipeline;
    this.history = history;
    net.metadata = { ...net.metadata, pipeline };
  }

  /**
   * Predicts from raw records: class labels and probabilities, or values in the target's units.
   * Missing cells are filled in and unknown categories ignored, as counted in `report`.
   *
   * @example
   * ```ts
   * model.predict([{ bill_length_mm: '39.1', island: 'Torgersen' }]).labels; // ['Adelie']
   * ```
   */
  predict(records: readonly CsvRecord[]): TablePredictionResult {
    const t = this.transform(records, { withTargets: false });
    return { ...decodePredictions(this.pipeline.target, this.net.predictBatch(t.x)), report: t.report };
  }

  /** The network inputs (and targets, when the records have them) for raw records. */
  transform(records: readonly CsvRecord[], options: { withTargets?: boolean } = {}): TransformedRows {
    return transformRecords(this.pipeline, records, options);
  }

  /** What the pipeline does to each column, in words. */
  describe(): string[] {
    return describePipeline(this.pipeline);
  }

  /** The model file: the network's JSON with the pipeline in `metadata.pipeline`. */
  toJSON(options?: ToJSONOptions): ModelJSON {
    return this.net.toJSON(options);
  }

  /**
   * Restores a model from {@link toJSON} (or a model file written by `neurite train --data`).
   * A missing or malformed pipeline throws `INVALID_MODEL` naming the field.
   */
  static fromJSON(json: unknown, options?: Pick<NetworkOptions, 'backend'>): TableModel {
    const net = NeuralNetwork.fromJSON(json, options);
    if (net.metadata['pipeline'] === undefined) {
      throw new NeuriteError(
        'INVALID_MODEL',
        'invalid model: no metadata.pipeline; this network was not trained on a table (fitTable or neurite train --data)',
      );
    }
    return new TableModel(net, readPipeline(net.metadata['pipeline'], 'metadata.pipeline'));
  }
}
