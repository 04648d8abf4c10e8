export { TableModel, type TablePredictionResult } from './table-model.js';
export { fitTable, type TableFitOptions } from './fit-table.js';
export { fitTableStream, type TableStreamOptions, type StreamSampled } from './fit-table-stream.js';
