// PyTorch storages → numbers: element decoding per storage type and strided views (a tensor may
// start anywhere in a shared storage — e.g. all four LSTM tensors in one — and need not be contiguous).
import { ModelError } from '../errors';
import { bfloat16ToFloat, halfToFloat } from '../floats';
import type { TensorRef } from './pickle';

interface ElementType {
  size: number;
  get(dv: DataView, at: number, le: boolean): number;
}

const TYPES: Record<string, ElementType> = {
  FloatStorage: { size: 4, get: (dv, at, le) => dv.getFloat32(at, le) },
  DoubleStorage: { size: 8, get: (dv, at, le) => dv.getFloat64(at, le) },
  HalfStorage: { size: 2, get: (dv, at, le) => halfToFloat(dv.getUint16(at, le)) },
  BFloat16Storage: { size: 2, get: (dv, at, le) => bfloat16ToFloat(dv.getUint16(at, le)) },
  LongStorage: { size: 8, get: (dv, at, le) => Number(dv.getBigInt64(at, le)) },
  IntStorage: { size: 4, get: (dv, at, le) => dv.getInt32(at, le) },
  ShortStorage: { size: 2, get: (dv, at, le) => dv.getInt16(at, le) },
  CharStorage: { size: 1, get: (dv, at) => dv.getInt8(at) },
  ByteStorage: { size: 1, get: (dv, at) => dv.getUint8(at) },
  BoolStorage: { size: 1, get: (dv, at) => dv.getUint8(at) },
};

export function storageItemSize(type: string): number | null {
  return TYPES[type]?.size ?? null;
}

/**
 * Reads a tensor's elements in row-major order as float64. `data` holds the whole (root) storage;
 * `littleEndian` comes from the archive's byteorder record.
 */
export function materialize(t: TensorRef, data: Uint8Array, littleEndian: boolean, what: string): Float64Array {
  const type = TYPES[t.storage.type];
  if (type === undefined) throw new ModelError('unsupported', `${what}: storage type ${t.storage.type} is not read`);
  const count = t.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count);
  if (count === 0) return out;
  const base = t.storage.viewOffset + t.offset;
  let last = base;
  for (let i = 0; i < t.shape.length; i++) last += (t.shape[i] - 1) * t.stride[i];
  if ((last + 1) * type.size > data.length) throw new ModelError('corrupt', `${what}: a tensor reads past the end of its storage (truncated file)`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rank = t.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let at = base;
  for (let n = 0; n < count; n++) {
    out[n] = type.get(dv, at * type.size, littleEndian);
    // Odometer over the multi-index, moving `at` by the strides.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      at += t.stride[d];
      if (idx[d] < t.shape[d]) break;
      at -= t.stride[d] * t.shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
