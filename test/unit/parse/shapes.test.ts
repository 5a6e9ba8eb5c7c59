// Output shapes, return structures, parameter counts and lens titles for Keras/TF.js layers
// (RNN-SEMANTICS §1.2 table, §1.3, §1.5), and the model-level entry.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLayer, findLayers, findModels, hoverMarkdown, layerAt, lensTitle, modelLensTitle, paramCount } from '../../../src/parse';

const K = 'from keras import layers\n';

function layer(call: string) {
  const l = findLayers(K + call, 'python');
  assert.equal(l.length, 1);
  return l[0];
}

describe('shapes: return structure (§1.3)', () => {
  it('return_sequences × return_state', () => {
    const cases: [string, string, string, string][] = [
      ['layers.GRU(64, input_shape=(10, 3))', 'many-to-one', '(batch, 64)', 'output'],
      ['layers.GRU(64, return_sequences=True, input_shape=(10, 3))', 'many-to-many', '(batch, 10, 64)', 'output'],
      ['layers.LSTM(64, return_state=True)', 'many-to-one', '(batch, 64)', '[output, state_h, state_c]'],
      ['layers.SimpleRNN(64, return_sequences=True, return_state=True)', 'many-to-many', '(batch, T, 64)', '[output, state_h]'],
    ];
    for (const [call, kind, shape, structure] of cases) {
      const d = describeLayer(layer(call));
      assert.equal(d.returnKind, kind, call);
      assert.equal(d.outputShape, shape, call);
      assert.equal(d.returnStructure, structure, call);
    }
  });

  it('Bidirectional: concat doubles the width, states come forward then backward, merge_mode=None returns both outputs', () => {
    const a = describeLayer(layer('layers.Bidirectional(layers.LSTM(32, return_sequences=True, return_state=True))'));
    assert.equal(a.outputShape, '(batch, T, 64)');
    assert.equal(a.returnStructure, '[output, state_h_fwd, state_c_fwd, state_h_bwd, state_c_bwd]');
    const b = describeLayer(layer('layers.Bidirectional(layers.GRU(32), merge_mode="sum")'));
    assert.equal(b.outputShape, '(batch, 32)');
    const c = describeLayer(layer('layers.Bidirectional(layers.GRU(32, return_state=True), merge_mode=None)'));
    assert.equal(c.returnStructure, '[output_fwd, output_bwd, state_h_fwd, state_h_bwd]');
  });

  it('TimeDistributed(RNN) keeps the outer time axis', () => {
    assert.equal(describeLayer(layer('layers.TimeDistributed(layers.LSTM(8))')).outputShape, '(batch, T_outer, 8)');
  });
});

describe('shapes: parameter counts (§1.2)', () => {
  it('SimpleRNN H(D+H+1), LSTM 4H(D+H+1), GRU 3H(D+H+1) or 3H(D+H+2) with reset_after', () => {
    assert.equal(describeLayer(layer('layers.SimpleRNN(4, input_shape=(None, 3))')).paramCount, 4 * (3 + 4 + 1));
    assert.equal(describeLayer(layer('layers.LSTM(128, input_shape=(40, 57))')).paramCount, 4 * 128 * (57 + 128 + 1));
    assert.equal(describeLayer(layer('layers.GRU(16, input_shape=(None, 8))')).paramCount, 3 * 16 * (8 + 16 + 2));
    assert.equal(describeLayer(layer('layers.GRU(16, reset_after=False, input_shape=(None, 8))')).paramCount, 3 * 16 * (8 + 16 + 1));
    assert.equal(describeLayer(layer('layers.SimpleRNN(4, use_bias=False, input_dim=3)')).paramCount, 4 * (3 + 4));
    assert.equal(describeLayer(layer('layers.Bidirectional(layers.LSTM(8), input_shape=(5, 2))')).paramCount, 2 * 4 * 8 * (2 + 8 + 1));
  });

  it('unknown input size or units: no count, and the symbolic values are listed', () => {
    const d = describeLayer(layer('layers.LSTM(units)'));
    assert.equal(d.paramCount, null);
    assert.deepEqual(d.symbolic, [{ name: 'units', text: 'units' }]);
  });
});

