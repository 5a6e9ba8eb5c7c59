// ‖∂h_T/∂h_k‖₂ for every processing step k (Pascanu et al. 2013, eq. 5): the product of step
// Jacobians J_t = ∂s_t/∂s_{t−1}, accumulated from the end, P_{k−1} = P_k·J_k, with P_T = [I, 0].
// O(T·H³) (LSTM: state (h, c), two H³ products per step), so it is separate from the core trace
// (DESIGN.md "cost tiers"). P is renormalized every step and its scale kept as a log, so long
// products neither overflow nor flush to zero before the very end.
import type { DirectionTrace, JacobianNorms, LayerWeights, Trace, TraceSpec, Weights } from '../spec';
import { activate, derivative } from './activations';
import { isBidirectionalWeights } from './init';
import { columnBlock, matmul, sigmaMax } from './linalg';

export interface JacobianOptions {
  /** Polled once per step; returning true abandons the computation (the result is then null). */
  shouldStop?: () => boolean;
}

interface StepBuffers {
  J: Float64Array;
  Ch: Float64Array;
  dAc: Float64Array;
  f: Float64Array;
  M: Float64Array;
  /** GRU reset_after=False: U_h as its own H×H matrix. */
  Uh: Float64Array | null;
}

function prev(a: Float64Array, a0: Float64Array, k: number, H: number, j: number): number {
  return k === 0 ? a0[j] : a[(k - 1) * H + j];
}

/** J[j·H+i] = ∂h_k[j]/∂h_{k−1}[i] for SimpleRNN and GRU. */
function stepJacobian(spec: TraceSpec, U: Float64Array, dir: DirectionTrace, k: number, b: StepBuffers): void {
  const H = spec.units;
  const GH = U.length / H;
  const { J } = b;
  const pre = dir.pre;
  const pOff = k * GH;
  if (spec.cell === 'simple_rnn') {
    for (let j = 0; j < H; j++) {
      const d = derivative(spec.activation, pre[pOff + j], activate(spec.activation, pre[pOff + j]));
      for (let i = 0; i < H; i++) J[j * H + i] = d * U[i * GH + j];
    }
    return;
  }
  // GRU (RNN-SEMANTICS §4.3).
  const z = dir.gates.z!;
  const r = dir.gates.r!;
  const hh = dir.gates.hh!;
  const resetAfter = spec.resetAfter;
  if (!resetAfter) {
    // ∂(r⊙h_{t−1})U_h/∂h_{t−1} has the extra term U_r·diag(σ′_r⊙h_{t−1})·U_h (an H³ product).
    const S = b.Ch;
    for (let i = 0; i < H; i++) {
      for (let kk = 0; kk < H; kk++) {
        const o = k * H + kk;
        S[i * H + kk] = U[i * GH + H + kk] * derivative(spec.recurrentActivation, pre[pOff + H + kk], r[o]) * prev(dir.h, dir.h0, k, H, kk);
      }
    }
    matmul(S, b.Uh!, H, H, H, b.M);
  }
  for (let j = 0; j < H; j++) {
    const o = k * H + j;
    const zj = z[o];
    const az = (prev(dir.h, dir.h0, k, H, j) - hh[o]) * derivative(spec.recurrentActivation, pre[pOff + j], zj);
    const ah = (1 - zj) * derivative(spec.activation, pre[pOff + 2 * H + j], hh[o]);
    const rj = r[o];
    const br = resetAfter ? dir.recurrentCandidate![o] * derivative(spec.recurrentActivation, pre[pOff + H + j], rj) : 0;
    for (let i = 0; i < H; i++) {
      const u = i * GH;
      let v = az * U[u + j];
      if (resetAfter) v += ah * (rj * U[u + 2 * H + j] + br * U[u + H + j]);
      else v += ah * (r[k * H + i] * U[u + 2 * H + j] + b.M[i * H + j]);
      J[j * H + i] = v + (i === j ? zj : 0);
    }
  }
}

/** LSTM blocks of J over (h, c): A_h → b.J, C_h → b.Ch, ∂h/∂c_{k−1} → b.dAc, ∂c/∂c_{k−1} → b.f (§4.2). */
function lstmStepJacobian(spec: TraceSpec, U: Float64Array, dir: DirectionTrace, k: number, b: StepBuffers): void {
  const H = spec.units;
  const GH = U.length / H;
  const pre = dir.pre;
  const pOff = k * GH;
  const { i: gi, f: gf, c: gg, o: go } = dir.gates as Required<typeof dir.gates>;
  const c = dir.c!;
  const c0 = dir.c0!;
  const rec = spec.recurrentActivation;
  for (let j = 0; j < H; j++) {
    const o = k * H + j;
    const ci = derivative(rec, pre[pOff + j], gi[o]) * gg[o];
    const cf = derivative(rec, pre[pOff + H + j], gf[o]) * prev(c, c0, k, H, j);
    const cg = derivative(spec.activation, pre[pOff + 2 * H + j], gg[o]) * gi[o];
    const tc = activate(spec.activation, c[o]);
    const dtc = derivative(spec.activation, c[o], tc);
    const ao = derivative(rec, pre[pOff + 3 * H + j], go[o]) * tc;
    const ac = go[o] * dtc;
    for (let i = 0; i < H; i++) {
      const u = i * GH;
      const ch = ci * U[u + j] + cf * U[u + H + j] + cg * U[u + 2 * H + j];
      b.Ch[j * H + i] = ch;
      b.J[j * H + i] = ao * U[u + 3 * H + j] + ac * ch;
    }
    b.dAc[j] = ac * gf[o];
    b.f[j] = gf[o];
  }
}

