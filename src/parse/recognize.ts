// Which callee is which library class. Works on resolved dotted paths (see scope.ts), so
// `from tensorflow.keras import layers as L; L.LSTM` and `tf.keras.layers.LSTM` land on the same
// answer. Unbound names fall back to the usual spellings (`layers.LSTM`, `nn.GRU`, `tf.layers.gru`,
// bare `LSTM`), because notebook cells often import in another cell.
import type { CellKind, Framework } from '../spec';
import type { Scope } from './scope';

export type Role =
  | 'rnn' // SimpleRNN / LSTM / GRU layer (PyTorch nn.RNN/LSTM/GRU too)
  | 'cell' // Keras/TF.js cell, only a layer inside RNN(...); PyTorch *Cell, a layer of its own
  | 'rnnWrapper' // keras.layers.RNN / tf.layers.rnn
  | 'stackedCells'
  | 'bidirectional'
  | 'timeDistributed'
  | 'dense'
  | 'embedding'
  | 'input'
  | 'sequential'
  | 'model' // keras.Model(...) / tf.model(...) call, or a base class for subclassing
  | 'repeat' // RepeatVector: (batch, d) → (batch, n, d)
  | 'passthrough' // Dropout and friends: shape unchanged
  | 'layer'; // any other layer class of the library

/**
 * Which defaults apply: `k3` Keras 3 / tf.keras (default), `k2` tf.keras 2.x evidence, `v1`
 * tf.compat.v1 (hard_sigmoid, reset_after=False), `standalone` keras.layers.recurrent of Keras
 * 2.0–2.3 (only `units` positional, reset_after=False), `cudnn` CuDNNLSTM/CuDNNGRU.
 */
export type Flavor = 'k3' | 'k2' | 'v1' | 'standalone' | 'cudnn' | 'tfjs' | 'pytorch';

export interface Recognized {
  framework: Framework;
  role: Role;
  kind: CellKind | null;
  flavor: Flavor;
  /** Library class name (`LSTM`, `lstm`, `CuDNNGRU`). */
  cls: string;
}

const KERAS: Record<string, [Role, CellKind | null]> = {
  SimpleRNN: ['rnn', 'simple_rnn'],
  LSTM: ['rnn', 'lstm'],
  GRU: ['rnn', 'gru'],
  CuDNNLSTM: ['rnn', 'lstm'],
  CuDNNGRU: ['rnn', 'gru'],
  SimpleRNNCell: ['cell', 'simple_rnn'],
  LSTMCell: ['cell', 'lstm'],
  GRUCell: ['cell', 'gru'],
  RNN: ['rnnWrapper', null],
  StackedRNNCells: ['stackedCells', null],
  Bidirectional: ['bidirectional', null],
  TimeDistributed: ['timeDistributed', null],
  Dense: ['dense', null],
  Embedding: ['embedding', null],
  Input: ['input', null],
  InputLayer: ['input', null],
  Sequential: ['sequential', null],
  Model: ['model', null],
  Layer: ['model', null],
  RepeatVector: ['repeat', null],
  Dropout: ['passthrough', null],
  SpatialDropout1D: ['passthrough', null],
  GaussianNoise: ['passthrough', null],
  GaussianDropout: ['passthrough', null],
  Masking: ['passthrough', null],
  BatchNormalization: ['passthrough', null],
  LayerNormalization: ['passthrough', null],
};

const TORCH: Record<string, [Role, CellKind | null]> = {
  RNN: ['rnn', 'simple_rnn'],
  LSTM: ['rnn', 'lstm'],
  GRU: ['rnn', 'gru'],
  RNNCell: ['cell', 'simple_rnn'],
  LSTMCell: ['cell', 'lstm'],
  GRUCell: ['cell', 'gru'],
  Linear: ['dense', null],
  Embedding: ['embedding', null],
  Sequential: ['sequential', null],
  Module: ['model', null],
  Dropout: ['passthrough', null],
};

const TFJS_LAYERS: Record<string, [Role, CellKind | null]> = {
  simpleRNN: ['rnn', 'simple_rnn'],
  lstm: ['rnn', 'lstm'],
  gru: ['rnn', 'gru'],
  simpleRNNCell: ['cell', 'simple_rnn'],
  lstmCell: ['cell', 'lstm'],
  gruCell: ['cell', 'gru'],
  rnn: ['rnnWrapper', null],
  stackedRNNCells: ['stackedCells', null],
  bidirectional: ['bidirectional', null],
  timeDistributed: ['timeDistributed', null],
  dense: ['dense', null],
  embedding: ['embedding', null],
  inputLayer: ['input', null],
  repeatVector: ['repeat', null],
  dropout: ['passthrough', null],
  spatialDropout1d: ['passthrough', null],
  batchNormalization: ['passthrough', null],
  layerNormalization: ['passthrough', null],
  masking: ['passthrough', null],
};

