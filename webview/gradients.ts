// The BPTT chart: gradient norms per step on a log axis, with a verdict badge and shaded
// "vanished"/"exploded" zones so a student sees at a glance how much gradient reaches step 1.
// SVG with keyed d3 joins; setProgress reveals steps right-to-left as the backward pass runs.
import { select } from 'd3-selection';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import 'd3-transition';
import { EXPLODING_RATIO, formatMagnitude, formatPow10, LOG_FLOOR, logDomain, logPlotValue, powerTicks, seriesVerdict, VANISHING_RATIO, type Verdict, type VerdictKind } from './scales';
import { t } from './strings';

export const SERIES_DH = '‖∂L/∂h_t‖';
export const SERIES_DC = '‖∂L/∂c_t‖';
export const SERIES_JACOBIAN = '‖∂h_T/∂h_k‖';

export interface GradientSeries {
  /** Shown in the legend; also the join key and (for the three names above) the colour. */
  name: string;
  /** Length T, processing order. */
  values: Float64Array;
}

export interface GradientDrawOptions {
  /** σ_max(U) and ρ(U) from RecurrentStats; null or absent hides them. */
  sigmaMax?: number | null;
  spectralRadius?: number | null;
  /**
   * The series the verdict reads (its step 1 against its step T). Default: ‖∂h_T/∂h_k‖ when
   * present — with return_sequences each ∂L/∂h_t also holds its own output's gradient, which
   * hides a vanishing recurrence — otherwise the first series.
   */
  verdictFrom?: string;
  /** Text for a 0-based step on the x axis; default its 1-based number. */
  stepLabel?: (step: number) => string;
  /** Animate from the previous draw (default true). */
  animate?: boolean;
}

export interface GradientChart {
  readonly element: SVGSVGElement;
  /** Draws the series and returns the verdict shown. */
  draw(series: readonly GradientSeries[], options?: GradientDrawOptions): Verdict;
  /** Backward pass at 0-based `step`: steps ≥ step are shown; null shows all. */
  setProgress(step: number | null): void;
  destroy(): void;
}

interface Point {
  key: string;
  cls: string;
  step: number;
  value: number;
  flag: 'ok' | 'floor' | 'nonfinite';
}

const DURATION = 300;
const LEFT = 46;
const RIGHT = 14;
const BOTTOM = 28;
const NOTE_H = 16;
const LINE_H = 15;
/** Approximate advance of an 11px editor-font character: text is wrapped before layout can measure it. */
const CHAR_W = 6.7;
const KNOWN: Record<string, string> = { [SERIES_DH]: 's0', [SERIES_DC]: 's1', [SERIES_JACOBIAN]: 's2' };
const GLYPH: Record<VerdictKind, string> = { vanishing: '▼', exploding: '▲', stable: '●', unknown: '○' };
let instances = 0;

