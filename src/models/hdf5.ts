// A narrow, fail-safe view of an HDF5 file through jsfive (pure JS; chosen over h5wasm, see
// src/models/README.md): groups, attributes as plain values, float datasets as Float64Array.
// Every call into jsfive is wrapped, because on damaged bytes it throws strings, RangeErrors and
// TypeErrors alike; all of them become one ModelError naming the file.
import * as jsfive from 'jsfive';
import { asModelError, ModelError } from './errors';

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 allows a user block before the superblock: the signature sits at 0, 512, 1024, 2048, … */
function signatureAt(bytes: Uint8Array): number {
  for (let at = 0; at + 8 <= bytes.length && at <= 1 << 16; at = at === 0 ? 512 : at * 2) {
    if (HDF5_MAGIC.every((b, i) => bytes[at + i] === b)) return at;
  }
  return -1;
}

export function isHdf5(bytes: Uint8Array): boolean {
  return signatureAt(bytes) >= 0;
}

/**
 * The superblock records the file's end address. A truncated file can still parse when the cut
 * only removed data we never read (optimizer state sits last in Keras files), so check it first.
 */
function checkLength(bytes: Uint8Array, at: number, what: string): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (at + 16 > bytes.length) throw new ModelError('corrupt', `${what} is truncated (the HDF5 superblock is incomplete)`);
  const version = bytes[at + 8];
  let sizeOfOffsets: number;
  let eofField: number;
  if (version === 0 || version === 1) {
    sizeOfOffsets = bytes[at + 13];
    eofField = at + 24 + (version === 1 ? 4 : 0) + 2 * sizeOfOffsets;
  } else if (version === 2 || version === 3) {
    sizeOfOffsets = bytes[at + 9];
    eofField = at + 12 + 2 * sizeOfOffsets;
  } else {
    throw new ModelError('corrupt', `${what}: unknown HDF5 superblock version ${version} (damaged file?)`);
  }
  if (sizeOfOffsets !== 8 && sizeOfOffsets !== 4) throw new ModelError('corrupt', `${what}: the HDF5 superblock is damaged (offset size ${sizeOfOffsets})`);
  if (eofField + sizeOfOffsets > bytes.length) throw new ModelError('corrupt', `${what} is truncated (the HDF5 superblock is incomplete)`);
  // Relative to the base address, which is 0 unless there is a user block: the smaller reading is enough.
  const end = sizeOfOffsets === 8 ? Number(dv.getBigUint64(eofField, true)) : dv.getUint32(eofField, true);
  if (end > bytes.length) throw new ModelError('corrupt', `${what} is truncated: ${bytes.length} of ${end} bytes`);
}

export interface H5Dataset {
  readonly kind: 'dataset';
  readonly path: string;
  readonly shape: number[];
  /** Reads a floating-point dataset (f2/f4/f8, either byte order) as float64, row-major. */
  read(): Float64Array;
}

export interface H5Group {
  readonly kind: 'group';
  readonly path: string;
  keys(): string[];
  /** Attribute values: strings (NUL padding removed), numbers, arrays of those; null if absent. */
  attr(name: string): unknown;
  /** A child by relative path (`a/b/c`), or null when it does not exist. */
  get(relPath: string): H5Group | H5Dataset | null;
}

/**
 * jsfive reports unsupported attribute types with console.warn (and one code path with
 * console.log), printing raw file bytes; on a damaged file that floods the extension host log.
 * Its calls are synchronous, so muting the console for their duration cannot hide anyone else's.
 */
