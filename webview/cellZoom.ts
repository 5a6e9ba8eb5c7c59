// The cell zoom dialog: draws a CellZoom (webview/cellZoomData.ts) as SVG — ops as boxes, vectors
// as colour strips (one rect per unit, at most MAX_BINS by averaging), arrows for the dataflow.
// No inline style attributes (the CSP blocks them): classes, plus d3 `.style()` for fills.
import { select } from 'd3-selection';
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { CellZoom, ZoomNode } from './cellZoomData';
import { divergingColor, formatValue, robustAbsMax } from './scales';

export const MAX_BINS = 64;
const COL_W = 130;
const ROW_H = 62;
const PAD = 16;
const STRIP_W = 96;
const STRIP_H = 12;
const GRAD_H = 7;
const OP_W = 74;
const OP_H = 24;
const LABEL_H = 14;
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface CellZoomView {
  show(zoom: CellZoom, title: string, options?: { gradients?: boolean }): void;
  hide(): void;
  readonly visible: boolean;
}

/** At most `max` values: each the mean of a contiguous run of units. */
export function binValues(v: Float64Array, max = MAX_BINS): Float64Array {
  if (v.length <= max) return v;
  const out = new Float64Array(max);
  for (let b = 0; b < max; b++) {
    const lo = Math.floor((b * v.length) / max);
    const hi = Math.floor(((b + 1) * v.length) / max);
    let s = 0;
    for (let j = lo; j < hi; j++) s += v[j];
    out[b] = s / (hi - lo);
  }
  return out;
}

/** Values for a data attribute: 6 significant digits, space separated. */
export function valuesAttr(v: Float64Array): string {
  return Array.from(v, (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x))).join(' ');
}

function preview(v: Float64Array, n = 8): string {
  const head = Array.from(v.subarray(0, n), formatValue).join(', ');
  return v.length > n ? `${head}, …` : head;
}

function concat(list: (Float64Array | null)[]): Float64Array {
  const parts = list.filter((a): a is Float64Array => a !== null);
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export function createCellZoom(container: HTMLElement, t: (s: string) => string): CellZoomView {
  const root = document.createElement('div');
  root.className = 'cellzoom';
  root.hidden = true;
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-modal', 'false');
  root.tabIndex = -1;
  const bar = document.createElement('div');
  bar.className = 'cellzoom-bar';
  const heading = document.createElement('h3');
  heading.className = 'cellzoom-title';
  heading.id = 'cellzoom-title';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'cellzoom-close';
  close.textContent = '×';
  bar.append(heading, close);
  const legend = document.createElement('p');
  legend.className = 'cellzoom-legend';
  const figure = document.createElement('div');
  figure.className = 'cellzoom-figure';
  root.append(bar, legend, figure);
  container.append(root);

  let previousFocus: Element | null = null;
  const hide = () => {
    if (root.hidden) return;
    root.hidden = true;
    figure.replaceChildren();
    if (previousFocus instanceof HTMLElement || previousFocus instanceof SVGElement) previousFocus.focus();
    previousFocus = null;
  };
  close.addEventListener('click', hide);
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      hide();
    }
  });

  return {
    get visible() {
      return !root.hidden;
    },
    hide,
    show(zoom, title, options = {}) {
      const withGrads = options.gradients ?? true;
      close.setAttribute('aria-label', t('Close the cell view'));
      close.title = t('Close the cell view');
      root.setAttribute('aria-label', `${t('Inside the cell')}: ${title}`);
      heading.textContent = `${t('Inside the cell')}: ${title}`;
      const hasGrads = withGrads && zoom.nodes.some((n) => n.kind === 'vector' && n.grads);
      legend.textContent = hasGrads
        ? t('Each strip is a vector, one cell per unit: red positive, blue negative. The thin strip under it is its gradient after BPTT. Hover for the numbers.')
        : t('Each strip is a vector, one cell per unit: red positive, blue negative. Hover for the numbers.');
      draw(figure, zoom, hasGrads, t);
      // Focus moves in when the zoom opens, not when new numbers redraw it.
      if (!root.hidden) return;
      previousFocus = document.activeElement;
      root.hidden = false;
      close.focus();
    },
  };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function boxOf(n: ZoomNode): Box {
  const cx = PAD + n.x * COL_W + COL_W / 2;
  const cy = PAD + LABEL_H + n.y * ROW_H + ROW_H / 2;
  if (n.kind === 'op') return { x: cx - OP_W / 2, y: cy - OP_H / 2, w: OP_W, h: OP_H };
  return { x: cx - STRIP_W / 2, y: cy - STRIP_H / 2, w: STRIP_W, h: STRIP_H };
}

