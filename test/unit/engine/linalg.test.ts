// Eigenvalues, σ_max, spectral radius, and the Keras initializers, against matrices whose answers
// are known by construction or by an independent test-only SVD (one-sided Jacobi in helpers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigenvalues, matmul, orthonormalizeColumns, sigmaMax, spectralRadius, transpose, gelfandRadius } from '../../../src/engine/linalg';
import { glorotUniform, initLayerWeights, initWeights, orthogonal, scaleRecurrent } from '../../../src/engine/init';
import { recurrentStats } from '../../../src/engine/diagnostics';
import { createRng } from '../../../src/engine/rng';
import type { Weights } from '../../../src/spec';
import { assertClose, singularValues, spec } from './helpers';

/** Q (n×n orthogonal) from a test-local Gram–Schmidt of a seeded random matrix. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = rng.normal();
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i * n + k] * q[i * n + j];
      for (let i = 0; i < n; i++) q[i * n + j] -= d * q[i * n + k];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + j] ** 2;
    for (let i = 0; i < n; i++) q[i * n + j] /= Math.sqrt(s);
  }
  return q;
}

/** Q·M·Qᵀ: same eigenvalues as M. */
function conjugate(m: Float64Array, n: number, seed: number): Float64Array {
  const q = randomOrthogonal(n, seed);
  return matmul(matmul(q, m, n, n, n), transpose(q, n, n), n, n, n);
}

function sortedModuli(re: Float64Array, im: Float64Array): number[] {
  return Array.from(re, (r, i) => Math.hypot(r, im[i])).sort((a, b) => b - a);
}

test('eigenvalues of a matrix with known complex pairs and real eigenvalues', () => {
  // Block diagonal: rotation-scalings [[a,−b],[b,a]] give a ± ib; plus reals.
  const n = 7;
  const m = new Float64Array(n * n);
  const blocks: [number, number][] = [
    [0.3, 0.9],
    [-0.5, 0.2],
  ];
  blocks.forEach(([a, b], k) => {
    const o = 2 * k;
    m[o * n + o] = a;
    m[o * n + o + 1] = -b;
    m[(o + 1) * n + o] = b;
    m[(o + 1) * n + o + 1] = a;
  });
  [0.7, -0.9, 0.1].forEach((v, k) => (m[(4 + k) * n + 4 + k] = v));
  const ev = eigenvalues(conjugate(m, n, 3), n)!;
  const got = Array.from(ev.re, (r, i) => [r, ev.im[i]]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const want = [[0.3, 0.9], [0.3, -0.9], [-0.5, 0.2], [-0.5, -0.2], [0.7, 0], [-0.9, 0], [0.1, 0]].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  assertClose(got.flat(), want.flat(), { rel: 0, abs: 1e-12 }, 'eigenvalues');
  // The dominant pair is complex: ρ = |0.3 ± 0.9i| = 0.9487 > 0.9, which plain power iteration cannot settle on.
  assert.ok(Math.abs(spectralRadius(conjugate(m, n, 3), n) - Math.hypot(0.3, 0.9)) < 1e-12);
});

test('spectral radius of non-normal, rotation and scaled-orthogonal matrices', () => {
  // Upper triangular with a large off-diagonal part: ρ = max |diag| though σ_max is much larger.
  const n = 6;
  const t = new Float64Array(n * n);
  const diag = [0.5, -0.8, 0.3, 0.65, -0.1, 0.2];
  for (let i = 0; i < n; i++) {
    t[i * n + i] = diag[i];
    for (let j = i + 1; j < n; j++) t[i * n + j] = 2 * Math.sin(i + 3 * j);
  }
  const a = conjugate(t, n, 11);
  assert.ok(Math.abs(spectralRadius(a, n) - 0.8) < 1e-10, `ρ ${spectralRadius(a, n)}`);
  assert.ok(sigmaMax(a, n, n) > 2, 'σ_max ≫ ρ for a non-normal matrix');
  // 2-D rotation: eigenvalues e^{±iθ}, ρ = 1.
  const th = 0.7;
  assert.ok(Math.abs(spectralRadius(Float64Array.from([Math.cos(th), -Math.sin(th), Math.sin(th), Math.cos(th)]), 2) - 1) < 1e-14);
  // Scaled orthogonal: every |λ| = 1.3.
  const q = randomOrthogonal(20, 5).map((v) => 1.3 * v);
  assert.ok(Math.abs(spectralRadius(q, 20) - 1.3) < 1e-10);
  const ev = eigenvalues(q, 20)!;
  for (const r of sortedModuli(ev.re, ev.im)) assert.ok(Math.abs(r - 1.3) < 1e-10);
  // Zero and 1×1.
  assert.equal(spectralRadius(new Float64Array(9), 3), 0);
  assert.equal(spectralRadius(Float64Array.of(-2.5), 1), 2.5);
});

test('Gelfand fallback agrees with the QR eigenvalues on a random matrix', () => {
  const rng = createRng(4);
  const n = 12;
  const a = Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n));
  const rho = spectralRadius(a, n);
  assert.ok(Math.abs(gelfandRadius(a, n, 40) - rho) < 1e-8 * rho, `${gelfandRadius(a, n, 40)} vs ${rho}`);
});

