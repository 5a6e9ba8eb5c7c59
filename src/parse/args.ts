// Arguments: positional tables per framework and version, Keras 1 names, and reading each value
// as a literal, a resolved constant, or symbolic source text. Tables are RNN-SEMANTICS §1.1/§3.1.
import type { ActivationName } from '../spec';
import type { Call } from './calls';
import type { Flavor } from './recognize';
import type { ConstantLookup } from './locals';
import type { Scope } from './scope';
import { evalNumber, readValue, sourceText, type Value, type ValueContext } from './values';

export interface Env {
  ctx: ValueContext;
  scope: Scope;
  python: boolean;
  /** Constants as seen at a token position (function scopes first in Python). */
  lookup: ConstantLookup;
}

function numberAt(env: Env, pos: number): (name: string) => number | null {
  return (name) => {
    const v = env.lookup(name, pos);
    return typeof v === 'number' ? v : null;
  };
}

export interface BoundArg {
  value: Value;
  text: string;
  /** The name as the code wrote it (keyword or camelCase key), or the table's name for a positional. */
  written: string;
}

/** An argument as bound from a call: its value and text are read on first use (many never are). */
class CallArg implements BoundArg {
  private read: Value | undefined;
  private source: string | undefined;

  constructor(
    private readonly ctx: ValueContext,
    /** Token range of the value. */
    private readonly s: number,
    private readonly e: number,
    readonly written: string,
    value?: Value,
  ) {
    this.read = value;
  }

  get value(): Value {
    return (this.read ??= readValue(this.ctx, this.s, this.e));
  }

  get text(): string {
    return (this.source ??= sourceText(this.ctx.t, this.s, this.e));
  }
}

export interface Bound {
  args: Map<string, BoundArg>;
  /** `*args`, `**kwargs` or `...spread`: any argument not seen may still be set. */
  spread: boolean;
  /** Keras 1 names were used (output_dim, inner_activation, …). */
  keras1: boolean;
}

const INIT_REG = [
  'kernel_initializer', 'recurrent_initializer', 'bias_initializer',
];
const REG_CON = [
  'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer',
  'kernel_constraint', 'recurrent_constraint', 'bias_constraint',
];

/** Keras 3 (keras>=3, tf.keras from TF 2.16). */
const K3 = {
  simple_rnn: ['units', 'activation', 'use_bias', ...INIT_REG, ...REG_CON, 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'seed'],
  lstm: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, 'unit_forget_bias', ...REG_CON, 'dropout', 'recurrent_dropout', 'seed', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'use_cudnn'],
  gru: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, ...REG_CON, 'dropout', 'recurrent_dropout', 'seed', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'reset_after', 'use_cudnn'],
};

/** tf.keras 2.x / tf_keras. */
const K2 = {
  simple_rnn: ['units', 'activation', 'use_bias', ...INIT_REG, ...REG_CON, 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'],
  lstm: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, 'unit_forget_bias', ...REG_CON, 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'time_major', 'unroll'],
  gru: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, ...REG_CON, 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'time_major', 'reset_after'],
};

/** TF 1.15: `implementation` sits before `return_sequences` in LSTM and GRU. */
const V1 = {
  simple_rnn: K2.simple_rnn,
  lstm: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, 'unit_forget_bias', ...REG_CON, 'dropout', 'recurrent_dropout', 'implementation', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'],
  gru: ['units', 'activation', 'recurrent_activation', 'use_bias', ...INIT_REG, ...REG_CON, 'dropout', 'recurrent_dropout', 'implementation', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'reset_after'],
};

const CUDNN = {
  lstm: ['units', ...INIT_REG, 'unit_forget_bias', ...REG_CON, 'return_sequences', 'return_state', 'go_backwards', 'stateful'],
  gru: ['units', ...INIT_REG, ...REG_CON, 'return_sequences', 'return_state', 'go_backwards', 'stateful'],
};

/** Keras 1 signatures (only when the call uses Keras 1 names). */
const K1 = {
  simple_rnn: ['output_dim', 'init', 'inner_init', 'activation', 'W_regularizer', 'U_regularizer', 'b_regularizer', 'dropout_W', 'dropout_U'],
  lstm: ['output_dim', 'init', 'inner_init', 'forget_bias_init', 'activation', 'inner_activation', 'W_regularizer', 'U_regularizer', 'b_regularizer', 'dropout_W', 'dropout_U'],
  gru: ['output_dim', 'init', 'inner_init', 'activation', 'inner_activation', 'W_regularizer', 'U_regularizer', 'b_regularizer', 'dropout_W', 'dropout_U'],
};

/**
 * Keras 1 → Keras 2 names, as keras/legacy/interfaces.py translates them. A Map: testing an
 * object for a key read from the source interns that string first, which costs more here.
 */
