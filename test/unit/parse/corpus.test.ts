// Real code from public repositories (test/unit/parse/corpus, each file names its source in its
// header): what the parser must find, with line numbers and values read off the code by hand.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLayers, findModels, parseNotebook, parseSource } from '../../../src/parse';
import { at, corpus, lines } from './helpers';

describe('keras-team/keras-io guides/working_with_rnns.py', () => {
  const text = corpus('keras_io_working_with_rnns.py');
  const layers = findLayers(text, 'python');
  const models = findModels(text, 'python');

  it('finds every constructed layer and nothing in docstrings, comments or code fences', () => {
    assert.deepEqual(lines(layers), [43, 54, 57, 72, 83, 113, 125, 127, 148, 152]);
  });

  it('reads units, flags and the Sequential context', () => {
    const l43 = at(layers, 43);
    assert.equal(l43.kind, 'lstm');
    assert.equal(l43.framework, 'keras');
    assert.equal(l43.units, 128);
    assert.equal(l43.returnSequences, false);
    assert.equal(l43.returnState, false);
    assert.equal(l43.inputDim, 64, 'from Embedding(output_dim=64) above it');
    assert.deepEqual(l43.head, { units: 10, activation: 'linear', timeDistributed: false, lastStep: false });
    const l54 = at(layers, 54);
    assert.equal(l54.kind, 'gru');
    assert.equal(l54.units, 256);
    assert.equal(l54.returnSequences, true);
    assert.equal(l54.resetAfter, true);
    const l57 = at(layers, 57);
    assert.equal(l57.kind, 'simple_rnn');
    assert.equal(l57.inputDim, 256, 'the GRU below returns sequences of 256');
    assert.equal(l57.returnSequences, false);
  });

  it('reads the functional encoder/decoder with return_state', () => {
    const enc = at(layers, 72);
    assert.equal(enc.units, 64);
    assert.equal(enc.returnState, true);
    assert.equal(enc.inputDim, 64);
    const dec = at(layers, 83);
    assert.equal(dec.returnState, false);
    assert.deepEqual(dec.head, { units: 10, activation: 'linear', timeDistributed: false, lastStep: false });
  });

  it('reads Bidirectional with the input shape on the wrapper', () => {
    const b1 = at(layers, 125);
    assert.deepEqual(b1.bidirectional, { mergeMode: 'concat' });
    assert.equal(b1.range.character, 32, 'the range is the inner LSTM name');
    assert.equal(b1.units, 64);
    assert.equal(b1.timesteps, 5);
    assert.equal(b1.inputDim, 10);
    assert.equal(at(layers, 127).inputDim, 128, 'concat of 2 × 64');
  });

  it('resolves module constants and RNN(LSTMCell(...))', () => {
    const l148 = at(layers, 148);
    assert.equal(l148.units, 64);
    assert.equal(l148.unitsText, 'units');
    assert.equal(l148.inputDim, 28);
    assert.equal(l148.timesteps, null);
    const cell = at(layers, 152);
    assert.equal(cell.kind, 'lstm');
    assert.equal(cell.units, 64);
    assert.equal(cell.inputDim, 28, 'input_shape given on the RNN wrapper');
    assert.equal(cell.returnSequences, false);
  });

  it('gathers the models, keeping one branch of the if/else', () => {
    assert.deepEqual(
      models.map((m) => [m.range.line + 1, m.style, m.recurrent.map((r) => r.range.line + 1)]),
      [
        [37, 'sequential', [43]],
        [50, 'sequential', [54, 57]],
        [122, 'sequential', [125, 127]],
        [154, 'sequential', [148]],
        [88, 'functional', [72, 83]],
      ],
    );
    const m154 = models.find((m) => m.range.line === 153)!;
    assert.deepEqual(m154.alternatives.map((l) => l.range.line + 1), [152]);
    assert.equal(models[0].input?.vocab, 1000);
  });
});

describe('keras-team/keras-io examples/nlp/lstm_seq2seq.py', () => {
  const text = corpus('keras_io_lstm_seq2seq.py');
  const layers = findLayers(text, 'python');

  it('finds the encoder and decoder, not the layers reloaded from a saved model', () => {
    assert.deepEqual(lines(layers), [32, 44]);
    const enc = at(layers, 32);
    assert.equal(enc.units, 256);
    assert.equal(enc.unitsText, 'latent_dim');
    assert.equal(enc.returnState, true);
    assert.equal(enc.returnSequences, false);
    assert.equal(enc.inputDim, null, 'num_encoder_tokens = len(...) is not a literal');
    const dec = at(layers, 44);
    assert.equal(dec.returnSequences, true);
    assert.equal(dec.returnState, true);
    assert.deepEqual(dec.head, { units: null, activation: 'softmax', timeDistributed: true, lastStep: false });
  });

  it('links encoder and decoder through initial_state into one model', () => {
    const models = findModels(text, 'python');
    assert.equal(models.length, 1);
    assert.equal(models[0].style, 'functional');
    assert.equal(models[0].range.line + 1, 51);
    assert.equal(models[0].name, 'model');
    assert.deepEqual(models[0].recurrent.map((r) => r.range.line + 1), [32, 44]);
  });
});

