// What each fixture holds, copied from ../shared/fixtures/models/README.md (read there with h5py /
// zipfile / a stub unpickler, independently of this code). Keras weight shapes are the saved shapes;
// PyTorch ones are the README's raw shapes put into Keras layout by RNN-SEMANTICS §3.5:
// weight_ih (G·H, D) → kernel [D, G·H]; weight_hh (G·H, H) → recurrent_kernel [H, G·H];
// LSTM/RNN bias [G·H] (summed), GRU bias [2, G·H] (stacked); Linear weight (out, in) → kernel [in, out].
import type { ModelFormat } from '../../../src/models';

export interface ExpectedLayer {
  class: string;
  name: string;
  units?: number;
  /** Recurrent layers: return_sequences, reset_after, activations, merge mode. */
  rs?: boolean;
  resetAfter?: boolean;
  act?: string;
  rec?: string;
  merge?: 'concat';
  inputShape?: (number | null)[];
  /** Exact weight shapes in our layout (recurrent, Dense, Embedding layers). */
  weights?: Record<string, number[]>;
}

export interface ExpectedModel {
  file: string;
  format: ModelFormat;
  layers: ExpectedLayer[];
}

const rnnW = (D: number, H: number, gH: number, bias: number[]) => ({ kernel: [D, gH], recurrent_kernel: [H, gH], bias });
const biW = (D: number, H: number, gH: number) => {
  const w = rnnW(D, H, gH, [gH]);
  return {
    'forward/kernel': w.kernel,
    'forward/recurrent_kernel': w.recurrent_kernel,
    'forward/bias': w.bias,
    'backward/kernel': w.kernel,
    'backward/recurrent_kernel': w.recurrent_kernel,
    'backward/bias': w.bias,
  };
};
const dense = (name: string, units: number, inF?: number): ExpectedLayer => ({ class: 'Dense', name, units, ...(inF !== undefined ? { weights: { kernel: [inF, units], bias: [units] } } : {}) });
const plain = (cls: string, name: string): ExpectedLayer => ({ class: cls, name });

const trafficGru: ExpectedLayer[] = [
  { class: 'GRU', name: 'gru_1', units: 64, rs: true, resetAfter: false, act: 'tanh', rec: 'hard_sigmoid', inputShape: [null, 12, 1], weights: rnnW(1, 64, 192, [192]) },
  { class: 'GRU', name: 'gru_2', units: 64, rs: false, resetAfter: false, act: 'tanh', rec: 'hard_sigmoid', weights: rnnW(64, 64, 192, [192]) },
  plain('Dropout', 'dropout_1'),
  dense('dense_1', 1, 64),
];

const trafficLstm: ExpectedLayer[] = [
  { class: 'LSTM', name: 'lstm_1', units: 64, rs: true, act: 'tanh', rec: 'hard_sigmoid', inputShape: [null, 12, 1], weights: rnnW(1, 64, 256, [256]) },
  { class: 'LSTM', name: 'lstm_2', units: 64, rs: false, act: 'tanh', rec: 'hard_sigmoid', weights: rnnW(64, 64, 256, [256]) },
  plain('Dropout', 'dropout_1'),
  dense('dense_1', 1, 64),
];

const music: ExpectedLayer[] = [
  { class: 'InputLayer', name: 'XT', inputShape: [null, 387, 17] },
  { class: 'InputLayer', name: 'XP', inputShape: [null, 387, 52] },
  plain('Masking', 'MT'),
  plain('Masking', 'MP'),
  plain('Concatenate', 'MergeX'),
  { class: 'GRU', name: 'gru_1', units: 128, rs: true, resetAfter: false, act: 'tanh', rec: 'hard_sigmoid', weights: rnnW(69, 128, 384, [384]) },
  plain('Dropout', 'dropout_3'),
  { class: 'GRU', name: 'gru_2', units: 128, rs: true, resetAfter: false, act: 'tanh', rec: 'hard_sigmoid', weights: rnnW(128, 128, 384, [384]) },
  dense('dense_4', 128),
  plain('Dropout', 'dropout_4'),
  { class: 'TimeDistributed', name: 'YT', units: 17, weights: { kernel: [128, 17], bias: [17] } },
  { class: 'TimeDistributed', name: 'YP', units: 52, weights: { kernel: [128, 52], bias: [52] } },
];

