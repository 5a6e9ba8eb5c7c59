// Canvas heatmap strips (h_t, c_t, gates): one strip per quantity, time left→right, units top→
// bottom. Cells are pixels of a T×rows image scaled up without smoothing (thousands of SVG rects
// stop being smooth); labels, legend ticks and the active-step marker are an SVG overlay so they
// take theme colours from CSS and stay crisp.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { binUnits, colorLut, columnEdge, fillColorBuffer, layoutStrips, LEGEND_W, LUT_SIZE, locateCell, MAX_ROWS, type Binned, type ColorDomain, type StripLayout } from './heatmapData';
import { formatValue, isUnitRange, robustAbsMax } from './scales';
import { t } from './strings';

export interface HeatmapRow {
  /** e.g. "h_t", "c_t", "gate i". */
  label: string;
  /** T×H row-major, processing order. Treated as immutable: binning and colours are cached per array. */
  data: Float64Array;
  T: number;
  H: number;
  /**
   * 'diverging': −M…M around 0; 'unit': sequential over [0, 1] (sigmoid gates). Default: 'unit'
   * when every value lies in [0, 1], else 'diverging'.
   */
  scale?: HeatmapScale;
  /** Diverging only: colour limit M; default a robust max |v| of this row. Pass one value to every row to compare them. */
  domain?: number;
}

export type HeatmapScale = 'diverging' | 'unit';

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
  /** The sequential interpolator of 'unit' rows, 0 → 1; default d3's viridis. */
  unitInterpolator?: (p: number) => string;
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
  autoScale: HeatmapScale;
  autoDomain: number;
  image: ImageData;
  pixels: HTMLCanvasElement;
  /** The domain `image` was filled with (null: not yet). */
  filledWith: ColorDomain | null;
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
  scale: HeatmapScale;
  domain: ColorDomain;
}


const flip =
  (f: (p: number) => string) =>
  (p: number): string =>
    f(1 - p);

