// Independent float64 forward passes used only by the tests: the Keras equations of
// RNN-SEMANTICS §1.2 (row vectors, kernel (D, gH), blocks i,f,c,o / z,r,h) and the PyTorch ones of
// §3.4 (column vectors, W (gH, D), blocks i,f,g,o / r,z,n), written as plain loops so that they share
// nothing with src/models or src/engine.

export type Act = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'hard_sigmoid' | 'hard_sigmoid_k3';

export function act(name: Act, x: number): number {
  switch (name) {
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return Math.max(0, x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'linear':
      return x;
    case 'hard_sigmoid':
      return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case 'hard_sigmoid_k3':
      return Math.min(1, Math.max(0, x / 6 + 0.5));
  }
}

export interface KerasCell {
  cell: 'simple_rnn' | 'lstm' | 'gru';
  units: number;
  kernel: Float64Array;
  recurrentKernel: Float64Array;
  bias: Float64Array | null;
  activation: Act;
  recurrentActivation: Act;
  resetAfter: boolean;
}

/** x (T×D) → h_t for every processing step (T×H), Keras layout, zero initial state. */
export function kerasForward(c: KerasCell, x: Float64Array, T: number, goBackwards = false): Float64Array {
  const H = c.units;
  const g = c.cell === 'lstm' ? 4 : c.cell === 'gru' ? 3 : 1;
  const D = x.length / T;
  const W = c.kernel;
  const U = c.recurrentKernel;
  const gH = g * H;
  const bx = (j: number) => (c.bias === null ? 0 : c.bias[j]);
  const bh = (j: number) => (c.bias === null || !(c.cell === 'gru' && c.resetAfter) ? 0 : c.bias[gH + j]);
  let h = new Float64Array(H);
  let cs = new Float64Array(H);
  const out = new Float64Array(T * H);
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const xw = new Float64Array(gH);
    const hu = new Float64Array(gH);
    for (let j = 0; j < gH; j++) {
      let a = bx(j);
      for (let d = 0; d < D; d++) a += x[t * D + d] * W[d * gH + j];
      xw[j] = a;
      let r = bh(j);
      for (let k = 0; k < H; k++) r += h[k] * U[k * gH + j];
      hu[j] = r;
    }
    const nh = new Float64Array(H);
    if (c.cell === 'simple_rnn') {
      for (let u = 0; u < H; u++) nh[u] = act(c.activation, xw[u] + hu[u]);
    } else if (c.cell === 'lstm') {
      const nc = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        const i = act(c.recurrentActivation, xw[u] + hu[u]);
        const f = act(c.recurrentActivation, xw[H + u] + hu[H + u]);
        const gg = act(c.activation, xw[2 * H + u] + hu[2 * H + u]);
        const o = act(c.recurrentActivation, xw[3 * H + u] + hu[3 * H + u]);
        nc[u] = f * cs[u] + i * gg;
        nh[u] = o * act(c.activation, nc[u]);
      }
      cs = nc;
    } else {
      const r = new Float64Array(H);
      for (let u = 0; u < H; u++) r[u] = act(c.recurrentActivation, xw[H + u] + hu[H + u]);
      for (let u = 0; u < H; u++) {
        const z = act(c.recurrentActivation, xw[u] + hu[u]);
        let cand: number;
        if (c.resetAfter) {
          cand = act(c.activation, xw[2 * H + u] + r[u] * hu[2 * H + u]);
        } else {
          // reset before the matmul: (r ⊙ h) U_h
          let a = xw[2 * H + u];
          for (let k = 0; k < H; k++) a += r[k] * h[k] * U[k * gH + 2 * H + u];
          cand = act(c.activation, a);
        }
        nh[u] = z * h[u] + (1 - z) * cand;
      }
    }
    h = nh;
    out.set(h, s * H);
  }
  return out;
}

/** Last row of a T×H sequence. */
export function lastStep(seq: Float64Array, T: number): Float64Array {
  const H = seq.length / T;
  return seq.slice((T - 1) * H, T * H);
}

