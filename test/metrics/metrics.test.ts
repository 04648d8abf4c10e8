import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SCORERS,
  SCORER_NAMES,
  accuracyScore,
  balancedAccuracyScore,
  classScores,
  classificationBaseline,
  classificationMetrics,
  confusionMatrix,
  f1Score,
  getScorer,
  logLoss,
  matrix,
  precisionScore,
  r2Score,
  recallScore,
  regressionBaseline,
  regressionMetrics,
  rocAucScore,
  rootMeanSquaredError,
} from '../../src/index.js';
import { expectCode } from '../helpers/errors.js';

describe('hand-worked cases', () => {
  it('precision, recall and F1 of a two-class example', () => {
    // y = [0,0,1,1], ŷ = [0,1,1,1]. Class 0: tp 1, predicted 1, support 2 → P 1, R 1/2, F1 2·1·½/(1+½) = 2/3.
    // Class 1: tp 2, predicted 3, support 2 → P 2/3, R 1, F1 2·⅔·1/(⅔+1) = 4/5.
    const y = [0, 0, 1, 1];
    const p = [0, 1, 1, 1];
    const per = classScores(y, p);
    expect(per.map((s) => [s.precision, s.recall, s.support])).toEqual([
      [1, 0.5, 2],
      [2 / 3, 1, 2],
    ]);
    expect(per[0]!.f1).toBeCloseTo(2 / 3, 15);
    expect(per[1]!.f1).toBeCloseTo(0.8, 15);
    expect(f1Score(y, p)).toBeCloseTo((2 / 3 + 0.8) / 2, 15);
    expect(precisionScore(y, p)).toBeCloseTo(5 / 6, 15);
    expect(recallScore(y, p)).toBe(0.75);
    // Binary: the scores of class 1 alone; micro: tp 3 of 4 rows = accuracy.
    expect(f1Score(y, p, { average: 'binary' })).toBeCloseTo(0.8, 15);
    expect(f1Score(y, p, { average: 'micro' })).toBe(0.75);
  });

  it('balanced accuracy, ROC-AUC with a tie, log loss and R²', () => {
    // Recall of class 0: 3/4, of class 1: 1/2 → mean 5/8.
    expect(balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])).toBe(0.625);
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: pairs won 1 + 2 = 3 of 4.
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    // A tie between a positive and a negative counts half: pairs (0.5 vs 0.5) ½ + (0.5 vs 0.1) 1 → 3/4.
    expect(rocAucScore([0, 1, 0], [0.5, 0.5, 0.1])).toBe(0.75);
    // −(ln .9 + ln .9 + ln .8 + ln .65) / 4 = 0.216161…
    expect(
      logLoss(
        [1, 0, 0, 1],
        [
          [0.1, 0.9],
          [0.9, 0.1],
          [0.8, 0.2],
          [0.35, 0.65],
        ],
      ),
    ).toBeCloseTo(0.21616187468, 10);
    // SS_res = .25+.25+0+1 = 1.5; mean 2.875, SS_tot = 29.1875 → 1 − 1.5/29.1875.
    expect(r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo(1 - 1.5 / 29.1875, 15);
    expect(rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo(Math.sqrt(1.5 / 4), 15);
  });

  it('reads one-hot targets, probability matrices, Float32Arrays and neurite matrices alike', () => {
    const labels = [2, 0, 1, 1];
    const oneHot = matrix(4, 3, Float32Array.from([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0]));
    const probs = [
      Float32Array.from([0.1, 0.2, 0.7]),
      Float32Array.from([0.5, 0.3, 0.2]),
      Float32Array.from([0.2, 0.5, 0.3]),
      Float32Array.from([0.6, 0.3, 0.1]),
    ];
    expect(accuracyScore(oneHot, probs)).toBe(0.75);
    expect(accuracyScore(Int32Array.from(labels), probs)).toBe(0.75);
    expect(confusionMatrix(labels, probs)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    // One sigmoid column: a 0.5 threshold.
    expect(accuracyScore([0, 1, 1], matrix(3, 1, Float32Array.from([0.2, 0.7, 0.4])))).toBeCloseTo(2 / 3, 15);
  });
});

describe('summaries and baselines', () => {
  it('classificationMetrics holds every classification scorer, per class and the confusion matrix', () => {
    const m = classificationMetrics(
      [0, 1, 2, 2, 1],
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.8, 0.1],
        [0.2, 0.2, 0.6],
        [0.5, 0.1, 0.4],
        [0.3, 0.4, 0.3],
      ],
    );
    for (const s of SCORERS.filter((x) => x.task === 'classification')) {
      expect((m as unknown as Record<string, number>)[s.name], s.name).toBeCloseTo(
        s.score(
          [0, 1, 2, 2, 1],
          [
            [0.7, 0.2, 0.1],
            [0.1, 0.8, 0.1],
            [0.2, 0.2, 0.6],
            [0.5, 0.1, 0.4],
            [0.3, 0.4, 0.3],
          ],
        ),
        12,
      );
    }
    expect(m.perClass).toHaveLength(3);
    expect(m.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('leaves out ROC-AUC where a class is missing and log loss for labels', () => {
    const m = classificationMetrics(
      [0, 0, 1],
      [
        [0.2, 0.3, 0.5],
        [0.6, 0.2, 0.2],
        [0.1, 0.8, 0.1],
      ],
    );
    expect(m.rocAuc).toBeUndefined();
    expect(m.logLoss).toBeGreaterThan(0);
    const labelsOnly = classificationMetrics([0, 1, 1], [0, 1, 0]);
    expect(labelsOnly.rocAuc).toBeUndefined();
    expect(labelsOnly.logLoss).toBeUndefined();
  });

  it('regressionMetrics holds every regression scorer', () => {
    const y = [
      [1, 10],
      [2, 20],
      [4, 25],
    ];
    const p = [
      [1.5, 11],
      [2, 18],
      [3, 26],
    ];
    const m = regressionMetrics(y, p);
    for (const s of SCORERS.filter((x) => x.task === 'regression')) {
      expect((m as unknown as Record<string, number>)[s.name], s.name).toBeCloseTo(s.score(y, p), 12);
    }
    expect(m.perOutput.r2).toHaveLength(2);
  });

  it('the majority baseline predicts the most frequent training class with its priors', () => {
    const b = classificationBaseline([1, 1, 0, 2, 1], [0, 1, 2, 1]);
    expect(b.majorityClass).toBe(1);
    expect(b.priors).toEqual([0.2, 0.6, 0.2]);
    expect(b.metrics.accuracy).toBe(0.5);
    expect(b.metrics.balancedAccuracy).toBeCloseTo(1 / 3, 15);
    expect(b.metrics.rocAuc).toBe(0.5);
    // From stored priors (a model file keeps them), the same scores.
    expect(classificationBaseline({ priors: b.priors }, [0, 1, 2, 1]).metrics).toEqual(b.metrics);
  });

  it('the mean baseline has R² 0 when the test mean is the training mean', () => {
    const b = regressionBaseline([[1], [3]], [[0], [4], [2]]);
    expect(b.mean).toEqual([2]);
    expect(b.metrics.r2).toBe(0);
    expect(b.metrics.mae).toBeCloseTo(4 / 3, 15);
    expect(regressionBaseline({ mean: [2] }, [[0], [4], [2]]).metrics).toEqual(b.metrics);
  });
});

describe('properties', () => {
  const labelPairs = fc.integer({ min: 1, max: 5 }).chain((k) =>
    fc.array(fc.tuple(fc.integer({ min: 0, max: k - 1 }), fc.integer({ min: 0, max: k - 1 })), {
      minLength: 1,
      maxLength: 60,
    }),
  );

  it('accuracy, balanced accuracy and F1 lie in [0, 1]; the confusion matrix sums to n', () => {
    fc.assert(
      fc.property(labelPairs, (pairs) => {
        const y = pairs.map((p) => p[0]);
        const q = pairs.map((p) => p[1]);
        for (const v of [
          accuracyScore(y, q),
          balancedAccuracyScore(y, q),
          f1Score(y, q),
          f1Score(y, q, { average: 'weighted' }),
        ]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(
          confusionMatrix(y, q)
            .flat()
            .reduce((a, b) => a + b, 0),
        ).toBe(y.length);
        // Micro-averaged F1 over every class is accuracy.
        expect(f1Score(y, q, { average: 'micro' })).toBeCloseTo(accuracyScore(y, q), 12);
      }),
    );
  });

  it('F1 is symmetric in the binary case: swapping truth and prediction swaps precision and recall only', () => {
    fc.assert(
      fc.property(labelPairs, (pairs) => {
        const y = pairs.map((p) => p[0]);
        const q = pairs.map((p) => p[1]);
        expect(f1Score(q, y)).toBeCloseTo(f1Score(y, q), 12);
        expect(precisionScore(q, y)).toBeCloseTo(recallScore(y, q), 12);
      }),
    );
  });

  it('the mean predictor has R² 0 and a perfect one R² 1', () => {
    fc.assert(
      // Quarters of integers: sums stay exact, so a constant target gives a mean exactly equal to it.
      fc.property(
        fc.array(
          fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4),
          { minLength: 2, maxLength: 50 },
        ),
        (y) => {
          const mean = y.reduce((a, b) => a + b, 0) / y.length;
          const constant = y.every((v) => v === y[0]);
          expect(
            r2Score(
              y,
              y.map(() => mean),
            ),
          ).toBeCloseTo(constant ? 1 : 0, 9);
          expect(r2Score(y, y)).toBe(1);
        },
      ),
    );
  });

  it('ROC-AUC of flipped scores is 1 − AUC, and of a constant score 0.5', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 50 }),
        (rows) => {
          fc.pre(rows.some((r) => r[0]) && rows.some((r) => !r[0]));
          const y = rows.map((r) => (r[0] ? 1 : 0));
          const s = rows.map((r) => r[1]);
          expect(
            rocAucScore(
              y,
              s.map((v) => -v),
            ),
          ).toBeCloseTo(1 - rocAucScore(y, s), 12);
          expect(
            rocAucScore(
              y,
              s.map(() => 0.3),
            ),
          ).toBe(0.5);
        },
      ),
    );
  });
});

