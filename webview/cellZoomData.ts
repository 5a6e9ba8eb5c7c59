// The inside of one recurrent cell at one processing step, as a small dataflow diagram with the
// trace's real values: inputs on the left, matmuls and bias, each gate's pre-activation and
// activation, the ⊙ and + that form c_t and h_t, outputs on the right. Pure: no DOM.
// Coordinates are grid units (x = column, y = row); the view scales them.
import { activate } from '../src/engine/activations';
import type { ActivationName, CellKind, DirectionTrace, GateName, Trace } from '../src/spec';

export interface ZoomNode {
  id: string;
  label: string;
  kind: 'vector' | 'op';
  x: number;
  y: number;
  /** Forward value (vectors always; ops when elementwise, else null). */
  values: Float64Array | null;
  /** Gradient on this wire after BPTT, when the trace has it. */
  grads: Float64Array | null;
}

export interface ZoomEdge {
  from: string;
  to: string;
}

export interface CellZoom {
  cell: CellKind;
  resetAfter: boolean;
  /** Processing index k (0-based). */
  step: number;
  nodes: ZoomNode[];
  edges: ZoomEdge[];
}

/** Gate blocks in `pre` / `dPre`, in Keras order. */
export const GATE_ORDER: Record<CellKind, GateName[]> = { simple_rnn: [], lstm: ['i', 'f', 'c', 'o'], gru: ['z', 'r', 'hh'] };

const ACT_LABEL: Record<ActivationName, string> = {
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'σ',
  linear: 'linear',
  hard_sigmoid: 'hard σ',
  hard_sigmoid_k3: 'hard σ',
};

function row(a: Float64Array | null | undefined, k: number, width: number, offset = 0, count = width): Float64Array | null {
  if (!a || a.length < (k + 1) * width) return null;
  return a.slice(k * width + offset, k * width + offset + count);
}

function zip(a: Float64Array | null, b: Float64Array | null, f: (x: number, y: number) => number): Float64Array | null {
  if (!a || !b) return null;
  return a.map((v, i) => f(v, b[i]));
}

