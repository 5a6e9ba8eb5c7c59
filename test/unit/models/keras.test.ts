// Keras config rules no fixture covers, on small TF.js models built here (model.json + one shard):
// hard_sigmoid by Keras version, RNN(cell), go_backwards, merge modes, GRU without reset_after,
// unsupported activations and weights that do not fit the config. No fixtures needed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ModelError, readModel, type FileSource, type TrainedModel } from '../../../src/models';
import { parseModelConfig } from '../../../src/models/keras/config';
import { toSnakeCase, v3LayerPaths } from '../../../src/models/keras/v3weights';

interface W {
  name: string;
  shape: number[];
}

async function tfjsModel(layers: unknown[], weights: W[], meta: Record<string, unknown> = {}): Promise<TrainedModel> {
  const json = {
    format: 'layers-model',
    ...meta,
    modelTopology: { keras_version: meta.keras_version, model_config: { class_name: 'Sequential', config: { name: 's', layers } } },
    weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
  };
  const n = weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
  const shard = new Float32Array(n).map((_, i) => ((i % 7) - 3) / 10);
  const source: FileSource = { read: async (p) => (p === 'w.bin' ? new Uint8Array(shard.buffer) : Promise.reject(new Error('missing'))) };
  return readModel('model.json', new TextEncoder().encode(JSON.stringify(json)), source);
}

const rnnWeights = (scope: string, D: number, H: number, g: number, bias: number[] = [g * H]): W[] => [
  { name: `${scope}/kernel`, shape: [D, g * H] },
  { name: `${scope}/recurrent_kernel`, shape: [H, g * H] },
  { name: `${scope}/bias`, shape: bias },
];

const lstm = (extra: Record<string, unknown> = {}) => ({
  class_name: 'LSTM',
  config: { name: 'lstm', units: 2, batch_input_shape: [null, 5, 3], recurrent_activation: 'hard_sigmoid', ...extra },
});

test("hard_sigmoid follows the saving Keras: 0.2x+0.5 for Keras 2 and TF.js, x/6+0.5 for Keras 3", async () => {
  for (const [meta, expected] of [
    [{ keras_version: '2.6.0', generatedBy: 'keras v2.6.0' }, 'hard_sigmoid'],
    [{ keras_version: '3.4.1', generatedBy: 'keras v3.4.1' }, 'hard_sigmoid_k3'],
    [{ generatedBy: 'TensorFlow.js tfjs-layers v4.22.0' }, 'hard_sigmoid'],
  ] as const) {
    const m = await tfjsModel([lstm()], rnnWeights('lstm', 3, 2, 4), meta);
    assert.equal(m.layers[0].recurrent?.spec.recurrentActivation, expected, JSON.stringify(meta));
  }
  // TF.js-saved configs write camelCase activations.
  const camel = await tfjsModel([lstm({ recurrent_activation: 'hardSigmoid' })], rnnWeights('lstm', 3, 2, 4), { generatedBy: 'TensorFlow.js tfjs-layers v4.22.0' });
  assert.equal(camel.layers[0].recurrent?.spec.recurrentActivation, 'hard_sigmoid');
});

test('RNN(GRUCell) with go_backwards, and a GRU config without reset_after decided by its (2, 3H) bias', async () => {
  const m = await tfjsModel(
    [
      { class_name: 'RNN', config: { name: 'rnn', go_backwards: true, return_sequences: true, batch_input_shape: [null, 4, 3], cell: { class_name: 'GRUCell', config: { units: 2, reset_after: false } } } },
      { class_name: 'GRU', config: { name: 'gru', units: 2 } },
    ],
    [...rnnWeights('rnn', 3, 2, 3), ...rnnWeights('gru', 2, 2, 3, [2, 6])],
    { keras_version: '2.2.4' },
  );
  const [rnn, gru] = m.layers;
  assert.equal(rnn.innerClassName, 'GRUCell');
  assert.deepEqual([rnn.recurrent?.spec.cell, rnn.recurrent?.spec.goBackwards, rnn.recurrent?.spec.resetAfter], ['gru', true, false]);
  assert.deepEqual(rnn.outputShape, [null, 4, 2]);
  assert.equal(gru.recurrent?.spec.resetAfter, true);
  assert.match(gru.recurrent?.assumptions.join(' ') ?? '', /no reset_after in the config/);
});

