// One direction of a recurrent layer: allocate its buffers, run the cell over the sequence, then
// BPTT right-to-left, and package the result as a DirectionTrace.
import type { DirectionTrace, GateName, RecurrentStats, TraceSpec, Weights } from '../spec';
import { CELL_KERNELS, type CellContext } from './cells';
import { GATE_NAMES } from './layout';

export interface DirectionInput {
  /** T×D in processing order. */
  x: Float64Array;
  h0: Float64Array | null;
  c0: Float64Array | null;
  probeH?: Float64Array | null;
  probeC?: Float64Array | null;
}

export function createContext(spec: TraceSpec, w: Weights, input: DirectionInput): CellContext {
  const T = spec.timesteps;
  const D = spec.inputDim;
  const H = spec.units;
  const GH = w.recurrentKernel.length / H;
  const isLstm = spec.cell === 'lstm';
  const needsAux = isLstm || (spec.cell === 'gru' && spec.resetAfter);
  return {
    cell: spec.cell,
    T,
    D,
    H,
    GH,
    act: spec.activation,
    rec: spec.recurrentActivation,
    resetAfter: spec.cell === 'gru' && spec.resetAfter,
    W: w.kernel,
    U: w.recurrentKernel,
    b: w.bias,
    x: input.x,
    h0: input.h0 ? input.h0.slice() : new Float64Array(H),
    c0: isLstm ? (input.c0 ? input.c0.slice() : new Float64Array(H)) : null,
    pre: new Float64Array(T * GH),
    gate: new Float64Array(T * GH),
    h: new Float64Array(T * H),
    c: isLstm ? new Float64Array(T * H) : null,
    aux: needsAux ? new Float64Array(T * H) : null,
    probeH: input.probeH ?? null,
    probeC: input.probeC ?? null,
    dPre: new Float64Array(T * GH),
    dx: new Float64Array(T * D),
    dW: new Float64Array(w.kernel.length),
    dU: new Float64Array(w.recurrentKernel.length),
    db: w.bias ? new Float64Array(w.bias.length) : null,
    dh: new Float64Array(T * H),
    dc: isLstm ? new Float64Array(T * H) : null,
    normW: new Float64Array(T),
    normU: new Float64Array(T),
    normB: new Float64Array(T),
    tmp: new Float64Array(GH),
    tmp2: new Float64Array(H),
  };
}

export function runForward(ctx: CellContext): void {
  const k = CELL_KERNELS[ctx.cell];
  for (let s = 0; s < ctx.T; s++) k.forwardStep(ctx, s);
}

/** BPTT with dhExt (T×H) = the gradient reaching each output h_s directly, processing order. */
export function runBackward(ctx: CellContext, dhExt: Float64Array): { dh0: Float64Array; dc0: Float64Array | null } {
  const k = CELL_KERNELS[ctx.cell];
  const { H } = ctx;
  const g = new Float64Array(H);
  let carry = new Float64Array(H);
  let next = new Float64Array(H);
  const dcCarry = new Float64Array(H);
  for (let s = ctx.T - 1; s >= 0; s--) {
    const off = s * H;
    for (let j = 0; j < H; j++) {
      g[j] = dhExt[off + j] + carry[j];
      ctx.dh[off + j] = g[j];
    }
    k.backwardStep(ctx, s, g, next, dcCarry);
    [carry, next] = [next, carry];
  }
  return { dh0: carry, dc0: ctx.dc ? dcCarry : null };
}

/** Copies gate blocks out of the T×GH activation buffer, each into its own T×H array. */
function splitGates(ctx: CellContext): Partial<Record<GateName, Float64Array>> {
  const out: Partial<Record<GateName, Float64Array>> = {};
  const { T, H, GH } = ctx;
  GATE_NAMES[ctx.cell].forEach((name, gi) => {
    const a = new Float64Array(T * H);
    for (let s = 0; s < T; s++) for (let j = 0; j < H; j++) a[s * H + j] = ctx.gate[s * GH + gi * H + j];
    out[name] = a;
  });
  return out;
}

export function toDirectionTrace(
  ctx: CellContext,
  goBackwards: boolean,
  back: { dh0: Float64Array; dc0: Float64Array | null },
  recurrent: RecurrentStats | null,
): DirectionTrace {
  return {
    goBackwards,
    x: ctx.x,
    pre: ctx.pre,
    h: ctx.h,
    c: ctx.c,
    gates: splitGates(ctx),
    recurrentCandidate: ctx.cell === 'gru' && ctx.resetAfter ? ctx.aux : null,
    h0: ctx.h0,
    c0: ctx.c0,
    dh: ctx.dh,
    dc: ctx.dc,
    dPre: ctx.dPre,
    dx: ctx.dx,
    dh0: back.dh0,
    dc0: back.dc0,
    stepGradNorms: { kernel: ctx.normW, recurrentKernel: ctx.normU, bias: ctx.normB },
    grads: { kernel: ctx.dW, recurrentKernel: ctx.dU, bias: ctx.db },
    recurrent,
  };
}
