// Keras Bidirectional's merge of the two directions' outputs and its backward (RNN-SEMANTICS §1.5):
// concat (features side by side), sum, mul, ave, or null (both returned).
import type { MergeMode } from '../spec';

/** Rows reversed (time flip of a rows×n matrix), into a new array. */
export function flipRows(a: Float64Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) out[(rows - 1 - r) * n + j] = a[r * n + j];
  return out;
}

/** Both inputs are rows×H; the result is rows×2H (concat), rows×H, or [2, rows, H] (null). */
export function mergeForward(mode: MergeMode, yf: Float64Array, yb: Float64Array, rows: number, H: number): Float64Array {
  const n = rows * H;
  if (mode === 'concat') {
    const out = new Float64Array(2 * n);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        out[r * 2 * H + j] = yf[r * H + j];
        out[r * 2 * H + H + j] = yb[r * H + j];
      }
    }
    return out;
  }
  const out = new Float64Array(mode === null ? 2 * n : n);
  for (let k = 0; k < n; k++) {
    const a = yf[k];
    const b = yb[k];
    if (mode === null) {
      out[k] = a;
      out[n + k] = b;
    } else out[k] = mode === 'sum' ? a + b : mode === 'mul' ? a * b : 0.5 * (a + b);
  }
  return out;
}

export function mergeBackward(
  mode: MergeMode,
  dy: Float64Array,
  yf: Float64Array,
  yb: Float64Array,
  rows: number,
  H: number,
): [Float64Array, Float64Array] {
  const n = rows * H;
  const df = new Float64Array(n);
  const db = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < H; j++) {
      const k = r * H + j;
      switch (mode) {
        case 'concat':
          df[k] = dy[r * 2 * H + j];
          db[k] = dy[r * 2 * H + H + j];
          break;
        case null:
          df[k] = dy[k];
          db[k] = dy[n + k];
          break;
        case 'sum':
          df[k] = dy[k];
          db[k] = dy[k];
          break;
        case 'ave':
          df[k] = 0.5 * dy[k];
          db[k] = 0.5 * dy[k];
          break;
        case 'mul':
          df[k] = dy[k] * yb[k];
          db[k] = dy[k] * yf[k];
          break;
      }
    }
  }
  return [df, db];
}