describe('errors', () => {
  it('mismatched lengths, empty input, NaN and non-integer labels', () => {
    expectCode(() => accuracyScore([0, 1], [0]), 'SHAPE_MISMATCH', /yTrue has 2 samples but yPred has 1/);
    expectCode(() => accuracyScore([], []), 'EMPTY_DATA', /yTrue is empty/);
    expectCode(() => r2Score([1, NaN], [1, 2]), 'NON_FINITE', /yTrue\[1\] is NaN/);
    expectCode(
      () =>
        logLoss(
          [0, 1],
          [
            [0.5, 0.5],
            [0.5, Infinity],
          ],
        ),
      'NON_FINITE',
      /yProb\[1\]\[1\]/,
    );
    expectCode(() => f1Score([0, 0.5], [0, 1]), 'INVALID_DATA', /class index/);
    expectCode(() => r2Score([[1, 2]], [[1]]), 'SHAPE_MISMATCH');
    expectCode(
      () =>
        r2Score(
          [
            [1, 2],
            [3, 4],
          ],
          [[1], [2]],
        ),
      'SHAPE_MISMATCH',
      /output column/,
    );
    expectCode(() => accuracyScore([[1, 0], [0]], [0, 1]), 'SHAPE_MISMATCH', /yTrue\[1\]/);
  });

  it('undefined scores say why', () => {
    expectCode(() => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), 'INVALID_DATA', /no rows of class 0 \(only class 1\)/);
    expectCode(() => rocAucScore([0, 2], [0.2, 0.5]), 'INVALID_DATA', /class 2/);
    expectCode(
      () =>
        rocAucScore(
          [0, 1, 1],
          [
            [0.2, 0.3, 0.5],
            [0.1, 0.6, 0.3],
            [0.3, 0.3, 0.4],
          ],
        ),
      'INVALID_DATA',
      /class 2/,
    );
    expectCode(() => r2Score([1], [1]), 'INVALID_DATA', /fewer than two/);
    expectCode(
      () =>
        logLoss(
          [0, 3],
          [
            [0.5, 0.5],
            [0.5, 0.5],
          ],
        ),
      'INVALID_DATA',
      /class 3/,
    );
    expectCode(() => f1Score([0, 1, 2], [0, 1, 1], { average: 'binary' }), 'INVALID_OPTION', /macro/);
    expectCode(() => f1Score([0, 1], [0, 1], { average: 'samples' as 'macro' }), 'INVALID_OPTION');
    expectCode(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] }), 'INVALID_OPTION', /twice/);
    expectCode(() => logLoss([0, 1], [0.2, 0.8], { eps: 0 }), 'INVALID_OPTION', /eps/);
    expectCode(() => regressionBaseline({ mean: [1, 2] }, [1, 2]), 'SHAPE_MISMATCH');
  });

  it('the scorer table finds each name and refuses unknown ones', () => {
    for (const name of SCORER_NAMES) expect(getScorer(name).name).toBe(name);
    expect(new Set(SCORER_NAMES).size).toBe(SCORERS.length);
    expectCode(() => getScorer('f1'), 'INVALID_OPTION', /f1Macro/);
  });

  it('the README documents every scorer', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of SCORER_NAMES) expect(readme, name).toContain(`\`${name}\``);
  });
});
