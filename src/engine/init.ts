// Keras initializers from a seeded RNG (glorot_uniform, orthogonal, zeros, unit_forget_bias), and
// the recurrent-scale knob that sets each recurrent block's spectral radius.
import type { BidirectionalWeights, DenseWeights, LayerWeights, TraceHead, TraceSpec, Weights } from '../spec';
import { columnBlock, orthonormalizeColumns, spectralRadius } from './linalg';
import { size, weightShapes } from './layout';
import { lruCache } from './lru';
import { createRng, type Rng } from './rng';

/** glorot_uniform: U(±√(6/(fan_in+fan_out))) over the whole (fan_in, fan_out) matrix (all gates). */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number): Float64Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const a = new Float64Array(fanIn * fanOut);
  for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-limit, limit);
  return a;
}

/**
 * Keras `Orthogonal` on a (rows, cols) matrix: QR of a (max, min) normal matrix with R's diagonal
 * made positive, transposed when rows < cols — so an (H, g·H) recurrent kernel gets orthonormal rows.
 */
export function orthogonal(rng: Rng, rows: number, cols: number, gain = 1): Float64Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  orthonormalizeColumns(a, m, n);
  const out = new Float64Array(rows * cols);
  if (rows >= cols) {
    for (let i = 0; i < a.length; i++) out[i] = gain * a[i];
  } else {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * cols + i] = gain * a[i * n + j];
  }
  return out;
}

/** One layer's weights as a Keras layer with default initializers would draw them. */
export function initWeights(spec: TraceSpec, rng: Rng): Weights {
  const s = weightShapes(spec);
  const kernel = glorotUniform(rng, s.kernel[0], s.kernel[1]);
  const recurrentKernel = orthogonal(rng, s.recurrentKernel[0], s.recurrentKernel[1]);
  let bias: Float64Array | null = null;
  if (s.bias) {
    bias = new Float64Array(size(s.bias));
    // unit_forget_bias: Keras adds 1 to the forget-gate slice [H, 2H) of an LSTM's bias.
    if (spec.cell === 'lstm') bias.fill(1, spec.units, 2 * spec.units);
  }
  return { kernel, recurrentKernel, bias };
}

const initCache = lruCache<LayerWeights>(8);

/**
 * Seeded Keras init for the whole layer (Bidirectional: forward copy, then backward copy).
 * Cached per shapes and seed (the orthogonal QR is most of a small trace's time, and every lens
 * click on a layer asks again); returns fresh arrays, which the worker transfers away.
 */
export function initLayerWeights(spec: TraceSpec, seed: number): LayerWeights {
  const s = weightShapes(spec);
  const key = `${spec.cell}:${s.kernel}:${s.recurrentKernel}:${s.bias ?? 'none'}:${spec.bidirectional ? 2 : 1}:${seed}`;
  return copyLayerWeights(
    initCache(key, () => {
      const rng = createRng(seed);
      const forward = initWeights(spec, rng);
      if (!spec.bidirectional) return forward;
      const backward = initWeights(spec, rng);
      return { forward, backward } satisfies BidirectionalWeights;
    }),
  );
}

function copyWeights(w: Weights): Weights {
  return { kernel: w.kernel.slice(), recurrentKernel: w.recurrentKernel.slice(), bias: w.bias ? w.bias.slice() : null };
}

function copyLayerWeights(w: LayerWeights): LayerWeights {
  return isBidirectionalWeights(w) ? { forward: copyWeights(w.forward), backward: copyWeights(w.backward) } : copyWeights(w);
}

export function initHeadWeights(head: TraceHead, inFeatures: number, rng: Rng): DenseWeights {
  return { kernel: glorotUniform(rng, inFeatures, head.units), bias: new Float64Array(head.units) };
}

/**
 * Returns a copy whose every H×H recurrent block (SimpleRNN: U itself; LSTM/GRU: each gate block)
 * has spectral radius `target`. Blocks with ρ = 0 are left as they are.
 */
export function scaleRecurrent(spec: TraceSpec, w: Weights, target: number): Weights {
  const H = spec.units;
  const GH = w.recurrentKernel.length / H;
  const U = w.recurrentKernel.slice();
  for (let g = 0; g < GH / H; g++) {
    const rho = spectralRadius(columnBlock(U, H, GH, g * H, H), H);
    if (!(rho > 0)) continue;
    const f = target / rho;
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) U[i * GH + g * H + j] *= f;
  }
  return { kernel: w.kernel.slice(), recurrentKernel: U, bias: w.bias ? w.bias.slice() : null };
}

export function isBidirectionalWeights(w: LayerWeights): w is BidirectionalWeights {
  return 'forward' in w;
}
