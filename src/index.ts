/**
 * neurite: fully-connected neural networks from scratch. This entry is the browser-safe core: it
 * has no runtime dependencies and imports nothing from Node.
 *
 * @packageDocumentation
 * @module neurite
 */
export { NeuriteError, type NeuriteErrorCode } from './core/errors.js';
export { closest } from './core/options.js';
export { Rng, type RngState } from './core/rng.js';
export {
  matrix,
  toMatrix,
  toRows,
  row,
  isMatrix,
  type Matrix,
  type MatrixLike,
  type VectorLike,
  type FloatArray,
} from './core/matrix.js';
export { getBackend, registerBackend, registeredBackends, type BackendChoice } from './backend/registry.js';
export { createJsBackend, jsBackend, type JsBackendOptions } from './backend/js/index.js';
export type { Backend, ActKernel, LossKernel, SampleStep, SampleStepLayer, SampleStepPlan } from './backend/types.js';
// Importing this module registers the 'wasm' backend (picked by 'auto' where SIMD validates).
export { createWasmBackend, wasmReady, type WasmBackend, type WasmBackendOptions } from './backend/wasm/index.js';
// Browser threads for it (Web Workers; only on cross-origin-isolated pages, else single-threaded).
export {
  attachWebThreadPool,
  createWebWasmBackend,
  webThreadsAvailable,
  type WebThreadPool,
  type WebThreadPoolOptions,
  type WebWasmOptions,
} from './backend/wasm/threads-web.js';
export { ACTIVATION_NAMES, getActivation, type Activation, type ActivationName } from './nn/activations.js';
export { LOSS_NAMES, getLoss, type Loss, type LossName } from './nn/losses.js';
export { INITIALIZER_NAMES, type InitializerName } from './nn/initializers.js';
export { Dense, type DenseConfig } from './nn/dense.js';
export { MAX_PARAMETERS, paramLayout, type ParamLayout, type LayerParams } from './nn/param-layout.js';
export * from './optim/index.js';
export { NeuralNetwork, type Neuron } from './model/network.js';
export { ModelEngine } from './model/engine.js';
export type { Evaluation, EvaluateOptions } from './model/evaluate.js';
export type { NetworkOptions, LayerSpec } from './model/options.js';
export type { FitOptions, History, EpochLogs, EarlyStopping } from './model/fit.js';
export type { ClassWeight } from './model/sample-weight.js';
export { METRIC_NAMES, argmax, type MetricName } from './model/metrics.js';
export {
  autoFit,
  type AutoFitOptions,
  type AutoFitPhase,
  type AutoFitResult,
  type ValidationScore,
} from './model/auto-fit.js';
export { planTraining, type PlanOverrides, type TableShape, type TrainingPlan } from './model/auto-plan.js';
export { baselinePredictions } from './model/holdout.js';
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelJSON,
  type OptimizerStateJSON,
  type ToJSONOptions,
} from './model/serialize.js';
// Tables of raw records: a network plus the preprocessing pipeline fitted with it (neurite/data).
export {
  TableModel,
  fitTable,
  fitTableStream,
  type FittedTable,
  type TableFitOptions,
  type TablePredictionResult,
  type TableStreamOptions,
  type StreamSampled,
} from './table/index.js';
// Training on data that does not fit in memory: batches from an async source, a bounded shuffle buffer.
export { fitStream, type FitStreamOptions, type BatchSource, type StreamBatch } from './model/fit-stream.js';
// Evaluation metrics and baselines (scikit-learn's definitions); browser-safe like the rest.
export * from './metrics/index.js';
// Inference with int8 weights and activations (integer products; a model file about 4× smaller).
export {
  QuantizedNetwork,
  quantize,
  type QuantizeOptions,
  type QuantizedLayerData,
} from './quant/quantized-network.js';
export { QUANTIZED_MODEL_FORMAT, QUANTIZED_MODEL_VERSION, type QuantizedModelJSON } from './quant/quantized-format.js';