describe('keras-team/keras-io examples/nlp/addition_rnn.py', () => {
  const text = corpus('keras_io_addition_rnn.py');
  const layers = findLayers(text, 'python');

  it('evaluates DIGITS + 1 + DIGITS and follows RepeatVector', () => {
    assert.deepEqual(lines(layers), [50, 61]);
    const enc = at(layers, 50);
    assert.equal(enc.timesteps, 7);
    assert.equal(enc.inputDim, null);
    assert.ok(enc.symbolic.some((s) => s.name === 'input_shape' && s.text === '(MAXLEN, len(chars))'));
    const dec = at(layers, 61);
    assert.equal(dec.returnSequences, true);
    assert.equal(dec.inputDim, 128);
    assert.equal(dec.timesteps, 4);
    assert.deepEqual(dec.head, { units: null, activation: 'softmax', timeDistributed: true, lastStep: false });
  });
});

describe('keras-team/keras examples/babi_rnn.py (Keras 1 era)', () => {
  const text = corpus('keras_babi_rnn.py');
  it('follows RNN = recurrent.LSTM', () => {
    const layers = findLayers(text, 'python');
    assert.deepEqual(lines(layers), [69, 74]);
    for (const l of layers) {
      assert.equal(l.kind, 'lstm');
      assert.equal(l.className, 'RNN');
      assert.equal(l.units, 50);
      assert.equal(l.returnSequences, false);
    }
    assert.equal(at(layers, 69).inputDim, 50, 'Embedding(vocab_size, EMBED_HIDDEN_SIZE)');
    const models = findModels(text, 'python');
    assert.deepEqual(models.map((m) => [m.name, m.range.line + 1]), [['qrnn', 66], ['model', 72]]);
  });
});

describe('microsoft/samples-for-ai examples/keras/NTM/model_lstm.py', () => {
  it('resolves a module constant inside a function and keeps a parameter symbolic', () => {
    const layers = findLayers(corpus('samples_for_ai_ntm_model_lstm.py'), 'python');
    assert.deepEqual(lines(layers), [21, 22, 23]);
    assert.equal(at(layers, 21).units, 256);
    assert.equal(at(layers, 21).returnSequences, true);
    assert.equal(at(layers, 22).inputDim, 256);
    const last = at(layers, 23);
    assert.equal(last.units, null);
    assert.equal(last.unitsText, 'output_dim');
    assert.deepEqual(last.symbolic, [{ name: 'units', text: 'output_dim' }]);
  });
});

describe('MehreenTariq12/mehru JSON_BOOK_Programs/31_LSTM_for_Sequences.py', () => {
  it('skips the model inside a triple-quoted string and reads Keras 1 names', () => {
    const layers = findLayers(corpus('mehru_lstm_for_sequences.py'), 'python');
    assert.deepEqual(lines(layers), [39]);
    const l = layers[0];
    assert.equal(l.units, 100);
    assert.equal(l.recurrentActivation, 'hard_sigmoid', 'Keras 1 code ran with hard_sigmoid gates');
    assert.equal(l.inputDim, 32);
    assert.equal(l.timesteps, 500);
    assert.deepEqual(l.head, { units: 1, activation: 'sigmoid', timeDistributed: false, lastStep: false });
  });
});