test('σ_max equals the largest singular value from an independent Jacobi SVD', () => {
  const rng = createRng(7);
  for (const [m, n] of [[5, 5], [4, 16], [16, 4], [30, 30], [8, 24]]) {
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const want = singularValues(a, m, n)[0];
    const got = sigmaMax(a, m, n);
    assert.ok(Math.abs(got - want) <= 1e-9 * want, `${m}×${n}: ${got} vs ${want}`);
  }
});

test('Keras orthogonal init: (H, g·H) recurrent kernels have orthonormal rows; square ones are orthogonal', () => {
  const rng = createRng(1);
  for (const [rows, cols] of [[8, 32], [8, 24], [8, 8], [12, 5]]) {
    const q = orthogonal(rng, rows, cols);
    // Rows orthonormal when rows ≤ cols, columns when rows ≥ cols.
    const g = rows <= cols ? matmul(q, transpose(q, rows, cols), rows, cols, rows) : matmul(transpose(q, rows, cols), q, cols, rows, cols);
    const k = Math.min(rows, cols);
    const eye = Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
    assertClose(g, eye, { rel: 0, abs: 1e-13 }, `orthogonal ${rows}×${cols}`);
  }
});

test('orthonormalizeColumns is QR: Q has orthonormal columns and R = QᵀA is upper triangular with a positive diagonal', () => {
  const rng = createRng(9);
  for (const [m, n] of [[40, 12], [9, 9], [64, 3]]) {
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const q = a.slice();
    orthonormalizeColumns(q, m, n);
    const r = matmul(transpose(q, m, n), a, n, m, n);
    for (let i = 0; i < n; i++) {
      assert.ok(r[i * n + i] > 0, `${m}×${n}: R[${i},${i}] = ${r[i * n + i]}`);
      for (let j = 0; j < i; j++) assert.ok(Math.abs(r[i * n + j]) < 1e-12, `${m}×${n}: R[${i},${j}] = ${r[i * n + j]}`);
    }
    assertClose(matmul(q, r, m, n, n), a, { rel: 0, abs: 1e-12 }, `${m}×${n}: QR = A`);
  }
});

test('initLayerWeights is cached per shapes and seed but hands out fresh arrays', () => {
  const s = spec({ cell: 'lstm', units: 6 });
  const a = initLayerWeights(s, 7) as Weights;
  const want = a.recurrentKernel.slice();
  a.recurrentKernel.fill(0); // what a transfer (detached buffer) or an in-place edit would do
  const b = initLayerWeights(s, 7) as Weights;
  assert.notEqual(b.recurrentKernel, a.recurrentKernel);
  assert.deepEqual(b.recurrentKernel, want);
  assert.deepEqual(b, initWeights(s, createRng(7)), 'the same numbers as an uncached draw');
  // Same RNG draws, different bias shape: not the cached entry.
  assert.equal((initLayerWeights({ ...s, useBias: false }, 7) as Weights).bias, null);
  assert.equal((initLayerWeights(s, 7) as Weights).bias!.length, 24);
});

test('glorot_uniform bounds, unit_forget_bias, GRU (2, 3H) bias, seeds reproducible', () => {
  const rng = createRng(2);
  const k = glorotUniform(rng, 10, 40);
  const limit = Math.sqrt(6 / 50);
  assert.ok(k.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...k) > 0.9 * limit && Math.min(...k) < -0.9 * limit, 'fills the range');

  const lstm = initWeights(spec({ cell: 'lstm', units: 4 }), createRng(3));
  assert.deepEqual(Array.from(lstm.bias!), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const gru = initWeights(spec({ cell: 'gru', units: 4, resetAfter: true }), createRng(3));
  assert.equal(gru.bias!.length, 2 * 12);
  assert.ok(gru.bias!.every((v) => v === 0));
  assert.equal(initWeights(spec({ cell: 'gru', units: 4, useBias: false }), createRng(3)).bias, null);

  const s = spec({ cell: 'simple_rnn', units: 5 });
  const a = initLayerWeights(s, 42) as Weights;
  const b = initLayerWeights(s, 42) as Weights;
  const c = initLayerWeights(s, 43) as Weights;
  assert.deepEqual(a.kernel, b.kernel);
  assert.notDeepEqual(a.kernel, c.kernel);
  const bi = initLayerWeights({ ...s, bidirectional: { mergeMode: 'concat' } }, 42);
  assert.ok('forward' in bi && !bi.forward.kernel.every((v, i) => v === bi.backward.kernel[i]), 'two distinct directions');
});

