// Keras recognition (imports, aliases, legacy spellings), arguments (positional tables per
// version, Keras 1 names, literal / constant / symbolic values) and wrappers, one rule per case.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLayers, parseSource } from '../../../src/parse';

function one(src: string) {
  const l = findLayers(src, 'python');
  assert.equal(l.length, 1, `expected one layer, found ${l.length}`);
  return l[0];
}

describe('keras: recognition through imports and aliases', () => {
  it('every import spelling', () => {
    const cases: [string, string][] = [
      ['from tensorflow.keras.layers import LSTM as KerasLSTM\nx = KerasLSTM(32)', 'lstm'],
      ['from keras.layers import GRU\nx = GRU(32)', 'gru'],
      ['from keras import layers\nx = layers.SimpleRNN(32)', 'simple_rnn'],
      ['from tensorflow.keras import layers as L\nx = L.LSTM(32)', 'lstm'],
      ['import tensorflow as tf\nx = tf.keras.layers.GRU(32)', 'gru'],
      ['from tensorflow import keras\nx = keras.layers.LSTM(32)', 'lstm'],
      ['import keras\nx = keras.layers.LSTM(32)', 'lstm'],
      ['import keras.layers as KL\nx = KL.GRU(32)', 'gru'],
      ['from tensorflow.python.keras.layers import LSTM\nx = LSTM(32)', 'lstm'],
      ['import tf_keras\nx = tf_keras.layers.SimpleRNN(32)', 'simple_rnn'],
      ['from keras.layers import *\nx = LSTM(32)', 'lstm'],
    ];
    for (const [src, kind] of cases) {
      const l = one(src);
      assert.equal(l.framework, 'keras', src);
      assert.equal(l.kind, kind, src);
      assert.equal(l.units, 32, src);
    }
  });

  it('names nothing imports still resolve the usual spellings (a notebook imports in another cell)', () => {
    assert.equal(one('model.add(LSTM(8))').kind, 'lstm');
    assert.equal(one('x = layers.GRU(8)').framework, 'keras');
    assert.equal(one('x = tf.keras.layers.SimpleRNN(8)').kind, 'simple_rnn');
  });

  it('a name bound to something else is not a Keras layer', () => {
    assert.deepEqual(findLayers('from mylib import LSTM\nx = LSTM(8)', 'python'), []);
    assert.deepEqual(findLayers('class GRU:\n    pass\nx = GRU(8)', 'python'), []);
    assert.deepEqual(findLayers('from .model import LSTM\nx = LSTM(8)', 'python'), []);
    assert.deepEqual(findLayers('import mylib as layers\nx = layers.LSTM(8)', 'python'), []);
  });

  it('follows a class stored in a variable, which shadows keras.layers.RNN', () => {
    const l = one('from keras import layers\nRNN = layers.LSTM\nx = RNN(64)');
    assert.equal(l.kind, 'lstm');
    assert.equal(l.className, 'RNN');
    const w = findLayers('from keras import layers\nRNN = layers.LSTM\nx = layers.RNN(layers.GRUCell(4))', 'python');
    assert.deepEqual(w.map((l) => l.kind), ['gru'], 'the dotted keras.layers.RNN is still the wrapper');
  });

  it('an alias bound in two branches gives both alternatives at the same site', () => {
    const r = parseSource('from keras import layers\nif cell == "lstm":\n    RNN = layers.LSTM\nelse:\n    RNN = layers.GRU\nx = RNN(16)', 'python');
    assert.deepEqual(r.layers.map((l) => l.spec.kind), ['lstm', 'gru']);
    assert.equal(r.layers[1].details.alternativeOf, r.layers[0].details.call);
    assert.deepEqual(r.layers[0].spec.range, r.layers[1].spec.range);
  });
});

