// The restricted unpickler: hostile pickles are refused with a message naming what they asked for,
// and the opcodes torch.save (any protocol) writes decode to the right values. No fixtures needed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ModelError, readModel } from '../../../src/models';
import { PickleDict, PickleObject, PickleSet, PickleTuple, StorageRef, unpickle, type PickleValue } from '../../../src/models/pytorch/pickle';
import { PickleBytes, stateDictPickle, torchZip, float32Bytes } from './torchWriter';

const noFiles = { read: () => Promise.reject(new Error('no companions')) };
const noStorage = (): StorageRef => {
  throw new Error('unexpected persistent id');
};

function load(bytes: Uint8Array): PickleValue {
  return unpickle(bytes, 0, { what: 'test.pkl', persistentLoad: noStorage }).value;
}

async function refusal(pickle: Uint8Array): Promise<ModelError> {
  try {
    await readModel('evil.pt', torchZip('evil', pickle, {}), noFiles);
  } catch (e) {
    assert.ok(e instanceof ModelError, `a ModelError, got ${String(e)}`);
    return e;
  }
  assert.fail('the hostile pickle was accepted');
}

test('REDUCE of os.system is refused, naming the global, and nothing runs', async () => {
  const p = new PickleBytes().op(0x80).op(2).global('os', 'system').str('touch /tmp/pwned').op(0x85).op(0x52).op(0x2e).bytes();
  const e = await refusal(p);
  assert.equal(e.kind, 'unsafe-pickle');
  assert.match(e.message, /os\.system/);
  assert.match(e.message, /nothing in the file was run/);
});

test('STACK_GLOBAL builtins.eval (protocol 4 framing, memoize) is refused', async () => {
  const p = new PickleBytes().op(0x80).op(4).op(0x95).raw([0, 0, 0, 0, 0, 0, 0, 0]);
  p.op(0x8c).raw([8]).text('builtins').op(0x94).op(0x8c).raw([4]).text('eval').op(0x94).op(0x93).op(0x94);
  p.op(0x8c).raw([3]).text('1+1').op(0x85).op(0x52).op(0x2e);
  const e = await refusal(p.bytes());
  assert.equal(e.kind, 'unsafe-pickle');
  assert.match(e.message, /builtins\.eval/);
});

test('INST, OBJ and extension-registry opcodes are refused', async () => {
  const inst = new PickleBytes().op(0x28).op(0x53).text("'ls'\n").op(0x69).text('subprocess\ncall\n').op(0x2e).bytes();
  assert.match((await refusal(inst)).message, /subprocess\.call/);
  const obj = new PickleBytes().op(0x80).op(2).op(0x28).global('posix', 'system').str('ls').op(0x6f).op(0x2e).bytes();
  assert.match((await refusal(obj)).message, /posix\.system/);
  const ext = new PickleBytes().op(0x80).op(2).op(0x82).raw([1]).op(0x2e).bytes();
  assert.equal((await refusal(ext)).kind, 'unsafe-pickle');
});

test('a hostile call hidden inside an otherwise valid state_dict is still refused', async () => {
  // OrderedDict whose second value is webbrowser.open('…') instead of a tensor.
  const good = stateDictPickle([{ name: 'w', storageKey: '0', storageNumel: 1, offset: 0, shape: [1], stride: [1] }]);
  const evil = new PickleBytes().raw(good.subarray(0, good.length - 2)).str('x').global('webbrowser', 'open').str('http://x').op(0x85).op(0x52).op(0x75).op(0x2e).bytes();
  const e = await refusal(evil);
  assert.equal(e.kind, 'unsafe-pickle');
  assert.match(e.message, /webbrowser\.open/);
});

test('torch rebuild functions only accept storages and in-range views', async () => {
  const outOfRange = stateDictPickle([{ name: 'w', storageKey: '0', storageNumel: 4, offset: 2, shape: [2, 2], stride: [2, 1] }]);
  try {
    await readModel('x.pt', torchZip('x', outOfRange, { '0': float32Bytes([1, 2, 3, 4]) }), noFiles);
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof ModelError);
    assert.equal(e.kind, 'corrupt');
    assert.match(e.message, /reads past its storage/);
  }
  const notStorage = new PickleBytes().op(0x80).op(2).global('torch._utils', '_rebuild_tensor_v2').op(0x28).str('x').int(0).tuple([1]).tuple([1]).op(0x89).op(0x4e).op(0x74).op(0x52).op(0x2e).bytes();
  assert.throws(() => load(notStorage), /not backed by a storage/);
});

