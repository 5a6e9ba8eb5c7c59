// The training loss curve: one line per run (one cell, or SimpleRNN/LSTM/GRU side by side) over
// the steps, on a log axis so early drops and late creeping both show. d3 keyed joins; long runs
// are averaged into buckets so the path stays a few hundred points.
import { select } from 'd3-selection';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';
import type { CellKind } from '../src/spec';

export interface LossSeries {
  cell: CellKind;
  label: string;
  losses: ArrayLike<number>;
}

const WIDTH = 320;
const HEIGHT = 140;
const M = { left: 46, right: 10, top: 8, bottom: 24 };
const MAX_POINTS = 400;

/** Bucket means of the finite values, with the step each bucket ends at (1-based). */
export function downsample(values: ArrayLike<number>, maxPoints = MAX_POINTS): { step: number; value: number }[] {
  const n = values.length;
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const out: { step: number; value: number }[] = [];
  for (let start = 0; start < n; start += size) {
    let sum = 0;
    let count = 0;
    for (let i = start; i < Math.min(n, start + size); i++) {
      if (Number.isFinite(values[i])) {
        sum += values[i];
        count++;
      }
    }
    if (count > 0) out.push({ step: Math.min(n, start + size), value: sum / count });
  }
  return out;
}

export function createLossChart(box: HTMLElement, ariaLabel: string) {
  const svg = select(box).append('svg').attr('class', 'loss-chart').attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`).attr('role', 'img').attr('aria-label', ariaLabel);
  const xAxis = svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${HEIGHT - M.bottom})`);
  const yAxis = svg.append('g').attr('class', 'axis y').attr('transform', `translate(${M.left},0)`);
  const lines = svg.append('g').attr('class', 'lines');
  return {
    draw(series: readonly LossSeries[]): void {
      const points = series.map((s) => ({ ...s, points: downsample(s.losses) }));
      const steps = Math.max(1, ...series.map((s) => s.losses.length));
      const all = points.flatMap((p) => p.points.map((q) => q.value)).filter((v) => v > 0);
      const lo = all.length ? Math.min(...all) : 0.1;
      const hi = all.length ? Math.max(...all) : 1;
      const x = scaleLinear().domain([1, Math.max(2, steps)]).range([M.left, WIDTH - M.right]);
      const y = scaleLog().domain([lo / 1.2, hi * 1.2]).range([HEIGHT - M.bottom, M.top]).clamp(true);
      xAxis.call(axisBottom(x).ticks(5, 'd'));
      yAxis.call(axisLeft(y).ticks(4, '.2~g'));
      const path = line<{ step: number; value: number }>()
        .defined((d) => d.value > 0)
        .x((d) => x(d.step))
        .y((d) => y(d.value));
      lines
        .selectAll('path')
        .data(points, (d) => (d as LossSeries).cell)
        .join('path')
        .attr('class', (d) => `loss-line cell-${d.cell}`)
        .attr('d', (d) => path(d.points) ?? '')
        .selectAll('title')
        .data((d) => [d])
        .join('title')
        .text((d) => d.label);
    },
  };
}