describe('lens titles', () => {
  it('layer lens', () => {
    assert.equal(lensTitle(layer('layers.LSTM(64)')), '▶ Unroll LSTM(64) · many-to-one · (batch, 64)');
    assert.equal(lensTitle(layer('layers.SimpleRNN(128, return_sequences=True)')), '▶ Unroll SimpleRNN(128) · many-to-many · (batch, T, 128)');
    assert.equal(lensTitle(layer('layers.Bidirectional(layers.GRU(32, return_sequences=True), input_shape=(7, 2))')), '▶ Unroll Bidirectional(GRU(32)) · many-to-many · (batch, 7, 64)');
    assert.equal(lensTitle(layer('layers.GRU(hidden)')), '▶ Unroll GRU(hidden) · many-to-one · (batch, hidden)');
    assert.equal(lensTitle(layer('layers.GRU(8, return_sequences=flag)')), '▶ Unroll GRU(8) · return_sequences? · (batch, 8)');
  });

  it('model lens', () => {
    const [m] = findModels(K + 'm = keras.Sequential([layers.Embedding(100, 8), layers.LSTM(16, return_sequences=True), layers.TimeDistributed(layers.Dense(4))])', 'python');
    assert.equal(modelLensTitle(m), '▶ Unroll m · Embedding → LSTM(16) → TimeDistributed(Dense(4))');
  });
});

