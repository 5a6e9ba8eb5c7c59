// Number → picture mappings for the heatmaps and the gradient chart. Pure functions (no DOM, no
// d3 import) so they run under node:test and stay cheap enough to call per frame.

/** ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ below this reads as vanishing (a factor 100 lost over the sequence). */
export const VANISHING_RATIO = 1e-2;
/** … and above this as exploding. */
export const EXPLODING_RATIO = 1e2;
/** Log axes stop here: zeros and denormals would otherwise pull the domain to 10⁻³²⁴. */
export const LOG_FLOOR = 1e-12;
/** Quantile of |v| used as the heatmap colour limit, so one outlier does not wash out the rest. */
export const HEATMAP_QUANTILE = 0.99;

/** Per-step L2 norm of a T×H row-major array (length T). */
export function stepNorms(a: Float64Array, T: number, H: number): Float64Array {
  if (a.length < T * H) throw new RangeError(`stepNorms: ${a.length} values cannot be ${T}×${H}`);
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    // Scale by the largest entry first: squaring 1e200 overflows and 1e-200 underflows to 0.
    let m = 0;
    for (let j = t * H, end = j + H; j < end; j++) {
      const v = Math.abs(a[j]);
      if (v > m || Number.isNaN(v)) m = v;
    }
    if (!(m > 0) || m === Infinity) {
      out[t] = m; // 0, NaN or Infinity: the norm is that too
      continue;
    }
    let s = 0;
    for (let j = t * H, end = j + H; j < end; j++) {
      const v = a[j] / m;
      s += v * v;
    }
    out[t] = m * Math.sqrt(s);
  }
  return out;
}

/**
 * Colour limit M for a heatmap symmetric around 0: the q-quantile of |v| over finite values, or
 * max |v| when that quantile is 0 (sparse data such as one-hot inputs). Never 0 or non-finite: an
 * all-zero or all-NaN array gets 1.
 */
export function robustAbsMax(data: Float64Array, q = HEATMAP_QUANTILE): number {
  const abs = new Float64Array(data.length);
  let n = 0;
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (Number.isFinite(v)) {
      abs[n++] = v;
      if (v > max) max = v;
    }
  }
  if (!(max > 0)) return 1;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  const m = selectKth(abs.subarray(0, n), k);
  return m > 0 ? m : max;
}

/**
 * The k-th smallest value (0-based) of `a`, reordering `a` in place: Hoare's quickselect,
 * O(n) on average — sorting six 25k-value strips cost ~25 ms of the first frame, this ~2.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Position of v on a linear scale over [lo, hi]: 0 at lo, 1 at hi, clamped; NaN stays NaN. */
export function linearPosition(v: number, lo: number, hi: number): number {
  const p = (v - lo) / (hi - lo);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** Position of v on a diverging scale over [−M, M]: 0 at −M, ½ at 0, 1 at M, clamped; NaN stays NaN. */
export function divergingPosition(v: number, M: number): number {
  return linearPosition(v, -M, M);
}

/**
 * Whether a quantity belongs on the sequential [0, 1] scale rather than a diverging one: every
 * finite value lies in [0, 1] (sigmoid gates). On a scale symmetric around 0 such values would use
 * only its positive half and read as "all red".
 */
export function isUnitRange(data: Float64Array): boolean {
  let finite = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v > 1) return false;
    if (v === v) finite++; // NaN is neither in nor out of range
  }
  return finite > 0;
}

/**
 * A diverging colour scale symmetric around 0. `interpolator` maps [0,1] to a CSS colour (e.g.
 * d3's interpolateRdBu); it is flipped so positive values take the interpolator's start (red).
 */
export function divergingColor(M: number, interpolator: (t: number) => string, nanColor = 'gray'): (v: number) => string {
  return (v) => (Number.isNaN(v) ? nanColor : interpolator(1 - divergingPosition(v, M)));
}

export interface LogDomain {
  /** Exponents of the domain's ends: the axis runs 10^lo … 10^hi, lo < hi. */
  lo: number;
  hi: number;
  /** How many values were NaN or ±Infinity (drawn apart, never part of the domain). */
  nonFinite: number;
  /** How many finite values were ≤ the floor (zeros, denormals, negatives): drawn at the floor. */
  floored: number;
}

/**
 * A log-axis domain snapped to powers of ten that covers every finite value above `floor` (values
 * at or below it sit on the floor, which is then in the domain) and the finite positive values in
 * `include` (reference levels the chart wants visible). At least one decade wide; with nothing to
 * show it is 10⁻¹ … 10⁰.
 */
