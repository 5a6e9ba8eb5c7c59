// A restricted pickle reader for torch.save files. It interprets the pickle opcodes as data and
// never calls anything named in the file: GLOBAL only yields a symbol; REDUCE is honoured solely for
// the reconstructions a state_dict needs (OrderedDict, set, torch's tensor/parameter rebuilds),
// which are implemented here as plain data; NEWOBJ/BUILD of any other class (the nn.Module objects
// of a whole-module pickle) make an inert record holding its state. Any other use of a global —
// calling os.system, eval, numpy, … — is refused with a message naming it.
import { ModelError } from '../errors';

export type PickleKey = string | number | boolean | bigint | null;

export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

export class PickleDict {
  readonly map = new Map<PickleKey, PickleValue>();
  /** BUILD state set on an OrderedDict (a state_dict's `_metadata`); kept, never interpreted. */
  state: PickleValue = null;
}

export class PickleSet {
  constructor(readonly items: PickleValue[]) {}
}

/** A `module.name` symbol from GLOBAL / STACK_GLOBAL. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance made by NEWOBJ: its class symbol and the state BUILD gave it. Nothing ran. */
export class PickleObject {
  state: PickleValue = null;
  constructor(
    readonly cls: PickleGlobal,
    readonly args: PickleValue[],
  ) {}
}

/** What persistent_load returns: a storage handle the container knows how to read. */
export class StorageRef {
  constructor(
    readonly key: string,
    /** `FloatStorage`, `DoubleStorage`, `HalfStorage`, … */
    readonly type: string,
    readonly numel: number,
    /** Legacy format views: element offset of this view inside the root storage. */
    readonly viewOffset = 0,
  ) {}
}

export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | PickleDict
  | PickleSet
  | PickleGlobal
  | PickleObject
  | StorageRef
  | TensorRef;

export interface UnpickleOptions {
  /** Names the file in messages. */
  what: string;
  /** Turns a persistent id (torch's storage tuple) into a storage. */
  persistentLoad(pid: PickleValue): StorageRef;
}

const MARK = Symbol('mark');
type Slot = PickleValue | typeof MARK;

/** Reconstructions a state_dict needs, implemented as data (never by calling into the file). */
const REDUCERS: Record<string, (args: PickleValue[], what: string) => PickleValue> = {
  'collections.OrderedDict': (args, what) => {
    const d = new PickleDict();
    const items = args[0];
    if (items === undefined) return d;
    const list = Array.isArray(items) ? items : items instanceof PickleTuple ? items.items : null;
    if (list === null) throw corrupt(what, 'OrderedDict built from something other than a list of pairs');
    for (const pair of list) {
      const kv = pair instanceof PickleTuple ? pair.items : Array.isArray(pair) ? pair : null;
      if (kv === null || kv.length !== 2) throw corrupt(what, 'OrderedDict item is not a pair');
      d.map.set(asKey(kv[0], what), kv[1]);
    }
    return d;
  },
  'builtins.set': (args) => new PickleSet(seq(args[0])),
  '__builtin__.set': (args) => new PickleSet(seq(args[0])),
  'builtins.frozenset': (args) => new PickleSet(seq(args[0])),
  'torch.Size': (args) => new PickleTuple(seq(args[0])),
  'torch._utils._rebuild_tensor': (args, what) => rebuildTensor(args, what),
  'torch._utils._rebuild_tensor_v2': (args, what) => rebuildTensor(args, what),
  // Parameters wrap a tensor; requires_grad and hooks do not matter for reading values.
  'torch._utils._rebuild_parameter': (args, what) => tensorArg(args[0], what),
  'torch._utils._rebuild_parameter_with_state': (args, what) => tensorArg(args[0], what),
};

function seq(v: PickleValue | undefined): PickleValue[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (v instanceof PickleTuple || v instanceof PickleSet) return v.items;
  return [];
}

function tensorArg(v: PickleValue | undefined, what: string): TensorRef {
  if (!(v instanceof TensorRef)) throw corrupt(what, 'a parameter does not wrap a tensor');
  return v;
}

function intList(v: PickleValue | undefined, what: string, field: string): number[] {
  const items = v instanceof PickleTuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null || !items.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) throw corrupt(what, `tensor ${field} is not a tuple of integers`);
  return items as number[];
}

