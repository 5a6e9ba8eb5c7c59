// Where everything in the unrolled picture goes: a pure function of the Scene, with no DOM, so it
// can be unit-tested and reused by the CLI renderer. Units are SVG user units.
//
// Columns are input time steps, left to right. Rows, top to bottom: the head (if any), the
// layer's outputs, the merge (Bidirectional), the cell row(s), the inputs. A go_backwards
// direction processes right to left, so its recurrent arrows and initial state sit mirrored.
import type { Scene } from '../src/protocol';
import { CELL_DISPLAY_NAME, headClassName } from '../src/spec';

export const BOX_W = 76;
export const BOX_H = 34;
export const CELL_H = 56;
export const GAP = 40;
const PITCH = BOX_W + GAP;
const MARGIN = 24;
const ROW = 84;

/** At most this many step columns are drawn; longer sequences elide the middle. */
export const MAX_COLUMNS = 10;

export type NodeRole = 'input' | 'cell' | 'output' | 'merge' | 'head' | 'state' | 'initial' | 'elision';

export interface LayoutNode {
  key: string;
  role: NodeRole;
  /** Input time step (1-based) for per-step nodes. */
  step: number | null;
  /** Which direction a cell belongs to (0 forward, 1 backward copy of a Bidirectional). */
  direction: number;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  /** Shape annotation, e.g. `(batch, 64)`. */
  sub: string;
}

export type EdgeRole = 'input' | 'recurrent' | 'cell-state' | 'output' | 'merge' | 'head' | 'state';

export interface LayoutEdge {
  key: string;
  role: EdgeRole;
  /** For recurrent edges: the step whose state the arrow carries out (1-based input time). */
  step: number | null;
  direction: number;
  from: { x: number; y: number };
  to: { x: number; y: number };
  /** Shape label drawn on the edge. */
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
  /** Number of the layer's output nodes y drawn (merged outputs for Bidirectional). */
  outputCount: number;
  /** Text for the shared-weights mark of a per-step head, or null. */
  sharedHead: string | null;
}

/** Steps to draw for T: all of them, or the first and last few around an elision marker. */
export function visibleSteps(T: number, max = MAX_COLUMNS): (number | null)[] {
  if (T <= max) return Array.from({ length: T }, (_, i) => i + 1);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [...Array.from({ length: head }, (_, i) => i + 1), null, ...Array.from({ length: tail }, (_, i) => T - tail + i + 1)];
}

export const subscript = (n: number | string): string => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** Width of the layer's per-step output: 2H for a concatenating Bidirectional. */
function outputWidth(scene: Scene): number {
  const H = scene.params.units;
  return scene.spec.bidirectional?.mergeMode === 'concat' ? 2 * H : H;
}