export function logDomain(series: readonly Float64Array[], floor = LOG_FLOOR, include: readonly number[] = []): LogDomain {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  let floored = 0;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) nonFinite++;
      else if (v <= floor) floored++;
      else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (floored > 0) {
    min = floor;
    max = Math.max(max, floor);
  }
  for (const v of include) {
    if (Number.isFinite(v) && v > floor) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min === Infinity) return { lo: -1, hi: 0, nonFinite, floored };
  // The epsilon keeps exact powers of ten (log10 of 1e-3 is −2.9999999999999996) on their decade.
  // `+ 0` turns Math.ceil's −0 into 0, which formats and compares like the 0 it is.
  const lo = Math.floor(Math.log10(min) + 1e-9) + 0;
  let hi = Math.ceil(Math.log10(max) - 1e-9) + 0;
  if (hi <= lo) hi = lo + 1;
  return { lo, hi, nonFinite, floored };
}

/** Where a value goes on a log axis: clamped to the floor, or flagged when it cannot be drawn. */
export function logPlotValue(v: number, floor = LOG_FLOOR): { value: number; flag: 'ok' | 'floor' | 'nonfinite' } {
  if (!Number.isFinite(v)) return { value: NaN, flag: 'nonfinite' };
  if (v <= floor) return { value: floor, flag: 'floor' };
  return { value: v, flag: 'ok' };
}

/** Exponents to label between lo and hi (inclusive), every k-th power so at most maxTicks appear. */
export function powerTicks(lo: number, hi: number, maxTicks = 6): number[] {
  const span = hi - lo;
  const step = Math.max(1, Math.ceil(span / Math.max(1, maxTicks - 1)));
  const out: number[] = [];
  // Anchor on multiples of step so 10⁰ shows whenever it is in range.
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) out.push(e);
  return out;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10^e with a superscript exponent: −6 → "10⁻⁶", 0 → "10⁰". */
export function formatPow10(e: number): string {
  return '10' + String(Math.round(e)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
}

/**
 * A magnitude for a label: plain decimals between 0.01 and 1000 ("0.42", "12"), otherwise
 * "3×10⁻⁷" (or "10⁻⁶" when the mantissa rounds to 1).
 */
export function formatMagnitude(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const sign = v < 0 ? '−' : '';
  const a = Math.abs(v);
  if (a >= 0.01 && a < 1000) return sign + String(Number(a.toPrecision(2)));
  let e = Math.floor(Math.log10(a));
  let m = Math.round(a / 10 ** e);
  if (m === 10) {
    m = 1;
    e++;
  }
  return sign + (m === 1 ? '' : `${m}×`) + formatPow10(e);
}

/** A heatmap value for a legend or tooltip: signed, 3 significant digits, no exponent for common sizes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatMagnitude(v);
  const a = Math.abs(v);
  const s = a >= 1e-3 && a < 1e4 ? String(Number(a.toPrecision(3))) : formatMagnitude(a);
  return (v < 0 ? '−' : '') + s;
}

export type VerdictKind = 'vanishing' | 'exploding' | 'stable' | 'unknown';

export interface Verdict {
  kind: VerdictKind;
  /** first / last; NaN when undefined. */
  ratio: number;
}

/**
 * Vanishing or exploding, from the gradient norm at the first step over the one at the last
 * (processing order). Overflow (+∞) at the first step counts as exploding, 0 over a positive
 * norm as vanishing; NaN or 0/0 tell nothing.
 */
export function gradientVerdict(first: number, last: number): Verdict {
  if (Number.isNaN(first) || Number.isNaN(last) || first < 0 || last < 0) return { kind: 'unknown', ratio: NaN };
  if (first === Infinity) return { kind: 'exploding', ratio: last === Infinity ? NaN : Infinity };
  if (last === Infinity) return { kind: 'vanishing', ratio: 0 };
  if (last === 0) return first > 0 ? { kind: 'exploding', ratio: Infinity } : { kind: 'unknown', ratio: NaN };
  const ratio = first / last;
  const kind = ratio < VANISHING_RATIO ? 'vanishing' : ratio > EXPLODING_RATIO ? 'exploding' : 'stable';
  return { kind, ratio };
}

/** The verdict of a series in processing order (its first entry against its last). */
export function seriesVerdict(values: Float64Array): Verdict {
  if (values.length < 2) return { kind: 'unknown', ratio: NaN };
  return gradientVerdict(values[0], values[values.length - 1]);
}