test('NEWOBJ of an unknown class is an inert record (whole-module pickles); it holds no tensors → clear message', async () => {
  const p = new PickleBytes().op(0x80).op(2).global('__main__', 'Net').op(0x29).op(0x81).op(0x7d).str('training').op(0x88).op(0x73).op(0x62).op(0x2e).bytes();
  const v = load(p);
  assert.ok(v instanceof PickleObject);
  assert.equal(v.cls.qualified, '__main__.Net');
  assert.ok(v.state instanceof PickleDict && v.state.map.get('training') === true);
  const e = await refusal(p);
  assert.match(e.message, /whole-module pickle|no tensors/);
});

test('protocol 0–2 values decode exactly: ints, longs, floats, strings, containers, memo', () => {
  // [1, -2, True, 3.5, 'é', (None,), {'k': 2**70}, frozenset()] with PUT/GET and DUP.
  const p = new PickleBytes().op(0x80).op(2).op(0x5d).op(0x71).raw([0]).op(0x28);
  p.op(0x4b).raw([1]); // BININT1 1
  p.op(0x49).text('-2\n'); // INT -2
  p.op(0x49).text('01\n'); // INT 01 = True
  p.op(0x47).raw([0x40, 0x0c, 0, 0, 0, 0, 0, 0]); // BINFLOAT 3.5
  p.op(0x58).raw([2, 0, 0, 0]).raw([0xc3, 0xa9]); // BINUNICODE 'é'
  p.op(0x4e).op(0x85); // (None,)
  p.op(0x7d).op(0x55).raw([1]).text('k').op(0x8a).raw([9]).raw([0, 0, 0, 0, 0, 0, 0, 0, 0x40]).op(0x73); // {'k': 2**70}
  p.op(0x28).op(0x91); // frozenset()
  p.op(0x65); // APPENDS
  p.op(0x68).raw([0]).op(0x32).op(0x30); // BINGET 0, DUP, POP
  p.op(0x86).op(0x2e); // TUPLE2 (list, list) — the same memoized list twice
  const v = load(p.bytes());
  assert.ok(v instanceof PickleTuple);
  const [a, b] = v.items;
  assert.equal(a, b, 'memo returns the same object');
  assert.ok(Array.isArray(a));
  assert.deepEqual(a.slice(0, 5), [1, -2, true, 3.5, 'é']);
  assert.ok(a[5] instanceof PickleTuple && a[5].items[0] === null);
  assert.ok(a[6] instanceof PickleDict && a[6].map.get('k') === 2n ** 70n);
  assert.ok(a[7] instanceof PickleSet && a[7].items.length === 0);
});

test('LONG1 decodes negative and big integers (the legacy torch magic number)', () => {
  const neg = new PickleBytes().op(0x80).op(2).op(0x8a).raw([2, 0x00, 0xff]).op(0x2e).bytes();
  assert.equal(load(neg), -256);
  const magic = new PickleBytes().op(0x80).op(2).op(0x8a).raw([10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]).op(0x2e).bytes();
  assert.equal(load(magic), 0x1950a86a20f9469cfc6cn);
});

test('truncated and garbage pickles give a corrupt-file ModelError, never another exception', () => {
  const good = stateDictPickle([{ name: 'w', storageKey: '0', storageNumel: 1, offset: 0, shape: [1], stride: [1] }]);
  const storage = () => new StorageRef('0', 'FloatStorage', 1);
  for (let cut = 0; cut < good.length; cut++) {
    assert.throws(() => unpickle(good.subarray(0, cut), 0, { what: 't', persistentLoad: storage }), (e: unknown) => e instanceof ModelError && e.message.length > 0, `cut at ${cut}`);
  }
  for (const junk of [[0x80, 2, 0x52, 0x2e], [0x80, 2, 0x74, 0x2e], [0x80, 2, 0xff], [0x80, 2, 0x68, 9, 0x2e], [0x80, 2, 0x73, 0x2e]]) {
    assert.throws(() => load(Uint8Array.from(junk)), (e: unknown) => e instanceof ModelError, JSON.stringify(junk));
  }
});
