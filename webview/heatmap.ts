// Canvas heatmap strips (h_t, c_t, gates): one strip per quantity, time left→right, units top→
// bottom. Cells are pixels of a T×rows image scaled up without smoothing (thousands of SVG rects
// stop being smooth); labels, legend ticks and the active-step marker are an SVG overlay so they
// take theme colours from CSS and stay crisp.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { interpolateRdBu } from 'd3-scale-chromatic';
import { binUnits, colorLut, fillColorBuffer, layoutStrips, LEGEND_W, LUT_SIZE, locateCell, MAX_ROWS, type Binned, type StripLayout } from './heatmapData';
import { formatValue, robustAbsMax } from './scales';
import { t } from './strings';

export interface HeatmapRow {
  /** e.g. "h_t", "c_t", "gate i". */
  label: string;
  /** T×H row-major, processing order. Treated as immutable: binning and colours are cached per array. */
  data: Float64Array;
  T: number;
  H: number;
  /** Colour limit M (the scale spans −M…M); default: a robust max |v| of this row. Pass one value to every row to compare them. */
  domain?: number;
}

export interface HeatmapHit {
  /** Index into the rows passed to draw(). */
  row: number;
  label: string;
  /** 0-based processing step. */
  step: number;
  /** First unit under the pointer (0-based) and one past the last: more than one when units are averaged. */
  unit: number;
  unitEnd: number;
  /** The unit's value, or the mean of the averaged units. */
  value: number;
}

export interface HeatmapDrawOptions {
  /** Last 0-based step whose column is filled in; later ones stay blank. Default: the active step (all when it is null). */
  revealUpTo?: number | null;
}

export interface HeatmapOptions {
  /** Cap on drawn unit rows per strip (default 128); wider layers average neighbouring units. */
  maxRows?: number;
  /** A diverging colour interpolator over [0, 1]; default d3's RdBu, flipped so positive is red. */
  interpolator?: (p: number) => string;
  /** Built-in hover tooltip (default true). */
  tooltip?: boolean;
  /** Called on hover with the cell under the pointer, or null when it leaves. */
  onHover?: (hit: HeatmapHit | null) => void;
  /** Text for a 0-based step on the axis and in the tooltip; default its 1-based number. */
  stepLabel?: (step: number) => string;
}

export interface Heatmap {
  readonly element: HTMLDivElement;
  /** The pixels, for PNG export. */
  readonly canvas: HTMLCanvasElement;
  /** Redraws every strip; `activeStep` (0-based, or null) is outlined. */
  draw(rows: readonly HeatmapRow[], activeStep: number | null, options?: HeatmapDrawOptions): void;
  /** The cell at (x, y) in CSS pixels relative to `element`, or null (outside, or not revealed yet). */
  hitTest(x: number, y: number): HeatmapHit | null;
  destroy(): void;
}

/** What one data array costs to draw, kept between frames: binning and the domain are per trace, not per frame. */
interface Prepared {
  T: number;
  H: number;
  binned: Binned;
  autoDomain: number;
  image: ImageData;
  pixels: HTMLCanvasElement;
  /** The colour limit `image` was filled with (NaN: not yet). */
  filledWith: number;
}

interface StripView {
  key: string;
  index: number;
  title: string;
  /** "256 units → 128 rows" when units are averaged, else empty. */
  note: string;
  x: number;
  y: number;
  w: number;
  h: number;
  labelY: number;
  T: number;
  H: number;
  M: number;
  active: number | null;
  reveal: number | null;
}

const flip =
  (f: (p: number) => string) =>
  (p: number): string =>
    f(1 - p);

