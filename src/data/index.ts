/**
 * `neurite/data`: datasets and preprocessing. Browser-safe: imports only the core (CSV is read
 * by its own tokenizer). The Node-only loaders (MNIST, CSV files) are in
 * `neurite/data/node`.
 *
 * @packageDocumentation
 * @module neurite/data
 */
export * from './dataset.js';
export * from './one-hot.js';
export * from './standardize.js';
export * from './min-max.js';
export * from './shuffle.js';
export * from './split.js';
export * from './folds.js';
export * from './batches.js';
export * from './synthetic.js';
export * from './spiral.js';
export * from './circles.js';
export * from './moons.js';
export * from './xor.js';
export * from './gaussian-clusters.js';
export * from './seed-people.js';
export * from './iris.js';
export * from './builtin.js';
export * from './mnist-format.js';
export * from './csv/cells.js';
export * from './csv/encoding.js';
export * from './csv/encode-rows.js';
export * from './csv/tokenize.js';
export * from './csv/delimiter.js';
export * from './csv/decimal.js';
export * from './csv/columns.js';
export * from './csv/table.js';
export * from './csv/stream.js';
export * from './csv/parse-csv.js';
export * from './pipeline/index.js';
