// GRU (Keras, gates z,r,h), both conventions (RNN-SEMANTICS §1.2, §4.3):
//   reset_after=False: ĥ = φ(x W_h + b_h + (r⊙h_{t−1}) U_h)             bias (3H)
//   reset_after=True:  ĥ = φ(x W_h + b^x_h + r⊙(h_{t−1} U_h + b^h_h))   bias (2, 3H)
//   h_t = z⊙h_{t−1} + (1−z)⊙ĥ
import { activateRange, derivative } from '../activations';
import { inputSideBackward, matVecRows, outerAdd, outerAddAndRowDots, sqNorm, vecMatAdd } from './blas';
import { prevH, type CellContext, type CellKernel } from './context';

function forwardStep(ctx: CellContext, s: number): void {
  const { D, H, GH, pre, gate } = ctx;
  const pOff = s * GH;
  const hOff = s * H;
  const [hp, hpOff] = prevH(ctx, s);
  // Input side for all three blocks: x W + b (input bias row for reset_after).
  if (ctx.b) for (let j = 0; j < GH; j++) pre[pOff + j] = ctx.b[j];
  else pre.fill(0, pOff, pOff + GH);
  vecMatAdd(pre, pOff, ctx.x, s * D, ctx.W, D, GH, 0, GH);
  if (ctx.resetAfter) {
    // q = h U + b^h for all blocks; z and r add it, ĥ takes r⊙q_h.
    const q = ctx.tmp;
    if (ctx.b) for (let j = 0; j < GH; j++) q[j] = ctx.b[GH + j];
    else q.fill(0, 0, GH);
    vecMatAdd(q, 0, hp, hpOff, ctx.U, H, GH, 0, GH);
    for (let j = 0; j < 2 * H; j++) pre[pOff + j] += q[j];
    activateRange(ctx.rec, pre, pOff, gate, pOff, 2 * H);
    const aux = ctx.aux!;
    for (let j = 0; j < H; j++) {
      aux[hOff + j] = q[2 * H + j];
      pre[pOff + 2 * H + j] += gate[pOff + H + j] * q[2 * H + j];
    }
  } else {
    vecMatAdd(pre, pOff, hp, hpOff, ctx.U, H, GH, 0, 2 * H);
    activateRange(ctx.rec, pre, pOff, gate, pOff, 2 * H);
    const rh = ctx.tmp;
    for (let j = 0; j < H; j++) rh[j] = gate[pOff + H + j] * hp[hpOff + j];
    vecMatAdd(pre, pOff + 2 * H, rh, 0, ctx.U, H, GH, 2 * H, H);
  }
  activateRange(ctx.act, pre, pOff + 2 * H, gate, pOff + 2 * H, H);
  for (let j = 0; j < H; j++) {
    const z = gate[pOff + j];
    ctx.h[hOff + j] = z * hp[hpOff + j] + (1 - z) * gate[pOff + 2 * H + j] + (ctx.probeH ? ctx.probeH[hOff + j] : 0);
  }
}

function backwardStep(ctx: CellContext, s: number, g: Float64Array, dhPrev: Float64Array): void {
  const { H, GH, pre, gate, dPre } = ctx;
  const pOff = s * GH;
  const hOff = s * H;
  const [hp, hpOff] = prevH(ctx, s);
  // z and ĥ paths first; r needs ĥ's gradient.
  for (let j = 0; j < H; j++) {
    const z = gate[pOff + j];
    const hh = gate[pOff + 2 * H + j];
    dPre[pOff + j] = g[j] * (hp[hpOff + j] - hh) * derivative(ctx.rec, pre[pOff + j], z);
    dPre[pOff + 2 * H + j] = g[j] * (1 - z) * derivative(ctx.act, pre[pOff + 2 * H + j], hh);
  }
  let dU2: number;
  let dB2: number;
  if (ctx.resetAfter) {
    const aux = ctx.aux!;
    const dQ = ctx.tmp;
    for (let j = 0; j < H; j++) {
      const r = gate[pOff + H + j];
      const dah = dPre[pOff + 2 * H + j];
      dPre[pOff + H + j] = dah * aux[hOff + j] * derivative(ctx.rec, pre[pOff + H + j], r);
      dQ[2 * H + j] = dah * r;
    }
    for (let j = 0; j < 2 * H; j++) dQ[j] = dPre[pOff + j];
    outerAddAndRowDots(ctx.dU, ctx.U, H, GH, 0, GH, hp, hpOff, dQ, 0, dhPrev, 0);
    if (ctx.db) {
      for (let j = 0; j < GH; j++) {
        ctx.db[j] += dPre[pOff + j];
        ctx.db[GH + j] += dQ[j];
      }
    }
    const q2 = sqNorm(dQ, 0, GH);
    dU2 = sqNorm(hp, hpOff, H) * q2;
    dB2 = q2;
  } else {
    // m = da_h U_hᵀ is the gradient reaching r⊙h_{t−1}.
    const m = ctx.tmp;
    matVecRows(m, 0, dPre, pOff + 2 * H, ctx.U, H, GH, 2 * H, H);
    const rh = ctx.tmp2;
    for (let j = 0; j < H; j++) {
      const r = gate[pOff + H + j];
      dPre[pOff + H + j] = m[j] * hp[hpOff + j] * derivative(ctx.rec, pre[pOff + H + j], r);
      rh[j] = r * hp[hpOff + j];
    }
    outerAdd(ctx.dU, H, GH, 0, 2 * H, hp, hpOff, dPre, pOff);
    outerAdd(ctx.dU, H, GH, 2 * H, H, rh, 0, dPre, pOff + 2 * H);
    if (ctx.db) for (let j = 0; j < GH; j++) ctx.db[j] += dPre[pOff + j];
    // dhPrev = [da_z, da_r] U_{zr}ᵀ + m⊙r (the z⊙g leak is added below).
    matVecRows(dhPrev, 0, dPre, pOff, ctx.U, H, GH, 0, 2 * H);
    for (let j = 0; j < H; j++) dhPrev[j] += m[j] * gate[pOff + H + j];
    dU2 = sqNorm(hp, hpOff, H) * sqNorm(dPre, pOff, 2 * H) + sqNorm(rh, 0, H) * sqNorm(dPre, pOff + 2 * H, H);
    dB2 = 0;
  }
  for (let j = 0; j < H; j++) dhPrev[j] += g[j] * gate[pOff + j];
  const dp2 = inputSideBackward(ctx, s);
  ctx.normU[s] = Math.sqrt(dU2);
  ctx.normB[s] = ctx.b ? Math.sqrt(ctx.resetAfter ? dp2 + dB2 : dp2) : 0;
}

export const gru: CellKernel = { forwardStep, backwardStep: (ctx, s, g, dhPrev) => backwardStep(ctx, s, g, dhPrev) };