function draw(figure: HTMLElement, zoom: CellZoom, withGrads: boolean, t: (s: string) => string): void {
  figure.replaceChildren();
  const cols = Math.max(...zoom.nodes.map((n) => n.x)) + 1;
  const rows = Math.max(...zoom.nodes.map((n) => n.y)) + 1;
  const width = 2 * PAD + cols * COL_W;
  const height = 2 * PAD + LABEL_H + rows * ROW_H;
  const svg = select(figure)
    .append('svg')
    .attr('xmlns', SVG_NS)
    .attr('class', 'cellzoom-svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', t('Dataflow inside the cell'));
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'cellzoom-arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('class', 'cellzoom-arrowhead')
    .attr('d', 'M0,0 L10,5 L0,10 z');

  const boxes = new Map(zoom.nodes.map((n) => [n.id, boxOf(n)]));
  const fwdColor = divergingColor(robustAbsMax(concat(zoom.nodes.filter((n) => n.kind === 'vector').map((n) => n.values))) || 1, interpolateRdBu);
  const gradColor = divergingColor(robustAbsMax(concat(zoom.nodes.map((n) => n.grads))) || 1, interpolateRdBu);

  const edgeLayer = svg.append('g').attr('class', 'cellzoom-edges');
  for (const e of zoom.edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    const mid = (x1 + x2) / 2;
    edgeLayer
      .append('path')
      .attr('class', 'cellzoom-edge')
      .attr('data-from', e.from)
      .attr('data-to', e.to)
      .attr('d', x2 > x1 ? `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` : `M${a.x + a.w / 2},${a.y + a.h} L${b.x + b.w / 2},${b.y}`)
      .attr('marker-end', 'url(#cellzoom-arrow)');
  }

  const nodeLayer = svg.append('g').attr('class', 'cellzoom-nodes');
  for (const n of zoom.nodes) {
    const b = boxes.get(n.id)!;
    const g = nodeLayer.append('g').attr('class', `cellzoom-node ${n.kind}`).attr('data-id', n.id);
    const tip: string[] = [n.label];
    if (n.kind === 'op') {
      g.append('rect').attr('class', 'cellzoom-op').attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', b.h).attr('rx', 5);
      g.append('text').attr('class', 'cellzoom-op-label').attr('x', b.x + b.w / 2).attr('y', b.y + b.h / 2 + 4).text(n.label);
      if (n.values) tip.push(`= ${preview(n.values)}`);
    } else {
      g.append('text').attr('class', 'cellzoom-label').attr('x', b.x).attr('y', b.y - 4).text(n.values ? `${n.label} (${n.values.length})` : n.label);
      if (n.values) {
        g.attr('data-values', valuesAttr(n.values));
        strip(g, binValues(n.values), b.x, b.y, STRIP_H, fwdColor, 'cellzoom-unit');
        tip.push(preview(n.values));
      } else g.append('rect').attr('class', 'cellzoom-missing').attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', STRIP_H);
      if (withGrads && n.grads) {
        g.attr('data-grads', valuesAttr(n.grads));
        strip(g, binValues(n.grads), b.x, b.y + STRIP_H + 2, GRAD_H, gradColor, 'cellzoom-grad');
        tip.push(`${t('gradient after BPTT')}: ${preview(n.grads)}`);
      }
      g.append('rect').attr('class', 'cellzoom-frame').attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', STRIP_H);
    }
    g.append('title').text(tip.join('\n'));
  }
}

function strip(
  g: ReturnType<typeof select<SVGGElement, unknown>>,
  v: Float64Array,
  x: number,
  y: number,
  h: number,
  color: (v: number) => string,
  cls: string,
): void {
  const w = STRIP_W / Math.max(1, v.length);
  v.forEach((val, j) => {
    g.append('rect')
      .attr('class', cls)
      .attr('x', x + j * w)
      .attr('y', y)
      .attr('width', w)
      .attr('height', h)
      .style('fill', color(val));
  });
}
