/**
 * `neurite/data/node`: the Node-only data loaders (they read files). Everything in
 * `neurite/data` is re-exported, so one import serves a Node program.
 *
 * @packageDocumentation
 * @module neurite/data/node
 */
export * from '../index.js';
export * from './mnist.js';
export * from './mnist-source.js';
export * from './read-csv-file.js';
export * from './load-dataset.js';
export * from './csv-file-stream.js';
export * from './errno-words.js';
