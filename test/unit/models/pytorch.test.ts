// PyTorch → Keras mapping, checked against the PyTorch equations (RNN-SEMANTICS §3.4) evaluated
// directly on the raw state_dict tensors (before any mapping), to ≤ 1e-6; raw tensors themselves
// checked against the bytes at the storage offsets the fixture README lists.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { readModel, type ModelLayer, type TrainedModel } from '../../../src/models';
import { openLegacyTorch, openTorchZip, type TorchFile } from '../../../src/models/pytorch/container';
import { toStateDict } from '../../../src/models/pytorch/stateDict';
import { openZip } from '../../../src/models/zip';
import { fixtureBytes, fixturesPresent, loadFixture } from './fixtures';
import { kerasForward, maxAbsDiff, reverseTime, seededUniform, torchForward, type Act, type KerasCell, type TorchRaw } from './reference';
import { float32Bytes, float64Bytes, stateDictPickle, torchZip, type FakeTensor } from './torchWriter';

const TOL = 1e-6;
const T = 7;
const noFiles = { read: () => Promise.reject(new Error('no companions')) };

type Mode = TorchRaw['mode'];

function rawFile(name: string, bytes: Uint8Array): TorchFile {
  return bytes[0] === 0x50 ? openTorchZip(openZip(bytes, name), name) : openLegacyTorch(bytes, name);
}

function kerasCell(layer: ModelLayer, dir: 'forward' | 'backward' | null): KerasCell {
  const r = layer.recurrent;
  assert.ok(r !== null, `${layer.name} is unrollable`);
  const w = dir === null ? r.weights : 'forward' in r.weights ? r.weights[dir] : r.weights;
  assert.ok('kernel' in w, `${layer.name} ${dir ?? ''} weights`);
  return {
    cell: r.spec.cell,
    units: r.spec.units,
    kernel: w.kernel,
    recurrentKernel: w.recurrentKernel,
    bias: w.bias,
    activation: r.spec.activation as Act,
    recurrentActivation: r.spec.recurrentActivation as Act,
    resetAfter: r.spec.resetAfter,
  };
}

/**
 * For every `<prefix>.weight_ih_l<k>[_reverse]` of the raw file: the PyTorch equations on the raw
 * tensors vs the Keras equations on our layer's weights, same input, processing order.
 */
function checkAgainstTorch(file: TorchFile, model: TrainedModel, modes: Record<string, Mode>, layerName: (prefix: string, k: number) => string): number {
  const sd = toStateDict(file.root, 'raw');
  let checked = 0;
  for (const key of sd.tensors.keys()) {
    const m = /^(.*?)\.?weight_ih_l(\d+)(_reverse)?$/.exec(key);
    if (!m) continue;
    const [, prefix, kStr, rev] = m;
    const k = Number(kStr);
    const get = (p: string) => {
      const t = sd.tensors.get(`${prefix ? prefix + '.' : ''}${p}_l${k}${rev ?? ''}`);
      return t ? { t, data: file.read(t) } : null;
    };
    const wIh = get('weight_ih');
    const wHh = get('weight_hh');
    assert.ok(wIh && wHh);
    const H = wHh.t.shape[1];
    const D = wIh.t.shape[1];
    const raw: TorchRaw = { mode: modes[prefix], hidden: H, wIh: wIh.data, wHh: wHh.data, bIh: get('bias_ih')?.data ?? null, bHh: get('bias_hh')?.data ?? null };
    const layer = model.layers.find((l) => l.name === layerName(prefix, k));
    assert.ok(layer, `layer for ${key}`);
    const x = seededUniform(31 + k, T * D);
    // The reverse direction reads the input back to front; both sides run in processing order.
    const expected = torchForward(raw, rev ? reverseTime(x, T) : x, T);
    const actual = kerasForward(kerasCell(layer, layer.recurrent?.spec.bidirectional ? (rev ? 'backward' : 'forward') : null), x, T, Boolean(rev));
    const diff = maxAbsDiff(actual, expected);
    assert.ok(diff <= TOL, `${key}: max |keras(mapped) − torch(raw)| = ${diff}`);
    checked++;
  }
  return checked;
}