export function createHeatmap(container: HTMLElement, options: HeatmapOptions = {}): Heatmap {
  const maxRows = options.maxRows ?? MAX_ROWS;
  // Position 0 of a LUT is the domain's low end; RdBu starts at red, so flip it to make positive values red.
  const luts: Record<HeatmapScale, Uint8ClampedArray> = {
    diverging: colorLut(flip(options.interpolator ?? interpolateRdBu), LUT_SIZE),
    unit: colorLut(options.unitInterpolator ?? interpolateViridis, LUT_SIZE),
  };
  const legends: Record<HeatmapScale, HTMLCanvasElement> = { diverging: legendCanvas(luts.diverging), unit: legendCanvas(luts.unit) };
  const stepLabel = options.stepLabel ?? ((s: number) => String(s + 1));

  const root = select(container).append('div').attr('class', 'heatmap');
  const canvas = root.append('canvas').attr('class', 'heatmap-cells').attr('role', 'img').node()!;
  const overlay = root.append('svg').attr('class', 'heatmap-overlay').attr('aria-hidden', 'true');
  const stripLayer = overlay.append('g').attr('class', 'strips');
  const axisLayer = overlay.append('g').attr('class', 'time-axis');
  const tooltip = root.append('div').attr('class', 'heatmap-tooltip').attr('role', 'status').property('hidden', true);
  const ctx = canvas.getContext('2d', { alpha: true })!;

  const cache = new WeakMap<Float64Array, Prepared>();
  let width = container.clientWidth || 320;
  let last: { rows: readonly HeatmapRow[]; active: number | null; options: HeatmapDrawOptions } | null = null;
  let layout: StripLayout | null = null;
  let drawn: { row: HeatmapRow; prep: Prepared; reveal: number | null }[] = [];
  /** The strips on screen (null: none yet) and how many columns of each the canvas holds. */
  let shown: { rows: readonly HeatmapRow[]; views: StripView[]; width: number; dpr: number } | null = null;
  let columns: number[] = [];

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
      autoScale: isUnitRange(row.data) ? 'unit' : 'diverging',
      // The domain of what is drawn (bin means), so the colours use the whole scale.
      autoDomain: robustAbsMax(binned.values),
      image: new ImageData(row.T, binned.rows),
      pixels,
      filledWith: null,
    };
    cache.set(row.data, prep);
    return prep;
  }

  function domainOf(row: HeatmapRow, prep: Prepared): { scale: HeatmapScale; domain: ColorDomain } {
    const scale = row.scale ?? prep.autoScale;
    if (scale === 'unit') return { scale, domain: { lo: 0, hi: 1 } };
    const M = row.domain !== undefined && row.domain > 0 && Number.isFinite(row.domain) ? row.domain : prep.autoDomain;
    return { scale, domain: { lo: -M, hi: M } };
  }

  /** Whether `rows` show the same strips as the canvas does (same data, labels and colours): then a frame only moves the reveal and the active step. */
  function sameStrips(rows: readonly HeatmapRow[], dpr: number): boolean {
    if (!shown || shown.width !== width || shown.dpr !== dpr || shown.rows.length !== rows.length) return false;
    return rows.every((r, i) => {
      const o = shown!.rows[i];
      return r.data === o.data && r.label === o.label && r.T === o.T && r.H === o.H && r.scale === o.scale && r.domain === o.domain;
    });
  }

  /** Lays out and draws what does not change while the timeline plays: strip frames, labels, legends, axis. */
  function drawStrips(rows: readonly HeatmapRow[], preps: Prepared[], dpr: number): StripView[] {
    layout = layoutStrips(
      preps.map((p) => p.binned.rows),
      width,
    );
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
    const views = layout.strips.map((box, i): StripView => {
      const row = rows[i];
      const prep = preps[i];
      const { scale, domain } = domainOf(row, prep);
      // Coloured once per trace and domain; revealing steps only copies columns of it.
      if (!prep.filledWith || prep.filledWith.lo !== domain.lo || prep.filledWith.hi !== domain.hi) {
        fillColorBuffer(prep.image.data, prep.binned, domain, luts[scale], null);
        prep.pixels.getContext('2d')!.putImageData(prep.image, 0, 0);
        prep.filledWith = domain;
      }
      ctx.drawImage(legends[scale], box.x + box.w + 6, box.y, LEGEND_W, box.h);
      return { key: `${i}:${row.label}`, index: i, title: row.label, note: binNote(row, prep.binned.rows), ...box, T: row.T, H: row.H, scale, domain };
    });
    drawOverlay(views);
    drawAxis(views, layout.axisY);
    const T = rows.length > 0 ? rows[0].T : 0;
    const H = rows.length > 0 ? rows[0].H : 0;
    select(canvas).attr('aria-label', `${t('Heatmaps')}: ${rows.map((r) => r.label).join(', ')} · T = ${T} · H = ${H}`);
    shown = { rows, views, width, dpr };
    columns = views.map(() => 0);
    return views;
  }

  function draw(rows: readonly HeatmapRow[], activeStep: number | null, drawOptions: HeatmapDrawOptions = {}): void {
    last = { rows, active: activeStep, options: drawOptions };
    const reveal = drawOptions.revealUpTo !== undefined ? drawOptions.revealUpTo : activeStep;
    const preps = rows.map(prepare);
    const dpr = window.devicePixelRatio || 1;
    const views = sameStrips(rows, dpr) ? shown!.views : drawStrips(rows, preps, dpr);
    drawn = rows.map((row, i) => ({ row, prep: preps[i], reveal }));
    // Only the columns that appear or disappear are touched, on whole device pixels so neighbouring
    // copies neither overlap nor leave a seam: a frame of the forward pass copies one column per strip.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    views.forEach((v, i) => {
      const prep = preps[i];
      const cols = reveal === null ? prep.T : Math.max(0, Math.min(prep.T, reveal + 1));
      const had = columns[i];
      if (cols === had) return;
      const y0 = Math.round(v.y * dpr);
      const y1 = Math.round((v.y + v.h) * dpr);
      const [c0, c1] = cols > had ? [had, cols] : [cols, had];
      const x0 = columnEdge(v.x, v.w, v.T, c0, dpr);
      const x1 = columnEdge(v.x, v.w, v.T, c1, dpr);
      if (cols > had) ctx.drawImage(prep.pixels, c0, 0, c1 - c0, prep.binned.rows, x0, y0, x1 - x0, y1 - y0);
      else ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      columns[i] = cols;
    });
    drawProgress(activeStep, reveal);
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
        for (const k of ['max', 'mid', 'min']) s.append('text').attr('class', `legend-tick ${k}`);
        s.append('rect').attr('class', 'active-step');
        return s;
      });
    // From the left edge, not the strip's: a narrow side bar needs every pixel for the text.
    const label = g.select('text.strip-label').attr('x', 0).attr('y', (v) => v.labelY);
    label.select('tspan.name').text((v) => v.title);
    label.select('tspan.note').text((v) => (v.note ? ` · ${v.note}` : ''));
    g.select('rect.strip-frame').attr('x', (v) => v.x - 0.5).attr('y', (v) => v.y - 0.5).attr('width', (v) => v.w + 1).attr('height', (v) => v.h + 1);
    g.select('rect.legend-frame').attr('x', (v) => v.x + v.w + 5.5).attr('y', (v) => v.y - 0.5).attr('width', LEGEND_W + 1).attr('height', (v) => v.h + 1);
    g.select('text.unit-tick.first').attr('x', (v) => v.x - 4).attr('y', (v) => v.y + 9).text('1');
    g.select('text.unit-tick.last').attr('x', (v) => v.x - 4).attr('y', (v) => v.y + v.h).text((v) => String(v.H));
    const lx = (v: StripView) => v.x + v.w + 6 + LEGEND_W + 4;
    g.select('text.legend-tick.max').attr('x', lx).attr('y', (v) => v.y + 8).text((v) => formatValue(v.domain.hi));
    g.select('text.legend-tick.mid').attr('x', lx).attr('y', (v) => v.y + v.h / 2 + 4).text((v) => formatValue((v.domain.lo + v.domain.hi) / 2));
    g.select('text.legend-tick.min').attr('x', lx).attr('y', (v) => v.y + v.h).text((v) => formatValue(v.domain.lo));
  }

  /** The per-frame part of the overlay: the veil over steps not reached yet and the active-step outline. */
  function drawProgress(active: number | null, reveal: number | null): void {
    const g = stripLayer.selectAll<SVGGElement, StripView>('g.strip');
    const end = (v: StripView) => colX(v, revealEnd(v, reveal));
    g.select('rect.unrevealed')
      .attr('x', (v) => v.x + end(v))
      .attr('y', (v) => v.y)
      .attr('width', (v) => Math.max(0, v.w - end(v)))
      .attr('height', (v) => v.h);
    g.select('rect.active-step')
      .classed('off', active === null)
      .attr('x', (v) => v.x + colX(v, active ?? 0) - 1)
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

function revealEnd(v: StripView, reveal: number | null): number {
  return reveal === null ? v.T : Math.max(0, Math.min(v.T, reveal + 1));
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

/** The legend's gradient, the domain's high end at the top: a 1×n image scaled into each strip's legend bar. */
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
