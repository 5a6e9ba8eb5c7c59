// The heatmap's pure half: binning units into drawable rows, filling an RGBA buffer from a colour
// lookup table, and where each strip goes. No DOM, so node:test covers it and the per-frame work
// stays a few typed-array loops.
import { linearPosition } from './scales';

/** At most this many unit rows are drawn per strip; wider layers average neighbouring units. */
export const MAX_ROWS = 128;
/** Entries in a colour lookup table: finer than the eye can tell apart. */
export const LUT_SIZE = 256;

export interface Binned {
  /** rows×T, values[r·T + t]: the layout of an image T pixels wide, so it copies straight in. */
  values: Float64Array;
  T: number;
  rows: number;
  /** First unit of each drawn row, then H (length rows + 1). */
  edges: Int32Array;
}

/** Transposes a T×H array to rows×T, averaging the units of each bin when H > maxRows. */
export function binUnits(data: Float64Array, T: number, H: number, maxRows = MAX_ROWS): Binned {
  if (data.length < T * H) throw new RangeError(`binUnits: ${data.length} values cannot be ${T}×${H}`);
  const rows = Math.max(1, Math.min(H, maxRows));
  const edges = new Int32Array(rows + 1);
  for (let r = 0; r <= rows; r++) edges[r] = Math.floor((r * H) / rows);
  const values = new Float64Array(rows * T);
  for (let t = 0; t < T; t++) {
    const base = t * H;
    for (let r = 0; r < rows; r++) {
      const u0 = edges[r];
      const u1 = edges[r + 1];
      let s = 0;
      for (let u = u0; u < u1; u++) s += data[base + u];
      values[r * T + t] = s / (u1 - u0);
    }
  }
  return { values, T, rows, edges };
}

/** "rgb(r, g, b)" or "#rrggbb" (what d3-scale-chromatic returns) → [r, g, b]. */
export function parseRgb(css: string): [number, number, number] {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (h) return [parseInt(h[1], 16), parseInt(h[2], 16), parseInt(h[3], 16)];
  throw new Error(`parseRgb: cannot read colour ${css}`);
}

/** n colours sampled evenly over [0, 1], packed r,g,b (length 3n). */
export function colorLut(color: (p: number) => string, n = LUT_SIZE): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(3 * n);
  for (let i = 0; i < n; i++) lut.set(parseRgb(color(i / (n - 1))), 3 * i);
  return lut;
}

export type Rgba = readonly [number, number, number, number];

/** Non-finite values (overflow, NaN): a neutral grey that no diverging scale uses at full opacity. */
export const NAN_RGBA: Rgba = [128, 128, 128, 255];

/** The values at the ends of a colour scale: the lookup table's first and last entries. */
export interface ColorDomain {
  lo: number;
  hi: number;
}

/**
 * Fills `out` (T·rows·4 bytes, an ImageData's data) with the binned values coloured on
 * [domain.lo, domain.hi] through `lut` (position 0 = lo). Columns after `revealUpTo` (0-based
 * step) are transparent; null reveals all.
 */
export function fillColorBuffer(
  out: Uint8ClampedArray,
  b: Binned,
  domain: ColorDomain,
  lut: Uint8ClampedArray,
  revealUpTo: number | null,
  nanRgba: Rgba = NAN_RGBA,
): Uint8ClampedArray {
  const { T, rows, values } = b;
  if (out.length !== T * rows * 4) throw new RangeError(`fillColorBuffer: buffer of ${out.length} bytes for ${T}×${rows} pixels`);
  const n = lut.length / 3;
  const last = revealUpTo === null ? T - 1 : Math.min(T - 1, revealUpTo);
  for (let r = 0; r < rows; r++) {
    const row = r * T;
    for (let t = 0; t < T; t++) {
      const o = (row + t) * 4;
      if (t > last) {
        out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
        continue;
      }
      const v = values[row + t];
      if (Number.isNaN(v)) {
        out[o] = nanRgba[0];
        out[o + 1] = nanRgba[1];
        out[o + 2] = nanRgba[2];
        out[o + 3] = nanRgba[3];
        continue;
      }
      const k = 3 * Math.round(linearPosition(v, domain.lo, domain.hi) * (n - 1));
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
      out[o + 3] = 255;
    }
  }
  return out;
}

// Strip geometry, in CSS pixels.
export const LABEL_H = 18;
export const STRIP_GAP = 10;
export const LEFT = 30;
export const RIGHT = 64;
export const AXIS_H = 20;
export const LEGEND_W = 10;
const PX_PER_ROW = 4;
const MIN_STRIP_H = 28;
const MAX_STRIP_H = MAX_ROWS;

export interface StripBox {
  /** The cell area (excluding label and legend). */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Baseline of the label above the strip. */
  labelY: number;
}

export interface StripLayout {
  width: number;
  height: number;
  strips: StripBox[];
  /** Top of the time axis under the last strip. */
  axisY: number;
}

/** Strip height for a number of drawn rows: a few pixels per unit, never more than one row per pixel. */
export function stripHeight(rows: number): number {
  return Math.max(MIN_STRIP_H, Math.min(MAX_STRIP_H, rows * PX_PER_ROW));
}

/** Stacks one strip per quantity: a label line, the strip, a gap; the time axis under the last. */
export function layoutStrips(rowCounts: readonly number[], width: number): StripLayout {
  const w = Math.max(20, width - LEFT - RIGHT);
  let y = 0;
  const strips = rowCounts.map((rows) => {
    const labelY = y + LABEL_H - 5;
    const h = stripHeight(rows);
    const box = { x: LEFT, y: y + LABEL_H, w, h, labelY };
    y += LABEL_H + h + STRIP_GAP;
    return box;
  });
  const axisY = y - STRIP_GAP + 2;
  return { width, height: axisY + AXIS_H, strips, axisY };
}

/**
 * Device-pixel x of the left edge of column `c` of a strip at CSS x, width w, T columns: rounded,
 * so columns drawn separately meet exactly where one copy of them all would have put them.
 */
export function columnEdge(x: number, w: number, T: number, c: number, dpr: number): number {
  return Math.round((x + (c * w) / T) * dpr);
}

/**
 * Which strip, step and drawn row a point falls on (CSS pixels in the layout's frame), or null
 * outside every strip.
 */
export function locateCell(
  layout: StripLayout,
  shapes: readonly { T: number; rows: number }[],
  x: number,
  y: number,
): { strip: number; step: number; row: number } | null {
  for (let i = 0; i < layout.strips.length; i++) {
    const s = layout.strips[i];
    if (x < s.x || x >= s.x + s.w || y < s.y || y >= s.y + s.h) continue;
    const { T, rows } = shapes[i];
    const step = Math.min(T - 1, Math.floor(((x - s.x) / s.w) * T));
    const row = Math.min(rows - 1, Math.floor(((y - s.y) / s.h) * rows));
    return { strip: i, step, row };
  }
  return null;
}