function bitcoin(cls: 'GRU' | 'LSTM' | 'SimpleRNN', names: string[], drops: string[], denseName: string): ExpectedLayer[] {
  const g = cls === 'GRU' ? 3 : cls === 'LSTM' ? 4 : 1;
  const bias = cls === 'GRU' ? [2, 150] : [g * 50];
  const rec = cls === 'SimpleRNN' ? undefined : 'sigmoid';
  const layer = (i: number): ExpectedLayer => ({
    class: cls,
    name: names[i],
    units: 50,
    rs: i < 2,
    act: 'tanh',
    ...(rec ? { rec } : {}),
    ...(cls === 'GRU' ? { resetAfter: true } : {}),
    ...(i === 0 ? { inputShape: [null, 24, 2] } : {}),
    weights: rnnW(i === 0 ? 2 : 50, 50, g * 50, bias),
  });
  return [
    { class: 'InputLayer', name: `${names[0]}_input`, inputShape: [null, 24, 2] },
    layer(0),
    plain('Dropout', drops[0]),
    layer(1),
    plain('Dropout', drops[1]),
    layer(2),
    plain('Dropout', drops[2]),
    dense(denseName, 1, 50),
  ];
}

const mlpasutGru: ExpectedLayer[] = [
  { class: 'InputLayer', name: 'input_layer_1', inputShape: [null, 30, 1] },
  { class: 'GRU', name: 'gru', units: 64, rs: true, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(1, 64, 192, [2, 192]) },
  plain('Dropout', 'dropout'),
  { class: 'GRU', name: 'gru_1', units: 64, rs: false, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(64, 64, 192, [2, 192]) },
  plain('Dropout', 'dropout_1'),
  dense('dense_1', 1, 64),
];

const mlpasutBilstm: ExpectedLayer[] = [
  { class: 'InputLayer', name: 'input_layer', inputShape: [null, 30, 1] },
  { class: 'Bidirectional', name: 'bidirectional', units: 64, rs: true, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(1, 64, 256) },
  { class: 'Bidirectional', name: 'bidirectional_1', units: 64, rs: false, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(128, 64, 256) },
  dense('dense', 1, 128),
];

const flight: ExpectedLayer[] = [
  { class: 'InputLayer', name: 'input_layer_1', inputShape: [null, 7, 1] },
  { class: 'Bidirectional', name: 'bidirectional', units: 64, rs: true, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(1, 64, 256) },
  plain('BatchNormalization', 'batch_normalization_3'),
  plain('Dropout', 'dropout_3'),
  { class: 'Bidirectional', name: 'bidirectional_1', units: 32, rs: false, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(128, 32, 128) },
  plain('BatchNormalization', 'batch_normalization_4'),
  plain('Dropout', 'dropout_4'),
  dense('dense_4', 64, 64),
  plain('Dropout', 'dropout_5'),
  dense('dense_5', 32, 64),
  dense('dense_6', 1, 32),
];

const legacyGruLayers: ExpectedLayer[] = Array.from({ length: 32 }, (_, k) => ({
  class: 'nn.GRU',
  name: `gru.l${k}`,
  units: 32,
  rs: true,
  resetAfter: true,
  act: 'tanh',
  rec: 'sigmoid',
  weights: rnnW(k === 0 ? 8 : 32, 32, 96, [2, 96]),
}));

