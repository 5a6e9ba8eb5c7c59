// SimpleRNN (Keras): a_t = x_t W + b + h_{t−1} U, h_t = φ(a_t).
import { activateRange, backpropRange } from '../activations';
import { inputSideBackward, outerAddAndRowDots, sqNorm, vecMatAdd } from './blas';
import { prevH, type CellContext, type CellKernel } from './context';

function forwardStep(ctx: CellContext, s: number): void {
  const { D, H, GH, pre } = ctx;
  const pOff = s * GH;
  if (ctx.b) for (let j = 0; j < GH; j++) pre[pOff + j] = ctx.b[j];
  else pre.fill(0, pOff, pOff + GH);
  vecMatAdd(pre, pOff, ctx.x, s * D, ctx.W, D, GH, 0, GH);
  const [hp, hpOff] = prevH(ctx, s);
  vecMatAdd(pre, pOff, hp, hpOff, ctx.U, H, GH, 0, GH);
  activateRange(ctx.act, pre, pOff, ctx.gate, pOff, H);
  const hOff = s * H;
  for (let j = 0; j < H; j++) ctx.h[hOff + j] = ctx.gate[pOff + j] + (ctx.probeH ? ctx.probeH[hOff + j] : 0);
}

function backwardStep(ctx: CellContext, s: number, g: Float64Array, dhPrev: Float64Array): void {
  const { H, GH } = ctx;
  const pOff = s * GH;
  // δ_t = g_t ⊙ φ′(a_t)
  backpropRange(ctx.act, ctx.pre, ctx.gate, pOff, g, 0, ctx.dPre, pOff, H);
  const dp2 = inputSideBackward(ctx, s);
  const [hp, hpOff] = prevH(ctx, s);
  outerAddAndRowDots(ctx.dU, ctx.U, H, GH, 0, GH, hp, hpOff, ctx.dPre, pOff, dhPrev, 0);
  if (ctx.db) for (let j = 0; j < GH; j++) ctx.db[j] += ctx.dPre[pOff + j];
  ctx.normU[s] = Math.sqrt(sqNorm(hp, hpOff, H) * dp2);
  ctx.normB[s] = ctx.b ? Math.sqrt(dp2) : 0;
}

export const simpleRnn: CellKernel = {
  forwardStep,
  backwardStep: (ctx, s, g, dhPrev) => backwardStep(ctx, s, g, dhPrev),
};