/** Reverses the time axis of a T×H sequence. */
export function reverseTime(seq: Float64Array, T: number): Float64Array {
  const H = seq.length / T;
  const out = new Float64Array(seq.length);
  for (let t = 0; t < T; t++) out.set(seq.subarray(t * H, (t + 1) * H), (T - 1 - t) * H);
  return out;
}

/** Keras Bidirectional(concat): backward output flipped back to input time before merging. */
export function kerasBidirectional(f: KerasCell, b: KerasCell, x: Float64Array, T: number, returnSequences: boolean): Float64Array {
  const yf = kerasForward(f, x, T, false);
  const yb = kerasForward(b, x, T, true);
  const H = f.units;
  if (!returnSequences) {
    const out = new Float64Array(2 * H);
    out.set(lastStep(yf, T), 0);
    out.set(lastStep(yb, T), H);
    return out;
  }
  const ybAligned = reverseTime(yb, T);
  const out = new Float64Array(T * 2 * H);
  for (let t = 0; t < T; t++) {
    out.set(yf.subarray(t * H, (t + 1) * H), t * 2 * H);
    out.set(ybAligned.subarray(t * H, (t + 1) * H), t * 2 * H + H);
  }
  return out;
}

export interface TorchRaw {
  mode: 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
  hidden: number;
  wIh: Float64Array; // (G·H, D) row-major
  wHh: Float64Array; // (G·H, H)
  bIh: Float64Array | null;
  bHh: Float64Array | null;
}

/** PyTorch equations (RNN-SEMANTICS §3.4) for one direction of one layer; x is T×D in processing order. */
export function torchForward(p: TorchRaw, x: Float64Array, T: number): Float64Array {
  const H = p.hidden;
  const G = p.mode === 'LSTM' ? 4 : p.mode === 'GRU' ? 3 : 1;
  const D = x.length / T;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  let h = new Float64Array(H);
  let c = new Float64Array(H);
  const out = new Float64Array(T * H);
  for (let t = 0; t < T; t++) {
    const gi = new Float64Array(G * H); // W_ih x + b_ih
    const gh = new Float64Array(G * H); // W_hh h + b_hh
    for (let r = 0; r < G * H; r++) {
      let a = p.bIh ? p.bIh[r] : 0;
      for (let d = 0; d < D; d++) a += p.wIh[r * D + d] * x[t * D + d];
      gi[r] = a;
      let b = p.bHh ? p.bHh[r] : 0;
      for (let k = 0; k < H; k++) b += p.wHh[r * H + k] * h[k];
      gh[r] = b;
    }
    const nh = new Float64Array(H);
    if (p.mode === 'RNN_TANH' || p.mode === 'RNN_RELU') {
      for (let u = 0; u < H; u++) nh[u] = p.mode === 'RNN_TANH' ? Math.tanh(gi[u] + gh[u]) : Math.max(0, gi[u] + gh[u]);
    } else if (p.mode === 'LSTM') {
      const nc = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        const i = sig(gi[u] + gh[u]);
        const f = sig(gi[H + u] + gh[H + u]);
        const g = Math.tanh(gi[2 * H + u] + gh[2 * H + u]);
        const o = sig(gi[3 * H + u] + gh[3 * H + u]);
        nc[u] = f * c[u] + i * g;
        nh[u] = o * Math.tanh(nc[u]);
      }
      c = nc;
    } else {
      for (let u = 0; u < H; u++) {
        const r = sig(gi[u] + gh[u]);
        const z = sig(gi[H + u] + gh[H + u]);
        const n = Math.tanh(gi[2 * H + u] + r * gh[2 * H + u]);
        nh[u] = (1 - z) * n + z * h[u];
      }
    }
    h = nh;
    out.set(h, t * H);
  }
  return out;
}

/** Seeded uniform numbers in [lo, hi) (mulberry32), so every run feeds the same inputs. */
export function seededUniform(seed: number, n: number, lo = -1, hi = 1): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
