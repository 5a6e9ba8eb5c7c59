// Zip containers (.keras, PyTorch .pt/.pth) through fflate, plus a CRC-32 check of each member
// against the central directory: PyTorch and Keras store members uncompressed, so without it a
// flipped byte inside a tensor would load silently as a different weight.
import { unzipSync } from 'fflate';
import { asModelError, ModelError } from './errors';

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

export interface ZipArchive {
  names: string[];
  /** A member's bytes, CRC-checked; null when there is no such member. */
  get(name: string): Uint8Array | null;
}

export function openZip(bytes: Uint8Array, what: string): ZipArchive {
  const crcs = centralDirectoryCrcs(bytes);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      // A damaged size field must not make us allocate gigabytes.
      filter: (f) => {
        if (f.originalSize > Math.max(bytes.length * 64, 1 << 20) || f.originalSize > 2 ** 31) {
          throw new ModelError('corrupt', `${what}: member ${f.name} claims ${f.originalSize} bytes`);
        }
        if (f.compression !== 0 && f.compression !== 8) {
          throw new ModelError('unsupported', `${what}: member ${f.name} uses zip compression method ${f.compression}`);
        }
        return true;
      },
    });
  } catch (e) {
    throw asModelError(what, e);
  }
  const checked = new Set<string>();
  return {
    names: Object.keys(files),
    get(name: string): Uint8Array | null {
      const data = files[name];
      if (data === undefined) return null;
      const expected = crcs?.get(name);
      if (expected !== undefined && !checked.has(name)) {
        if (crc32(data) !== expected) throw new ModelError('corrupt', `${what}: member ${name} fails its CRC check (the file is damaged)`);
        checked.add(name);
      }
      return data;
    },
  };
}

/** name → CRC-32 from the central directory; null when it cannot be read (ZIP64 or damage: fflate decides). */
function centralDirectoryCrcs(b: Uint8Array): Map<string, number> | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || p === 0xffffffff) return null;
  const out = new Map<string, number>();
  const utf8 = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || dv.getUint32(p, true) !== 0x02014b50) return null;
    const crc = dv.getUint32(p + 16, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    if (p + 46 + nameLen > b.length) return null;
    out.set(utf8.decode(b.subarray(p + 46, p + 46 + nameLen)), crc);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

let table: Uint32Array | null = null;

export function crc32(data: Uint8Array): number {
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