describe('keras: version and legacy defaults', () => {
  it('Keras 3 defaults when the code says nothing', () => {
    const l = one('from keras import layers\nx = layers.GRU(4)');
    assert.equal(l.activation, 'tanh');
    assert.equal(l.recurrentActivation, 'sigmoid');
    assert.equal(l.useBias, true);
    assert.equal(l.returnSequences, false);
    assert.equal(l.returnState, false);
    assert.equal(l.goBackwards, false);
    assert.equal(l.resetAfter, true);
  });

  it('tf.compat.v1: hard_sigmoid gates and the reset-before GRU', () => {
    const a = one('import tensorflow as tf\nx = tf.compat.v1.keras.layers.GRU(8)');
    assert.equal(a.recurrentActivation, 'hard_sigmoid');
    assert.equal(a.resetAfter, false);
    const b = one('import tensorflow.compat.v1 as tf\nx = tf.keras.layers.LSTM(8)');
    assert.equal(b.recurrentActivation, 'hard_sigmoid');
  });

  it('standalone Keras 2 keras.layers.recurrent: reset_after=False, only units positional', () => {
    const l = one('from keras.layers.recurrent import GRU\nx = GRU(16, "relu")');
    assert.equal(l.resetAfter, false);
    assert.equal(l.activation, 'tanh', 'a second positional is a TypeError there, not the activation');
  });

  it('CuDNNGRU is the reset-after GRU, CuDNNLSTM has fixed activations', () => {
    const g = one('from keras.layers import CuDNNGRU\nx = CuDNNGRU(32, return_sequences=True)');
    assert.equal(g.kind, 'gru');
    assert.equal(g.resetAfter, true);
    assert.equal(g.returnSequences, true);
    const l = one('from tensorflow.compat.v1.keras.layers import CuDNNLSTM\nx = CuDNNLSTM(8, "glorot_uniform", "orthogonal", "zeros", True, None, None, None, None, None, None, None, True)');
    assert.equal(l.activation, 'tanh');
    assert.equal(l.recurrentActivation, 'sigmoid');
    assert.equal(l.returnSequences, true, '13th positional of CuDNNLSTM');
  });

  it('Keras 1 names: output_dim, inner_activation, dropout_W', () => {
    const a = one('from keras.layers import LSTM\nx = LSTM(output_dim=32, inner_activation="sigmoid", dropout_W=0.2, return_sequences=True)');
    assert.equal(a.units, 32);
    assert.equal(a.unitsText, '32');
    assert.equal(a.recurrentActivation, 'sigmoid');
    assert.equal(a.returnSequences, true);
    const g = one('from keras.layers import GRU\nx = GRU(output_dim=8)');
    assert.equal(g.recurrentActivation, 'hard_sigmoid', 'Keras 1 default');
    assert.equal(g.resetAfter, false);
    // Keras 1 positional order: output_dim, init, inner_init, activation.
    const s = one('from keras.layers import SimpleRNN\nx = SimpleRNN(10, "uniform", "orthogonal", "relu", dropout_U=0.1)');
    assert.equal(s.activation, 'relu');
  });

  it('positional tables: Keras 3 puts seed before return_sequences, tf.keras 2 does not', () => {
    const args = '4, "tanh", "sigmoid", True, "glorot_uniform", "orthogonal", "zeros", True, None, None, None, None, None, None, None, 0.0, 0.0, 42, True';
    const k3 = one(`from keras import layers\nx = layers.LSTM(${args})`);
    assert.equal(k3.returnSequences, true);
    assert.equal(k3.returnState, false);
    const k2 = one(`import tf_keras\nx = tf_keras.layers.LSTM(${args})`);
    assert.equal(k2.returnSequences, true, '42 sits on return_sequences');
    assert.equal(k2.returnState, true);
    const positional = one('from keras import layers\nx = layers.GRU(8, "relu", "hard_sigmoid", False)');
    assert.equal(positional.activation, 'relu');
    assert.equal(positional.recurrentActivation, 'hard_sigmoid_k3', 'Keras 3 hard_sigmoid is x/6 + 0.5');
    assert.equal(positional.useBias, false);
  });
});

