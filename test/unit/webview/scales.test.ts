// Pure scale functions behind the heatmaps and the gradient chart, against hand-computed values.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  divergingColor,
  divergingPosition,
  isUnitRange,
  linearPosition,
  EXPLODING_RATIO,
  formatMagnitude,
  formatPow10,
  formatValue,
  gradientVerdict,
  LOG_FLOOR,
  logDomain,
  logPlotValue,
  powerTicks,
  robustAbsMax,
  selectKth,
  seriesVerdict,
  stepNorms,
  VANISHING_RATIO,
} from '../../../webview/scales';

const f64 = (...v: number[]) => Float64Array.from(v);

test('stepNorms: one L2 norm per step of a T×H array', () => {
  assert.deepEqual(Array.from(stepNorms(f64(3, 4, 0, 0, 1, 1), 3, 2)), [5, 0, Math.SQRT2]);
  assert.deepEqual(Array.from(stepNorms(f64(-2, 0, 0), 1, 3)), [2]);
});

test('stepNorms: no overflow or underflow from squaring, non-finite passes through', () => {
  const [big, tiny] = stepNorms(f64(3e200, 4e200, 3e-200, 4e-200), 2, 2);
  assert.ok(Math.abs(big / 5e200 - 1) < 1e-15);
  assert.ok(Math.abs(tiny / 5e-200 - 1) < 1e-15);
  const [inf, nan] = stepNorms(f64(Infinity, 1, NaN, 1), 2, 2);
  assert.equal(inf, Infinity);
  assert.ok(Number.isNaN(nan));
});

test('stepNorms: refuses an array too short for T×H', () => {
  assert.throws(() => stepNorms(f64(1, 2, 3), 2, 2), RangeError);
});

test('robustAbsMax: the q-quantile of |v|, ignoring non-finite values', () => {
  const a = Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1)); // |v| = 1…100
  assert.equal(robustAbsMax(a, 0.99), 99);
  assert.equal(robustAbsMax(a, 1), 100);
  assert.equal(robustAbsMax(a, 0.5), 50);
  assert.equal(robustAbsMax(f64(1, 2, NaN, Infinity, -Infinity, -3), 1), 3);
});

test('robustAbsMax: never 0 — all zeros or all non-finite give 1, sparse data falls back to max', () => {
  assert.equal(robustAbsMax(new Float64Array(10)), 1);
  assert.equal(robustAbsMax(f64(NaN, Infinity)), 1);
  assert.equal(robustAbsMax(new Float64Array(0)), 1);
  const sparse = new Float64Array(1000);
  sparse[7] = -5;
  assert.equal(robustAbsMax(sparse, 0.99), 5);
});

test('selectKth agrees with sorting, duplicates included', () => {
  let seed = 1;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (const n of [1, 2, 3, 10, 257]) {
    const a = Float64Array.from({ length: n }, () => Math.floor(rand() * 7));
    const sorted = Float64Array.from(a).sort();
    for (const k of [0, n >> 1, n - 1]) assert.equal(selectKth(Float64Array.from(a), k), sorted[k], `n=${n} k=${k}`);
  }
});

test('linearPosition: lo → 0, hi → 1, clamped outside, NaN stays NaN', () => {
  assert.equal(linearPosition(0, 0, 1), 0);
  assert.equal(linearPosition(0.25, 0, 1), 0.25);
  assert.equal(linearPosition(3, -1, 3), 1);
  assert.equal(linearPosition(-5, -1, 3), 0);
  assert.ok(Number.isNaN(linearPosition(NaN, 0, 1)));
});

test('isUnitRange: sigmoid gates go on [0, 1]; anything below 0 or above 1, or nothing finite, does not', () => {
  assert.equal(isUnitRange(f64(0, 0.3, 1, NaN)), true);
  assert.equal(isUnitRange(f64(0.2, -0.01)), false, 'tanh output');
  assert.equal(isUnitRange(f64(0.2, 1.5)), false, 'ReLU output');
  assert.equal(isUnitRange(f64(0.2, Infinity)), false);
  assert.equal(isUnitRange(f64(NaN, NaN)), false);
  assert.equal(isUnitRange(new Float64Array(0)), false);
});

test('divergingPosition: −M → 0, 0 → ½, M → 1, clamped outside, NaN stays NaN', () => {
  assert.equal(divergingPosition(0, 2), 0.5);
  assert.equal(divergingPosition(2, 2), 1);
  assert.equal(divergingPosition(-1, 2), 0.25);
  assert.equal(divergingPosition(9, 2), 1);
  assert.equal(divergingPosition(-9, 2), 0);
  assert.ok(Number.isNaN(divergingPosition(NaN, 2)));
});

test('divergingColor: positive values take the interpolator start, NaN its own colour', () => {
  const c = divergingColor(4, (p) => `p=${p}`, 'nan');
  assert.equal(c(4), 'p=0');
  assert.equal(c(-4), 'p=1');
  assert.equal(c(0), 'p=0.5');
  assert.equal(c(NaN), 'nan');
});

test('logDomain: snapped to powers of ten around the finite positive values', () => {
  assert.deepEqual(logDomain([f64(1e-3, 0.5, 10)]), { lo: -3, hi: 1, nonFinite: 0, floored: 0 });
  assert.deepEqual(logDomain([f64(2e-5), f64(300)]), { lo: -5, hi: 3, nonFinite: 0, floored: 0 });
});

