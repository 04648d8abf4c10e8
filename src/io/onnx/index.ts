export { exportOnnx, type OnnxExportOptions } from './export.js';
export { importOnnx, type OnnxImportOptions } from './import.js';
