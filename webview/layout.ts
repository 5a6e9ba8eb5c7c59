// Where everything in the unrolled picture goes: a pure function of the Scene, with no DOM, so it
// can be unit-tested and reused by the CLI renderer. Units are SVG user units.
import type { Scene } from '../src/protocol';
import { CELL_DISPLAY_NAME } from '../src/spec';

export const BOX_W = 76;
export const BOX_H = 34;
export const CELL_H = 56;
export const GAP = 34;
const PITCH = BOX_W + GAP;
const MARGIN = 24;
const ROW_OUT = 40;
const ROW_CELL = 130;
const ROW_IN = 230;

/** At most this many step columns are drawn; longer sequences elide the middle. */
export const MAX_COLUMNS = 10;

export type NodeRole = 'input' | 'cell' | 'output' | 'state' | 'initial' | 'elision';

export interface LayoutNode {
  key: string;
  role: NodeRole;
  /** Time step (1-based) for input/cell/output nodes. */
  step: number | null;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  /** Shape annotation, e.g. `(batch, 64)`. */
  sub: string;
}

export interface LayoutEdge {
  key: string;
  role: 'input' | 'recurrent' | 'output' | 'state';
  from: { x: number; y: number };
  to: { x: number; y: number };
  label: string;
}

export interface Layout {
  width: number;
  height: number;
  title: string;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Steps drawn, in time order; `null` stands for the elided gap. */
  columns: (number | null)[];
  /** Number of output nodes y_t drawn (the layer's sequence output). */
  outputCount: number;
}

/** Steps to draw for T: all of them, or the first and last few around an elision marker. */
export function visibleSteps(T: number, max = MAX_COLUMNS): (number | null)[] {
  if (T <= max) return Array.from({ length: T }, (_, i) => i + 1);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [
    ...Array.from({ length: head }, (_, i) => i + 1),
    null,
    ...Array.from({ length: tail }, (_, i) => T - tail + i + 1),
  ];
}

const sub = (n: number): string => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

export function layoutScene(scene: Scene): Layout {
  const { spec, timesteps: T, inputDim: D, units: H } = scene;
  const name = CELL_DISPLAY_NAME[spec.kind];
  const returnSequences = spec.returnSequences ?? false;
  const returnState = spec.returnState ?? false;
  const columns = visibleSteps(T);
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const x0 = MARGIN + PITCH; // column 0 holds the initial state h₀
  const colX = (i: number) => x0 + i * PITCH;
  const cellY = ROW_CELL - CELL_H / 2;

  nodes.push({ key: 'h0', role: 'initial', step: null, x: MARGIN + 10, y: ROW_CELL - BOX_H / 2, w: BOX_W - 20, h: BOX_H, label: spec.kind === 'lstm' ? 'h₀, c₀' : 'h₀', sub: 'zeros' });

  let prevRight: { x: number; y: number } = { x: MARGIN + BOX_W - 10, y: ROW_CELL };
  let prevStep = 0;
  let outputCount = 0;
  columns.forEach((step, i) => {
    const x = colX(i);
    if (step === null) {
      nodes.push({ key: 'gap', role: 'elision', step: null, x, y: cellY, w: BOX_W, h: CELL_H, label: '⋯', sub: `${T - columns.filter((c) => c !== null).length}` });
      edges.push({ key: `r-gap-in`, role: 'recurrent', from: prevRight, to: { x, y: ROW_CELL }, label: '' });
      prevRight = { x: x + BOX_W, y: ROW_CELL };
      return;
    }
    nodes.push({ key: `x${step}`, role: 'input', step, x, y: ROW_IN - BOX_H / 2, w: BOX_W, h: BOX_H, label: `x${sub(step)}`, sub: `(batch, ${D})` });
    nodes.push({ key: `c${step}`, role: 'cell', step, x, y: cellY, w: BOX_W, h: CELL_H, label: name, sub: `h${sub(step)}` });
    edges.push({ key: `in${step}`, role: 'input', from: { x: x + BOX_W / 2, y: ROW_IN - BOX_H / 2 }, to: { x: x + BOX_W / 2, y: cellY + CELL_H }, label: '' });
    const hLabel = prevStep === step - 1 ? `h${sub(step - 1)}` : '';
    edges.push({ key: `r${step}`, role: 'recurrent', from: prevRight, to: { x, y: ROW_CELL }, label: hLabel });
    prevRight = { x: x + BOX_W, y: ROW_CELL };
    prevStep = step;
    if (returnSequences || step === T) {
      outputCount++;
      nodes.push({ key: `y${step}`, role: 'output', step, x, y: ROW_OUT - BOX_H / 2, w: BOX_W, h: BOX_H, label: `y${sub(step)}`, sub: `(batch, ${H})` });
      edges.push({ key: `out${step}`, role: 'output', from: { x: x + BOX_W / 2, y: cellY }, to: { x: x + BOX_W / 2, y: ROW_OUT + BOX_H / 2 }, label: '' });
    }
  });

  // return_state: the final state(s) leave the last cell to the right, drawn apart from the output.
  let right = colX(columns.length - 1) + BOX_W;
  if (returnState) {
    const states = spec.kind === 'lstm' ? ['h', 'c'] : ['h'];
    const sx = right + GAP;
    states.forEach((s, i) => {
      const y = ROW_CELL - BOX_H / 2 + (i - (states.length - 1) / 2) * (BOX_H + 8);
      nodes.push({ key: `state-${s}`, role: 'state', step: null, x: sx, y, w: BOX_W, h: BOX_H, label: `${s} (state)`, sub: `(batch, ${H})` });
      edges.push({ key: `st-${s}`, role: 'state', from: prevRight, to: { x: sx, y: y + BOX_H / 2 }, label: '' });
    });
    right = sx + BOX_W;
  }

  return {
    width: right + MARGIN,
    height: ROW_IN + BOX_H / 2 + MARGIN,
    title: `${name}(${spec.units ?? spec.unitsText})`,
    nodes,
    edges,
    columns,
    outputCount,
  };
}

/** The layer's return value as Keras gives it, e.g. `(batch, 8, 64)` or `[output (batch, 64), h (batch, 64)]`. */
export function outputShapeText(scene: Scene): string {
  const { spec, timesteps: T, units: H } = scene;
  const out = spec.returnSequences ? `(batch, ${T}, ${H})` : `(batch, ${H})`;
  if (!spec.returnState) return out;
  const states = spec.kind === 'lstm' ? ['h', 'c'] : ['h'];
  return `[output ${out}, ${states.map((s) => `${s} (batch, ${H})`).join(', ')}]`;
}
