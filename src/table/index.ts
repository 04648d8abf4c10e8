export { TableModel, type TablePredictionResult } from './table-model.js';
export { fitTable, type TableFitOptions } from './fit-table.js';