const TFJS_TOP: Record<string, [Role, CellKind | null]> = {
  sequential: ['sequential', null],
  model: ['model', null],
  input: ['input', null],
};

/** Names that are library classes even when nothing in this text imports them. */
export function isKnownClassName(name: string): boolean {
  return Object.hasOwn(KERAS, name) && KERAS[name][0] !== 'model';
}

function kerasFlavor(parts: string[], cls: string, scope: Scope): Flavor {
  if (cls.startsWith('CuDNN')) return 'cudnn';
  const path = parts.join('.');
  if (path.includes('compat.v1')) return 'v1';
  if (parts[0] === 'keras' && (parts.includes('recurrent') || parts.includes('cudnn_recurrent'))) return 'standalone';
  if (parts[0] === 'tf_keras' || path.startsWith('tensorflow.python.keras') || scope.keras2) return 'k2';
  return 'k3';
}

function fromTable(table: Record<string, [Role, CellKind | null]>, cls: string, framework: Framework, flavor: Flavor): Recognized | null {
  if (!Object.hasOwn(table, cls)) return null;
  const [role, kind] = table[cls];
  return { framework, role, kind, flavor, cls };
}

function isKerasModule(parts: string[]): boolean {
  if (parts.length === 0) return true;
  if (parts.includes('keras') || parts[0] === 'tf_keras') return true;
  // Unbound `layers.LSTM` / `models.Sequential`: the usual `from keras import layers` lives elsewhere.
  return parts.length === 1 && (parts[0] === 'layers' || parts[0] === 'models');
}

function recognizePythonPath(path: string, scope: Scope): Recognized | null {
  const parts = path.split('.');
  const cls = parts.pop()!;
  if (parts.length > 0 && (parts[0] === 'torch' || (parts.length === 1 && parts[0] === 'nn'))) {
    if (!parts.includes('nn') && parts[0] !== 'torch') return null;
    return fromTable(TORCH, cls, 'pytorch', 'pytorch');
  }
  if (parts[0] === 'tf' && parts.length > 1) parts[0] = 'tensorflow';
  if (!isKerasModule(parts)) return null;
  return fromTable(KERAS, cls, 'keras', kerasFlavor(parts, cls, scope));
}

function recognizeJsPath(path: string): Recognized | null {
  const parts = path.split('.');
  const cls = parts.pop()!;
  // Unbound `tf` is the global of a <script> build.
  if (parts[0] === 'tf') parts[0] = 'tfjs';
  if (parts.length === 1 && parts[0] === 'tfjs') return fromTable(TFJS_TOP, cls, 'tfjs', 'tfjs');
  const layersNs = (parts.length === 2 && parts[0] === 'tfjs' && parts[1] === 'layers') || (parts.length === 1 && parts[0] === 'layers');
  return layersNs ? fromTable(TFJS_LAYERS, cls, 'tfjs', 'tfjs') : null;
}

/**
 * Every library class a callee may denote (several when an alias is bound in different branches),
 * without duplicates.
 */
const NONE: Recognized[] = [];

/** The class names recognition can answer for in one language (the pruning pre-scan looks for them). */
export function classNames(python: boolean): string[] {
  return python ? [...Object.keys(KERAS), ...Object.keys(TORCH)] : [...Object.keys(TFJS_LAYERS), ...Object.keys(TFJS_TOP)];
}

/** Every class name in one language's tables: most calls (print, np.zeros, model.fit) are rejected by one lookup. */
const PYTHON_CLASS_NAMES = new Set(classNames(true));
const JS_CLASS_NAMES = new Set(classNames(false));

/** Whether recognition may look at this callee at all (its last name is a class name of the language, or it is an alias). */
export function mayRecognize(callee: string, scope: Scope, python: boolean): boolean {
  const dot = callee.lastIndexOf('.');
  return (python ? PYTHON_CLASS_NAMES : JS_CLASS_NAMES).has(dot < 0 ? callee : callee.slice(dot + 1)) || (dot < 0 && scope.bindings.has(callee));
}

export function recognizeAll(callee: string, scope: Scope, python: boolean): Recognized[] {
  if (!callee || callee.charCodeAt(0) === 46) return NONE;
  if (!mayRecognize(callee, scope, python)) return NONE;
  const out: Recognized[] = [];
  for (const path of scope.resolve(callee)) {
    // The unbound spelling is a last resort: after a star import that matched, it is not an alternative.
    if (path === callee && out.length > 0) continue;
    const r = python ? recognizePythonPath(path, scope) : recognizeJsPath(path);
    if (r && !out.some((o) => o.role === r.role && o.kind === r.kind && o.framework === r.framework && o.cls === r.cls)) out.push(r);
  }
  return out;
}

export function recognize(callee: string, scope: Scope, python: boolean): Recognized | null {
  return recognizeAll(callee, scope, python)[0] ?? null;
}
