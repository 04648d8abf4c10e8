// Every metric against scikit-learn, run in the test on the same arrays (Debian's python3-sklearn).
import { describe, expect, it } from 'vitest';
import {
  Rng,
  accuracyScore,
  balancedAccuracyScore,
  classScores,
  classificationBaseline,
  confusionMatrix,
  f1Score,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  precisionScore,
  r2Score,
  recallScore,
  regressionBaseline,
  rocAucScore,
  rootMeanSquaredError,
  outputErrors,
} from '../../src/index.js';
import { probabilityRows } from '../helpers/random.js';
import { runPython, skipWithoutSklearn } from '../helpers/sklearn.js';

interface ClfCase {
  name: string;
  kind: 'clf';
  y: number[];
  /** One probability column per class (k columns). */
  probs: number[][];
  /** Classes listed for per-class scores and the confusion matrix. */
  K: number;
}
interface RegCase {
  name: string;
  kind: 'reg';
  y: number[][];
  p: number[][];
  /** Training targets for the mean baseline. */
  train: number[][];
}

const argmax = (r: readonly number[]): number => r.reduce((b, v, i) => (v > (r[b] as number) ? i : b), 0);

function randomClf(name: string, seed: number, n: number, k: number, skill: number): ClfCase {
  const rng = new Rng(seed);
  const y = Array.from({ length: n }, () => rng.int(k));
  // Push probability towards the true class by `skill` so the scores are neither random nor perfect.
  const probs = probabilityRows(rng, n, k).map((r, i) => {
    const boosted = r.map((v, c) => v + (c === y[i] ? skill : 0));
    const s = boosted.reduce((a, b) => a + b, 0);
    return boosted.map((v) => v / s);
  });
  return { name, kind: 'clf', y, probs, K: k };
}

function clfCases(): ClfCase[] {
  const rng = new Rng(7);
  const cases: ClfCase[] = [
    randomClf('binary random', 1, 60, 2, 0.3),
    randomClf('multiclass random', 2, 90, 4, 0.4),
    randomClf('multiclass weak', 3, 40, 3, 0.05),
    randomClf('imbalanced-ish small', 4, 12, 3, 0.2),
  ];
  // Ties: every row is one of three probability vectors, so scores repeat exactly.
  const palette = [
    [0.6, 0.3, 0.1],
    [0.2, 0.5, 0.3],
    [0.2, 0.3, 0.5],
  ];
  const yT = Array.from({ length: 45 }, () => rng.int(3));
  cases.push({ name: 'ties multiclass', kind: 'clf', y: yT, probs: yT.map(() => palette[rng.int(3)]!), K: 3 });
  const yB = Array.from({ length: 30 }, () => rng.int(2));
  const levels = [0.2, 0.5, 0.5, 0.8];
  cases.push({
    name: 'ties binary',
    kind: 'clf',
    y: yB,
    probs: yB.map(() => {
      const p = levels[rng.int(4)]!;
      return [1 - p, p];
    }),
    K: 2,
  });
  // Class 2 is never predicted (its column is always the smallest); class 3 is listed but absent.
  const yN = Array.from({ length: 40 }, (_, i) => i % 3);
  cases.push({
    name: 'class never predicted',
    kind: 'clf',
    y: yN,
    probs: yN.map((c, i) => (c === 0 || i % 4 === 0 ? [0.7, 0.2, 0.1] : [0.3, 0.6, 0.1])),
    K: 4,
  });
  const yP = Array.from({ length: 20 }, (_, i) => i % 3);
  cases.push({
    name: 'perfect',
    kind: 'clf',
    y: yP,
    probs: yP.map((c) => [0, 1, 2].map((j) => (j === c ? 0.9 : 0.05))),
    K: 3,
  });
  const yW = Array.from({ length: 20 }, (_, i) => i % 2);
  cases.push({ name: 'worst binary', kind: 'clf', y: yW, probs: yW.map((c) => (c === 1 ? [1, 0] : [0, 1])), K: 2 });
  return cases;
}

function regCases(): RegCase[] {
  const rng = new Rng(11);
  const noisy = (n: number, cols: number, noise: number): RegCase => {
    const y = Array.from({ length: n }, () => Array.from({ length: cols }, (_, c) => rng.normal(10 * c, 3 + c)));
    const p = y.map((r) => r.map((v) => v + rng.normal(0, noise)));
    const train = Array.from({ length: 30 }, () => Array.from({ length: cols }, (_, c) => rng.normal(10 * c, 3 + c)));
    return { name: `noisy ${String(cols)} output(s), noise ${String(noise)}`, kind: 'reg', y, p, train };
  };
  const y = Array.from({ length: 25 }, () => [rng.normal(0, 1)]);
  return [
    noisy(50, 1, 1),
    noisy(40, 3, 2),
    noisy(30, 2, 20),
    { name: 'perfect', kind: 'reg', y, p: y.map((r) => [...r]), train: y },
    { name: 'constant truth, exact', kind: 'reg', y: [[2], [2], [2]], p: [[2], [2], [2]], train: [[1], [3]] },
    { name: 'constant truth, off', kind: 'reg', y: [[2], [2], [2]], p: [[2], [2.5], [1]], train: [[1], [3]] },
  ];
}