test('recurrent scale knob sets every gate block to the target spectral radius', () => {
  for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
    const s = spec({ cell, units: 16 });
    const w = initLayerWeights(s, 5) as Weights;
    for (const target of [0.5, 1.0, 1.7]) {
      const scaled = scaleRecurrent(s, w, target);
      const st = recurrentStats(s, scaled);
      for (const b of st.blocks) assert.ok(Math.abs(b.spectralRadius - target) < 1e-9, `${cell} ${b.name}: ρ ${b.spectralRadius}`);
      // Independent check of one block with the Gelfand estimate, and the input kernel untouched.
      const GH = scaled.recurrentKernel.length / 16;
      const blk = Float64Array.from({ length: 256 }, (_, q) => scaled.recurrentKernel[Math.floor(q / 16) * GH + (q % 16)]);
      assert.ok(Math.abs(gelfandRadius(blk, 16, 40) - target) < 1e-6);
      assert.deepEqual(scaled.kernel, w.kernel);
    }
  }
});

test('recurrentStats: σ_max of whole U and of blocks against the Jacobi SVD; orthogonal init gives σ = 1', () => {
  const s = spec({ cell: 'lstm', units: 10 });
  const w = initLayerWeights(s, 8) as Weights;
  const st = recurrentStats(s, w);
  // Orthonormal rows: every singular value of the whole (H, 4H) U is 1.
  assert.ok(Math.abs(st.sigmaMax - 1) < 1e-10);
  assert.deepEqual(st.blocks.map((b) => b.name), ['i', 'f', 'c', 'o']);
  for (const [g, b] of st.blocks.entries()) {
    const blk = Float64Array.from({ length: 100 }, (_, q) => w.recurrentKernel[Math.floor(q / 10) * 40 + g * 10 + (q % 10)]);
    assert.ok(Math.abs(b.sigmaMax - singularValues(blk, 10, 10)[0]) < 1e-9);
    assert.ok(b.spectralRadius <= b.sigmaMax + 1e-12, 'ρ ≤ σ_max');
  }
});

test('trace recurrent stats follow U content: in-place changes are seen, equal content reuses', async () => {
  const { computeTrace } = await import('../../../src/engine/trace');
  const s = spec({ cell: 'simple_rnn', units: 6 });
  const w = initLayerWeights(s, 12) as Weights;
  const x = new Float64Array(s.timesteps * s.inputDim).fill(0.5);
  const a = computeTrace(s, w, x).directions[0].recurrent!;
  assert.ok(Math.abs(a.spectralRadius - 1) < 1e-10, 'orthogonal U: ρ = 1');
  for (let i = 0; i < w.recurrentKernel.length; i++) w.recurrentKernel[i] *= 0.5; // in place
  const b = computeTrace(s, w, x).directions[0].recurrent!;
  assert.ok(Math.abs(b.spectralRadius - 0.5) < 1e-10 && Math.abs(b.sigmaMax - 0.5) < 1e-10, `after scaling: ${b.spectralRadius}`);
  const copy = { ...w, recurrentKernel: w.recurrentKernel.slice() };
  assert.deepEqual(computeTrace(s, copy, x).directions[0].recurrent, b);
});

test('large-H spectral radius estimate is within 1% of the exact value', async () => {
  const { radiusEstimate } = await import('../../../src/engine/linalg');
  const rng = createRng(21);
  const n = 200;
  const a = Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n));
  const exact = spectralRadius(a, n);
  const est = radiusEstimate(a, n, 400);
  assert.ok(Math.abs(est / exact - 1) < 0.01, `${est} vs ${exact}`);
  // A scaled orthogonal matrix (all |λ| equal, rotating): exact growth per step.
  const q = randomOrthogonal(64, 9).map((v) => 0.7 * v);
  assert.ok(Math.abs(radiusEstimate(q, 64, 400) - 0.7) < 1e-12);
});