export function createGradientChart(container: HTMLElement, chartOptions: { plotHeight?: number } = {}): GradientChart {
  // The plot keeps its height; the header above it grows when a narrow panel wraps its text.
  const plotHeight = chartOptions.plotHeight ?? 170;
  let height = plotHeight;
  const clipId = `gradient-clip-${++instances}`;
  const svg = select(container)
    .append('svg')
    .attr('class', 'gradient-chart')
    .attr('role', 'img')
    .attr('xmlns', 'http://www.w3.org/2000/svg');
  const title = svg.append('title');
  const clipRect = svg.append('defs').append('clipPath').attr('id', clipId).append('rect');
  const bands = svg.append('g').attr('class', 'bands');
  const grid = svg.append('g').attr('class', 'grid');
  const xAxis = svg.append('g').attr('class', 'x-axis');
  const rule = svg.append('line').attr('class', 'progress-rule off');
  const plot = svg.append('g').attr('class', 'series').attr('clip-path', `url(#${clipId})`);
  const header = svg.append('g').attr('class', 'header');
  const headerText = header.append('g');
  const legend = header.append('g').attr('class', 'legend');
  const notes = svg.append('g').attr('class', 'chart-notes');

  let width = container.clientWidth || 320;
  let last: { series: readonly GradientSeries[]; options: GradientDrawOptions } | null = null;
  let progress: number | null = null;
  let xOf: (step: number) => number = () => 0;
  let pitch = 0;
  let plotBox = { top: 0, bottom: plotHeight, left: LEFT, right: width - RIGHT };

  function draw(series: readonly GradientSeries[], options: GradientDrawOptions = {}): Verdict {
    const animate = options.animate !== false && last !== null;
    last = { series, options };
    const T = series.reduce((m, s) => Math.max(m, s.values.length), 0);
    const stepLabel = options.stepLabel ?? ((s: number) => String(s + 1));
    const verdictName = options.verdictFrom ?? (series.some((s) => s.name === SERIES_JACOBIAN) ? SERIES_JACOBIAN : series[0]?.name);
    const verdictSeries = series.find((s) => s.name === verdictName);
    const verdict: Verdict = verdictSeries ? seriesVerdict(verdictSeries.values) : { kind: 'unknown', ratio: NaN };
    const ref = verdictSeries && T > 0 ? verdictSeries.values[verdictSeries.values.length - 1] : NaN;
    const hasRef = Number.isFinite(ref) && ref > LOG_FLOOR;
    // Half a decade of each zone always shows, so a stable line is seen to stay clear of them.
    const include = hasRef ? [ref * VANISHING_RATIO * 10 ** -0.5, ref * EXPLODING_RATIO * 10 ** 0.5] : [];
    const domain = logDomain(
      series.map((s) => s.values),
      LOG_FLOOR,
      include,
    );

    const caveats = noteLines(domain.nonFinite, domain.floored);
    const text = verdictText(verdict);
    const statText = [
      options.sigmaMax != null ? `σ_max(U) = ${formatMagnitude(options.sigmaMax)}` : '',
      options.spectralRadius != null ? `ρ(U) = ${formatMagnitude(options.spectralRadius)} (${t('spectral radius')})` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const top = drawHeader(verdict.kind, text, statText, series);
    const bottom = top + plotHeight;
    height = bottom + BOTTOM + caveats.length * NOTE_H;
    plotBox = { top, bottom, left: LEFT, right: Math.max(LEFT + 40, width - RIGHT) };
    const x = scaleLinear()
      .domain([0, Math.max(1, T - 1)])
      .range([plotBox.left + 6, plotBox.right - 6]);
    const y = scaleLog()
      .domain([10 ** domain.lo, 10 ** domain.hi])
      .range([bottom, top])
      .clamp(true);
    xOf = x;
    pitch = T > 1 ? x(1) - x(0) : 12;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

    const summary = [text.headline, text.detail, statText, ...caveats].filter(Boolean).join('. ');
    svg.attr('aria-label', summary);
    title.text(summary);

    drawBands(hasRef ? ref : null, y);
    drawGrid(powerTicks(domain.lo, domain.hi, Math.max(3, Math.floor(plotHeight / 28))), y);
    drawXAxis(T, x, bottom, stepLabel);
    notes
      .selectAll<SVGTextElement, string>('text')
      .data(caveats)
      .join('text')
      .attr('x', plotBox.left)
      .attr('y', (_, i) => bottom + BOTTOM + 10 + i * NOTE_H)
      .text((c) => c);

    // Lines and points, keyed by series and step so a new trace moves them instead of redrawing.
    const lineGen = line<Point>()
      .defined((p) => p.flag !== 'nonfinite')
      .x((p) => x(p.step))
      .y((p) => y(p.value));
    const data = series.map((s, i) => ({ name: s.name, cls: KNOWN[s.name] ?? `s${i % 6}`, points: toPoints(s, KNOWN[s.name] ?? `s${i % 6}`) }));
    const groups = plot
      .selectAll<SVGGElement, (typeof data)[number]>('g.series-group')
      .data(data, (d) => d.name)
      .join((enter) => {
        const g = enter.append('g');
        g.append('path').attr('class', 'series-line');
        return g;
      })
      .attr('class', (d) => `series-group ${d.cls}`);
    const paths = groups.select<SVGPathElement>('path.series-line');
    (animate ? paths.transition().duration(DURATION) : paths).attr('d', (d) => lineGen(d.points) ?? '');

    const r = T > 120 ? 1.6 : 2.6;
    const pts = groups
      .selectAll<SVGPathElement, Point>('.pt')
      .data(
        (d) => d.points,
        (p) => p.key,
      )
      .join((enter) => enter.append('path').attr('transform', (p) => at(p, x, y)))
      .attr('class', (p) => `pt ${p.flag}`)
      .attr('d', (p) => (p.flag === 'nonfinite' ? `M0,${-r - 2}L${r + 2},${r + 1}L${-r - 2},${r + 1}Z` : circlePath(r)));
    (animate ? pts.transition().duration(DURATION) : pts).attr('transform', (p) => at(p, x, y));

    setProgress(progress);
    return verdict;
  }

  /** Verdict, its detail, σ_max/ρ and the legend, wrapped to the width; returns the plot's top. */
  function drawHeader(kind: VerdictKind, text: { headline: string; detail: string }, statText: string, series: readonly GradientSeries[]): number {
    const lines: { cls: string; text: string; y: number }[] = [];
    let y = 14;
    for (const l of wrap(`${GLYPH[kind]} ${text.headline}`, width, CHAR_W * 1.25)) {
      lines.push({ cls: `verdict ${kind}`, text: l, y });
      y += LINE_H + 2;
    }
    for (const [cls, s] of [
      ['verdict-detail', text.detail],
      ['stats', statText],
    ]) {
      for (const l of s ? wrap(s, width, CHAR_W) : []) {
        lines.push({ cls, text: l, y });
        y += LINE_H;
      }
    }
    headerText
      .selectAll<SVGTextElement, (typeof lines)[number]>('text')
      .data(lines)
      .join('text')
      .attr('class', (l) => l.cls)
      .attr('x', 0)
      .attr('y', (l) => l.y)
      .text((l) => l.text);
    // Legend items flow into rows like words.
    let x = 0;
    const at = series.map((s) => {
      const w = 23 + textWidth(s.name, CHAR_W) + 14;
      if (x > 0 && x + w > width) {
        x = 0;
        y += LINE_H;
      }
      const pos = { x, y: y + 2 };
      x += w;
      return pos;
    });
    drawLegend(series, at);
    return y + 14;
  }

  function drawLegend(series: readonly GradientSeries[], at: { x: number; y: number }[]): void {
    const items = legend
      .selectAll<SVGGElement, GradientSeries>('g.legend-item')
      .data(series, (s) => s.name)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 18).attr('y1', -4).attr('y2', -4);
        g.append('path').attr('d', circlePath(2.6)).attr('transform', 'translate(9,-4)');
        g.append('text').attr('x', 23);
        return g;
      })
      .attr('class', (s, i) => `legend-item ${KNOWN[s.name] ?? `s${i % 6}`}`)
      .attr('transform', (_, i) => `translate(${at[i].x},${at[i].y})`);
    items.select('text').text((s) => s.name);
  }

  function drawBands(ref: number | null, y: (v: number) => number): void {
    const [lo, hi] = [plotBox.bottom, plotBox.top];
    const zones =
      ref === null
        ? []
        : [
            { key: 'vanished', y0: y(ref * VANISHING_RATIO), y1: lo, label: t('vanished: below {0} of step T').replace('{0}', formatPow10(Math.log10(VANISHING_RATIO))) },
            { key: 'exploded', y0: hi, y1: y(ref * EXPLODING_RATIO), label: t('exploded: above {0}× step T').replace('{0}', formatPow10(Math.log10(EXPLODING_RATIO))) },
          ].filter((z) => z.y1 - z.y0 > 1);
    const g = bands
      .selectAll<SVGGElement, (typeof zones)[number]>('g.band')
      .data(zones, (z) => z.key)
      .join((enter) => {
        const e = enter.append('g');
        e.append('rect');
        e.append('text').attr('text-anchor', 'end');
        return e;
      })
      .attr('class', (z) => `band ${z.key}`);
    g.select('rect')
      .attr('x', plotBox.left)
      .attr('width', plotBox.right - plotBox.left)
      .attr('y', (z) => z.y0)
      .attr('height', (z) => z.y1 - z.y0);
    g.select('text')
      .attr('x', plotBox.right - 4)
      .attr('y', (z) => (z.key === 'vanished' ? z.y1 - 4 : z.y0 + 11))
      .text((z) => (z.y1 - z.y0 >= 14 ? z.label : ''));
  }

  function drawGrid(exponents: number[], y: (v: number) => number): void {
    const g = grid
      .selectAll<SVGGElement, number>('g.tick')
      .data(exponents, (e) => String(e))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'tick');
        e.append('line');
        e.append('text').attr('text-anchor', 'end').attr('dy', '0.32em');
        return e;
      })
      .classed('unit', (e) => e === 0)
      .attr('transform', (e) => `translate(0,${y(10 ** e)})`);
    g.select('line').attr('x1', plotBox.left).attr('x2', plotBox.right);
    g.select('text')
      .attr('x', plotBox.left - 5)
      .text((e) => formatPow10(e));
  }

  function drawXAxis(T: number, x: (s: number) => number, bottom: number, stepLabel: (s: number) => string): void {
    const n = Math.max(2, Math.floor((plotBox.right - plotBox.left) / 48));
    const steps =
      T === 0
        ? []
        : [
            ...new Set([
              0,
              ...scaleLinear()
                .domain([1, T])
                .ticks(Math.min(n, T))
                .filter((s) => Number.isInteger(s) && s >= 1 && s <= T && (T - s) * pitch >= 24)
                .map((s) => s - 1),
              T - 1,
            ]),
          ];
    xAxis.attr('transform', `translate(0,${bottom})`);
    xAxis
      .selectAll<SVGLineElement, number>('line.domain')
      .data([0])
      .join('line')
      .attr('class', 'domain')
      .attr('x1', plotBox.left)
      .attr('x2', plotBox.right);
    const g = xAxis
      .selectAll<SVGGElement, number>('g.tick')
      .data(steps, (s) => String(s))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'tick');
        e.append('line').attr('y2', 4);
        e.append('text').attr('y', 15).attr('text-anchor', 'middle');
        return e;
      })
      .attr('transform', (s) => `translate(${x(s)},0)`);
    g.select('text').text((s) => stepLabel(s));
    xAxis
      .selectAll<SVGTextElement, number>('text.axis-name')
      .data([0])
      .join('text')
      .attr('class', 'axis-name')
      .attr('x', plotBox.left - 5)
      .attr('y', 15)
      .attr('text-anchor', 'end')
      .text('t');
  }

  function setProgress(step: number | null): void {
    progress = step;
    const x0 = step === null ? 0 : xOf(step) - pitch / 2;
    // The clip extends past the plot so points on its edges are not cut in half.
    clipRect
      .attr('x', Math.max(0, x0))
      .attr('y', plotBox.top - 8)
      .attr('width', Math.max(0, width - Math.max(0, x0)))
      .attr('height', plotBox.bottom - plotBox.top + 16);
    rule
      .classed('off', step === null)
      .attr('x1', step === null ? 0 : xOf(step))
      .attr('x2', step === null ? 0 : xOf(step))
      .attr('y1', plotBox.top)
      .attr('y2', plotBox.bottom);
    // The verdict is about step 1: keep it faint until the gradient has got there.
    header.classed('pending', step !== null && step > 0);
  }

  const resize = new ResizeObserver((entries) => {
    const w = Math.floor(entries[entries.length - 1].contentRect.width);
    if (w > 0 && w !== width) {
      width = w;
      if (last) draw(last.series, { ...last.options, animate: false });
    }
  });
  resize.observe(container);

  return {
    element: svg.node()!,
    draw,
    setProgress,
    destroy() {
      resize.disconnect();
      svg.remove();
    },
  };
}