test('logDomain: zeros, denormals and negatives sit on the floor; NaN and ±∞ are counted, not drawn', () => {
  assert.deepEqual(logDomain([f64(0, 5e-324, -1, 1e-2, 1)]), { lo: -12, hi: 0, nonFinite: 0, floored: 3 });
  assert.deepEqual(logDomain([f64(NaN, Infinity, -Infinity, 0.1, 1)]), { lo: -1, hi: 0, nonFinite: 3, floored: 0 });
  assert.deepEqual(logDomain([f64(0)], 1e-6), { lo: -6, hi: -5, nonFinite: 0, floored: 1 });
});

test('logDomain: at least one decade, a default with nothing to draw, and extra levels included', () => {
  assert.deepEqual(logDomain([f64(1, 1)]), { lo: 0, hi: 1, nonFinite: 0, floored: 0 });
  assert.deepEqual(logDomain([f64(3, 4)]), { lo: 0, hi: 1, nonFinite: 0, floored: 0 });
  assert.deepEqual(logDomain([]), { lo: -1, hi: 0, nonFinite: 0, floored: 0 });
  assert.deepEqual(logDomain([f64(NaN)]), { lo: -1, hi: 0, nonFinite: 1, floored: 0 });
  assert.deepEqual(logDomain([f64(1)], LOG_FLOOR, [1e-4, 1e5, NaN, 0]), { lo: -4, hi: 5, nonFinite: 0, floored: 0 });
});

test('logPlotValue: floor and non-finite flags', () => {
  assert.deepEqual(logPlotValue(0.5), { value: 0.5, flag: 'ok' });
  assert.deepEqual(logPlotValue(0), { value: LOG_FLOOR, flag: 'floor' });
  assert.deepEqual(logPlotValue(1e-300), { value: LOG_FLOOR, flag: 'floor' });
  assert.equal(logPlotValue(Infinity).flag, 'nonfinite');
  assert.equal(logPlotValue(NaN).flag, 'nonfinite');
});

test('powerTicks: every decade when few, every k-th (anchored on 10⁰) when many', () => {
  assert.deepEqual(powerTicks(-3, 1), [-3, -2, -1, 0, 1]);
  assert.deepEqual(powerTicks(-12, 9, 6), [-10, -5, 0, 5]);
  assert.deepEqual(powerTicks(-6, 0, 4), [-6, -4, -2, 0]);
  assert.deepEqual(powerTicks(2, 3), [2, 3]);
});

test('formatPow10: superscript exponents', () => {
  assert.equal(formatPow10(-6), '10⁻⁶');
  assert.equal(formatPow10(0), '10⁰');
  assert.equal(formatPow10(12), '10¹²');
  assert.equal(formatPow10(-2.0000000001), '10⁻²');
});

test('formatMagnitude: decimals for ordinary sizes, a×10ⁿ beyond', () => {
  assert.equal(formatMagnitude(0.42), '0.42');
  assert.equal(formatMagnitude(12.3), '12');
  assert.equal(formatMagnitude(3e-7), '3×10⁻⁷');
  assert.equal(formatMagnitude(1e-6), '10⁻⁶');
  assert.equal(formatMagnitude(1e-7), '10⁻⁷');
  assert.equal(formatMagnitude(9.7e-7), '10⁻⁶');
  assert.equal(formatMagnitude(-2e5), '−2×10⁵');
  assert.equal(formatMagnitude(0), '0');
  assert.equal(formatMagnitude(Infinity), '∞');
  assert.equal(formatMagnitude(NaN), 'NaN');
});

test('formatValue: three significant digits with a real minus sign', () => {
  assert.equal(formatValue(0.87421), '0.874');
  assert.equal(formatValue(-2.994), '−2.99');
  assert.equal(formatValue(1234.5), '1230');
  assert.equal(formatValue(-3e-7), '−3×10⁻⁷');
  assert.equal(formatValue(0), '0');
});

test('gradientVerdict: ratio of step 1 over step T against the named thresholds', () => {
  assert.equal(VANISHING_RATIO, 1e-2);
  assert.equal(EXPLODING_RATIO, 1e2);
  assert.deepEqual(gradientVerdict(1e-6, 1), { kind: 'vanishing', ratio: 1e-6 });
  assert.deepEqual(gradientVerdict(0.5, 2), { kind: 'stable', ratio: 0.25 });
  assert.deepEqual(gradientVerdict(500, 2), { kind: 'exploding', ratio: 250 });
  // The thresholds themselves are still stable: only beyond them is it vanishing/exploding.
  assert.equal(gradientVerdict(1e-2, 1).kind, 'stable');
  assert.equal(gradientVerdict(0.99e-2, 1).kind, 'vanishing');
  assert.equal(gradientVerdict(100, 1).kind, 'stable');
  assert.equal(gradientVerdict(101, 1).kind, 'exploding');
});

test('gradientVerdict: zeros, overflow and NaN', () => {
  assert.deepEqual(gradientVerdict(0, 1), { kind: 'vanishing', ratio: 0 });
  assert.deepEqual(gradientVerdict(Infinity, 1), { kind: 'exploding', ratio: Infinity });
  assert.deepEqual(gradientVerdict(1, 0), { kind: 'exploding', ratio: Infinity });
  assert.deepEqual(gradientVerdict(1, Infinity), { kind: 'vanishing', ratio: 0 });
  assert.equal(gradientVerdict(0, 0).kind, 'unknown');
  assert.equal(gradientVerdict(NaN, 1).kind, 'unknown');
  assert.equal(gradientVerdict(1, NaN).kind, 'unknown');
});

test('seriesVerdict: first entry against the last', () => {
  assert.deepEqual(seriesVerdict(f64(1e-4, 1e-2, 1)), { kind: 'vanishing', ratio: 1e-4 });
  assert.equal(seriesVerdict(f64(1)).kind, 'unknown');
});
