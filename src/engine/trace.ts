// The public entry of the trace path: spec + weights + one input sequence → Trace (forward, loss,
// BPTT, per-step gradients, recurrent diagnostics). Plain float64 loops, no tfjs.
import type { DirectionTrace, LayerWeights, Trace, TraceLoss, TraceOutput, TraceSpec, Weights } from '../spec';
import { cachedRecurrentStats } from './diagnostics';
import { EngineInputError } from './errors';
import { isBidirectionalWeights } from './init';
import { applyLoss } from './loss';
import { flipRows, mergeBackward, mergeForward } from './merge';
import { checkArray, checkSpec, checkWeights } from './validate';
import { createContext, runBackward, runForward, toDirectionTrace } from './unroll';
import type { CellContext } from './cells';

export interface InitialState {
  h: Float64Array;
  /** LSTM only. */
  c?: Float64Array | null;
}

export interface TraceOptions {
  /** Default: dy = ones on the main output. */
  loss?: TraceLoss;
  /** Per direction (Bidirectional: forward then backward, like Keras's split of initial_state). */
  initialState?: InitialState[];
  /** σ_max / ρ of U (O(H³) for ρ, cached by U's content); default true. */
  recurrentStats?: boolean;
  /**
   * Test hook, per direction: T×H arrays (processing order) added to h_t / c_t as they are computed,
   * so finite differences can measure ∂L/∂h_t and ∂L/∂c_t.
   */
  probes?: { h?: Float64Array; c?: Float64Array }[];
}

/** Shape of the layer's first return value; merge_mode None gives [2, …] for the pair. */
export function mainOutputShape(spec: TraceSpec): number[] {
  const H = spec.units;
  const base = spec.returnSequences ? [spec.timesteps] : [];
  if (!spec.bidirectional) return [...base, H];
  const m = spec.bidirectional.mergeMode;
  if (m === null) return [2, ...base, H];
  return [...base, m === 'concat' ? 2 * H : H];
}

function layerWeightsList(spec: TraceSpec, weights: LayerWeights): Weights[] {
  if (spec.bidirectional) {
    if (!isBidirectionalWeights(weights)) throw new EngineInputError('weights', 'a Bidirectional layer needs {forward, backward} weights');
    checkWeights(spec, weights.forward, 'forward.');
    checkWeights(spec, weights.backward, 'backward.');
    return [weights.forward, weights.backward];
  }
  if (isBidirectionalWeights(weights)) throw new EngineInputError('weights', 'got {forward, backward} weights for a layer that is not Bidirectional');
  checkWeights(spec, weights);
  return [weights];
}

/** Rows of x (T×D) in the order a direction reads them; always a fresh array the trace owns. */
function processingOrder(x: Float64Array, T: number, D: number, goBackwards: boolean): Float64Array {
  return goBackwards ? flipRows(x, T, D) : x.slice();
}

/** What Keras returns for one direction: the h sequence (processing order) or its last row. */
function directionOutput(ctx: CellContext, returnSequences: boolean): Float64Array {
  return returnSequences ? ctx.h.slice() : ctx.h.slice((ctx.T - 1) * ctx.H);
}