export function layoutScene(scene: Scene): Layout {
  const { spec, params } = scene;
  const { timesteps: T, inputDim: D, units: H } = params;
  const name = CELL_DISPLAY_NAME[spec.kind];
  const isLstm = spec.kind === 'lstm';
  const returnSequences = spec.returnSequences ?? false;
  const returnState = spec.returnState ?? false;
  const bidi = spec.bidirectional !== null;
  const head = spec.head;
  const columns = visibleSteps(T);
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];

  // Rows, top to bottom.
  let y = MARGIN;
  const headY = head ? y : -1;
  if (head) y += ROW;
  const outY = y;
  y += ROW;
  const mergeY = bidi ? y : -1;
  if (bidi) y += ROW - 20;
  const cellYs = bidi ? [y, y + CELL_H + 36] : [y];
  const inY = cellYs[cellYs.length - 1] + CELL_H + 48;
  const height = inY + BOX_H + MARGIN;

  const x0 = MARGIN + PITCH; // room for an initial state on either side
  const colX = (i: number) => x0 + i * PITCH;
  const lastX = colX(columns.length - 1);
  const colOf = new Map<number, number>();
  columns.forEach((s, i) => s !== null && colOf.set(s, i));
  const cx = (step: number) => colX(colOf.get(step)!) + BOX_W / 2;
  const W = outputWidth(scene);

  // Inputs.
  for (const step of columns) {
    if (step === null) continue;
    nodes.push({ key: `x${step}`, role: 'input', step, direction: 0, x: cx(step) - BOX_W / 2, y: inY, w: BOX_W, h: BOX_H, label: `x${subscript(step)}`, sub: `(batch, ${D})` });
  }

  // Cells and recurrent arrows, per direction. Keras's backward copy of a Bidirectional flips go_backwards.
  const directions = bidi ? [spec.goBackwards, !spec.goBackwards] : [spec.goBackwards];
  directions.forEach((backwards, d) => {
    const cy = cellYs[d];
    const order = backwards ? [...columns].reverse() : columns;
    const lastStep = backwards ? 1 : T;
    const h0x = backwards ? lastX + BOX_W + GAP : MARGIN;
    const arrow = (dir: number) => (backwards ? -dir : dir);
    nodes.push({ key: `h0-${d}`, role: 'initial', step: null, direction: d, x: h0x, y: cy + (CELL_H - BOX_H) / 2, w: BOX_W - 16, h: BOX_H, label: isLstm ? 'h₀, c₀' : 'h₀', sub: 'zeros' });
    let prev: { x: number; step: number | null } = { x: backwards ? h0x : h0x + BOX_W - 16, step: 0 };
    const laneY = (lane: 'h' | 'c') => (isLstm ? (lane === 'c' ? cy + 14 : cy + CELL_H - 14) : cy + CELL_H / 2);
    for (const step of order) {
      const i = order.indexOf(step);
      const x = colX(backwards ? columns.length - 1 - i : i);
      const entryX = backwards ? x + BOX_W : x;
      const exitX = backwards ? x : x + BOX_W;
      if (step === null) {
        nodes.push({ key: `gap-${d}`, role: 'elision', step: null, direction: d, x, y: cy, w: BOX_W, h: CELL_H, label: '⋯', sub: `+${T - columns.filter((c) => c !== null).length}` });
      } else {
        const arrowLabel = backwards ? '←' : '→';
        nodes.push({ key: `c${step}-${d}`, role: 'cell', step, direction: d, x, y: cy, w: BOX_W, h: CELL_H, label: bidi ? `${arrowLabel} ${name}` : name, sub: `h${subscript(step)}` });
        edges.push({ key: `in${step}-${d}`, role: 'input', step, direction: d, from: { x: x + BOX_W / 2, y: inY }, to: { x: x + BOX_W / 2, y: cy + CELL_H }, label: '' });
      }
      const carried = prev.step === null ? null : prev.step === 0 ? 0 : prev.step;
      const label = carried === null ? '' : `h${subscript(carried === 0 ? 0 : carried)}`;
      for (const lane of isLstm ? (['h', 'c'] as const) : (['h'] as const)) {
        edges.push({
          key: `${lane === 'c' ? 'cs' : 'r'}${step ?? 'gap'}-${d}`,
          role: lane === 'c' ? 'cell-state' : 'recurrent',
          step: carried === 0 ? null : carried,
          direction: d,
          from: { x: prev.x, y: laneY(lane) },
          to: { x: entryX + arrow(-1), y: laneY(lane) },
          label: lane === 'c' ? label.replace('h', 'c') : label,
        });
      }
      prev = { x: exitX, step };
    }

    // return_state: the final state(s) leave the last processed cell, drawn apart from the outputs.
    if (returnState) {
      const states = isLstm ? ['h', 'c'] : ['h'];
      const sx = backwards ? MARGIN - 8 : lastX + BOX_W + GAP;
      states.forEach((s) => {
        // Stacked like the lanes they leave from (c on top, h below), so the arrows do not cross.
        const k = isLstm && s === 'h' ? 1 : 0;
        const sy = cy + k * (BOX_H + 6) - (isLstm ? 8 : -(CELL_H - BOX_H) / 2);
        const dirTag = bidi ? (d === 0 ? '→' : '←') : '';
        nodes.push({ key: `state-${s}-${d}`, role: 'state', step: null, direction: d, x: sx, y: sy, w: BOX_W - 8, h: BOX_H, label: `${dirTag}${s} (state)`, sub: `(batch, ${H})` });
        edges.push({ key: `st-${s}-${d}`, role: 'state', step: lastStep, direction: d, from: { x: prev.x, y: laneY(s === 'c' ? 'c' : 'h') }, to: { x: backwards ? sx + BOX_W - 8 : sx, y: sy + BOX_H / 2 }, label: '' });
      });
    }
  });

  // Outputs (merged for Bidirectional), exactly those the code gets back.
  let outputCount = 0;
  const outSteps = returnSequences ? columns.filter((c): c is number => c !== null) : bidi ? [T] : [spec.goBackwards ? 1 : T];
  const mergeLabel = spec.bidirectional?.mergeMode ?? 'pair';
  for (const step of outSteps) {
    outputCount++;
    const x = cx(step) - BOX_W / 2;
    nodes.push({ key: `y${step}`, role: 'output', step, direction: 0, x, y: outY, w: BOX_W, h: BOX_H, label: `y${subscript(step)}`, sub: `(batch, ${W})` });
    if (bidi) {
      nodes.push({ key: `m${step}`, role: 'merge', step, direction: 0, x: x + 8, y: mergeY, w: BOX_W - 16, h: BOX_H - 8, label: mergeLabel, sub: '' });
      edges.push({ key: `mo${step}`, role: 'merge', step, direction: 0, from: { x: x + BOX_W / 2, y: mergeY }, to: { x: x + BOX_W / 2, y: outY + BOX_H }, label: '' });
      // Without return_sequences each direction contributes its last processed state.
      const fStep = returnSequences ? step : spec.goBackwards ? 1 : T;
      const bStep = returnSequences ? step : spec.goBackwards ? T : 1;
      edges.push({ key: `o${step}-0`, role: 'output', step: fStep, direction: 0, from: { x: cx(fStep) - 10, y: cellYs[0] }, to: { x: x + BOX_W / 2 - 10, y: mergeY + BOX_H - 8 }, label: '' });
      edges.push({ key: `o${step}-1`, role: 'output', step: bStep, direction: 1, from: { x: cx(bStep) + 10, y: cellYs[1] }, to: { x: x + BOX_W / 2 + 10, y: mergeY + BOX_H - 8 }, label: '' });
    } else {
      edges.push({ key: `o${step}-0`, role: 'output', step, direction: 0, from: { x: x + BOX_W / 2, y: cellYs[0] }, to: { x: x + BOX_W / 2, y: outY + BOX_H }, label: '' });
    }
  }

  // A head on a sequence output is the same Dense at every step (TimeDistributed ≡ Dense on 3-D input).
  let sharedHead: string | null = null;
  if (head) {
    const K = head.units ?? '?';
    const dense = headClassName(spec.framework);
    for (const step of outSteps) {
      const x = cx(step) - BOX_W / 2;
      nodes.push({ key: `d${step}`, role: 'head', step, direction: 0, x, y: headY, w: BOX_W, h: BOX_H, label: `${dense}(${K})`, sub: `(batch, ${K})` });
      edges.push({ key: `dh${step}`, role: 'head', step, direction: 0, from: { x: x + BOX_W / 2, y: outY }, to: { x: x + BOX_W / 2, y: headY + BOX_H }, label: '' });
    }
    if (outSteps.length > 1) sharedHead = `${head.timeDistributed && spec.framework !== 'pytorch' ? 'TimeDistributed(Dense)' : dense} · W_y`;
  }

  const right = Math.max(lastX + BOX_W + (returnState || spec.goBackwards || bidi ? GAP + BOX_W : 0), lastX + BOX_W) + MARGIN;
  return {
    width: right,
    height,
    title: `${spec.bidirectional ? `Bidirectional(${name}(${spec.units ?? spec.unitsText}))` : `${name}(${spec.units ?? spec.unitsText})`}`,
    nodes,
    edges,
    columns,
    outputCount,
    sharedHead,
  };
}

/** The layer's return value as Keras gives it, e.g. `(batch, 8, 64)` or `[output (batch, 64), h (batch, 64)]`. */
export function outputShapeText(scene: Scene): string {
  const { spec, params } = scene;
  const { timesteps: T, units: H } = params;
  const W = outputWidth(scene);
  const one = spec.returnSequences ? `(batch, ${T}, ${W})` : `(batch, ${W})`;
  const out = spec.bidirectional && spec.bidirectional.mergeMode === null ? `[${one}, ${one}]` : one;
  if (!spec.returnState) return out;
  const states = spec.kind === 'lstm' ? ['h', 'c'] : ['h'];
  const dirs = spec.bidirectional ? ['_fwd', '_bwd'] : [''];
  return `[output ${out}, ${dirs.flatMap((d) => states.map((s) => `${s}${d} (batch, ${H})`)).join(', ')}]`;
}