if (fixturesPresent) {
  const cases: { file: string; modes: Record<string, Mode>; directions: number; name: (p: string, k: number) => string }[] = [
    { file: 'pytorch-lstm-charrnn/lstm_model.pt', modes: { LSTM: 'LSTM' }, directions: 1, name: (p) => p },
    { file: 'pytorch-gru-stock/gru_model.pth', modes: { gru1: 'GRU', gru2: 'GRU' }, directions: 2, name: (p) => p },
    { file: 'pytorch-bilstm-names/bilstm.pt', modes: { rnn: 'LSTM' }, directions: 4, name: (p, k) => `${p}.l${k}` },
    { file: 'pytorch-fullmodule-rnn-audio/rnn.pt', modes: { rnn: 'RNN_TANH' }, directions: 2, name: (p, k) => `${p}.l${k}` },
    { file: 'pytorch-legacy-gru-multilayer/gru.pt', modes: { gru: 'GRU' }, directions: 32, name: (p, k) => `${p}.l${k}` },
  ];
  for (const c of cases) {
    test(`${c.file}: mapped weights reproduce the PyTorch equations on the raw tensors (≤ ${TOL})`, async () => {
      const bytes = fixtureBytes(c.file);
      const model = await loadFixture(c.file);
      const n = checkAgainstTorch(rawFile(c.file, bytes), model, c.modes, c.name);
      assert.equal(n, c.directions, 'layer-directions checked');
    });
  }

  test('charrnn: LSTM tensors are views into one storage at the README offsets (0, 65536, 131072, 131584)', () => {
    const bytes = fixtureBytes('pytorch-lstm-charrnn/lstm_model.pt');
    const file = rawFile('lstm_model.pt', bytes);
    const sd = toStateDict(file.root, 'raw');
    const storage1 = new DataView(unzipSync(bytes)['lstm_model/data/1'].slice().buffer);
    for (const [key, offset, numel] of [
      ['LSTM.weight_ih_l0', 0, 512 * 128],
      ['LSTM.weight_hh_l0', 65536, 512 * 128],
      ['LSTM.bias_ih_l0', 131072, 512],
      ['LSTM.bias_hh_l0', 131584, 512],
    ] as const) {
      const values = file.read(sd.tensors.get(key) as never);
      assert.equal(values.length, numel, key);
      for (const i of [0, 1, numel >> 1, numel - 1]) assert.equal(values[i], storage1.getFloat32((offset + i) * 4, true), `${key}[${i}]`);
    }
  });

  test('legacy gru.pt: the last two storages in the file are linear.weight (256 floats) and linear.bias (8 floats)', () => {
    // README: storages follow the pickles in key-list order, each an int64 count then raw float32;
    // keys 37339168 (linear.weight) and 37339360 (linear.bias) sort last.
    const bytes = fixtureBytes('pytorch-legacy-gru-multilayer/gru.pt');
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const biasAt = bytes.length - 8 * 4;
    const weightAt = biasAt - 8 - 256 * 4;
    assert.equal(dv.getBigInt64(biasAt - 8, true), 8n);
    assert.equal(dv.getBigInt64(weightAt - 8, true), 256n);
    const file = rawFile('gru.pt', bytes);
    const sd = toStateDict(file.root, 'raw');
    const bias = file.read(sd.tensors.get('linear.bias') as never);
    const weight = file.read(sd.tensors.get('linear.weight') as never);
    for (let i = 0; i < 8; i++) assert.equal(bias[i], dv.getFloat32(biasAt + i * 4, true));
    for (let i = 0; i < 256; i++) assert.equal(weight[i], dv.getFloat32(weightAt + i * 4, true));
  });

  test('whole-module pickle: nn.RNN attributes come from the pickle (tanh, batch_first), nothing assumed', async () => {
    const model = await loadFixture('pytorch-fullmodule-rnn-audio/rnn.pt');
    assert.equal(model.format, 'pytorch-module');
    const l0 = model.layers[0].recurrent;
    assert.ok(l0);
    assert.equal(l0.spec.activation, 'tanh');
    assert.equal(l0.flags.batchFirst, true);
    assert.deepEqual(l0.assumptions, []);
  });

  test('GRU and LSTM state_dicts need no assumption (everything comes from the tensors)', async () => {
    for (const f of ['pytorch-gru-stock/gru_model.pth', 'pytorch-bilstm-names/bilstm.pt']) {
      const model = await loadFixture(f);
      for (const l of model.layers) if (l.recurrent) assert.deepEqual(l.recurrent.assumptions, [], `${f} ${l.name}`);
    }
  });
}

// ---- Synthetic files: cases no fixture covers, built with torchWriter (no fixtures needed) ----

function rand(seed: number, n: number): number[] {
  return Array.from(seededUniform(seed, n, -0.5, 0.5));
}