export function createHeatmap(container: HTMLElement, options: HeatmapOptions = {}): Heatmap {
  const maxRows = options.maxRows ?? MAX_ROWS;
  // Position 0 of the LUT is −M; RdBu starts at red, so flip it to make positive values red.
  const lut = colorLut(flip(options.interpolator ?? interpolateRdBu), LUT_SIZE);
  const stepLabel = options.stepLabel ?? ((s: number) => String(s + 1));

  const root = select(container).append('div').attr('class', 'heatmap');
  const canvas = root.append('canvas').attr('class', 'heatmap-cells').attr('role', 'img').node()!;
  const overlay = root.append('svg').attr('class', 'heatmap-overlay').attr('aria-hidden', 'true');
  const stripLayer = overlay.append('g').attr('class', 'strips');
  const axisLayer = overlay.append('g').attr('class', 'time-axis');
  const tooltip = root.append('div').attr('class', 'heatmap-tooltip').attr('role', 'status').property('hidden', true);
  const ctx = canvas.getContext('2d', { alpha: true })!;
  const legend = legendCanvas(lut);

  const cache = new WeakMap<Float64Array, Prepared>();
  let width = container.clientWidth || 320;
  let last: { rows: readonly HeatmapRow[]; active: number | null; options: HeatmapDrawOptions } | null = null;
  let layout: StripLayout | null = null;
  let drawn: { row: HeatmapRow; prep: Prepared; reveal: number | null }[] = [];

  function prepare(row: HeatmapRow): Prepared {
    const hit = cache.get(row.data);
    if (hit && hit.T === row.T && hit.H === row.H) return hit;
    const binned = binUnits(row.data, row.T, row.H, maxRows);
    const pixels = document.createElement('canvas');
    pixels.width = row.T;
    pixels.height = binned.rows;
    const prep: Prepared = {
      T: row.T,
      H: row.H,
      binned,
      // The domain of what is drawn (bin means), so the colours use the whole scale.
      autoDomain: robustAbsMax(binned.values),
      image: new ImageData(row.T, binned.rows),
      pixels,
      filledWith: NaN,
    };
    cache.set(row.data, prep);
    return prep;
  }

  function draw(rows: readonly HeatmapRow[], activeStep: number | null, drawOptions: HeatmapDrawOptions = {}): void {
    last = { rows, active: activeStep, options: drawOptions };
    const reveal = drawOptions.revealUpTo !== undefined ? drawOptions.revealUpTo : activeStep;
    const preps = rows.map(prepare);
    layout = layoutStrips(
      preps.map((p) => p.binned.rows),
      width,
    );
    drawn = rows.map((row, i) => ({ row, prep: preps[i], reveal }));

    const dpr = window.devicePixelRatio || 1;
    const pw = Math.round(layout.width * dpr);
    const ph = Math.round(layout.height * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
      select(canvas).style('width', `${layout.width}px`).style('height', `${layout.height}px`);
      overlay.attr('width', layout.width).attr('height', layout.height).attr('viewBox', `0 0 ${layout.width} ${layout.height}`);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    ctx.imageSmoothingEnabled = false;

    const views: StripView[] = [];
    layout.strips.forEach((box, i) => {
      const row = rows[i];
      const prep = preps[i];
      const M = row.domain !== undefined && row.domain > 0 && Number.isFinite(row.domain) ? row.domain : prep.autoDomain;
      // Coloured once per trace and domain; revealing steps only crops the copy, so a frame of the
      // forward animation costs one drawImage per strip instead of a refill.
      if (prep.filledWith !== M) {
        fillColorBuffer(prep.image.data, prep.binned, M, lut, null);
        prep.pixels.getContext('2d')!.putImageData(prep.image, 0, 0);
        prep.filledWith = M;
      }
      const cols = reveal === null ? prep.T : Math.max(0, Math.min(prep.T, reveal + 1));
      if (cols > 0) ctx.drawImage(prep.pixels, 0, 0, cols, prep.binned.rows, box.x, box.y, (cols * box.w) / prep.T, box.h);
      ctx.drawImage(legend, box.x + box.w + 6, box.y, LEGEND_W, box.h);
      views.push({ key: `${i}:${row.label}`, index: i, title: row.label, note: binNote(row, prep.binned.rows), ...box, T: row.T, H: row.H, M, active: activeStep, reveal });
    });
    drawOverlay(views);
    const T = rows.length > 0 ? rows[0].T : 0;
    const H = rows.length > 0 ? rows[0].H : 0;
    select(canvas).attr('aria-label', `${t('Heatmaps')}: ${rows.map((r) => r.label).join(', ')} · T = ${T} · H = ${H}`);
    drawAxis(views, layout.axisY);
  }

  function drawOverlay(views: StripView[]): void {
    const g = stripLayer
      .selectAll<SVGGElement, StripView>('g.strip')
      .data(views, (v) => v.key)
      .join((enter) => {
        const s = enter.append('g').attr('class', 'strip');
        const label = s.append('text').attr('class', 'strip-label');
        label.append('tspan').attr('class', 'name');
        label.append('tspan').attr('class', 'note');
        s.append('rect').attr('class', 'unrevealed');
        s.append('rect').attr('class', 'strip-frame');
        s.append('rect').attr('class', 'legend-frame');
        s.append('text').attr('class', 'unit-tick first').attr('text-anchor', 'end');
        s.append('text').attr('class', 'unit-tick last').attr('text-anchor', 'end');
        for (const k of ['max', 'zero', 'min']) s.append('text').attr('class', `legend-tick ${k}`);
        s.append('rect').attr('class', 'active-step');
        return s;
      });
    // From the left edge, not the strip's: a narrow side bar needs every pixel for the text.
    const label = g.select('text.strip-label').attr('x', 0).attr('y', (v) => v.labelY);
    label.select('tspan.name').text((v) => v.title);
    label.select('tspan.note').text((v) => (v.note ? ` · ${v.note}` : ''));
    g.select('rect.strip-frame').attr('x', (v) => v.x - 0.5).attr('y', (v) => v.y - 0.5).attr('width', (v) => v.w + 1).attr('height', (v) => v.h + 1);
    g.select('rect.legend-frame').attr('x', (v) => v.x + v.w + 5.5).attr('y', (v) => v.y - 0.5).attr('width', LEGEND_W + 1).attr('height', (v) => v.h + 1);
    g.select('rect.unrevealed')
      .attr('x', (v) => v.x + colX(v, revealEnd(v)))
      .attr('y', (v) => v.y)
      .attr('width', (v) => Math.max(0, v.w - colX(v, revealEnd(v))))
      .attr('height', (v) => v.h);
    g.select('text.unit-tick.first').attr('x', (v) => v.x - 4).attr('y', (v) => v.y + 9).text('1');
    g.select('text.unit-tick.last').attr('x', (v) => v.x - 4).attr('y', (v) => v.y + v.h).text((v) => String(v.H));
    const lx = (v: StripView) => v.x + v.w + 6 + LEGEND_W + 4;
    g.select('text.legend-tick.max').attr('x', lx).attr('y', (v) => v.y + 8).text((v) => formatValue(v.M));
    g.select('text.legend-tick.zero').attr('x', lx).attr('y', (v) => v.y + v.h / 2 + 4).text('0');
    g.select('text.legend-tick.min').attr('x', lx).attr('y', (v) => v.y + v.h).text((v) => formatValue(-v.M));
    g.select('rect.active-step')
      .classed('off', (v) => v.active === null)
      .attr('x', (v) => v.x + colX(v, v.active ?? 0) - 1)
      .attr('y', (v) => v.y - 2)
      .attr('width', (v) => Math.max(2, v.w / v.T) + 2)
      .attr('height', (v) => v.h + 4);
  }

  function drawAxis(views: StripView[], axisY: number): void {
    const v = views[views.length - 1];
    const ticks = v ? stepTicks(v.T, v.w) : [];
    const x = (s: number) => (v ? v.x + colX(v, s) + v.w / v.T / 2 : 0);
    const tick = axisLayer
      .selectAll<SVGGElement, number>('g.tick')
      .data(ticks, (s) => String(s))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'tick');
        e.append('line').attr('y2', 4);
        e.append('text').attr('y', 14).attr('text-anchor', 'middle');
        return e;
      })
      .attr('transform', (s) => `translate(${x(s)},${axisY})`);
    tick.select('text').text((s) => stepLabel(s));
    axisLayer
      .selectAll<SVGTextElement, number>('text.axis-name')
      .data(v ? [0] : [])
      .join('text')
      .attr('class', 'axis-name')
      .attr('text-anchor', 'end')
      .attr('x', v ? v.x - 12 : 0)
      .attr('y', axisY + 14)
      .text('t');
  }

  function hitTest(x: number, y: number): HeatmapHit | null {
    if (!layout) return null;
    const shapes = drawn.map((d) => ({ T: d.prep.T, rows: d.prep.binned.rows }));
    const cell = locateCell(layout, shapes, x, y);
    if (!cell) return null;
    const { row, prep, reveal } = drawn[cell.strip];
    if (reveal !== null && cell.step > reveal) return null;
    const unit = prep.binned.edges[cell.row];
    const unitEnd = prep.binned.edges[cell.row + 1];
    const value = unitEnd - unit === 1 ? row.data[cell.step * row.H + unit] : prep.binned.values[cell.row * prep.T + cell.step];
    return { row: cell.strip, label: row.label, step: cell.step, unit, unitEnd, value };
  }

  function showTooltip(hit: HeatmapHit | null, x: number, y: number): void {
    if (options.tooltip === false) return;
    if (!hit) {
      tooltip.property('hidden', true);
      return;
    }
    const units =
      hit.unitEnd - hit.unit === 1
        ? `${t('unit')} ${hit.unit + 1}`
        : t('units {0}–{1} (mean)')
            .replace('{0}', String(hit.unit + 1))
            .replace('{1}', String(hit.unitEnd));
    const tip = tooltip
      .text(`${hit.label} · t = ${stepLabel(hit.step)} · ${units} · ${formatValue(hit.value)}`)
      .property('hidden', false)
      .node()!;
    // Kept inside the panel: a narrow side bar would otherwise cut it off (one layout read per hover, not per frame).
    const left = Math.max(0, Math.min(x + 12, width - tip.offsetWidth - 2));
    tooltip.style('left', `${left}px`).style('top', `${y + 16}px`);
  }

  const onMove = (e: PointerEvent) => {
    const r = root.node()!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const hit = hitTest(x, y);
    showTooltip(hit, x, y);
    options.onHover?.(hit);
  };
  const onLeave = () => {
    showTooltip(null, 0, 0);
    options.onHover?.(null);
  };
  root.on('pointermove', onMove).on('pointerleave', onLeave);

  // Width comes from the observer, not from clientWidth per frame: reading layout while the
  // animation mutates the DOM would force a synchronous reflow every frame.
  const resize = new ResizeObserver((entries) => {
    const w = Math.floor(entries[entries.length - 1].contentRect.width);
    if (w > 0 && w !== width) {
      width = w;
      if (last) draw(last.rows, last.active, last.options);
    }
  });
  resize.observe(container);

  return {
    element: root.node()!,
    canvas,
    draw,
    hitTest,
    destroy() {
      resize.disconnect();
      root.remove();
    },
  };
}

