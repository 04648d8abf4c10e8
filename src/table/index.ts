export { TableModel, type TablePredictionResult } from './table-model.js';
export { fitTable, type FittedTable, type TableFitOptions } from './fit-table.js';
export { fitTableStream, type TableStreamOptions, type StreamSampled } from './fit-table-stream.js';