test('synthetic 2-layer bidirectional GRU with a strided (transposed) view: mapping matches the PyTorch equations', async () => {
  const H = 3;
  const D = 2;
  const tensors: FakeTensor[] = [];
  const storages: Record<string, Uint8Array> = {};
  const raw = new Map<string, number[]>();
  let key = 0;
  for (let k = 0; k < 2; k++) {
    for (const rev of ['', '_reverse']) {
      const inDim = k === 0 ? D : 2 * H;
      for (const [p, shape] of [
        ['weight_ih', [3 * H, inDim]],
        ['weight_hh', [3 * H, H]],
        ['bias_ih', [3 * H]],
        ['bias_hh', [3 * H]],
      ] as const) {
        const name = `gru.${p}_l${k}${rev}`;
        const values = rand(key + 1, shape.reduce((a, b) => a * b, 1));
        raw.set(name, values);
        if (p === 'weight_hh' && k === 1 && rev) {
          // Stored transposed: the (3H, H) tensor is a view with strides (1, 3H) over its transpose.
          const transposed: number[] = [];
          for (let c = 0; c < H; c++) for (let r = 0; r < 3 * H; r++) transposed.push(values[r * H + c]);
          storages[String(key)] = float32Bytes(transposed);
          tensors.push({ name, storageKey: String(key), storageNumel: transposed.length, offset: 0, shape: [...shape], stride: [1, 3 * H] });
        } else {
          storages[String(key)] = float64Bytes(values);
          tensors.push({ name, storageKey: String(key), storageType: 'DoubleStorage', storageNumel: values.length, offset: 0, shape: [...shape], stride: shape.length === 2 ? [shape[1], 1] : [1] });
        }
        key++;
      }
    }
  }
  const bytes = torchZip('archive', stateDictPickle(tensors), storages);
  const model = await readModel('gru.pt', bytes, noFiles);
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['gru.l0', 'gru.l1'],
  );
  const n = checkAgainstTorch(rawFile('gru.pt', bytes), model, { gru: 'GRU' }, (p, k) => `${p}.l${k}`);
  assert.equal(n, 4);
  // Spot-check the strided tensor against the values it was built from (float32 rounding).
  const l1 = model.layers[1].recurrent?.weights as { backward: { recurrentKernel: Float64Array } };
  const whh = raw.get('gru.weight_hh_l1_reverse') as number[];
  // Keras block 0 (z) is PyTorch block 1; recurrent_kernel[c, j·H + u] = W_hh[perm(j)·H + u, c].
  assert.ok(Math.abs(l1.backward.recurrentKernel[0 * 3 * H + 0] - whh[(1 * H + 0) * H + 0]) < 1e-7);
  assert.ok(Math.abs(l1.backward.recurrentKernel[2 * 3 * H + H + 1] - whh[(0 * H + 1) * H + 2]) < 1e-7);
});

test('synthetic big-endian archive and bias-free LSTM: values read in the recorded byte order, bias null', async () => {
  const H = 2;
  const D = 3;
  const wIh = rand(5, 4 * H * D);
  const wHh = rand(6, 4 * H * H);
  const bytes = torchZip(
    'm',
    stateDictPickle([
      { name: 'lstm.weight_ih_l0', storageKey: '0', storageNumel: wIh.length, offset: 0, shape: [4 * H, D], stride: [D, 1] },
      { name: 'lstm.weight_hh_l0', storageKey: '1', storageNumel: wHh.length, offset: 0, shape: [4 * H, H], stride: [H, 1] },
    ]),
    { '0': float32Bytes(wIh, false), '1': float32Bytes(wHh, false) },
    'big',
  );
  const model = await readModel('lstm.pth', bytes, noFiles);
  const r = model.layers[0].recurrent;
  assert.ok(r && 'kernel' in r.weights);
  assert.equal(r.spec.useBias, false);
  assert.equal(r.weights.bias, null);
  assert.ok(Math.abs(r.weights.kernel[1 * 4 * H + 0] - wIh[0 * D + 1]) < 1e-7, 'kernel = W_ihᵀ');
  assert.equal(checkAgainstTorch(rawFile('lstm.pth', bytes), model, { lstm: 'LSTM' }, (p) => p), 1);
});

test("synthetic nn.RNN state_dict: tanh is assumed and says so (a state_dict does not store the nonlinearity)", async () => {
  const H = 2;
  const D = 2;
  const w = rand(9, H * D + H * H + 2 * H);
  const bytes = torchZip(
    'r',
    stateDictPickle([
      { name: 'rnn.weight_ih_l0', storageKey: '0', storageNumel: w.length, offset: 0, shape: [H, D], stride: [D, 1] },
      { name: 'rnn.weight_hh_l0', storageKey: '0', storageNumel: w.length, offset: H * D, shape: [H, H], stride: [H, 1] },
      { name: 'rnn.bias_ih_l0', storageKey: '0', storageNumel: w.length, offset: H * D + H * H, shape: [H], stride: [1] },
      { name: 'rnn.bias_hh_l0', storageKey: '0', storageNumel: w.length, offset: H * D + H * H + H, shape: [H], stride: [1] },
    ]),
    { '0': float32Bytes(w) },
  );
  const model = await readModel('rnn.pt', bytes, noFiles);
  const r = model.layers[0].recurrent;
  assert.ok(r && 'kernel' in r.weights);
  assert.equal(model.layers[0].className, 'nn.RNN');
  assert.equal(r.spec.activation, 'tanh');
  assert.match(r.assumptions.join(' '), /nonlinearity is not stored in a state_dict: assumed tanh/);
  assert.ok(r.weights.bias && Math.abs(r.weights.bias[1] - (w[H * D + H * H + 1] + w[H * D + H * H + H + 1])) < 1e-7, 'bias = b_ih + b_hh');
  assert.equal(checkAgainstTorch(rawFile('rnn.pt', bytes), model, { rnn: 'RNN_TANH' }, (p) => p), 1);
});