/** o_k⊙φ′(c_k) into out (H): how h_k moves with c_k. */
function lstmOutputGain(spec: TraceSpec, dir: DirectionTrace, k: number, out: Float64Array): void {
  const H = spec.units;
  const o = dir.gates.o!;
  const c = dir.c!;
  for (let j = 0; j < H; j++) {
    const ck = c[k * H + j];
    out[j] = o[k * H + j] * derivative(spec.activation, ck, activate(spec.activation, ck));
  }
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** Jacobian-product norms of one direction; null if `shouldStop` said so. */
export function directionJacobianNorms(spec: TraceSpec, w: Weights, dir: DirectionTrace, opts: JacobianOptions = {}): JacobianNorms | null {
  const H = spec.units;
  const T = spec.timesteps;
  const U = w.recurrentKernel;
  const isLstm = spec.cell === 'lstm';
  let X = new Float64Array(H * H);
  for (let j = 0; j < H; j++) X[j * H + j] = 1;
  const Y: Float64Array | null = isLstm ? new Float64Array(H * H) : null;
  let Xn = new Float64Array(H * H);
  const b: StepBuffers = {
    J: new Float64Array(H * H),
    Ch: new Float64Array(H * H),
    dAc: new Float64Array(H),
    f: new Float64Array(H),
    M: new Float64Array(H * H),
    Uh: spec.cell === 'gru' && !spec.resetAfter ? columnBlock(U, H, U.length / H, 2 * H, H) : null,
  };
  const tmp = new Float64Array(H * H);
  const hNorm = new Float64Array(T);
  const cNorm = isLstm ? new Float64Array(T) : null;
  let logScale = 0;
  let initialH = 0;
  let initialC: number | null = isLstm ? 0 : null;
  const Z = isLstm ? new Float64Array(H * H) : null;
  // Warm starts: consecutive products change little, so last step's top vectors start Lanczos.
  const vx = new Float64Array(H);
  const vy = new Float64Array(H);
  const gain = new Float64Array(H);
  for (let k = T - 1; k >= -1; k--) {
    const scale = Math.exp(logScale);
    const nh = scale * sigmaMax(X, H, H, { v: vx });
    let nc = 0;
    if (Y && Z) {
      // c_k also moves h_k = o_k⊙φ(c_k): ∂h_T/∂c_k = Y + X·diag(o_k φ′(c_k)) — the sense of `dc`.
      // The initial c_0 is an input of its own, independent of h_0: just Y.
      if (k >= 0) lstmOutputGain(spec, dir, k, gain);
      for (let a = 0; a < H; a++) for (let j = 0; j < H; j++) Z[a * H + j] = Y[a * H + j] + (k >= 0 ? X[a * H + j] * gain[j] : 0);
      nc = scale * sigmaMax(Z, H, H, { v: vy });
    }
    if (k >= 0) {
      hNorm[k] = nh;
      if (cNorm) cNorm[k] = nc;
    } else {
      initialH = nh;
      if (isLstm) initialC = nc;
      break;
    }
    if (opts.shouldStop?.()) return null;
    if (isLstm) {
      lstmStepJacobian(spec, U, dir, k, b);
      // [X, Y] ← [X·A_h + Y·C_h, X·diag(∂h/∂c) + Y·diag(f)]
      matmul(X, b.J, H, H, H, Xn);
      matmul(Y!, b.Ch, H, H, H, tmp);
      for (let q = 0; q < H * H; q++) Xn[q] += tmp[q];
      const Yn = tmp;
      for (let a = 0; a < H; a++) for (let j = 0; j < H; j++) Yn[a * H + j] = X[a * H + j] * b.dAc[j] + Y![a * H + j] * b.f[j];
      Y!.set(Yn);
    } else {
      stepJacobian(spec, U, dir, k, b);
      matmul(X, b.J, H, H, H, Xn);
    }
    [X, Xn] = [Xn, X];
    const m = Math.max(maxAbs(X), Y ? maxAbs(Y) : 0);
    if (m > 0 && Number.isFinite(m)) {
      for (let q = 0; q < H * H; q++) X[q] /= m;
      if (Y) for (let q = 0; q < H * H; q++) Y[q] /= m;
      logScale += Math.log(m);
    }
  }
  return { h: hNorm, c: cNorm, initialH, initialC };
}

/** Jacobian-product norms for every direction of a trace (same order as `trace.directions`). */
export function jacobianNorms(spec: TraceSpec, weights: LayerWeights, trace: Trace, opts: JacobianOptions = {}): JacobianNorms[] | null {
  const ws = isBidirectionalWeights(weights) ? [weights.forward, weights.backward] : [weights];
  const out: JacobianNorms[] = [];
  for (let d = 0; d < trace.directions.length; d++) {
    const r = directionJacobianNorms(spec, ws[d], trace.directions[d], opts);
    if (!r) return null;
    out.push(r);
  }
  return out;
}
