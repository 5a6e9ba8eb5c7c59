// Damaged copies of each format (truncated at several points, bytes flipped with a seeded RNG) never
// crash the reader: each either still loads a consistent model (a flip inside float data of an
// HDF5 / TF.js file is undetectable) or fails with a one-line ModelError. Also the typed messages for
// files that are not models at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError, readModel, type FileSource, type TrainedModel } from '../../../src/models';
import { fixtureBytes, fixturePath, fixturesPresent } from './fixtures';

const CASES = [
  'keras21-h5-traffic-gru-lstm/gru.h5',
  'keras3-h5-gru-battery/gru_model.h5',
  'keras3-mlpasut-gru-bilstm/model_gru.keras',
  'keras21-json-weights-music-gru/model_gru.json',
  'tfjs-foulshot-k26/simple_rnn/model.json',
  'tfjs-lstm-textgen-legacy/model.json',
  'pytorch-gru-stock/gru_model.pth',
  'pytorch-fullmodule-rnn-audio/rnn.pt',
  'pytorch-legacy-gru-multilayer/gru.pt',
];
const TRUNCATIONS = 8;
const FLIPS = 14;

/** xorshift32: the same damaged copies on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Flips 1–8 bits, mostly in the first and last 4 KB where headers, configs and zip directories live. */
function flip(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = bytes.slice();
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const where = r();
    const span = Math.min(4096, out.length);
    const pos = where < 0.4 ? Math.floor(r() * span) : where < 0.7 ? out.length - 1 - Math.floor(r() * span) : Math.floor(r() * out.length);
    out[pos] ^= 1 << Math.floor(r() * 8);
  }
  return out;
}

function consistent(model: TrainedModel, label: string): void {
  for (const l of model.layers) {
    const r = l.recurrent;
    if (!r) continue;
    const g = { simple_rnn: 1, lstm: 4, gru: 3 }[r.spec.cell];
    const { units: H, inputDim: D } = r.spec;
    for (const w of 'forward' in r.weights ? [r.weights.forward, r.weights.backward] : [r.weights]) {
      assert.equal(w.kernel.length, D * g * H, `${label}: kernel size`);
      assert.equal(w.recurrentKernel.length, H * g * H, `${label}: recurrent kernel size`);
      for (const a of [w.kernel, w.recurrentKernel, w.bias ?? new Float64Array()]) assert.ok(a.every(Number.isFinite), `${label}: finite weights`);
    }
  }
}

async function expectSafe(name: string, bytes: Uint8Array, source: FileSource, label: string): Promise<'loaded' | 'refused'> {
  try {
    consistent(await readModel(name, bytes, source), label);
    return 'loaded';
  } catch (e) {
    if (!(e instanceof ModelError)) throw new assert.AssertionError({ message: `${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a ModelError` });
    assert.ok(e.message.length > 10 && !e.message.includes('\n'), `${label}: one-line message, got ${JSON.stringify(e.message)}`);
    return 'refused';
  }
}

function folderSource(rel: string, override?: { name: string; bytes: Uint8Array }): FileSource {
  const dir = dirname(fixturePath(rel));
  return {
    read: async (p) => (override && p === override.name ? override.bytes : new Uint8Array(readFileSync(join(dir, p)))),
  };
}