/** Left edge of a step's column, relative to the strip. */
function colX(v: { w: number; T: number }, step: number): number {
  return (step * v.w) / v.T;
}

function revealEnd(v: StripView): number {
  return v.reveal === null ? v.T : Math.max(0, Math.min(v.T, v.reveal + 1));
}

function binNote(row: HeatmapRow, rows: number): string {
  if (rows === row.H) return '';
  return t('{0} units → {1} rows (averaged)').replace('{0}', String(row.H)).replace('{1}', String(rows));
}

/** 0-based steps to label: about one per 48 px, on round 1-based numbers, always including the last. */
function stepTicks(T: number, w: number): number[] {
  if (T <= 0) return [];
  const n = Math.max(2, Math.floor(w / 48));
  const ticks = scaleLinear()
    .domain([1, T])
    .ticks(Math.min(n, T))
    .filter((s) => Number.isInteger(s) && s >= 1 && s <= T)
    .map((s) => s - 1);
  if (ticks[0] !== 0) ticks.unshift(0);
  const lastGap = ticks.length > 1 ? (T - 1 - ticks[ticks.length - 1]) * (w / T) : Infinity;
  if (ticks[ticks.length - 1] !== T - 1) {
    // Replace a tick too close to the end rather than overprint it.
    if (lastGap < 28 && ticks.length > 1) ticks.pop();
    ticks.push(T - 1);
  }
  return ticks;
}

/** The legend's gradient, +M at the top: a 1×n image scaled into each strip's legend bar. */
function legendCanvas(lut: Uint8ClampedArray): HTMLCanvasElement {
  const n = lut.length / 3;
  const c = document.createElement('canvas');
  c.width = 1;
  c.height = n;
  const img = new ImageData(1, n);
  for (let i = 0; i < n; i++) {
    const k = 3 * (n - 1 - i);
    img.data.set([lut[k], lut[k + 1], lut[k + 2], 255], 4 * i);
  }
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}
