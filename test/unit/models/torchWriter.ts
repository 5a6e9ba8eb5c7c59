// A tiny torch.save writer for tests: a protocol-2 pickle of an OrderedDict of tensors (the layout
// torch writes, see the fixtures' data.pkl) and the zip container around it, so PyTorch cases that
// no fixture covers (strided views, float64/float16, big-endian, hostile pickles) can be built here.
import { zipSync } from 'fflate';

export interface FakeTensor {
  name: string;
  storageKey: string;
  storageType?: 'FloatStorage' | 'DoubleStorage' | 'HalfStorage';
  storageNumel: number;
  offset: number;
  shape: number[];
  stride: number[];
}

export class PickleBytes {
  private readonly parts: number[] = [];
  op(code: number): this {
    this.parts.push(code);
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]);
    return this;
  }
  text(s: string): this {
    return this.raw(new TextEncoder().encode(s));
  }
  global(module: string, name: string): this {
    return this.op(0x63).text(`${module}\n${name}\n`);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(0x58).raw([b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24]).raw(b);
  }
  int(n: number): this {
    return this.op(0x4a).raw([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]);
  }
  tuple(ints: number[]): this {
    this.op(0x28);
    for (const n of ints) this.int(n);
    return this.op(0x74);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** `torch.save(OrderedDict(tensors))` pickle, protocol 2, as torch ≥ 1.6 writes it into data.pkl. */
export function stateDictPickle(tensors: FakeTensor[]): Uint8Array {
  const p = new PickleBytes().op(0x80).op(2);
  p.global('collections', 'OrderedDict').op(0x29).op(0x52).op(0x28);
  for (const t of tensors) {
    p.str(t.name).global('torch._utils', '_rebuild_tensor_v2').op(0x28);
    p.op(0x28).str('storage').global('torch', t.storageType ?? 'FloatStorage').str(t.storageKey).str('cpu').int(t.storageNumel).op(0x74).op(0x51);
    p.int(t.offset).tuple(t.shape).tuple(t.stride).op(0x89);
    p.global('collections', 'OrderedDict').op(0x29).op(0x52);
    p.op(0x74).op(0x52);
  }
  return p.op(0x75).op(0x2e).bytes();
}

export function torchZip(prefix: string, pickle: Uint8Array, storages: Record<string, Uint8Array>, byteorder?: 'little' | 'big'): Uint8Array {
  const files: Record<string, Uint8Array> = { [`${prefix}/data.pkl`]: pickle };
  if (byteorder) files[`${prefix}/byteorder`] = new TextEncoder().encode(byteorder);
  for (const [k, v] of Object.entries(storages)) files[`${prefix}/data/${k}`] = v;
  files[`${prefix}/version`] = new TextEncoder().encode('3\n');
  return zipSync(files, { level: 0 });
}

export function float32Bytes(values: ArrayLike<number>, littleEndian = true): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i], littleEndian);
  return out;
}

export function float64Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}