if (fixturesPresent) {
  for (const rel of CASES) {
    test(`damaged copies of ${rel} load consistently or fail with a ModelError`, async () => {
      const name = rel.split('/').pop() as string;
      const bytes = fixtureBytes(rel);
      const source = folderSource(rel);
      const tally = { loaded: 0, refused: 0 };
      for (let i = 0; i < TRUNCATIONS; i++) {
        const cut = Math.floor((bytes.length * (i + 0.5)) / TRUNCATIONS);
        const outcome = await expectSafe(name, bytes.subarray(0, cut), source, `${rel} cut at ${cut}`);
        tally[outcome]++;
      }
      const r = rng(rel.length * 7919 + bytes.length);
      for (let i = 0; i < FLIPS; i++) tally[await expectSafe(name, flip(bytes, r), source, `${rel} flip #${i}`)]++;
      // Truncated JSON, HDF5, zip and pickle streams are all detectable.
      assert.ok(tally.refused >= TRUNCATIONS, `every truncation refused (${JSON.stringify(tally)})`);
    });
  }

  test('damaged TF.js shards and a damaged companion JSON are reported, not crashed on', async () => {
    const shardRel = 'tfjs-foulshot-k26/simple_rnn/group1-shard1of1.bin';
    const shard = fixtureBytes(shardRel);
    const json = fixtureBytes('tfjs-foulshot-k26/simple_rnn/model.json');
    for (const cut of [0, 1000, shard.length - 4]) {
      const source = folderSource('tfjs-foulshot-k26/simple_rnn/model.json', { name: 'group1-shard1of1.bin', bytes: shard.subarray(0, cut) });
      await assert.rejects(readModel('model.json', json, source), (e: unknown) => e instanceof ModelError && /shards hold \d+ bytes/.test(e.message));
    }
    const arch = fixtureBytes('keras21-json-weights-music-gru/model_gru.json');
    const weights = fixtureBytes('keras21-json-weights-music-gru/model_gru.h5');
    for (const cut of [10, 2000, arch.length - 3]) {
      const source = folderSource('keras21-json-weights-music-gru/model_gru.h5', { name: 'model_gru.json', bytes: arch.subarray(0, cut) });
      assert.equal(await expectSafe('model_gru.h5', weights, source, `architecture cut at ${cut}`), 'refused');
    }
  });

  test('missing companions name the file to put next to the model', async () => {
    const none: FileSource = { read: () => Promise.reject(new Error('ENOENT')) };
    await assert.rejects(readModel('model.json', fixtureBytes('tfjs-lstm-textgen-legacy/model.json'), none), (e: unknown) => e instanceof ModelError && e.kind === 'missing-file' && /group1-shard1of1/.test(e.message));
    await assert.rejects(readModel('model_gru.h5', fixtureBytes('keras21-json-weights-music-gru/model_gru.h5'), none), (e: unknown) => e instanceof ModelError && e.kind === 'missing-file' && /model_gru\.json/.test(e.message));
  });
}

const none: FileSource = { read: () => Promise.reject(new Error('ENOENT')) };

test('files that are not models get one clear message each', async () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty.h5', new Uint8Array(), /is empty/],
    ['notes.txt', enc('hello world'), /not a model file we read/],
    ['x.json', enc('{"a": 1}'), /neither a TF.js model.json nor a Keras architecture/],
    ['bad.json', enc('{"modelTopology": '), /not valid JSON/],
    ['graph.json', enc('{"format": "graph-model", "modelTopology": {"node": []}, "weightsManifest": []}'), /graph model/],
    ['x.h5', Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]), /truncated/],
    ['x.pkl', Uint8Array.from([0x80, 0x02, 0x4b, 0x01, 0x2e]), /plain Python pickle/],
    ['x.zip', Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]), /neither a Keras \.keras file nor a PyTorch checkpoint/],
  ];
  for (const [name, bytes, re] of cases) {
    await assert.rejects(readModel(name, bytes, none), (e: unknown) => e instanceof ModelError && re.test(e.message), name);
  }
});

test('a Keras model without a recurrent layer, and one whose only recurrent layer is unsupported, are refused by name', async () => {
  const tfjs = (layers: unknown[]) =>
    new TextEncoder().encode(JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { name: 's', layers } }, weightsManifest: [] }));
  await assert.rejects(
    readModel('m.json', tfjs([{ class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 3] } }]), none),
    (e: unknown) => e instanceof ModelError && e.kind === 'no-recurrent-layer' && /no recurrent layer/.test(e.message),
  );
  await assert.rejects(
    readModel('m.json', tfjs([{ class_name: 'ConvLSTM2D', config: { name: 'conv_lstm', filters: 4 } }]), none),
    (e: unknown) => e instanceof ModelError && e.kind === 'unsupported' && /conv_lstm.*ConvLSTM2D/.test(e.message),
  );
});
