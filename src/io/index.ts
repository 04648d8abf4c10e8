/**
 * `neurite/io`: models that travel. Networks in and out of other libraries' formats (ONNX,
 * TensorFlow.js, safetensors, standalone JavaScript), as bytes or text: browser-safe, with no
 * runtime dependency and nothing from Node (the CLI reads and writes the files). Each format is an
 * adapter in its own folder with a reader and a writer over the shared {@link DenseStack}.
 *
 * @packageDocumentation
 */
export { denseStack, networkFromStack, type DenseStack, type StackLayer } from './dense-stack.js';
export type { StackSettings } from './saved-settings.js';
// ONNX (onnx.ai): protobuf written and read by hand, no dependency.
export * from './onnx/index.js';
// TensorFlow.js layers format (model.json + weights.bin), both ways.
export * from './tfjs/index.js';
// safetensors with PyTorch nn.Sequential names, both ways.
export * from './safetensors/index.js';
// One ES module with the weights inlined and no imports.
export { toStandaloneJs, type StandaloneOptions } from './standalone.js';
// Keeping a model in the browser: IndexedDB, localStorage, file download and upload.
export {
  saveToBrowser,
  loadFromBrowser,
  readStoredModel,
  listStoredModels,
  removeStoredModel,
  readModelFile,
  loadFromFile,
  downloadText,
  type StoredModel,
  type BrowserStorageOptions,
  type SaveToBrowserOptions,
  type BrowserScheme,
} from './browser-storage.js';
