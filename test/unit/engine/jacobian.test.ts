// ‖∂h_T/∂h_k‖₂ (and ‖∂h_T/∂c_k‖₂ for LSTM) against finite differences: perturb h_k (c_k) through
// the trace's probe hook, read the change of h_T, and take the matrix's largest singular value with
// the test-only Jacobi SVD. A c_k probe also moves h_k = o⊙φ(c_k), which is the documented sense.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CellKind, TraceSpec, Weights } from '../../../src/spec';
import { computeTrace } from '../../../src/engine/trace';
import { jacobianNorms } from '../../../src/engine/jacobian';
import { createRng, f32Array, randomWeights, singularValues, spec } from './helpers';

function fdJacobianNorm(s: TraceSpec, w: Weights, x: Float64Array, k: number, which: 'h' | 'c'): number {
  const T = s.timesteps;
  const H = s.units;
  const eps = 1e-6;
  const probe = new Float64Array(T * H);
  const J = new Float64Array(H * H);
  const lastH = () => {
    const tr = computeTrace(s, w, x, { recurrentStats: false, probes: [which === 'h' ? { h: probe } : { c: probe }] });
    return tr.directions[0].h.slice((T - 1) * H);
  };
  for (let i = 0; i < H; i++) {
    probe[k * H + i] = eps;
    const p = lastH();
    probe[k * H + i] = -eps;
    const m = lastH();
    probe[k * H + i] = 0;
    for (let j = 0; j < H; j++) J[j * H + i] = (p[j] - m[j]) / (2 * eps);
  }
  return singularValues(J, H, H)[0];
}

const VARIANTS: [CellKind, boolean][] = [
  ['simple_rnn', false],
  ['lstm', false],
  ['gru', false],
  ['gru', true],
];

for (const [cell, resetAfter] of VARIANTS) {
  test(`${cell}${cell === 'gru' ? ` reset_after=${resetAfter}` : ''}: Jacobian-product norms equal finite differences`, () => {
    for (const goBackwards of [false, true]) {
      const s = spec({ cell, resetAfter, units: 4, inputDim: 3, timesteps: 7, goBackwards });
      const rng = createRng(goBackwards ? 2 : 1);
      const w = randomWeights(s, rng, 1.2);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const tr = computeTrace(s, w, x, { recurrentStats: false });
      const jn = jacobianNorms(s, w, tr)![0];
      // The probe at step T−1 perturbs h_T itself: ∂h_T/∂h_T = I.
      assert.ok(Math.abs(jn.h[s.timesteps - 1] - 1) < 1e-12);
      for (let k = 0; k < s.timesteps; k++) {
        if (k < s.timesteps - 1) {
          const want = fdJacobianNorm(s, w, x, k, 'h');
          assert.ok(Math.abs(jn.h[k] - want) <= 1e-6 * want + 1e-9, `k=${k}: ${jn.h[k]} vs ${want}`);
        }
        if (cell === 'lstm') {
          const wc = fdJacobianNorm(s, w, x, k, 'c');
          assert.ok(Math.abs(jn.c![k] - wc) <= 1e-6 * wc + 1e-9, `c k=${k}: ${jn.c![k]} vs ${wc}`);
        }
      }
      // The initial state: perturb h_0 (and c_0) directly.
      const init = { h: new Float64Array(s.units), c: cell === 'lstm' ? new Float64Array(s.units) : null };
      for (const which of cell === 'lstm' ? (['h', 'c'] as const) : (['h'] as const)) {
        const J = new Float64Array(s.units * s.units);
        const target = which === 'h' ? init.h : init.c!;
        for (let i = 0; i < s.units; i++) {
          const run = (e: number) => {
            target[i] = e;
            const t = computeTrace(s, w, x, { recurrentStats: false, initialState: [init] });
            target[i] = 0;
            return t.directions[0].h.slice((s.timesteps - 1) * s.units);
          };
          const p = run(1e-6);
          const m = run(-1e-6);
          for (let j = 0; j < s.units; j++) J[j * s.units + i] = (p[j] - m[j]) / 2e-6;
        }
        const want = singularValues(J, s.units, s.units)[0];
        const got = which === 'h' ? jn.initialH : jn.initialC!;
        assert.ok(Math.abs(got - want) <= 1e-6 * want + 1e-9, `initial ${which}: ${got} vs ${want}`);
      }
    }
  });
}

test('Jacobian norms over long products neither overflow nor underflow early: U = 3·I and 0.5·I, linear', () => {
  for (const [u, T] of [[3, 500], [0.5, 900]] as const) {
    const s = spec({ cell: 'simple_rnn', units: 3, inputDim: 1, timesteps: T, activation: 'linear' });
    const w = { kernel: new Float64Array(3), recurrentKernel: Float64Array.from([u, 0, 0, 0, u, 0, 0, 0, u]), bias: null };
    const s2 = { ...s, useBias: false };
    const tr = computeTrace(s2, w, new Float64Array(T), { recurrentStats: false });
    const jn = jacobianNorms(s2, w, tr)![0];
    for (const k of [0, 1, Math.floor(T / 2), T - 2]) {
      const want = Math.pow(u, T - 1 - k);
      // exp(Σ log) over hundreds of steps: ~1e-11 relative.
      assert.ok(Math.abs(jn.h[k] - want) <= 1e-10 * want, `u=${u} k=${k}: ${jn.h[k]} vs ${want}`);
    }
  }
});

test('Jacobian computation stops when asked', () => {
  const s = spec({ cell: 'lstm', units: 4, timesteps: 50 });
  const rng = createRng(3);
  const w = randomWeights(s, rng);
  const tr = computeTrace(s, w, f32Array(rng, 100, 1), { recurrentStats: false });
  let polls = 0;
  assert.equal(jacobianNorms(s, w, tr, { shouldStop: () => ++polls > 5 }), null);
  assert.equal(polls, 6);
});