export const KERAS1_NAMES: ReadonlyMap<string, string> = new Map([
  ['output_dim', 'units'],
  ['init', 'kernel_initializer'],
  ['inner_init', 'recurrent_initializer'],
  ['inner_activation', 'recurrent_activation'],
  ['W_regularizer', 'kernel_regularizer'],
  ['U_regularizer', 'recurrent_regularizer'],
  ['b_regularizer', 'bias_regularizer'],
  ['dropout_W', 'dropout'],
  ['dropout_U', 'recurrent_dropout'],
  ['consume_less', 'implementation'],
  ['forget_bias_init', 'unit_forget_bias'],
]);

export const KERAS_RNN_WRAPPER = {
  k3: ['cell', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask'],
  k2: ['cell', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'time_major'],
};
export const KERAS_BIDIRECTIONAL = ['layer', 'merge_mode', 'weights', 'backward_layer'];
export const KERAS_TIME_DISTRIBUTED = ['layer'];
export const KERAS_DENSE = ['units', 'activation', 'use_bias'];
export const KERAS_EMBEDDING = ['input_dim', 'output_dim'];
export const KERAS_INPUT = ['shape', 'batch_size'];

export const TORCH_TABLES = {
  rnn: ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional', 'device', 'dtype'],
  lstm: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype'],
  gru: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'device', 'dtype'],
  rnnCell: ['input_size', 'hidden_size', 'bias', 'nonlinearity', 'device', 'dtype'],
  cell: ['input_size', 'hidden_size', 'bias', 'device', 'dtype'],
  linear: ['in_features', 'out_features', 'bias'],
  embedding: ['num_embeddings', 'embedding_dim'],
};

/** Positional table of a Keras recurrent layer (or cell: same leading arguments) for a flavor. */
export function kerasTable(kind: 'simple_rnn' | 'lstm' | 'gru', flavor: Flavor, keras1: boolean): readonly string[] {
  if (keras1) return K1[kind];
  switch (flavor) {
    case 'standalone':
      return ['units']; // legacy_recurrent_support: a TypeError for anything more
    case 'cudnn':
      return kind === 'simple_rnn' ? ['units'] : CUDNN[kind];
    case 'v1':
      return V1[kind];
    case 'k2':
      return K2[kind];
    default:
      return K3[kind];
  }
}

export function usesKeras1Names(call: Call): boolean {
  return call.args.some((a) => a.name !== null && KERAS1_NAMES.has(a.name));
}

/** Python call arguments against a positional table; keyword names renamed through `rename`. */
export function bindPython(env: Env, call: Call, table: readonly string[], rename?: ReadonlyMap<string, string>): Bound {
  const args = new Map<string, BoundArg>();
  let spread = false;
  let pos = 0;
  let positionalOpen = true;
  let keras1 = false;
  for (const a of call.args) {
    if (a.star) {
      spread = true;
      if (a.star === 1) positionalOpen = false;
      continue;
    }
    let name: string;
    let written: string;
    if (a.name !== null) {
      written = a.name;
      name = a.name;
    } else {
      if (!positionalOpen || pos >= table.length) {
        pos++;
        continue;
      }
      name = table[pos++];
      written = name;
    }
    const renamed = rename?.get(name);
    if (renamed !== undefined) {
      keras1 = true;
      name = renamed;
    }
    args.set(name, new CallArg(env.ctx, a.start, a.end, written));
  }
  return { args, spread, keras1 };
}

/**
 * The snake_case name of every key the analysis asks a TF.js config for, by its camelCase
 * spelling: a map lookup instead of a string built character by character for each key of each
 * config. Other keys are converted as they come.
 */
const SNAKE_OF = new Map<string, string>();
for (const name of [
  ...K3.lstm, ...K3.gru, ...K2.lstm, ...K2.gru, ...KERAS_RNN_WRAPPER.k3, ...KERAS_BIDIRECTIONAL, ...KERAS_DENSE, ...KERAS_EMBEDDING, ...KERAS_INPUT,
  'input_shape', 'batch_input_shape', 'batch_shape', 'input_dim', 'input_length', 'layers', 'name',
]) {
  SNAKE_OF.set(name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), name);
}

function snake(key: string): string {
  return SNAKE_OF.get(key) ?? toSnake(key);
}

function toSnake(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) out += (i > 0 ? '_' : '') + String.fromCharCode(c + 32);
    else out += key[i];
  }
  return out;
}

/** TF.js: the single config object; camelCase keys are stored under their Keras snake_case names. */
export function bindJsConfig(env: Env, call: Call): Bound {
  const args = new Map<string, BoundArg>();
  const first = call.args[0];
  if (!first) return { args, spread: false, keras1: false };
  const v = readValue(env.ctx, first.start, first.end);
  if (v.k !== 'object') return { args, spread: true, keras1: false };
  let spread = false;
  for (const p of v.props) {
    if (!p.key) {
      spread = true;
      continue;
    }
    args.set(snake(p.key), new CallArg(env.ctx, p.value.s, p.value.e, p.key, p.value));
  }
  return { args, spread, keras1: false };
}

export interface Resolved<T> {
  value: T | null;
  /** Source text ('' when the argument is absent). */
  readonly text: string;
  /** Present but neither a literal nor a resolvable constant. */
  symbolic: boolean;
}

