// LSTM (Keras, gates i,f,c,o): z = x W + h U + b; i,f,o = σ(z_·), g = φ(z_c);
// c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙φ(c_t). Backward per RNN-SEMANTICS §4.2.
import { activateRange, derivative } from '../activations';
import { inputSideBackward, outerAddAndRowDots, sqNorm, vecMatAdd } from './blas';
import { prevH, type CellContext, type CellKernel } from './context';

function prevC(ctx: CellContext, s: number): [Float64Array, number] {
  return s === 0 ? [ctx.c0!, 0] : [ctx.c!, (s - 1) * ctx.H];
}

function forwardStep(ctx: CellContext, s: number): void {
  const { D, H, GH, pre, gate } = ctx;
  const c = ctx.c!;
  const tc = ctx.aux!;
  const pOff = s * GH;
  if (ctx.b) for (let j = 0; j < GH; j++) pre[pOff + j] = ctx.b[j];
  else pre.fill(0, pOff, pOff + GH);
  vecMatAdd(pre, pOff, ctx.x, s * D, ctx.W, D, GH, 0, GH);
  const [hp, hpOff] = prevH(ctx, s);
  vecMatAdd(pre, pOff, hp, hpOff, ctx.U, H, GH, 0, GH);
  activateRange(ctx.rec, pre, pOff, gate, pOff, 2 * H); // i, f
  activateRange(ctx.act, pre, pOff + 2 * H, gate, pOff + 2 * H, H); // candidate
  activateRange(ctx.rec, pre, pOff + 3 * H, gate, pOff + 3 * H, H); // o
  const [cp, cpOff] = prevC(ctx, s);
  const hOff = s * H;
  for (let j = 0; j < H; j++) {
    c[hOff + j] = gate[pOff + H + j] * cp[cpOff + j] + gate[pOff + j] * gate[pOff + 2 * H + j] + (ctx.probeC ? ctx.probeC[hOff + j] : 0);
  }
  activateRange(ctx.act, c, hOff, tc, hOff, H);
  for (let j = 0; j < H; j++) ctx.h[hOff + j] = gate[pOff + 3 * H + j] * tc[hOff + j] + (ctx.probeH ? ctx.probeH[hOff + j] : 0);
}

function backwardStep(ctx: CellContext, s: number, g: Float64Array, dhPrev: Float64Array, dcCarry: Float64Array): void {
  const { H, GH, pre, gate, dPre } = ctx;
  const c = ctx.c!;
  const tc = ctx.aux!;
  const dc = ctx.dc!;
  const pOff = s * GH;
  const hOff = s * H;
  const [cp, cpOff] = prevC(ctx, s);
  for (let j = 0; j < H; j++) {
    const gi = gate[pOff + j];
    const gf = gate[pOff + H + j];
    const gg = gate[pOff + 2 * H + j];
    const go = gate[pOff + 3 * H + j];
    const t = tc[hOff + j];
    const dcj = dcCarry[j] + g[j] * go * derivative(ctx.act, c[hOff + j], t);
    dc[hOff + j] = dcj;
    dPre[pOff + j] = dcj * gg * derivative(ctx.rec, pre[pOff + j], gi);
    dPre[pOff + H + j] = dcj * cp[cpOff + j] * derivative(ctx.rec, pre[pOff + H + j], gf);
    dPre[pOff + 2 * H + j] = dcj * gi * derivative(ctx.act, pre[pOff + 2 * H + j], gg);
    dPre[pOff + 3 * H + j] = g[j] * t * derivative(ctx.rec, pre[pOff + 3 * H + j], go);
    // The cell-state highway: ∂c_t/∂c_{t−1} = diag(f_t).
    dcCarry[j] = dcj * gf;
  }
  const dp2 = inputSideBackward(ctx, s);
  const [hp, hpOff] = prevH(ctx, s);
  outerAddAndRowDots(ctx.dU, ctx.U, H, GH, 0, GH, hp, hpOff, dPre, pOff, dhPrev, 0);
  if (ctx.db) for (let j = 0; j < GH; j++) ctx.db[j] += dPre[pOff + j];
  ctx.normU[s] = Math.sqrt(sqNorm(hp, hpOff, H) * dp2);
  ctx.normB[s] = ctx.b ? Math.sqrt(dp2) : 0;
}

export const lstm: CellKernel = { forwardStep, backwardStep };