export const EXPECTED: ExpectedModel[] = [
  { file: 'keras21-h5-traffic-gru-lstm/gru.h5', format: 'keras-h5', layers: trafficGru },
  { file: 'keras21-h5-traffic-gru-lstm/lstm.h5', format: 'keras-h5', layers: trafficLstm },
  { file: 'keras21-json-weights-music-gru/model_gru.json', format: 'keras-h5-weights', layers: music },
  { file: 'keras21-json-weights-music-gru/model_gru.h5', format: 'keras-h5-weights', layers: music },
  { file: 'keras2-h5-bitcoin-rnns/model_gru.h5', format: 'keras-h5', layers: bitcoin('GRU', ['gru_12', 'gru_13', 'gru_14'], ['dropout_46', 'dropout_47', 'dropout_48'], 'dense_19') },
  { file: 'keras2-h5-bitcoin-rnns/model_lstm.h5', format: 'keras-h5', layers: bitcoin('LSTM', ['lstm_12', 'lstm_13', 'lstm_14'], ['dropout_43', 'dropout_44', 'dropout_45'], 'dense_18') },
  { file: 'keras2-h5-bitcoin-rnns/model_rnn.h5', format: 'keras-h5', layers: bitcoin('SimpleRNN', ['simple_rnn_9', 'simple_rnn_10', 'simple_rnn_11'], ['dropout_51', 'dropout_52', 'dropout_53'], 'dense_22') },
  {
    file: 'keras2-h5-gru-varlen/gru_model.h5',
    format: 'keras-h5',
    layers: [
      { class: 'InputLayer', name: 'gru_input', inputShape: [null, null, 20] },
      { class: 'GRU', name: 'gru', units: 80, rs: false, resetAfter: true, act: 'tanh', rec: 'sigmoid', inputShape: [null, null, 20], weights: rnnW(20, 80, 240, [2, 240]) },
      dense('dense_2', 40, 80),
      dense('dense_3', 1, 40),
    ],
  },
  {
    file: 'keras2-h5-conv-lstm-sunspot/rnn_model.h5',
    format: 'keras-h5',
    layers: [
      { class: 'InputLayer', name: 'conv1d_3_input', inputShape: [null, null, 1] },
      { class: 'Conv1D', name: 'conv1d_3', units: 64 },
      { class: 'LSTM', name: 'lstm_9', units: 128, rs: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(64, 128, 512, [512]) },
      { class: 'LSTM', name: 'lstm_10', units: 64, rs: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(128, 64, 256, [256]) },
      { class: 'LSTM', name: 'lstm_11', units: 64, rs: false, act: 'tanh', rec: 'sigmoid', weights: rnnW(64, 64, 256, [256]) },
      dense('dense_9', 30),
      dense('dense_10', 10),
      dense('dense_11', 1),
    ],
  },
  {
    file: 'keras3-h5-gru-battery/gru_model.h5',
    format: 'keras-h5',
    layers: [
      { class: 'InputLayer', name: 'input_layer', inputShape: [null, 20, 5] },
      { class: 'GRU', name: 'gru', units: 64, rs: false, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(5, 64, 192, [2, 192]) },
      dense('dense', 1, 64),
    ],
  },
  {
    file: 'keras3-h5-gru-imdb/gru_model.h5',
    format: 'keras-h5',
    layers: [
      { class: 'InputLayer', name: 'input_layer_13', inputShape: [null, 200] },
      { class: 'Embedding', name: 'embedding_14', units: 64, weights: { embeddings: [10000, 64] } },
      { class: 'GRU', name: 'gru_4', units: 64, rs: false, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(64, 64, 192, [2, 192]) },
      dense('dense_17', 16),
      dense('dense_18', 1),
    ],
  },
  { file: 'keras3-mlpasut-gru-bilstm/model_gru.h5', format: 'keras-h5', layers: mlpasutGru },
  { file: 'keras3-mlpasut-gru-bilstm/model_gru.keras', format: 'keras-v3', layers: mlpasutGru },
  { file: 'keras3-mlpasut-gru-bilstm/model_bilstm.h5', format: 'keras-h5', layers: mlpasutBilstm },
  { file: 'keras3-mlpasut-gru-bilstm/model_bilstm.keras', format: 'keras-v3', layers: mlpasutBilstm },
  {
    file: 'tfjs-lstm-textgen-legacy/model.json',
    format: 'tfjs-layers',
    layers: [
      { class: 'LSTM', name: 'lstm_2', units: 128, rs: false, act: 'tanh', rec: 'hard_sigmoid', inputShape: [null, 40, 57], weights: rnnW(57, 128, 512, [512]) },
      dense('dense_3', 57, 128),
      plain('Activation', 'activation_2'),
    ],
  },
  { file: 'tfjs-flight-bilstm/model.json', format: 'tfjs-layers', layers: flight },
  { file: 'tfjs-flight-bilstm/head-variant/model.json', format: 'tfjs-layers', layers: flight },
  {
    file: 'tfjs-foulshot-k26/gru/model.json',
    format: 'tfjs-layers',
    layers: [
      { class: 'InputLayer', name: 'conv1d_input', inputShape: [null, null, 6] },
      { class: 'Conv1D', name: 'conv1d', units: 128 },
      { class: 'Conv1D', name: 'conv1d_1', units: 128 },
      { class: 'GRU', name: 'gru', units: 256, rs: true, resetAfter: false, act: 'tanh', rec: 'sigmoid', weights: rnnW(128, 256, 768, [768]) },
      { class: 'GRU', name: 'gru_1', units: 256, rs: false, resetAfter: false, act: 'tanh', rec: 'sigmoid', weights: rnnW(256, 256, 768, [768]) },
      dense('dense', 128, 256),
      plain('Dropout', 'dropout'),
      dense('dense_1', 64, 128),
      plain('Dropout', 'dropout_1'),
      dense('dense_2', 9, 64),
    ],
  },
  {
    file: 'tfjs-foulshot-k26/bilstm/model.json',
    format: 'tfjs-layers',
    layers: [
      { class: 'InputLayer', name: 'conv1d_input', inputShape: [null, null, 6] },
      { class: 'Conv1D', name: 'conv1d', units: 128 },
      { class: 'Bidirectional', name: 'bidirectional', units: 128, rs: true, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(128, 128, 512) },
      { class: 'Bidirectional', name: 'bidirectional_1', units: 64, rs: false, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(256, 64, 256) },
      dense('dense', 128, 128),
      dense('dense_1', 64, 128),
      dense('dense_2', 9, 64),
    ],
  },
  {
    file: 'tfjs-foulshot-k26/simple_rnn/model.json',
    format: 'tfjs-layers',
    layers: [
      { class: 'InputLayer', name: 'conv1d_1_input', inputShape: [null, null, 6] },
      { class: 'Conv1D', name: 'conv1d_1', units: 128 },
      { class: 'SimpleRNN', name: 'simple_rnn', units: 128, rs: true, act: 'tanh', weights: rnnW(128, 128, 128, [128]) },
      { class: 'SimpleRNN', name: 'simple_rnn_1', units: 64, rs: false, act: 'tanh', weights: rnnW(128, 64, 64, [64]) },
      dense('dense', 30, 64),
      dense('dense_1', 9, 30),
    ],
  },
  {
    file: 'pytorch-lstm-charrnn/lstm_model.pt',
    format: 'pytorch-state-dict',
    layers: [
      { class: 'nn.Embedding', name: 'embed', units: 128, weights: { embeddings: [128, 128] } },
      { class: 'nn.LSTM', name: 'LSTM', units: 128, rs: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(128, 128, 512, [512]) },
      { class: 'nn.Linear', name: 'fc', units: 128, weights: { kernel: [128, 128], bias: [128] } },
    ],
  },
  {
    file: 'pytorch-gru-stock/gru_model.pth',
    format: 'pytorch-state-dict',
    layers: [
      { class: 'nn.GRU', name: 'gru1', units: 64, rs: true, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(28, 64, 192, [2, 192]) },
      { class: 'nn.GRU', name: 'gru2', units: 32, rs: true, resetAfter: true, act: 'tanh', rec: 'sigmoid', weights: rnnW(64, 32, 96, [2, 96]) },
      { class: 'nn.Linear', name: 'fc', units: 1, weights: { kernel: [32, 1], bias: [1] } },
    ],
  },
  {
    file: 'pytorch-bilstm-names/bilstm.pt',
    format: 'pytorch-state-dict',
    layers: [
      { class: 'nn.LSTM', name: 'rnn.l0', units: 128, rs: true, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(57, 128, 512) },
      { class: 'nn.LSTM', name: 'rnn.l1', units: 128, rs: true, act: 'tanh', rec: 'sigmoid', merge: 'concat', weights: biW(256, 128, 512) },
      { class: 'nn.Linear', name: 'fc', units: 18, weights: { kernel: [256, 18], bias: [18] } },
    ],
  },
  {
    file: 'pytorch-fullmodule-rnn-audio/rnn.pt',
    format: 'pytorch-module',
    layers: [
      { class: 'nn.RNN', name: 'rnn.l0', units: 128, rs: true, act: 'tanh', weights: rnnW(60, 128, 128, [128]) },
      { class: 'nn.RNN', name: 'rnn.l1', units: 128, rs: true, act: 'tanh', weights: rnnW(128, 128, 128, [128]) },
      { class: 'nn.Linear', name: 'fc', units: 3, weights: { kernel: [128, 3], bias: [3] } },
    ],
  },
  {
    file: 'pytorch-legacy-gru-multilayer/gru.pt',
    format: 'pytorch-legacy',
    layers: [...legacyGruLayers, { class: 'nn.Linear', name: 'linear', units: 8, weights: { kernel: [32, 8], bias: [8] } }],
  },
];