function quiet<T>(fn: () => T): T {
  const { warn, log } = console;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    return fn();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/** Opens HDF5 bytes; `what` names the file in error messages. */
export function openHdf5(bytes: Uint8Array, what: string): H5Group {
  const at = signatureAt(bytes);
  if (at < 0) throw new ModelError('not-a-model', `${what} is not an HDF5 file (no HDF5 signature)`);
  checkLength(bytes, at, what);
  const buffer = new BoundedBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  const call = <T>(fn: () => T): T => {
    try {
      return quiet(fn);
    } catch (e) {
      throw asModelError(what, e);
    }
  };
  const file = call(() => new jsfive.File(buffer, what));
  return wrapGroup(file, '/', call, bytes.byteLength, what);
}

/**
 * jsfive reads strings with `buffer.slice(start, end)`, which silently returns fewer bytes past the
 * end; a damaged element count then spins through millions of empty reads (seconds, or an
 * out-of-memory abort). Slicing past the end of the file is always damage, so make it throw.
 */
class BoundedBuffer extends ArrayBuffer {
  override slice(begin?: number, end?: number): ArrayBuffer {
    if ((end !== undefined && end > this.byteLength) || (begin !== undefined && begin > this.byteLength)) {
      throw new RangeError('read past the end of the file');
    }
    return super.slice(begin, end);
  }
}

type Call = <T>(fn: () => T) => T;

function wrapGroup(g: jsfive.Group, path: string, call: Call, fileSize: number, what: string): H5Group {
  let attrs: Record<string, unknown> | null = null;
  return {
    kind: 'group',
    path,
    keys: () => call(() => [...g.keys]),
    attr(name: string): unknown {
      attrs ??= call(() => g.attrs);
      return name in attrs ? cleanAttr(attrs[name]) : null;
    },
    get(relPath: string): H5Group | H5Dataset | null {
      const parts = relPath.split('/').filter((p) => p !== '');
      let cur: jsfive.Group = g;
      let curPath = path;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        const has = call(() => cur.keys.includes(part));
        if (!has) return null;
        const child = call(() => cur.get(part));
        curPath = curPath === '/' ? '/' + part : curPath + '/' + part;
        if (child instanceof jsfive.Group) {
          cur = child;
          continue;
        }
        if (child instanceof jsfive.Dataset && i === parts.length - 1) return wrapDataset(child, curPath, call, fileSize, what);
        return null;
      }
      return wrapGroup(cur, curPath, call, fileSize, what);
    },
  };
}

function wrapDataset(d: jsfive.Dataset, path: string, call: Call, fileSize: number, what: string): H5Dataset {
  const rawShape = call(() => d.shape);
  if (!Array.isArray(rawShape) || !rawShape.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    throw new ModelError('corrupt', `${what}: dataset ${path} has an unreadable shape`);
  }
  const shape = rawShape as number[];
  return {
    kind: 'dataset',
    path,
    shape,
    read(): Float64Array {
      const dtype = call(() => d.dtype);
      const m = typeof dtype === 'string' ? /^[<>=|]?f([248])$/.exec(dtype) : null;
      if (!m) throw new ModelError('unsupported', `${what}: dataset ${path} is not floating point (dtype ${describeDtype(dtype)})`);
      const count = shape.reduce((a, b) => a * b, 1);
      // Keras writes weights uncompressed, so a dataset cannot hold more bytes than the file; a
      // damaged shape would otherwise make jsfive allocate a huge array before failing.
      if (count * Number(m[1]) > fileSize * 64 || count > 1 << 28) {
        throw new ModelError('corrupt', `${what}: dataset ${path} claims ${count} elements, more than the file can hold`);
      }
      const v = call(() => d.value);
      if (!Array.isArray(v) || v.length !== count) throw new ModelError('corrupt', `${what}: dataset ${path} has ${Array.isArray(v) ? v.length : 0} values, shape says ${count}`);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'number') throw new ModelError('corrupt', `${what}: dataset ${path} holds a non-number`);
        out[i] = x;
      }
      return out;
    },
  };
}

function describeDtype(d: unknown): string {
  return typeof d === 'string' ? d : Array.isArray(d) ? String(d[0]) : typeof d;
}

/** h5py stores Keras names as fixed-length byte strings padded with NULs, or as variable-length str. */
function cleanAttr(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/\0+$/, '');
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(cleanAttr);
  return v;
}