test('Bidirectional merge modes: sum keeps H wide, concat doubles it; forward/backward weights by scope', async () => {
  for (const [mode, width] of [
    ['sum', 2],
    ['concat', 4],
  ] as const) {
    const m = await tfjsModel(
      [{ class_name: 'Bidirectional', config: { name: 'bi', merge_mode: mode, batch_input_shape: [null, 5, 3], layer: { class_name: 'SimpleRNN', config: { name: 'r', units: 2, return_sequences: true } } } }],
      [...rnnWeights('bi/backward_r', 3, 2, 1), ...rnnWeights('bi/forward_r', 3, 2, 1)],
    );
    const r = m.layers[0].recurrent;
    assert.ok(r && 'forward' in r.weights);
    assert.deepEqual(r.spec.bidirectional, { mergeMode: mode });
    assert.deepEqual(m.layers[0].outputShape, [null, 5, width]);
    // The manifest listed backward first: the shard's first values (index 0 → -0.3) belong to it.
    assert.ok(Math.abs(r.weights.backward.kernel[0] - -0.3) < 1e-7);
    assert.ok(Math.abs(r.weights.forward.kernel[0] - -0.3) > 1e-3);
  }
});

test('an activation the engine does not implement keeps the layer listed but not unrollable', async () => {
  await assert.rejects(tfjsModel([lstm({ activation: 'selu' })], rnnWeights('lstm', 3, 2, 4)), (e: unknown) => e instanceof ModelError && e.kind === 'unsupported' && /activation 'selu'/.test(e.message));
  const m = await tfjsModel(
    [lstm({ activation: 'selu', return_sequences: true }), { class_name: 'GRU', config: { name: 'gru', units: 2 } }],
    [...rnnWeights('lstm', 3, 2, 4), ...rnnWeights('gru', 2, 2, 3)],
  );
  assert.equal(m.layers[0].recurrent, null);
  assert.match(m.layers[0].unsupported ?? '', /selu/);
  assert.deepEqual(m.layers[0].weightShapes, { kernel: [3, 8], recurrent_kernel: [2, 8], bias: [8] });
  assert.ok(m.layers[1].recurrent);
});

test('weights that do not fit the config are a corrupt-model error naming the layer and shapes', async () => {
  await assert.rejects(
    tfjsModel([lstm()], [{ name: 'lstm/kernel', shape: [3, 8] }, { name: 'lstm/recurrent_kernel', shape: [2, 6] }, { name: 'lstm/bias', shape: [8] }]),
    (e: unknown) => e instanceof ModelError && /layer 'lstm' \(LSTM\): recurrent_kernel \[2, 6\] does not fit LSTM\(2\) \(expected \[2, 8\]\)/.test(e.message),
  );
  await assert.rejects(
    tfjsModel([{ class_name: 'GRU', config: { name: 'gru', units: 2, reset_after: true, batch_input_shape: [null, 3, 3] } }], rnnWeights('gru', 3, 2, 3)),
    (e: unknown) => e instanceof ModelError && /bias \[6\] does not fit GRU\(2, reset_after=true\)/.test(e.message),
  );
  await assert.rejects(tfjsModel([lstm()], []), (e: unknown) => e instanceof ModelError && /no kernel\/recurrent_kernel among its saved weights \(none\)/.test(e.message));
});

test('Keras 3 weight groups: snake_case(class) with a per-class counter, in layer order (saving_lib)', () => {
  // Values of keras.src.utils.naming.to_snake_case for these class names.
  for (const [cls, snake] of [
    ['SimpleRNN', 'simple_rnn'],
    ['LSTM', 'lstm'],
    ['GRU', 'gru'],
    ['Conv1D', 'conv1d'],
    ['BatchNormalization', 'batch_normalization'],
    ['TimeDistributed', 'time_distributed'],
    ['Bidirectional', 'bidirectional'],
  ]) {
    assert.equal(toSnakeCase(cls), snake);
  }
  // The README's model_gru.keras: groups layers/gru, layers/gru_1 and layers/dense (for dense_1).
  const model = parseModelConfig(
    {
      class_name: 'Sequential',
      config: { layers: ['InputLayer', 'GRU', 'Dropout', 'GRU', 'Dropout', 'Dense'].map((c, i) => ({ class_name: c, config: { name: ['input_layer_1', 'gru', 'dropout', 'gru_1', 'dropout_1', 'dense_1'][i] } })) },
    },
    'model_gru.keras',
  );
  assert.deepEqual([...v3LayerPaths(model)].map(([l, p]) => `${l.name}→${p}`), ['gru→gru', 'dropout→dropout', 'gru_1→gru_1', 'dropout_1→dropout_1', 'dense_1→dense']);
});
