// Shared test utilities: seeded random problems, closeness assertions, central finite differences.
import assert from 'node:assert/strict';
import type { BidirectionalWeights, TraceSpec, Weights } from '../../../src/spec';
import { createRng, type Rng } from '../../../src/engine/rng';
import { weightShapes, size } from '../../../src/engine/layout';

export function spec(over: Partial<TraceSpec> & Pick<TraceSpec, 'cell'>): TraceSpec {
  return {
    units: 3,
    inputDim: 2,
    timesteps: 4,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
    resetAfter: over.cell === 'gru',
    bidirectional: null,
    ...over,
  };
}

/** Values rounded to float32, so tfjs (float32) and the engine (float64) see identical inputs. */
export function f32Array(rng: Rng, n: number, scale: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(rng.uniform(-scale, scale));
  return a;
}

/** Random weights large enough that gates are far from saturation-free linear regimes. */
export function randomWeights(s: TraceSpec, rng: Rng, scale = 0.6): Weights {
  const sh = weightShapes(s);
  return {
    kernel: f32Array(rng, size(sh.kernel), scale),
    recurrentKernel: f32Array(rng, size(sh.recurrentKernel), scale),
    bias: sh.bias ? f32Array(rng, size(sh.bias), scale) : null,
  };
}

export function randomLayerWeights(s: TraceSpec, rng: Rng, scale = 0.6): Weights | BidirectionalWeights {
  if (!s.bidirectional) return randomWeights(s, rng, scale);
  return { forward: randomWeights(s, rng, scale), backward: randomWeights(s, rng, scale) };
}

export { createRng };

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Elementwise |a−b| ≤ rel·|b| + abs. Reports the worst element. Also fails on NaN and length
 * mismatch, so a broken implementation can never pass by producing nothing.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { rel: number; abs: number }, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} ≠ ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    const err = Math.abs(a - b);
    const bound = tol.rel * Math.abs(b) + tol.abs;
    if (!(err <= bound) && (worst < 0 || err - bound > worstExcess)) {
      worst = i;
      worstExcess = err - bound;
    }
  }
  if (worst >= 0) {
    assert.fail(`${label}: element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (|Δ| ${Math.abs(actual[worst] - expected[worst]).toExponential(2)})`);
  }
}

/** Central differences of f at x, for every element (x is restored afterwards). */
export function finiteDiff(f: () => number, x: Float64Array, eps = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + eps;
    const fp = f();
    x[i] = x0 - eps;
    const fm = f();
    x[i] = x0;
    g[i] = (fp - fm) / (2 * eps);
  }
  return g;
}

/** Float32 rounding of a float64 array, for feeding tfjs. */
export function toF32(a: Float64Array): Float32Array {
  return Float32Array.from(a);
}

/** All combinations of the given boolean flags. */
export function boolCombos<K extends string>(keys: readonly K[]): Record<K, boolean>[] {
  const out: Record<K, boolean>[] = [];
  for (let m = 0; m < 1 << keys.length; m++) {
    const o = {} as Record<K, boolean>;
    keys.forEach((k, i) => (o[k] = ((m >> i) & 1) === 1));
    out.push(o);
  }
  return out;
}

/** Singular values of a small m×n matrix by one-sided Jacobi (test-only reference, independent of src/engine/linalg). */
export function singularValues(a: Float64Array, m: number, n: number): number[] {
  const u = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => a[i * n + j]));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += u[p][i] * u[p][i];
          beta += u[q][i] * u[q][i];
          gamma += u[p][i] * u[q][i];
        }
        if (Math.abs(gamma) <= 1e-300) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const up = u[p][i];
          const uq = u[q][i];
          u[p][i] = c * up - s * uq;
          u[q][i] = s * up + c * uq;
        }
      }
    }
    if (off < 1e-15) break;
  }
  return u.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0))).sort((x, y) => y - x);
}