/** A resolved argument whose source text is read only when asked for (a symbolic value's is; most are never). */
class Resolution<T> implements Resolved<T> {
  constructor(
    readonly value: T | null,
    readonly symbolic: boolean,
    private readonly from: BoundArg | null,
  ) {}

  get text(): string {
    return this.from ? this.from.text : '';
  }
}

const ABSENT = new Resolution<never>(null, false, null);

/** A value as a number: a literal or resolved constant, null for None; undefined when symbolic. */
function numberOf(env: Env, v: Value): number | null | undefined {
  if (v.k === 'num') return v.v;
  if (v.k === 'none') return null;
  if (v.k === 'name' && v.e - v.s === 1) {
    const c = env.lookup(v.path, v.s);
    return typeof c === 'number' && Number.isFinite(c) ? c : undefined;
  }
  return evalNumber(env.ctx.t, v.s, v.e, numberAt(env, v.s)) ?? undefined;
}

/** `numberOf` for a positive integer size: anything else is symbolic. */
function sizeOf(env: Env, v: Value): number | null | undefined {
  const n = numberOf(env, v);
  return n === null || n === undefined || (Number.isInteger(n) && n > 0) ? n : undefined;
}

export function numberArg(env: Env, b: BoundArg | undefined): Resolved<number> {
  if (!b) return ABSENT;
  const n = numberOf(env, b.value);
  return new Resolution(n ?? null, n === undefined, b);
}

/** A positive integer size (units, dims); anything else is symbolic. */
export function sizeArg(env: Env, b: BoundArg | undefined): Resolved<number> {
  if (!b) return ABSENT;
  const n = sizeOf(env, b.value);
  return new Resolution(n ?? null, n === undefined, b);
}

export function boolArg(env: Env, b: BoundArg | undefined): Resolved<boolean> {
  if (!b) return ABSENT;
  const v = b.value;
  if (v.k === 'bool') return new Resolution(v.v, false, b);
  if (v.k === 'num') return new Resolution(v.v !== 0, false, b);
  if (v.k === 'none') return new Resolution(false, false, b);
  if (v.k === 'name' && !v.path.includes('.')) {
    const c = env.lookup(v.path, v.s);
    if (typeof c === 'boolean') return new Resolution(c, false, b);
  }
  return new Resolution<boolean>(null, true, b);
}

export function stringArg(env: Env, b: BoundArg | undefined): Resolved<string> {
  if (!b) return ABSENT;
  const v = b.value;
  if (v.k === 'str') return new Resolution(v.v, false, b);
  if (v.k === 'name' && !v.path.includes('.')) {
    const c = env.lookup(v.path, v.s);
    if (typeof c === 'string') return new Resolution(c, false, b);
  }
  return new Resolution<string>(null, true, b);
}

/** Activation names our engine runs; `hard_sigmoid` means 0.2x+0.5 except under Keras 3 (x/6+0.5). */
export function activationName(name: string, flavor: Flavor): ActivationName | null {
  switch (name.toLowerCase().replace(/_/g, '')) {
    case 'tanh':
      return 'tanh';
    case 'relu':
      return 'relu';
    case 'sigmoid':
      return 'sigmoid';
    case 'linear':
      return 'linear';
    case 'hardsigmoid':
      return flavor === 'k3' ? 'hard_sigmoid_k3' : 'hard_sigmoid';
    default:
      return null;
  }
}

/**
 * An activation argument: a string, `None`/`null` (linear), or a function reference such as
 * `tf.nn.relu`, `keras.activations.tanh`, `torch.tanh`.
 */
export function activationArg(env: Env, b: BoundArg | undefined, flavor: Flavor): Resolved<ActivationName> {
  if (!b) return ABSENT;
  const v = b.value;
  if (v.k === 'none') return new Resolution<ActivationName>('linear', false, b);
  let name: string | null = null;
  if (v.k === 'str') name = v.v;
  else if (v.k === 'name') {
    const c = v.path.includes('.') ? undefined : env.lookup(v.path, v.s);
    name = typeof c === 'string' ? c : v.path.slice(v.path.lastIndexOf('.') + 1);
  }
  const a = name === null ? null : activationName(name, flavor);
  return new Resolution(a, a === null, b);
}

/**
 * `(T, D)` / `[T, D]` / `(None, D)`; each entry a size or null. Null when not a literal sequence.
 * A Resolution like every argument, not a literal with a `text` getter: that literal cost a
 * closure and a map of its own per call.
 */
export function shapeArg(env: Env, b: BoundArg | undefined): Resolved<(number | null)[]> {
  if (!b) return ABSENT;
  const v = b.value;
  if (v.k === 'num' && Number.isInteger(v.v)) return new Resolution([v.v], false, b);
  if (v.k !== 'seq') return new Resolution<(number | null)[]>(null, true, b);
  let symbolic = false;
  const dims: (number | null)[] = [];
  for (const item of v.items) {
    const n = item.k === 'none' ? null : sizeOf(env, item);
    if (n === undefined) symbolic = true;
    dims.push(n ?? null);
  }
  return new Resolution(dims, symbolic, b);
}
