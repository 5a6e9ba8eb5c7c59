// Nested JSON arrays ⇄ flat Float64Array with a known shape, with errors naming the field.
import { EngineInputError } from './errors';

/** Reads a nested array of exactly `shape` (e.g. [T, D]); scalars must be finite numbers. */
export function fromNested(field: string, value: unknown, shape: readonly number[]): Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new EngineInputError(field, `${path || 'value'} is not a finite number`);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v)) throw new EngineInputError(field, `expected shape ${JSON.stringify(shape)}, but ${path || 'the value'} is not an array`);
    if (v.length !== shape[depth]) {
      throw new EngineInputError(field, `expected shape ${JSON.stringify(shape)}, but ${path || 'the value'} has length ${v.length} instead of ${shape[depth]}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return out;
}

/** Flat → nested arrays for JSON. Non-finite numbers become null (JSON has no NaN/Infinity). */
export function toNested(a: ArrayLike<number>, shape: readonly number[]): unknown {
  const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
  if (shape.length === 0) return num(a[0]);
  const rec = (off: number, depth: number): unknown[] => {
    const len = shape[depth];
    const stride = shape.slice(depth + 1).reduce((p, q) => p * q, 1);
    const out: unknown[] = new Array(len);
    for (let i = 0; i < len; i++) out[i] = depth === shape.length - 1 ? num(a[off + i]) : rec(off + i * stride, depth + 1);
    return out;
  };
  return rec(0, 0);
}