const SCRIPT = String.raw`
import json, sys, warnings
import numpy as np
from sklearn import metrics as M
from sklearn.dummy import DummyClassifier, DummyRegressor
warnings.simplefilter('ignore')
out = []
for c in json.load(sys.stdin):
    r = {}
    if c['kind'] == 'clf':
        y = np.array(c['y']); P = np.array(c['probs']); k = P.shape[1]; K = c['K']
        p = P.argmax(axis=1)
        r['accuracy'] = M.accuracy_score(y, p)
        r['balanced'] = M.balanced_accuracy_score(y, p)
        for avg in ['macro', 'weighted', 'micro']:
            r['precision_' + avg] = M.precision_score(y, p, average=avg)
            r['recall_' + avg] = M.recall_score(y, p, average=avg)
            r['f1_' + avg] = M.f1_score(y, p, average=avg)
        if len(set(y) | set(p)) <= 2:
            r['f1_binary'] = M.f1_score(y, p, average='binary')
            r['precision_binary'] = M.precision_score(y, p, average='binary')
        pr, rc, f1, sup = M.precision_recall_fscore_support(y, p, labels=list(range(K)), average=None)
        r['per_class'] = [pr.tolist(), rc.tolist(), f1.tolist(), sup.tolist()]
        r['confusion'] = M.confusion_matrix(y, p, labels=list(range(K))).tolist()
        if len(set(y)) == k:
            if k == 2:
                r['roc_auc'] = M.roc_auc_score(y, P[:, 1])
            else:
                r['roc_auc'] = M.roc_auc_score(y, P, multi_class='ovr', average='macro')
                r['roc_auc_weighted'] = M.roc_auc_score(y, P, multi_class='ovr', average='weighted')
        r['log_loss'] = M.log_loss(y, P, labels=list(range(k)))
        r['log_loss_f32'] = float(M.log_loss(y, P.astype(np.float32), labels=list(range(k))))
        if k == 2:
            r['log_loss_1d'] = M.log_loss(y, P[:, 1], labels=[0, 1])
        # The baseline: DummyClassifier(prior) fitted on the case's first half, scored on all rows.
        half = y[: len(y) // 2]
        d = DummyClassifier(strategy='prior').fit(np.zeros((len(half), 1)), half)
        dp = d.predict(np.zeros((len(y), 1)))
        r['dummy_accuracy'] = M.accuracy_score(y, dp)
        r['dummy_f1_macro'] = M.f1_score(y, dp, average='macro')
        proba = np.zeros((len(y), k)); proba[:, d.classes_] = d.predict_proba(np.zeros((len(y), 1)))
        r['dummy_log_loss'] = M.log_loss(y, proba, labels=list(range(k)))
    else:
        y = np.array(c['y']); p = np.array(c['p'])
        r['r2'] = M.r2_score(y, p)
        r['mse'] = M.mean_squared_error(y, p)
        r['rmse'] = M.mean_squared_error(y, p, squared=False)
        r['mae'] = M.mean_absolute_error(y, p)
        r['r2_raw'] = M.r2_score(y, p, multioutput='raw_values').tolist()
        r['rmse_raw'] = M.mean_squared_error(y, p, multioutput='raw_values', squared=False).tolist()
        d = DummyRegressor().fit(np.zeros((len(c['train']), 1)), np.array(c['train']))
        dp = d.predict(np.zeros((len(y), 1))).reshape(y.shape)
        r['dummy_r2'] = M.r2_score(y, dp)
        r['dummy_rmse'] = M.mean_squared_error(y, dp, squared=False)
        r['dummy_mae'] = M.mean_absolute_error(y, dp)
    out.append(r)
print(json.dumps(out))
`;

type Ref = Record<string, unknown>;

/** A number scikit-learn returned (failing loudly when the script left it out). */
function num(r: Ref, key: string): number {
  const v = r[key];
  if (typeof v !== 'number') throw new Error(`scikit-learn gave no number for ${key}`);
  return v;
}