export function computeTrace(spec: TraceSpec, weights: LayerWeights, input: Float64Array, options: TraceOptions = {}): Trace {
  checkSpec(spec);
  const ws = layerWeightsList(spec, weights);
  const { timesteps: T, inputDim: D, units: H } = spec;
  checkArray('input', input, T * D);
  const isLstm = spec.cell === 'lstm';
  // Keras Bidirectional runs a copy with go_backwards flipped.
  const backwardsFlags = ws.length === 2 ? [spec.goBackwards, !spec.goBackwards] : [spec.goBackwards];

  const ctxs = ws.map((w, d) => {
    const init = options.initialState?.[d];
    if (init) {
      checkArray(`initialState[${d}].h`, init.h, H);
      if (isLstm) {
        if (!init.c) throw new EngineInputError(`initialState[${d}].c`, 'an LSTM needs both h and c');
        checkArray(`initialState[${d}].c`, init.c, H);
      }
    }
    const probe = options.probes?.[d];
    const ctx = createContext(spec, w, {
      x: processingOrder(input, T, D, backwardsFlags[d]),
      h0: init?.h ?? null,
      c0: init?.c ?? null,
      probeH: probe?.h ?? null,
      probeC: probe?.c ?? null,
    });
    runForward(ctx);
    return ctx;
  });

  // The layer's main output, and ∂L/∂(each direction's output).
  const steps = spec.returnSequences ? T : 1;
  const yDir = ctxs.map((c) => directionOutput(c, spec.returnSequences));
  const mode = spec.bidirectional?.mergeMode ?? null;
  let main: Float64Array;
  let parts = 1;
  let F = H;
  if (ctxs.length === 2) {
    // Bidirectional flips the backward copy's sequence back to input time before merging.
    if (spec.returnSequences) yDir[1] = flipRows(yDir[1], T, H);
    main = mergeForward(mode, yDir[0], yDir[1], steps, H);
    if (mode === null) parts = 2;
    if (mode === 'concat') F = 2 * H;
  } else {
    main = yDir[0];
  }
  const lossSpec: TraceLoss = options.loss ?? { kind: 'dy', dy: new Float64Array(main.length).fill(1) };
  const lr = applyLoss(lossSpec, main, parts, steps, F);
  const dyDir = ctxs.length === 2 ? mergeBackward(mode, lr.dOut, yDir[0], yDir[1], steps, H) : [lr.dOut];
  if (ctxs.length === 2 && spec.returnSequences) dyDir[1] = flipRows(dyDir[1], T, H);

  const wantStats = options.recurrentStats ?? true;
  const directions: DirectionTrace[] = ctxs.map((ctx, d) => {
    // The output gradient enters every step (return_sequences) or only the last one.
    let dhExt = dyDir[d];
    if (!spec.returnSequences) {
      dhExt = new Float64Array(T * H);
      dhExt.set(dyDir[d], (T - 1) * H);
    }
    const back = runBackward(ctx, dhExt);
    return toDirectionTrace(ctx, backwardsFlags[d], back, wantStats ? cachedRecurrentStats(spec, ws[d]) : null);
  });

  return {
    spec: { ...spec, bidirectional: spec.bidirectional ? { ...spec.bidirectional } : null },
    directions,
    outputs: layerOutputs(spec, main, ctxs),
    loss: lr.loss,
    stepLoss: lr.stepLoss,
    dOutput: lr.dOut,
    head: lr.head,
  };
}

/** The layer's return values in Keras order (RNN-SEMANTICS §1.3, §1.5). */
function layerOutputs(spec: TraceSpec, main: Float64Array, ctxs: CellContext[]): TraceOutput[] {
  const H = spec.units;
  const T = spec.timesteps;
  const shape = mainOutputShape(spec);
  const out: TraceOutput[] = [];
  if (spec.bidirectional?.mergeMode === null) {
    const half = main.length / 2;
    out.push({ name: 'forward_output', shape: shape.slice(1), data: main.slice(0, half) });
    out.push({ name: 'backward_output', shape: shape.slice(1), data: main.slice(half) });
  } else {
    out.push({ name: 'output', shape, data: main.slice() });
  }
  if (spec.returnState) {
    const prefixes = ctxs.length === 2 ? ['forward_', 'backward_'] : [''];
    ctxs.forEach((ctx, d) => {
      out.push({ name: prefixes[d] + 'h', shape: [H], data: ctx.h.slice((T - 1) * H) });
      if (ctx.c) out.push({ name: prefixes[d] + 'c', shape: [H], data: ctx.c.slice((T - 1) * H) });
    });
  }
  return out;
}
