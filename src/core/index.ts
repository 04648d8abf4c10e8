export * from './errors.js';
export * from './options.js';
export * from './rng.js';
export * from './matrix.js';
export * from './base64.js';
