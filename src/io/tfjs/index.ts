// TensorFlow.js layers format: writer and reader.
export {
  toTfjs,
  type TfjsArtifacts,
  type TfjsExportOptions,
  type TfjsModelJSON,
  type TfjsWeightSpec,
} from './export.js';
export { fromTfjs, isTfjsModelJson, tfjsWeightPaths, type TfjsImportOptions } from './import.js';
export type { TfjsWeightFiles } from './weights.js';