describe('keras: values', () => {
  it('resolves module constants and arithmetic over them', () => {
    const src = 'from keras import layers\nHIDDEN = 128\nHALF = HIDDEN // 2\nDIGITS = 3\nACT = "relu"\nSEQ = True\n';
    assert.equal(one(src + 'x = layers.LSTM(HIDDEN)').units, 128);
    assert.equal(one(src + 'x = layers.LSTM(HALF)').units, 64);
    const d = one(src + 'x = layers.LSTM(DIGITS + 1)');
    assert.equal(d.units, 4);
    assert.equal(d.unitsText, 'DIGITS + 1');
    assert.deepEqual(d.symbolic, []);
    assert.equal(one(src + 'x = layers.SimpleRNN(8, activation=ACT)').activation, 'relu');
    assert.equal(one(src + 'x = layers.LSTM(8, return_sequences=SEQ)').returnSequences, true);
  });

  it('keeps anything else symbolic with its source text', () => {
    const cases: [string, string][] = [
      ['hidden_dim // 2', 'hidden_dim // 2'],
      ['FLAGS.latent_dim', 'FLAGS.latent_dim'],
      ['config.get("hidden_rnn", 10)', 'config.get("hidden_rnn", 10)'],
      ['self.hidden_size', 'self.hidden_size'],
      ['len(chars)', 'len(chars)'],
      ['sizes[0]', 'sizes[0]'],
    ];
    for (const [arg, text] of cases) {
      const l = one(`from keras import layers\nx = layers.LSTM(${arg})`);
      assert.equal(l.units, null, arg);
      assert.equal(l.unitsText, text);
      assert.deepEqual(l.symbolic, [{ name: 'units', text }]);
    }
  });

  it('a constant assigned two different values is not a constant', () => {
    assert.equal(one('from keras import layers\nN = 8\nN = 16\nx = layers.GRU(N)').units, null);
  });

  it('function scopes: parameters shadow constants, local literals resolve', () => {
    const src = 'from keras import layers\nN = 8\n';
    assert.equal(one(src + 'def f(N):\n    return layers.GRU(N)').units, null);
    assert.equal(one(src + 'def f():\n    n = 16\n    return layers.GRU(n)').units, 16);
    assert.equal(one(src + 'def f():\n    return layers.GRU(N)').units, 8);
    assert.equal(one(src + 'def f():\n    for N in (1, 2):\n        layers.GRU(N)').units, null);
    // An assignment in the body wins over the parameter; a name assigned twice is no constant; an outer function's local is seen.
    assert.equal(one(src + 'def f(n):\n    n = 4\n    return layers.GRU(n)').units, 4);
    assert.equal(one(src + 'def f():\n    n = 4\n    n = 5\n    return layers.GRU(n)').units, null);
    assert.equal(one(src + 'def f():\n    h: int = 6\n    def g():\n        return layers.GRU(h)\n    return g').units, 6);
  });

  it('activation spellings', () => {
    const k = 'from keras import layers\nimport tensorflow as tf\n';
    assert.equal(one(k + 'x = layers.LSTM(4, activation=None)').activation, 'linear');
    assert.equal(one(k + 'x = layers.LSTM(4, activation=tf.nn.relu)').activation, 'relu');
    assert.equal(one(k + 'x = layers.LSTM(4, recurrent_activation="hard_sigmoid")').recurrentActivation, 'hard_sigmoid_k3');
    const elu = one(k + 'x = layers.SimpleRNN(4, activation="elu")');
    assert.equal(elu.activation, 'tanh');
    assert.deepEqual(elu.symbolic, [{ name: 'activation', text: '"elu"' }]);
    const r = parseSource(k + 'x = layers.SimpleRNN(4, activation="elu")', 'python');
    assert.match(r.layers[0].details.notes[0], /elu/);
  });

  it('flags hidden in **kwargs or given as expressions are unknown (null)', () => {
    const a = one('from keras import layers\nx = layers.GRU(4, **opts)');
    assert.equal(a.returnSequences, null);
    assert.equal(a.returnState, null);
    const b = one('from keras import layers\nx = layers.GRU(4, return_sequences=i < n - 1, **opts)');
    assert.equal(b.returnSequences, null);
    assert.deepEqual(b.symbolic, [{ name: 'return_sequences', text: 'i < n - 1' }]);
  });

  it('input shape forms', () => {
    const k = 'from keras import layers\n';
    const a = one(k + 'x = layers.LSTM(4, input_shape=(10, 3))');
    assert.deepEqual([a.timesteps, a.inputDim], [10, 3]);
    const b = one(k + 'x = layers.LSTM(4, batch_input_shape=(32, None, 5))');
    assert.deepEqual([b.timesteps, b.inputDim], [null, 5]);
    const c = one(k + 'x = layers.LSTM(4, input_dim=6, input_length=12)');
    assert.deepEqual([c.timesteps, c.inputDim], [12, 6]);
  });
});