describe('tensorflow/tfjs-examples', () => {
  it('lstm-text-generation/model.js: computed returnSequences stays symbolic', () => {
    const layers = findLayers(corpus('tfjs_lstm_text_generation_model.js'), 'javascript');
    assert.deepEqual(lines(layers), [20]);
    const l = layers[0];
    assert.equal(l.framework, 'tfjs');
    assert.equal(l.kind, 'lstm');
    assert.equal(l.units, null);
    assert.equal(l.unitsText, 'lstmLayerSize');
    assert.equal(l.returnSequences, null);
    assert.equal(l.recurrentActivation, 'hard_sigmoid');
    assert.deepEqual(
      l.symbolic.map((s) => s.name),
      ['units', 'returnSequences', 'inputShape'],
    );
  });

  it('sentiment/train.js: bidirectional({layer: lstm(...)}) and the branch choice', () => {
    const text = corpus('tfjs_sentiment_train.js');
    const layers = findLayers(text, 'javascript');
    assert.deepEqual(lines(layers), [58, 60, 63]);
    assert.equal(at(layers, 58).kind, 'simple_rnn');
    assert.equal(at(layers, 60).units, 32);
    assert.deepEqual(at(layers, 63).bidirectional, { mergeMode: 'concat' });
    const [model] = findModels(text, 'javascript');
    assert.deepEqual(model.layers.map((l) => l.role), ['embedding', 'recurrent', 'dense']);
    assert.deepEqual(model.alternatives.map((l) => l.range.line + 1), [60, 63]);
    assert.deepEqual(at(layers, 58).head, { units: 1, activation: 'sigmoid', timeDistributed: false, lastStep: false });
  });

  it('addition-rnn/index.js: switch arms, RepeatVector and timeDistributed(dense)', () => {
    const text = corpus('tfjs_addition_rnn.js');
    const layers = findLayers(text, 'javascript');
    assert.deepEqual(lines(layers), [20, 27, 34, 46, 53, 60]);
    assert.equal(at(layers, 27).resetAfter, false, 'TF.js GRU is reset-before');
    assert.equal(at(layers, 46).returnSequences, true);
    const [model] = findModels(text, 'javascript');
    assert.equal(model.range.line + 1, 17);
    assert.deepEqual(model.recurrent.map((l) => l.range.line + 1), [20, 46]);
    assert.deepEqual(model.alternatives.map((l) => l.range.line + 1), [27, 34, 53, 60]);
    assert.deepEqual(at(layers, 46).head, { units: null, activation: 'linear', timeDistributed: true, lastStep: false });
  });
});

describe('pytorch/examples', () => {
  it('word_language_model/model.py: getattr(nn, rnn_type) gives the alternatives its guard names', () => {
    const text = corpus('pytorch_word_language_model.py');
    const layers = findLayers(text, 'python');
    assert.deepEqual(lines(layers), [17, 17, 24]);
    const [a, b] = layers.filter((l) => l.range.line === 16);
    assert.deepEqual([a.kind, b.kind], ['lstm', 'gru']);
    assert.equal(a.range.character, 23);
    for (const l of layers) {
      assert.equal(l.framework, 'pytorch');
      assert.equal(l.returnSequences, true);
      assert.equal(l.returnState, true);
      assert.equal(l.units, null);
      assert.equal(l.unitsText, 'nhid');
    }
    const rnn = at(layers, 24);
    assert.equal(rnn.kind, 'simple_rnn');
    assert.ok(rnn.symbolic.some((s) => s.name === 'nonlinearity'));
    const [model] = findModels(text, 'python');
    assert.equal(model.style, 'subclass');
    assert.equal(model.name, 'RNNModel');
    assert.equal(model.range.line + 1, 8);
    assert.deepEqual(model.layers.map((l) => l.role), ['passthrough', 'embedding', 'recurrent', 'dense']);
    assert.deepEqual(model.alternatives.map((l) => `${l.kind}@${l.range.line + 1}`), ['simple_rnn@24', 'gru@17']);
  });

  it('time_sequence_prediction/train.py: LSTMCell step cells with sizes', () => {
    const text = corpus('pytorch_time_sequence_prediction.py');
    const r = parseSource(text, 'python');
    assert.deepEqual(lines(r.layers.map((l) => l.spec)), [16, 17]);
    const [c1, c2] = r.layers;
    assert.equal(c1.spec.inputDim, 1);
    assert.equal(c1.spec.units, 51);
    assert.equal(c2.spec.inputDim, 51);
    assert.equal(c1.details.stepCell, true);
    assert.deepEqual(c2.spec.head, { units: 1, activation: 'linear', timeDistributed: true, lastStep: false });
    assert.equal(r.models[0].name, 'Sequence');
  });
});

describe('tensorflow/docs site/en/tutorials/text/text_generation.ipynb', () => {
  it('finds the GRU in its cell; the function parameter shadows the constant of an earlier cell', () => {
    const nb = parseNotebook(corpus('tf_docs_text_generation.ipynb'));
    assert.equal(nb.layers.length, 1);
    const l = nb.layers[0];
    assert.equal(l.cell, 4);
    assert.equal(l.spec.range.line + 1, 5);
    assert.equal(l.spec.kind, 'gru');
    assert.equal(l.spec.units, null);
    assert.equal(l.spec.unitsText, 'rnn_units');
    assert.equal(l.spec.returnSequences, true);
    assert.equal(l.details.stateful, true);
    assert.deepEqual(l.spec.head, { units: null, activation: 'linear', timeDistributed: true, lastStep: false });
  });
});
