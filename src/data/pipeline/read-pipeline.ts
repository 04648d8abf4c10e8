import { badModel, readList, readNumber, readRecord, readString, readStrings } from './json-checks.js';
import { PIPELINE_FORMAT, PIPELINE_VERSION, type DroppedColumn, type Pipeline } from './pipeline.js';
import { STEP_KINDS, STEP_NAMES, stepKind, type ColumnStep, type StepName } from './steps/index.js';
import { readTarget } from './target.js';

const DROP_REASONS: readonly DroppedColumn['reason'][] = ['identifier', 'constant', 'empty', 'excluded'];

/**
 * Reads a saved pipeline (e.g. a model file's `metadata.pipeline`) and checks every field:
 * format and version, each step against its kind, the target, and that the input names are the
 * ones the steps produce. Anything wrong throws `INVALID_MODEL` naming the field.
 *
 * @example
 * ```ts
 * const pipeline = readPipeline(JSON.parse(text).metadata.pipeline);
 * ```
 */
export function readPipeline(x: unknown, path = 'pipeline'): Pipeline {
  const r = readRecord(x, path);
  if (r['format'] !== PIPELINE_FORMAT) {
    throw badModel(`${path}.format`, `must be ${JSON.stringify(PIPELINE_FORMAT)}, got ${JSON.stringify(r['format'])}`);
  }
  if (r['version'] !== PIPELINE_VERSION) {
    throw badModel(
      `${path}.version`,
      `${JSON.stringify(r['version'])} is not supported; this neurite reads version ${String(PIPELINE_VERSION)}`,
    );
  }
  const seen = new Set<string>();
  const steps = readList(r['steps'], `${path}.steps`).map((s, i) => {
    const where = `${path}.steps[${String(i)}]`;
    const step = readStep(s, where);
    if (seen.has(step.column)) throw badModel(`${where}.column`, `${JSON.stringify(step.column)} appears twice`);
    seen.add(step.column);
    return step;
  });
  if (steps.length === 0) throw badModel(`${path}.steps`, 'must not be empty');
  const dropped = readList(r['dropped'], `${path}.dropped`).map((d, i) => {
    const where = `${path}.dropped[${String(i)}]`;
    const o = readRecord(d, where);
    const reason = o['reason'];
    if (!(DROP_REASONS as unknown[]).includes(reason))
      throw badModel(`${where}.reason`, `must be one of ${DROP_REASONS.join(', ')}`);
    return {
      column: readString(o['column'], `${where}.column`),
      reason: reason as DroppedColumn['reason'],
      why: readString(o['why'], `${where}.why`),
    };
  });
  const featureNames = readStrings(r['featureNames'], `${path}.featureNames`);
  const expected = steps.flatMap((s) => stepKind(s).outputs(s));
  if (featureNames.length !== expected.length || featureNames.some((n, i) => n !== expected[i])) {
    throw badModel(
      `${path}.featureNames`,
      `do not match the steps: expected ${String(expected.length)} inputs (${expected.slice(0, 5).join(', ')}${expected.length > 5 ? ', …' : ''})`,
    );
  }
  return {
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    steps,
    dropped,
    target: readTarget(r['target'], `${path}.target`),
    featureNames,
    notes: readStrings(r['notes'], `${path}.notes`),
    rows: count(r['rows'], `${path}.rows`, 1),
    rowsWithoutTarget: count(r['rowsWithoutTarget'], `${path}.rowsWithoutTarget`, 0),
  };
}

function readStep(x: unknown, where: string): ColumnStep {
  const o = readRecord(x, where);
  const kind = o['kind'];
  if (typeof kind !== 'string' || !(STEP_NAMES as string[]).includes(kind)) {
    throw badModel(`${where}.kind`, `must be one of ${STEP_NAMES.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  readString(o['column'], `${where}.column`);
  return STEP_KINDS[kind as StepName].read(o, where);
}

function count(x: unknown, path: string, min: number): number {
  const n = readNumber(x, path);
  if (!Number.isInteger(n) || n < min)
    throw badModel(path, `must be a whole number >= ${String(min)}, got ${String(n)}`);
  return n;
}
