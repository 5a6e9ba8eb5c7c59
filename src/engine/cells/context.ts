// The buffers one direction of a layer works in: weights, the whole forward sequence (kept for
// BPTT and for the picture), and the gradient accumulators. The cell kernels read and write these
// by step index; every array is Float64Array so each kernel loop sees one element type.
import type { ActivationName, CellKind } from '../../spec';

export interface CellContext {
  cell: CellKind;
  T: number;
  D: number;
  H: number;
  /** g·H, width of the kernels. */
  GH: number;
  act: ActivationName;
  rec: ActivationName;
  resetAfter: boolean;
  W: Float64Array;
  U: Float64Array;
  /** GH, or 2·GH for GRU reset_after (input bias then recurrent bias); null without bias. */
  b: Float64Array | null;

  /** T×D, processing order. */
  x: Float64Array;
  h0: Float64Array;
  c0: Float64Array | null;
  /** T×GH pre-activations. */
  pre: Float64Array;
  /** T×GH after each block's nonlinearity (SimpleRNN: h before any probe). */
  gate: Float64Array;
  h: Float64Array;
  c: Float64Array | null;
  /** T×H: LSTM φ(c_t); GRU reset_after h_{t−1}U_h + b^h_h; else null. */
  aux: Float64Array | null;
  /** Test hooks: added to h_t / c_t right after they are computed (the zero-probe trick, in float64). */
  probeH: Float64Array | null;
  probeC: Float64Array | null;

  dPre: Float64Array;
  dx: Float64Array;
  dW: Float64Array;
  dU: Float64Array;
  db: Float64Array | null;
  dh: Float64Array;
  dc: Float64Array | null;
  normW: Float64Array;
  normU: Float64Array;
  normB: Float64Array;
  /** Scratch, length ≥ GH. */
  tmp: Float64Array;
  tmp2: Float64Array;
}

export interface CellKernel {
  forwardStep(ctx: CellContext, s: number): void;
  /**
   * Step s backward. `g` is the total ∂L/∂h_s; writes ∂L/∂h_{s−1} (recurrent part) into `dhPrev`.
   * LSTM: `dcCarry` holds ∂L/∂c_s from step s+1 on entry and ∂L/∂c_{s−1} on return.
   */
  backwardStep(ctx: CellContext, s: number, g: Float64Array, dhPrev: Float64Array, dcCarry: Float64Array): void;
}

/** The state a step starts from: (array, offset) of h_{s−1}. */
export function prevH(ctx: CellContext, s: number): [Float64Array, number] {
  return s === 0 ? [ctx.h0, 0] : [ctx.h, (s - 1) * ctx.H];
}
