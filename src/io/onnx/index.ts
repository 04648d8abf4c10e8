export { exportOnnx, type OnnxExportOptions } from './export.js';