/** Agreement to 1e-12 relative (float64 on both sides; only summation order differs). */
function close(actual: number, expected: number, what: string, tol = 1e-12): void {
  expect(
    Math.abs(actual - expected),
    `${what}: neurite ${String(actual)} vs scikit-learn ${String(expected)}`,
  ).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

describe.skipIf(skipWithoutSklearn)('metrics match scikit-learn on the same arrays', () => {
  const clf = clfCases();
  const reg = regCases();
  const ref = runPython(SCRIPT, [...clf, ...reg]) as Ref[];

  clf.forEach((c, i) => {
    it(`classification: ${c.name}`, () => {
      const r = ref[i]!;
      const p = c.probs.map(argmax);
      close(accuracyScore(c.y, p), num(r, 'accuracy'), 'accuracy');
      // Probabilities in, argmax taken inside: the same as labels in.
      close(accuracyScore(c.y, c.probs), num(r, 'accuracy'), 'accuracy from probabilities');
      close(balancedAccuracyScore(c.y, p), num(r, 'balanced'), 'balanced accuracy');
      for (const average of ['macro', 'weighted', 'micro'] as const) {
        close(precisionScore(c.y, p, { average }), num(r, `precision_${average}`), `precision ${average}`);
        close(recallScore(c.y, p, { average }), num(r, `recall_${average}`), `recall ${average}`);
        close(f1Score(c.y, p, { average }), num(r, `f1_${average}`), `f1 ${average}`);
      }
      if (r['f1_binary'] !== undefined) {
        close(f1Score(c.y, p, { average: 'binary' }), num(r, 'f1_binary'), 'f1 binary');
        close(precisionScore(c.y, p, { average: 'binary' }), num(r, 'precision_binary'), 'precision binary');
      }
      const labels = Array.from({ length: c.K }, (_, j) => j);
      const per = classScores(c.y, p, { labels });
      const [pr, rc, f1, sup] = r['per_class'] as number[][];
      per.forEach((s, j) => {
        close(s.precision, pr![j]!, `precision of class ${String(j)}`);
        close(s.recall, rc![j]!, `recall of class ${String(j)}`);
        close(s.f1, f1![j]!, `f1 of class ${String(j)}`);
        expect(s.support).toBe(sup![j]);
      });
      expect(confusionMatrix(c.y, p, { labels })).toEqual(r['confusion']);
      if (r['roc_auc'] !== undefined) {
        close(rocAucScore(c.y, c.probs), num(r, 'roc_auc'), 'ROC-AUC');
        if (c.probs[0]!.length === 2) {
          close(
            rocAucScore(
              c.y,
              c.probs.map((q) => q[1]!),
            ),
            num(r, 'roc_auc'),
            'ROC-AUC from a 1-D score',
          );
        } else {
          close(rocAucScore(c.y, c.probs, { average: 'weighted' }), num(r, 'roc_auc_weighted'), 'ROC-AUC weighted');
        }
      }
      close(logLoss(c.y, c.probs), num(r, 'log_loss'), 'log loss');
      // Float32 probabilities are clipped at float32's epsilon, as scikit-learn's eps='auto' does.
      close(
        logLoss(
          c.y,
          c.probs.map((q) => Float32Array.from(q)),
        ),
        num(r, 'log_loss_f32'),
        'log loss f32',
        1e-5,
      );
      if (r['log_loss_1d'] !== undefined)
        close(
          logLoss(
            c.y,
            c.probs.map((q) => q[1]!),
          ),
          num(r, 'log_loss_1d'),
          'log loss 1-D',
        );
      const b = classificationBaseline(c.y.slice(0, Math.floor(c.y.length / 2)), c.y);
      close(b.metrics.accuracy, num(r, 'dummy_accuracy'), 'baseline accuracy');
      close(b.metrics.f1Macro, num(r, 'dummy_f1_macro'), 'baseline f1 macro');
      close(b.metrics.logLoss!, num(r, 'dummy_log_loss'), 'baseline log loss');
    });
  });

  reg.forEach((c, i) => {
    it(`regression: ${c.name}`, () => {
      const r = ref[clf.length + i]!;
      close(r2Score(c.y, c.p), num(r, 'r2'), 'R²');
      close(meanSquaredError(c.y, c.p), num(r, 'mse'), 'MSE');
      close(rootMeanSquaredError(c.y, c.p), num(r, 'rmse'), 'RMSE');
      close(meanAbsoluteError(c.y, c.p), num(r, 'mae'), 'MAE');
      const raw = outputErrors(c.y, c.p);
      raw.r2.forEach((v, j) => close(v, (r['r2_raw'] as number[])[j]!, `R² of output ${String(j)}`));
      raw.rmse.forEach((v, j) => close(v, (r['rmse_raw'] as number[])[j]!, `RMSE of output ${String(j)}`));
      const b = regressionBaseline(c.train, c.y);
      close(b.metrics.r2, num(r, 'dummy_r2'), 'baseline R²');
      close(b.metrics.rmse, num(r, 'dummy_rmse'), 'baseline RMSE');
      close(b.metrics.mae, num(r, 'dummy_mae'), 'baseline MAE');
    });
  });
});
