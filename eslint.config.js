// Lint: typescript-eslint strict-type-checked, plus the layering of src/ (see DEVELOPERS.md) as import rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jsdoc from 'eslint-plugin-jsdoc';

const dirPatterns = (dirs) =>
  dirs.map((d) => ({ group: [`**/${d}/*`, `**/${d}`], message: `this layer must not import from src/${d}` }));
const nodePattern = {
  group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'url'],
  message: 'the core runs in browsers: no Node imports',
};
/** Forbids imports from the given src/ folders (relative specifiers are matched by folder name). */
const forbid = (...dirs) => ({ 'no-restricted-imports': ['error', { patterns: dirPatterns(dirs) }] });
const noNode = { 'no-restricted-imports': ['error', { patterns: [nodePattern] }] };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'packages/neurite/**',
      'node_modules/**',
      'playground/dist/**',
      'docs/api/**',
      '**/*.generated.ts',
      'src/backend/wasm/assembly/**',
      'coverage/**',
      'test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/strict-boolean-expressions': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    // TSDoc on every public export (STYLE.md §6).
    files: ['src/**/*.ts'],
    plugins: { jsdoc },
    rules: {
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: true,
          require: { FunctionDeclaration: true, ClassDeclaration: true, MethodDefinition: true },
          contexts: [
            'TSInterfaceDeclaration',
            'TSTypeAliasDeclaration',
            'ExportNamedDeclaration > VariableDeclaration',
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: forbid('backend', 'nn', 'optim', 'model', 'evolve', 'data', 'metrics', 'report', 'cli', 'node'),
  },
  {
    // Metrics sit on the core alone, browser-safe, so every layer above (data, model, cli) may use them.
    files: ['src/metrics/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...dirPatterns(['backend', 'nn', 'optim', 'model', 'evolve', 'data', 'report', 'cli', 'node']),
            nodePattern,
          ],
        },
      ],
    },
  },
  {
    files: ['src/backend/**/*.ts'],
    ignores: ['src/backend/wasm/**/*node*.ts'],
    rules: forbid('nn', 'optim', 'model', 'evolve', 'data', 'report', 'cli'),
  },
  { files: ['src/nn/**/*.ts'], rules: forbid('optim', 'model', 'evolve', 'data', 'report', 'cli', 'node') },
  { files: ['src/optim/**/*.ts'], rules: forbid('nn', 'model', 'evolve', 'data', 'report', 'cli', 'node') },
  { files: ['src/model/**/*.ts'], rules: forbid('evolve', 'data', 'report', 'cli', 'node') },
  {
    files: ['src/evolve/**/*.ts'],
    ignores: ['src/evolve/**/*node*.ts'],
    rules: forbid('optim', 'data', 'report', 'cli', 'node'),
  },
  {
    files: ['src/select/**/*.ts'],
    ignores: ['src/select/**/*node*.ts'],
    // Browser-safe like the core: neither the Node-only layers nor Node's modules.
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid('evolve', 'report', 'cli', 'node')['no-restricted-imports'][1].patterns,
            ...noNode['no-restricted-imports'][1].patterns,
          ],
        },
      ],
    },
  },
  // Quantized inference: a network's weights in int8 for the backend's integer kernels; browser-safe.
  {
    files: ['src/quant/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...dirPatterns(['optim', 'evolve', 'data', 'select', 'report', 'cli', 'node']), nodePattern] },
      ],
    },
  },
  // A table model pairs a network (model/) with the preprocessing fitted for it (data/pipeline/).
  { files: ['src/table/**/*.ts'], rules: forbid('evolve', 'report', 'cli', 'node') },
  {
    // neurite/io: format adapters over core, nn, model and data; browser-safe (the CLI does the file I/O).
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...dirPatterns(['evolve', 'select', 'report', 'cli', 'node']), nodePattern] },
      ],
    },
  },
  { files: ['src/index.ts'], rules: noNode },
  { files: ['src/data/**/*.ts'], ignores: ['src/data/node/**'], rules: noNode },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
);