/** The diagram of direction `direction`'s cell at processing step k. */
export function cellZoom(trace: Trace, direction: number, k: number): CellZoom {
  const spec = trace.spec;
  const dir: DirectionTrace | undefined = trace.directions[direction];
  if (!dir) throw new RangeError(`no direction ${direction}`);
  const T = spec.timesteps;
  if (!Number.isInteger(k) || k < 0 || k >= T) throw new RangeError(`step ${k} is outside 0…${T - 1}`);
  const H = spec.units;
  const D = spec.inputDim;
  const gates = GATE_ORDER[spec.cell];
  const GH = Math.max(1, gates.length) * H;

  const nodes: ZoomNode[] = [];
  const edges: ZoomEdge[] = [];
  const vec = (id: string, label: string, x: number, y: number, values: Float64Array | null, grads: Float64Array | null = null) =>
    nodes.push({ id, label, kind: 'vector', x, y, values, grads });
  const op = (id: string, label: string, x: number, y: number, values: Float64Array | null = null) => nodes.push({ id, label, kind: 'op', x, y, values, grads: null });
  const edge = (from: string, ...to: string[]) => to.forEach((t) => edges.push({ from, to: t }));

  const hPrev = k === 0 ? dir.h0.slice() : row(dir.h, k - 1, H);
  const dhPrev = k === 0 ? dir.dh0.slice() : row(dir.dh, k - 1, H);
  const pre = (j: number) => row(dir.pre, k, GH, j * H, H);
  const dPre = (j: number) => row(dir.dPre, k, GH, j * H, H);
  const gate = (g: GateName) => row(dir.gates[g], k, H);
  const h = row(dir.h, k, H);
  const bias = spec.useBias ? '+ b' : '+';

  // Inputs and the shared input side.
  vec('x', 'xₜ', 0, 0, row(dir.x, k, D), row(dir.dx, k, D));
  vec('hprev', 'hₜ₋₁', 0, 2, hPrev, dhPrev);
  op('xW', 'xₜ·W', 1, 0);
  edge('x', 'xW');

  if (spec.cell === 'simple_rnn') {
    op('hU', 'hₜ₋₁·U', 1, 2);
    op('b', bias, 2, 1);
    vec('pre', 'aₜ', 3, 1, pre(0), dPre(0));
    op('act', ACT_LABEL[spec.activation], 4, 1);
    vec('h', 'hₜ', 5, 1, h, row(dir.dh, k, H));
    edge('hprev', 'hU');
    edge('xW', 'b');
    edge('hU', 'b');
    edge('b', 'pre');
    edge('pre', 'act');
    edge('act', 'h');
  } else if (spec.cell === 'lstm') {
    const cPrev = k === 0 ? (dir.c0?.slice() ?? null) : row(dir.c, k - 1, H);
    const dcPrev = k === 0 ? (dir.dc0?.slice() ?? null) : row(dir.dc, k - 1, H);
    vec('cprev', 'cₜ₋₁', 0, 4, cPrev, dcPrev);
    op('hU', 'hₜ₋₁·U', 1, 2);
    op('b', bias, 2, 1.5);
    edge('hprev', 'hU');
    edge('xW', 'b');
    edge('hU', 'b');
    const names: Record<string, string> = { i: 'i', f: 'f', c: 'g', o: 'o' };
    gates.forEach((g, j) => {
      const n = names[g];
      vec(`pre_${g}`, `a[${n}]`, 3, j, pre(j), dPre(j));
      op(`act_${g}`, ACT_LABEL[g === 'c' ? spec.activation : spec.recurrentActivation], 4, j);
      vec(`gate_${g}`, `${n}ₜ`, 5, j, gate(g));
      edge('b', `pre_${g}`);
      edge(`pre_${g}`, `act_${g}`);
      edge(`act_${g}`, `gate_${g}`);
    });
    const i = gate('i');
    const f = gate('f');
    const g = gate('c');
    const o = gate('o');
    const c = row(dir.c, k, H);
    const fc = zip(f, cPrev, (a, b) => a * b);
    const ig = zip(i, g, (a, b) => a * b);
    op('ig', '⊙', 6, 0.5, ig);
    op('fc', '⊙', 6, 4, fc);
    op('cadd', '+', 7, 3, zip(fc, ig, (a, b) => a + b));
    vec('c', 'cₜ', 8, 4, c, row(dir.dc, k, H));
    op('tanhc', ACT_LABEL[spec.activation], 9, 3, c ? c.map((v) => activate(spec.activation, v)) : null);
    op('oh', '⊙', 10, 2);
    vec('h', 'hₜ', 11, 2, h, row(dir.dh, k, H));
    edge('gate_i', 'ig');
    edge('gate_c', 'ig');
    edge('gate_f', 'fc');
    edge('cprev', 'fc');
    edge('ig', 'cadd');
    edge('fc', 'cadd');
    edge('cadd', 'c');
    edge('c', 'tanhc');
    edge('tanhc', 'oh');
    edge('gate_o', 'oh');
    edge('oh', 'h');
    nodes.find((n) => n.id === 'oh')!.values = zip(o, nodes.find((n) => n.id === 'tanhc')!.values, (a, b) => a * b);
  } else {
    // GRU: z and r see x W + h U + b; the candidate ĥ sees the reset gate before (reset_after=False)
    // or after (True) the recurrent matmul.
    op('hU', spec.resetAfter ? 'hₜ₋₁·U + bʰ' : 'hₜ₋₁·U', 1, 2);
    op('b', bias, 2, 1);
    edge('hprev', 'hU');
    edge('xW', 'b');
    edge('hU', 'b');
    (['z', 'r'] as const).forEach((g, j) => {
      vec(`pre_${g}`, `a[${g}]`, 3, j, pre(j), dPre(j));
      op(`act_${g}`, ACT_LABEL[spec.recurrentActivation], 4, j);
      vec(`gate_${g}`, `${g}ₜ`, 5, j, gate(g));
      edge('b', `pre_${g}`);
      edge(`pre_${g}`, `act_${g}`);
      edge(`act_${g}`, `gate_${g}`);
    });
    const z = gate('z');
    const r = gate('r');
    const hh = gate('hh');
    if (spec.resetAfter) {
      const rc = row(dir.recurrentCandidate, k, H);
      vec('rc', 'hₜ₋₁U_h + bʰ_h', 6, 3, rc);
      op('rmix', '⊙', 7, 3, zip(r, rc, (a, b) => a * b));
      edge('hU', 'rc');
      edge('rc', 'rmix');
      edge('gate_r', 'rmix');
    } else {
      op('rh', '⊙', 6, 3, zip(r, hPrev, (a, b) => a * b));
      op('rmix', '·U_h', 7, 3);
      edge('gate_r', 'rh');
      edge('hprev', 'rh');
      edge('rh', 'rmix');
    }
    op('hhadd', spec.useBias ? (spec.resetAfter ? '+ xₜW_h + bˣ_h' : '+ xₜW_h + b_h') : '+ xₜW_h', 8, 3);
    vec('pre_hh', 'a[ĥ]', 9, 3, pre(2), dPre(2));
    op('act_hh', ACT_LABEL[spec.activation], 10, 3);
    vec('gate_hh', 'ĥₜ', 11, 3, hh);
    edge('rmix', 'hhadd');
    edge('xW', 'hhadd');
    edge('hhadd', 'pre_hh');
    edge('pre_hh', 'act_hh');
    edge('act_hh', 'gate_hh');
    const zh = zip(z, hPrev, (a, b) => a * b);
    const omz = z ? z.map((v) => 1 - v) : null;
    const zhh = zip(omz, hh, (a, b) => a * b);
    op('omz', '1 − z', 6, 0, omz);
    op('zh', '⊙', 12, 1, zh);
    op('zhh', '⊙', 12, 3, zhh);
    op('hadd', '+', 13, 2, zip(zh, zhh, (a, b) => a + b));
    vec('h', 'hₜ', 14, 2, h, row(dir.dh, k, H));
    edge('gate_z', 'omz', 'zh');
    edge('hprev', 'zh');
    edge('omz', 'zhh');
    edge('gate_hh', 'zhh');
    edge('zh', 'hadd');
    edge('zhh', 'hadd');
    edge('hadd', 'h');
  }
  return { cell: spec.cell, resetAfter: spec.cell === 'gru' && spec.resetAfter, step: k, nodes, edges };
}
