// The two torch.save containers: the zip archive (torch ≥ 1.6: `<prefix>/data.pkl` + one member per
// storage under `<prefix>/data/<key>`) and the legacy stream (magic number, protocol, sys_info, the
// object pickle, the storage-key list, then each storage as an int64 count + raw bytes).
import { ModelError } from '../errors';
import type { ZipArchive } from '../zip';
import { PickleDict, PickleGlobal, PickleTuple, StorageRef, unpickle, type PickleValue, type TensorRef } from './pickle';
import { materialize, storageItemSize } from './storage';

/** The unpickled object plus a way to read its tensors. */
export interface TorchFile {
  root: PickleValue;
  legacy: boolean;
  read(t: TensorRef): Float64Array;
}

export function isTorchZip(zip: ZipArchive): boolean {
  return zip.names.some((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
}

/** `('storage', storage_type, key, location, numel)` — the zip format's persistent id. */
function zipPersistentId(pid: PickleValue, what: string): StorageRef {
  const items = pid instanceof PickleTuple ? pid.items : null;
  if (items === null || items[0] !== 'storage' || items.length < 5) throw new ModelError('corrupt', `${what}: a persistent id is not a storage reference`);
  const [, type, key, , numel] = items;
  if (!(type instanceof PickleGlobal) || typeof key !== 'string' || typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0) {
    throw new ModelError('corrupt', `${what}: a storage reference is malformed`);
  }
  return new StorageRef(key, storageTypeName(type, what), numel);
}

/** torch.FloatStorage etc.; torch ≥ 2 may also name the dtype-generic storage classes. */
function storageTypeName(g: PickleGlobal, what: string): string {
  if (g.module === 'torch' && storageItemSize(g.name) !== null) return g.name;
  throw new ModelError('unsupported', `${what}: storage type ${g.qualified} is not read`);
}

export function openTorchZip(zip: ZipArchive, what: string): TorchFile {
  if (zip.names.some((n) => n === 'constants.pkl' || n.endsWith('/constants.pkl') || /(^|\/)code\//.test(n))) {
    throw new ModelError('unsupported', `${what} is a TorchScript archive (torch.jit.save); save the weights with torch.save(model.state_dict(), path) instead`);
  }
  const pkl = zip.names.filter((n) => n === 'data.pkl' || n.endsWith('/data.pkl')).sort((a, b) => a.length - b.length)[0];
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = zip.get(`${prefix}byteorder`);
  const littleEndian = order === null || new TextDecoder().decode(order).trim() !== 'big';
  const data = zip.get(pkl);
  if (data === null) throw new ModelError('corrupt', `${what}: data.pkl is missing`);
  const { value } = unpickle(data, 0, { what, persistentLoad: (pid) => zipPersistentId(pid, what) });
  const storages = new Map<string, Uint8Array>();
  return {
    root: value,
    legacy: false,
    read(t: TensorRef): Float64Array {
      let bytes = storages.get(t.storage.key);
      if (bytes === undefined) {
        const member = zip.get(`${prefix}data/${t.storage.key}`);
        if (member === null) throw new ModelError('corrupt', `${what}: storage ${t.storage.key} is missing from the archive`);
        bytes = member;
        storages.set(t.storage.key, bytes);
      }
      return materialize(t, bytes, littleEndian, what);
    },
  };
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** A legacy stream starts with the pickled magic number (PROTO 2, LONG1 of 10 bytes). */
export function isLegacyTorch(bytes: Uint8Array): boolean {
  if (bytes.length < 15 || bytes[0] !== 0x80 || bytes[2] !== 0x8a || bytes[3] !== 10) return false;
  let v = 0n;
  for (let i = 13; i >= 4; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v === LEGACY_MAGIC;
}

/** `('storage', storage_type, root_key, location, size, view_metadata)` in the legacy format. */
function legacyPersistentId(pid: PickleValue, what: string, types: Map<string, string>): StorageRef {
  const items = pid instanceof PickleTuple ? pid.items : null;
  if (items === null || items[0] !== 'storage' || items.length < 6) throw new ModelError('corrupt', `${what}: a persistent id is not a storage reference`);
  const [, type, key, , size, view] = items;
  if (!(type instanceof PickleGlobal) || typeof key !== 'string' || typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new ModelError('corrupt', `${what}: a storage reference is malformed`);
  }
  const typeName = storageTypeName(type, what);
  types.set(key, typeName);
  if (view instanceof PickleTuple) {
    const [, offset, viewSize] = view.items;
    if (typeof offset !== 'number' || typeof viewSize !== 'number' || offset < 0 || viewSize < 0 || offset + viewSize > size) {
      throw new ModelError('corrupt', `${what}: a storage view is malformed`);
    }
    return new StorageRef(key, typeName, viewSize, offset);
  }
  return new StorageRef(key, typeName, size);
}

export function openLegacyTorch(bytes: Uint8Array, what: string): TorchFile {
  const noLoad = (): StorageRef => {
    throw new ModelError('corrupt', `${what}: unexpected storage reference in the header`);
  };
  let p = unpickle(bytes, 0, { what, persistentLoad: noLoad }).end; // magic number
  const proto = unpickle(bytes, p, { what, persistentLoad: noLoad });
  if (proto.value !== 1001) throw new ModelError('unsupported', `${what}: legacy torch.save protocol ${String(proto.value)} is not read`);
  const sys = unpickle(bytes, proto.end, { what, persistentLoad: noLoad });
  let littleEndian = true;
  if (sys.value instanceof PickleDict && sys.value.map.get('little_endian') === false) littleEndian = false;
  const types = new Map<string, string>();
  const main = unpickle(bytes, sys.end, { what, persistentLoad: (pid) => legacyPersistentId(pid, what, types) });
  const keysPickle = unpickle(bytes, main.end, { what, persistentLoad: noLoad });
  const keys = Array.isArray(keysPickle.value) ? keysPickle.value : null;
  if (keys === null || !keys.every((k) => typeof k === 'string')) throw new ModelError('corrupt', `${what}: the storage key list is unreadable`);
  p = keysPickle.end;
  const storages = new Map<string, Uint8Array>();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys as string[]) {
    const type = types.get(key);
    const size = type === undefined ? null : storageItemSize(type);
    if (size === null) throw new ModelError('corrupt', `${what}: storage ${key} has no known type`);
    if (p + 8 > bytes.length) throw new ModelError('corrupt', `${what}: the file ends before storage ${key} (truncated file)`);
    const count = dv.getBigInt64(p, littleEndian);
    if (count < 0n || count * BigInt(size) > BigInt(bytes.length - p - 8)) throw new ModelError('corrupt', `${what}: storage ${key} runs past the end of the file (truncated file)`);
    const n = Number(count) * size;
    storages.set(key, bytes.subarray(p + 8, p + 8 + n));
    p += 8 + n;
  }
  return {
    root: main.value,
    legacy: true,
    read(t: TensorRef): Float64Array {
      const data = storages.get(t.storage.key);
      if (data === undefined) throw new ModelError('corrupt', `${what}: storage ${t.storage.key} is not in the file`);
      return materialize(t, data, littleEndian, what);
    },
  };
}