function rebuildTensor(args: PickleValue[], what: string): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) throw corrupt(what, 'a tensor is not backed by a storage');
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw corrupt(what, 'tensor storage offset is not an integer');
  const shape = intList(size, what, 'size');
  const strides = intList(stride, what, 'stride');
  if (strides.length !== shape.length) throw corrupt(what, 'tensor size and stride differ in length');
  // The last element a view touches must lie inside its storage.
  let last = offset;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return new TensorRef(storage, offset, shape, strides);
    last += (shape[i] - 1) * strides[i];
  }
  if (last >= storage.numel) throw corrupt(what, `a tensor reads past its storage (${last} ≥ ${storage.numel})`);
  return new TensorRef(storage, offset, shape, strides);
}

function corrupt(what: string, detail: string): ModelError {
  return new ModelError('corrupt', `${what}: the pickle is damaged (${detail})`);
}

function asKey(v: PickleValue, what: string): PickleKey {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  throw corrupt(what, 'a dict key is not a string or number');
}

/** Reads one pickle starting at `start`; returns its value and the offset after its STOP. */
export function unpickle(bytes: Uint8Array, start: number, opts: UnpickleOptions): { value: PickleValue; end: number } {
  const { what } = opts;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let p = start;

  const need = (n: number): number => {
    if (n < 0 || p + n > bytes.length) throw new ModelError('corrupt', `${what}: the pickle ends early (truncated file)`);
    const at = p;
    p += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => dv.getUint16(need(2), true);
  const u32 = () => dv.getUint32(need(4), true);
  const i32 = () => dv.getInt32(need(4), true);
  const u64 = () => {
    const at = need(8);
    const v = dv.getBigUint64(at, true);
    if (v > BigInt(bytes.length)) throw corrupt(what, 'a length field exceeds the file');
    return Number(v);
  };
  const take = (n: number) => {
    const at = need(n);
    return bytes.subarray(at, at + n);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new ModelError('corrupt', `${what}: the pickle ends early (truncated file)`);
    const s = latin1.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw corrupt(what, 'stack underflow');
    return v;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw corrupt(what, 'stack underflow');
    return v;
  };
  const popMark = (): PickleValue[] => {
    const m = marks.pop();
    if (m === undefined || m > stack.length) throw corrupt(what, 'no MARK');
    const items = stack.splice(m);
    if (items.shift() !== MARK) throw corrupt(what, 'MARK misplaced');
    if (items.some((x) => x === MARK)) throw corrupt(what, 'MARK misplaced');
    return items as PickleValue[];
  };
  const push = (v: PickleValue) => stack.push(v);
  const mark = () => {
    marks.push(stack.length);
    stack.push(MARK);
  };
  const memoGet = (k: number) => {
    if (!memo.has(k)) throw corrupt(what, `memo ${k} is not set`);
    return memo.get(k) as PickleValue;
  };
  const refuse = (g: PickleGlobal | string): ModelError =>
    new ModelError(
      'unsafe-pickle',
      `${what}: the pickle asks to call ${typeof g === 'string' ? g : g.qualified}, which is not a tensor or a container; refusing to read it (nothing in the file was run)`,
    );
  const setItems = (d: PickleValue, items: PickleValue[]) => {
    if (!(d instanceof PickleDict)) throw corrupt(what, 'SETITEM on a non-dict');
    if (items.length % 2 !== 0) throw corrupt(what, 'odd number of dict items');
    for (let i = 0; i < items.length; i += 2) d.map.set(asKey(items[i], what), items[i + 1]);
  };
  const appendItems = (l: PickleValue, items: PickleValue[]) => {
    if (Array.isArray(l)) l.push(...items);
    else if (l instanceof PickleSet) l.items.push(...items);
    else throw corrupt(what, 'APPEND on a non-list');
  };
  const intFromBytes = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const textInt = (s: string): number | bigint | boolean => {
    const t = s.replace(/L$/, '');
    if (t === '00') return false;
    if (t === '01') return true;
    if (!/^[-+]?\d+$/.test(t)) throw corrupt(what, 'bad INT');
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const global = (module: string, name: string) => push(new PickleGlobal(module, name));

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return { value: pop(), end: p };
      case 0x28: // MARK
        mark();
        break;
      case 0x30: // POP
        if (stack.length > 0 && stack[stack.length - 1] === MARK) {
          stack.pop();
          marks.pop();
        } else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        push(i32());
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x8a: // LONG1
        push(intFromBytes(take(u8())));
        break;
      case 0x8b: // LONG4
        push(intFromBytes(take(i32())));
        break;
      case 0x49: // INT
        push(textInt(line()));
        break;
      case 0x4c: // LONG
        push(textInt(line()));
        break;
      case 0x46: // FLOAT
        push(Number.parseFloat(line()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        push(dv.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        push(utf8.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(utf8.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        push(utf8.decode(take(u64())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape; \uXXXX escapes)
        push(line().replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        push(latin1.decode(take(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        push(latin1.decode(take(u8())));
        break;
      case 0x53: {
        // STRING: a quoted repr
        const s = line();
        const q = s[0];
        if ((q !== "'" && q !== '"') || s[s.length - 1] !== q) throw corrupt(what, 'bad STRING');
        push(s.slice(1, -1));
        break;
      }
      case 0x42: // BINBYTES
        push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(take(u64()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        push(new PickleTuple([]));
        break;
      case 0x85: // TUPLE1
        push(new PickleTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(new PickleTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(new PickleTuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        push(new PickleTuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new PickleDict());
        break;
      case 0x64: {
        // DICT
        const d = new PickleDict();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x8f: // EMPTY_SET
        push(new PickleSet([]));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x91: // FROZENSET
        push(new PickleSet(popMark()));
        break;
      case 0x70: // PUT
        memo.set(Number(textInt(line())), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
        push(memoGet(Number(textInt(line()))));
        break;
      case 0x68: // BINGET
        push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(memoGet(u32()));
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        global(module, line());
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw corrupt(what, 'STACK_GLOBAL needs two strings');
        global(module, name);
        break;
      }
      case 0x51: // BINPERSID
        push(opts.persistentLoad(pop()));
        break;
      case 0x50: // PERSID (text id)
        push(opts.persistentLoad(line()));
        break;
      case 0x52: {
        // REDUCE: only our own data reconstructions; anything else would be a call.
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PickleGlobal)) throw corrupt(what, 'REDUCE on a non-global');
        const reducer = REDUCERS[fn.qualified];
        if (reducer === undefined) throw refuse(fn);
        if (!(args instanceof PickleTuple)) throw corrupt(what, 'REDUCE arguments are not a tuple');
        push(reducer(args.items, what));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args) in Python; here an inert record.
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PickleGlobal)) throw corrupt(what, 'NEWOBJ on a non-class');
        if (cls.qualified in REDUCERS) throw refuse(cls);
        push(new PickleObject(cls, args instanceof PickleTuple ? args.items : []));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop();
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PickleGlobal)) throw corrupt(what, 'NEWOBJ_EX on a non-class');
        if (cls.qualified in REDUCERS) throw refuse(cls);
        push(new PickleObject(cls, args instanceof PickleTuple ? args.items : []));
        break;
      }
      case 0x62: {
        // BUILD: Python would call __setstate__ or update __dict__; we only keep the state.
        const state = pop();
        const obj = top();
        if (obj instanceof PickleObject || obj instanceof PickleDict) obj.state = state;
        else if (obj instanceof TensorRef) {
          // Tensor subclasses may carry a state; values are what we read.
        } else throw corrupt(what, 'BUILD on a value that has no state');
        break;
      }
      case 0x69: {
        // INST: calls the class in Python — refused.
        const module = line();
        throw refuse(`${module}.${line()}`);
      }
      case 0x6f: {
        // OBJ: calls the class on the stack — refused.
        const items = popMark();
        const cls = items[0];
        throw refuse(cls instanceof PickleGlobal ? cls : 'an object constructor');
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw refuse('a copyreg extension code');
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw new ModelError('unsupported', `${what}: the pickle uses out-of-band buffers, which torch.save never writes`);
      default:
        throw corrupt(what, `unknown opcode 0x${op.toString(16)} at byte ${p - 1}`);
    }
  }
}