describe('model-level entry', () => {
  it('Sequential with Input, stacked RNNs, Dropout in between and a 3-D Dense head', () => {
    const src = K + 'model = keras.Sequential([\n    keras.Input(shape=(30, 6)),\n    layers.LSTM(32, return_sequences=True),\n    layers.Dropout(0.2),\n    layers.GRU(16, return_sequences=True),\n    layers.Dense(3, activation="softmax"),\n])';
    const [m] = findModels(src, 'python');
    assert.deepEqual(m.layers.map((l) => l.role), ['input', 'recurrent', 'passthrough', 'recurrent', 'dense']);
    assert.deepEqual(m.input, { timesteps: 30, features: 6, vocab: null });
    assert.deepEqual(m.recurrent.map((r) => [r.inputDim, r.timesteps]), [[6, 30], [32, 30]]);
    assert.deepEqual(m.head, { units: 3, activation: 'softmax', timeDistributed: true, lastStep: false });
    assert.equal(m.recurrent[0].head, null, 'Dropout then GRU: no head for the first layer');
  });

  it('model.add on a model from another cell, and a Keras subclass', () => {
    const adds = findModels(K + 'model.add(layers.GRU(8, input_shape=(None, 2)))\nmodel.add(layers.Dense(1))', 'python');
    assert.equal(adds.length, 1);
    assert.equal(adds[0].name, 'model');
    const sub = findModels(K + 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.emb = layers.Embedding(50, 12)\n        self.rnn = layers.LSTM(24)\n        self.out = layers.Dense(2)\n    def call(self, x):\n        return self.out(self.rnn(self.emb(x)))', 'python');
    assert.equal(sub.length, 1);
    assert.equal(sub[0].style, 'subclass');
    assert.equal(sub[0].name, 'Net');
    assert.equal(sub[0].recurrent[0].inputDim, 12);
    assert.deepEqual(sub[0].head, { units: 2, activation: 'linear', timeDistributed: false, lastStep: false });
  });

  it('model.add adds to the Sequential its receiver last held before the call', () => {
    // Three builders reuse the name `model`; the first add comes before any Sequential.
    const py = K + 'model.add(layers.SimpleRNN(2))\n\ndef a():\n    model = keras.Sequential()\n    model.add(layers.LSTM(4))\n    model.add(layers.Dense(1))\n\ndef b():\n    model = keras.Sequential()\n    model.add(layers.GRU(8))\n\ndef c():\n    model = keras.Sequential()\n    model.add(layers.LSTM(16))\n    model.add(layers.Dense(3))\n';
    const models = findModels(py, 'python');
    assert.deepEqual(models.map((m) => [m.recurrent.map((r) => r.units), m.head?.units ?? null]), [[[2, 4], 1], [[8], null], [[16], 3]]);
  });

  it('functional return_state unpacking fills in a symbolic return_state', () => {
    const src = K + 'inp = keras.Input((None, 4))\nout, h, c = layers.LSTM(8, return_state=want_state)(inp)\ny = layers.Dense(1)(h)\nmodel = keras.Model(inp, y)';
    const layersFound = findLayers(src, 'python');
    assert.equal(layersFound[0].returnState, true, 'three targets from an LSTM');
    const [m] = findModels(src, 'python');
    assert.equal(m.name, 'model');
    assert.equal(m.recurrent[0].inputDim, 4);
  });

  it('the same variable names in two builder functions make two models, not one', () => {
    const py = K + 'def a(inputs):\n    x = layers.LSTM(8, return_sequences=True)(inputs)\n    x = layers.Dense(2)(x)\n    return x\n\ndef b(inputs):\n    x = layers.GRU(4)(inputs)\n    x = layers.Dense(3)(x)\n    return x\n';
    const models = findModels(py, 'python');
    assert.deepEqual(models.map((m) => m.recurrent.map((r) => r.kind)), [['lstm'], ['gru']]);
    const ts = "import * as tf from '@tensorflow/tfjs';\nexport function a(input: tf.SymbolicTensor): tf.SymbolicTensor {\n  const h = tf.layers.lstm({units: 8}).apply(input) as tf.SymbolicTensor;\n  return tf.layers.dense({units: 1}).apply(h) as tf.SymbolicTensor;\n}\nconst b = (input) => {\n  const h = tf.layers.gru({units: 4}).apply(input);\n  return tf.layers.dense({units: 2}).apply(h);\n};\n";
    const tsModels = findModels(ts, 'typescript');
    assert.deepEqual(tsModels.map((m) => [m.recurrent.map((r) => r.kind), m.head?.units]), [[['lstm'], 1], [['gru'], 2]]);
  });

  it('TF.js apply(x, {initialState}) links an encoder to its decoder', () => {
    const ts = "import * as tf from '@tensorflow/tfjs';\nconst enc = tf.input({shape: [null, 5]});\nconst [out, h, c] = tf.layers.lstm({units: 6, returnState: true}).apply(enc) as tf.SymbolicTensor[];\nconst dec = tf.input({shape: [null, 5]});\nconst y = tf.layers.lstm({units: 6, returnSequences: true}).apply(dec, {initialState: [h, c]});\nconst model = tf.model({inputs: [enc, dec], outputs: y as tf.SymbolicTensor});";
    const [m] = findModels(ts, 'typescript');
    assert.equal(m.name, 'model');
    assert.deepEqual(m.recurrent.map((r) => r.range.line + 1), [3, 5]);
  });

  it('nested functional calls without variables', () => {
    const [m] = findModels(K + 'y = layers.Dense(5)(layers.GRU(7)(layers.Embedding(10, 3)(x)))', 'python');
    assert.deepEqual(m.layers.map((l) => l.role), ['embedding', 'recurrent', 'dense']);
    assert.equal(m.recurrent[0].inputDim, 3);
  });

  it('a PyTorch forward() that feeds its Linear the last step makes the head read that step only', () => {
    const module = (forward: string, bidirectional = false) =>
      `import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(8, 32, batch_first=True, bidirectional=${bidirectional ? 'True' : 'False'})\n        self.drop = nn.Dropout(0.1)\n        self.fc = nn.Linear(32, 5)\n    def forward(self, x):\n        out, h_n = self.rnn(x)\n${forward}\n`;
    const head = (forward: string, bidirectional = false) => findLayers(module(forward, bidirectional), 'python')[0].head;
    const last = { units: 5, activation: 'linear', timeDistributed: false, lastStep: true };
    assert.deepEqual(head('        return self.fc(out[:, -1, :])'), last);
    assert.deepEqual(head('        return self.fc(h_n[-1])'), last);
    assert.deepEqual(head('        return self.fc(self.drop(out[:, -1]))'), last);
    assert.deepEqual(head('        out = out[:, -1]\n        out = self.drop(out)\n        return self.fc(out)'), last, 'through two assignments');
    // The final state by its name, however it is shaped: h_n is (layers, batch, H).
    assert.deepEqual(head('        return self.fc(h_n.squeeze(0))'), last);
    assert.deepEqual(head('        _, (hidden, cell) = self.rnn(x)\n        z = hidden.squeeze(0)\n        return self.fc(z)'), last, 'a nested pattern');
    // The whole sequence, or a bidirectional layer (whose last step is not both final states): every step.
    const every = { units: 5, activation: 'linear', timeDistributed: true, lastStep: false };
    assert.deepEqual(head('        return self.fc(out)'), every);
    assert.deepEqual(head('        out = self.drop(out)\n        return self.fc(out)'), every);
    assert.equal(head('        return self.fc(out[:, -1])', true)?.lastStep, false);
    // The layer itself still returns every step and its states, as PyTorch does.
    const [l] = findLayers(module('        return self.fc(out[:, -1])'), 'python');
    assert.deepEqual([l.returnSequences, l.returnState], [true, true]);
    assert.match(hoverMarkdown(l), /head: Linear\(5\), on the last step only/);
    assert.match(modelLensTitle(findModels(module('        return self.fc(out[:, -1])'), 'python')[0]), /GRU\(32\) → Linear\(5\)$/);
  });

  it('an Input written in place is the model input', () => {
    const [py] = findLayers(K + 'y = layers.LSTM(8)(layers.Input((10, 3)))', 'python');
    assert.deepEqual([py.timesteps, py.inputDim, paramCount(py)], [10, 3, 384]); // 4·8·(3+8+1)
    const [js] = findLayers("import * as tf from '@tensorflow/tfjs';\nconst y = tf.layers.lstm({units: 8}).apply(tf.input({shape: [10, 3]}));", 'typescript');
    assert.deepEqual([js.timesteps, js.inputDim, paramCount(js)], [10, 3, 384]);
  });
});

describe('hover and cursor lookup', () => {
  it('hover lists the returned tensors, the parameter count and the symbolic values', () => {
    const src = K + 'x = layers.LSTM(64, return_state=True, activation=act, input_shape=(10, 3))';
    const [l] = findLayers(src, 'python');
    const md = hoverMarkdown(l);
    assert.match(md, /\*\*LSTM\(64\)\*\* · keras · many-to-one/);
    assert.match(md, /returns `\[output, state_h, state_c\]`/);
    assert.match(md, /- `state_c`: `\(batch, 64\)`/);
    assert.match(md, /parameters: 17,408/); // 4·64·(3+64+1)
    assert.match(md, /- `activation` = `act`/);
  });

  it('layerAt finds the layer under or before the cursor on its line', () => {
    const layers = findLayers(K + 'a = layers.GRU(2); b = layers.LSTM(3)\nc = 1', 'python');
    assert.equal(layerAt(layers, 1, 13)?.kind, 'gru');
    assert.equal(layerAt(layers, 1, 40)?.kind, 'lstm');
    assert.equal(layerAt(layers, 1, 0)?.kind, 'gru', 'before any name: the first on the line');
    assert.equal(layerAt(layers, 2, 0), null);
  });
});