/** Width of a string in the editor font, counting wide (CJK) characters twice. */
function textWidth(s: string, charW: number): number {
  let n = 0;
  for (const ch of s) n += ch.codePointAt(0)! >= 0x1100 ? 2 : 1;
  return n * charW;
}

function wrap(text: string, maxW: number, charW: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && textWidth(next, charW) > maxW) {
      lines.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

function toPoints(s: GradientSeries, cls: string): Point[] {
  return Array.from(s.values, (v, step) => {
    const { value, flag } = logPlotValue(v);
    return { key: `${s.name}:${step}`, cls, step, value, flag };
  });
}

function at(p: Point, x: (s: number) => number, y: (v: number) => number): string {
  // Non-finite values (overflow) sit on the top edge as triangles.
  const py = p.flag === 'nonfinite' ? y(Infinity) : y(p.value);
  return `translate(${x(p.step)},${Number.isFinite(py) ? py : 0})`;
}

function circlePath(r: number): string {
  return `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
}

function verdictText(v: Verdict): { headline: string; detail: string } {
  const ratio = formatMagnitude(v.ratio);
  switch (v.kind) {
    case 'vanishing':
      return { headline: t('Vanishing gradient'), detail: t('the gradient at step 1 is {0} of step T').replace('{0}', ratio) };
    case 'exploding':
      return {
        headline: t('Exploding gradient'),
        detail: Number.isFinite(v.ratio) ? t('the gradient at step 1 is {0}× step T').replace('{0}', ratio) : t('the gradient overflowed on its way to step 1'),
      };
    case 'stable':
      return {
        headline: t('Stable gradient'),
        detail: (v.ratio < 1 ? t('the gradient at step 1 is {0} of step T') : t('the gradient at step 1 is {0}× step T')).replace('{0}', ratio),
      };
    default:
      return { headline: t('No verdict'), detail: t('the gradient at step T is zero or not a number') };
  }
}

/** One line per caveat under the axis: values the log scale cannot place where they belong. */
function noteLines(nonFinite: number, floored: number): string[] {
  const lines: string[] = [];
  if (nonFinite > 0) lines.push(t('▲ overflow (∞ or NaN): {0}').replace('{0}', String(nonFinite)));
  if (floored > 0) lines.push(t('○ zero or below {1}: {0}').replace('{0}', String(floored)).replace('{1}', formatPow10(Math.log10(LOG_FLOOR))));
  return lines;
}