describe('keras: wrappers', () => {
  it('Bidirectional merge modes, keyword or positional', () => {
    const k = 'from keras import layers\n';
    assert.deepEqual(one(k + 'x = layers.Bidirectional(layers.GRU(4), merge_mode="sum")').bidirectional, { mergeMode: 'sum' });
    assert.deepEqual(one(k + 'x = layers.Bidirectional(layers.GRU(4), "ave")').bidirectional, { mergeMode: 'ave' });
    assert.deepEqual(one(k + 'x = layers.Bidirectional(layers.GRU(4), merge_mode=None)').bidirectional, { mergeMode: null });
    assert.deepEqual(one(k + 'x = layers.Bidirectional(layer=layers.GRU(4))').bidirectional, { mergeMode: 'concat' });
  });

  it('Bidirectional(forward, backward_layer=backward) with layers held in variables', () => {
    const r = parseSource(
      'from keras import layers\nforward_layer = layers.LSTM(10, return_sequences=True)\nbackward_layer = layers.LSTM(10, activation="relu", return_sequences=True, go_backwards=True)\nx = layers.Bidirectional(forward_layer, backward_layer=backward_layer)',
      'python',
    );
    assert.equal(r.layers.length, 2);
    for (const l of r.layers) assert.deepEqual(l.spec.bidirectional, { mergeMode: 'concat' });
    assert.equal(r.layers[1].spec.goBackwards, true);
    assert.ok(r.layers[1].details.notes.some((n) => n.includes('backward')));
  });

  it('TimeDistributed around an RNN, and nested wrappers', () => {
    const a = one('from keras import layers\nx = layers.TimeDistributed(layers.LSTM(8))');
    assert.equal(a.inTimeDistributed, true);
    const b = one('from keras import layers\nx = layers.TimeDistributed(layers.Bidirectional(layers.GRU(8)))');
    assert.equal(b.inTimeDistributed, true);
    assert.deepEqual(b.bidirectional, { mergeMode: 'concat' });
  });

  it('RNN(cell), RNN([cells]), RNN(StackedRNNCells([...])) and a cell held in a variable', () => {
    const k = 'from keras import layers\n';
    const single = findLayers(k + 'x = layers.RNN(layers.LSTMCell(10), return_sequences=True, go_backwards=True)', 'python');
    assert.equal(single.length, 1);
    assert.equal(single[0].kind, 'lstm');
    assert.equal(single[0].units, 10);
    assert.equal(single[0].returnSequences, true);
    assert.equal(single[0].goBackwards, true);
    assert.equal(single[0].range.character, 22, 'the lens sits on the cell');
    const stacked = findLayers(k + 'x = layers.RNN([layers.GRUCell(8), layers.GRUCell(16)])', 'python');
    assert.deepEqual(stacked.map((l) => [l.units, l.returnSequences]), [[8, true], [16, false]]);
    const viaStacked = findLayers(k + 'cells = layers.StackedRNNCells([layers.SimpleRNNCell(4), layers.SimpleRNNCell(5)])\nx = layers.RNN(cells)', 'python');
    assert.deepEqual(viaStacked.map((l) => l.units), [4, 5]);
    const viaVar = findLayers(k + 'cell = layers.GRUCell(4, reset_after=False)\nrnn = layers.RNN(cell, return_state=True)', 'python');
    assert.equal(viaVar.length, 1);
    assert.equal(viaVar[0].resetAfter, false);
    assert.equal(viaVar[0].returnState, true);
  });

  it('a cell on its own, or RNN over a custom cell, is not a layer to unroll', () => {
    assert.deepEqual(findLayers('from keras import layers\nc = layers.LSTMCell(4)', 'python'), []);
    assert.deepEqual(findLayers('from keras import layers\nclass MyCell(layers.Layer):\n    pass\nx = layers.RNN(MyCell(4))', 'python'), []);
  });
});
