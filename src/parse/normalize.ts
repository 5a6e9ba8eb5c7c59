// One recognized recurrent constructor → a normalized LayerSpec: each framework's arguments read
// against its table, its defaults applied where the code is silent (Keras 3, with the tf.compat.v1 /
// standalone Keras 2 / Keras 1 / CuDNN / TF.js / PyTorch differences), and every value that is
// not a literal kept as source text in `symbolic`.
import { kerasDefaults, type ActivationName, type CellKind, type LayerSpec, type SourceRange } from '../spec';
import {
  KERAS1_NAMES,
  KERAS_RNN_WRAPPER,
  TORCH_TABLES,
  activationArg,
  bindJsConfig,
  bindPython,
  boolArg,
  kerasTable,
  numberArg,
  shapeArg,
  sizeArg,
  usesKeras1Names,
  type Bound,
  type BoundArg,
  type Env,
  type Resolved,
} from './args';
import type { Call } from './calls';
import { TK_STRING } from './tokens';
import type { Flavor, Recognized } from './recognize';
import { sourceText } from './values';

/** What the parser knows beyond LayerSpec (PyTorch stacking, cells, where the layer sits). */
export interface LayerDetails {
  /** Call id of the constructor (the cell's call for `RNN(LSTMCell(...))`). */
  call: number;
  /** Outermost wrapper call (RNN / Bidirectional / TimeDistributed) or the constructor itself. */
  outerCall: number;
  flavor: Flavor;
  /** PyTorch `num_layers` (1 elsewhere); null when symbolic. */
  numLayers: number | null;
  /** PyTorch `batch_first`: false is time-major `(T, N, F)`. Null elsewhere or when symbolic. */
  batchFirst: boolean | null;
  /** PyTorch LSTM `proj_size` (0 = none). */
  projSize: number | null;
  /** PyTorch `*Cell`: one time step per call (the user's loop unrolls it). */
  stepCell: boolean;
  /** Built from a Keras/TF.js cell inside `RNN(...)`. */
  viaRnnWrapper: boolean;
  stateful: boolean | null;
  /** Other possible classes at the same site (an alias bound in several branches). */
  alternativeOf: number | null;
  /** Human-readable remarks (unsupported activation, TF.js rejecting reset_after=True, …). */
  notes: string[];
  /** Lines (0-based, inclusive) the outermost call spans, wrappers included (spans.ts); -1 until recorded. */
  firstLine: number;
  lastLine: number;
}

export interface FoundLayer {
  spec: LayerSpec;
  details: LayerDetails;
}

export function rangeOf(env: Env, tok: number): SourceRange {
  const t = env.ctx.t;
  const line = t.line[tok];
  const first = t.lineStarts[line];
  // A name or operator ends on its own line; only a string may run onto others.
  const b = t.kind[tok] === TK_STRING ? t.position(t.end[tok]) : { line, character: t.end[tok] - first };
  return { line, character: t.start[tok] - first, endLine: b.line, endCharacter: b.character };
}

class SpecBuilder {
  readonly symbolic: { name: string; text: string }[] = [];
  readonly notes: string[] = [];

  constructor(readonly bound: Bound) {}

  /** Records a symbolic value under the name the code used; returns the resolved value. */
  take<T>(key: string, r: Resolved<T>): T | null {
    if (r.symbolic) {
      const written = this.bound.args.get(key)?.written ?? key;
      this.symbolic.push({ name: written, text: r.text });
    }
    return r.value;
  }

  arg(key: string): BoundArg | undefined {
    return this.bound.args.get(key);
  }

  /** A flag: the literal, else null when symbolic or possibly hidden in `**kwargs`, else the default. */
  flag(env: Env, key: string, dflt: boolean): boolean | null {
    const b = this.arg(key);
    if (!b) return this.bound.spread ? null : dflt;
    return this.take(key, boolArg(env, b));
  }

  /** A setting the engine needs as a concrete value: the default stands in when symbolic. */
  setting(env: Env, key: string, dflt: boolean): boolean {
    return this.take(key, boolArg(env, this.arg(key))) ?? dflt;
  }

  activation(env: Env, key: string, flavor: Flavor, dflt: ActivationName): ActivationName {
    const r = activationArg(env, this.arg(key), flavor);
    if (r.symbolic && this.arg(key)) this.notes.push(`${this.arg(key)!.written}=${r.text} is not one of tanh/relu/sigmoid/linear/hard_sigmoid: using ${dflt}`);
    return this.take(key, r) ?? dflt;
  }

  /** input_shape / batch_input_shape / input_dim / input_length (Keras, TF.js camelCase stored as snake). */
  input(env: Env, into: { inputDim: number | null; timesteps: number | null }): void {
    for (const key of ['input_shape', 'batch_input_shape', 'batch_shape', 'shape']) {
      const b = this.arg(key);
      if (!b) continue;
      const s = shapeArg(env, b);
      if (s.symbolic) this.symbolic.push({ name: b.written, text: s.text });
      if (!s.value) continue;
      const dims = key === 'input_shape' || key === 'shape' ? s.value : s.value.slice(1);
      if (dims.length >= 1) into.inputDim = dims[dims.length - 1] ?? into.inputDim;
      if (dims.length >= 2) into.timesteps = dims[dims.length - 2] ?? into.timesteps;
    }
    const d = this.take('input_dim', sizeArg(env, this.arg('input_dim')));
    if (d !== null) into.inputDim = d;
    const l = this.take('input_length', sizeArg(env, this.arg('input_length')));
    if (l !== null) into.timesteps = l;
  }
}

function blankSpec(env: Env, call: Call, rec: Recognized, kind: CellKind): LayerSpec {
  // Field by field, not `...kerasDefaults(kind)`: a spread amid other fields takes V8's slow path.
  const d = kerasDefaults(kind);
  return {
    framework: rec.framework,
    kind,
    className: sourceText(env.ctx.t, call.calleeStart, call.open),
    units: null,
    unitsText: '',
    inputDim: null,
    timesteps: null,
    activation: d.activation,
    recurrentActivation: d.recurrentActivation,
    useBias: d.useBias,
    returnSequences: d.returnSequences,
    returnState: d.returnState,
    goBackwards: d.goBackwards,
    resetAfter: d.resetAfter,
    bidirectional: null,
    inTimeDistributed: false,
    head: null,
    range: rangeOf(env, call.nameTok >= 0 ? call.nameTok : call.calleeStart),
    symbolic: [],
  };
}

function details(call: Call, flavor: Flavor): LayerDetails {
  return {
    call: call.id,
    outerCall: call.id,
    flavor,
    numLayers: 1,
    batchFirst: null,
    projSize: null,
    stepCell: false,
    viaRnnWrapper: false,
    stateful: false,
    alternativeOf: null,
    notes: [],
    firstLine: -1,
    lastLine: -1,
  };
}

/** Cells take the layer's leading arguments up to `recurrent_dropout`, without `activity_regularizer`. */
function cellTable(table: readonly string[]): string[] {
  const end = table.indexOf('recurrent_dropout');
  return table.slice(0, end < 0 ? table.length : end + 1).filter((n) => n !== 'activity_regularizer');
}

function bindKeras(env: Env, call: Call, kind: CellKind, flavor: Flavor, cell: boolean): Bound {
  const keras1 = usesKeras1Names(call);
  const table = kerasTable(kind, flavor, keras1);
  return bindPython(env, call, cell ? cellTable(table) : table, KERAS1_NAMES);
}

/**
 * A Keras or TF.js layer. For `RNN(cell)` the cell's call gives units and activations and the
 * wrapper's call gives the flags and input shape.
 */
function kerasLike(env: Env, call: Call, rec: Recognized, kind: CellKind, wrapper: Call | null): FoundLayer {
  const tfjs = rec.framework === 'tfjs';
  const cellBound = tfjs ? bindJsConfig(env, call) : bindKeras(env, call, kind, rec.flavor, wrapper !== null);
  let bound = cellBound;
  if (wrapper) {
    const w = tfjs ? bindJsConfig(env, wrapper) : bindPython(env, wrapper, rec.flavor === 'k3' ? KERAS_RNN_WRAPPER.k3 : KERAS_RNN_WRAPPER.k2);
    const merged = new Map(cellBound.args);
    for (const [k, v] of w.args) if (k !== 'cell') merged.set(k, v);
    bound = { args: merged, spread: cellBound.spread || w.spread, keras1: cellBound.keras1 };
  }
  const legacy = bound.keras1 || rec.flavor === 'v1' || rec.flavor === 'standalone';
  // Keras 1 code ran with hard_sigmoid gates and the reset-before GRU; so did TF1.
  const flavor: Flavor = tfjs ? 'tfjs' : bound.keras1 && rec.flavor === 'k3' ? 'k2' : rec.flavor;
  const spec = blankSpec(env, call, rec, kind);
  const det = details(call, flavor);
  det.viaRnnWrapper = wrapper !== null;
  if (wrapper) det.outerCall = wrapper.id;
  const b = new SpecBuilder(bound);

  const units = b.arg('units');
  spec.units = b.take('units', sizeArg(env, units));
  spec.unitsText = units?.text ?? '';

  const recDefault: ActivationName = tfjs || (legacy && rec.flavor !== 'standalone') || bound.keras1 ? 'hard_sigmoid' : 'sigmoid';
  const activationGiven = b.arg('activation');
  if (tfjs && kind === 'simple_rnn' && activationGiven?.value.k === 'none') {
    spec.activation = 'tanh'; // tfjs simpleRNN treats activation: null as its default
  } else if (rec.flavor !== 'cudnn') {
    spec.activation = b.activation(env, 'activation', flavor, 'tanh');
  }
  // SimpleRNN has no gates: its recurrentActivation only records the framework's default.
  if (kind === 'simple_rnn') spec.recurrentActivation = tfjs ? 'hard_sigmoid' : 'sigmoid';
  else if (rec.flavor === 'cudnn') spec.recurrentActivation = 'sigmoid';
  else spec.recurrentActivation = b.activation(env, 'recurrent_activation', flavor, recDefault);
  spec.useBias = b.setting(env, 'use_bias', true);
  spec.returnSequences = b.flag(env, 'return_sequences', false);
  spec.returnState = b.flag(env, 'return_state', false);
  spec.goBackwards = b.setting(env, 'go_backwards', false);
  det.stateful = b.flag(env, 'stateful', false);
  if (kind === 'gru') {
    const dflt = rec.flavor === 'cudnn' ? true : !(tfjs || legacy || bound.keras1);
    spec.resetAfter = b.setting(env, 'reset_after', dflt);
    if (tfjs && spec.resetAfter) {
      det.notes.push('TF.js GRU supports only resetAfter: false');
      spec.resetAfter = false;
    }
  } else spec.resetAfter = false;
  b.input(env, spec);
  spec.symbolic = b.symbolic;
  det.notes.push(...b.notes);
  return { spec, details: det };
}

function pytorch(env: Env, call: Call, rec: Recognized, kind: CellKind): FoundLayer {
  const cell = rec.role === 'cell';
  const table = cell ? (kind === 'simple_rnn' ? TORCH_TABLES.rnnCell : TORCH_TABLES.cell) : kind === 'simple_rnn' ? TORCH_TABLES.rnn : kind === 'lstm' ? TORCH_TABLES.lstm : TORCH_TABLES.gru;
  const bound = bindPython(env, call, table);
  const b = new SpecBuilder(bound);
  const spec = blankSpec(env, call, rec, kind);
  const det = details(call, 'pytorch');
  det.stepCell = cell;
  const hidden = b.arg('hidden_size');
  spec.units = b.take('hidden_size', sizeArg(env, hidden));
  spec.unitsText = hidden?.text ?? '';
  spec.inputDim = b.take('input_size', sizeArg(env, b.arg('input_size')));
  if (kind === 'simple_rnn') spec.activation = b.activation(env, 'nonlinearity', 'pytorch', 'tanh');
  spec.recurrentActivation = 'sigmoid';
  spec.useBias = b.setting(env, 'bias', true);
  // PyTorch modules always return the whole output sequence and the final state(s).
  spec.returnSequences = true;
  spec.returnState = true;
  spec.goBackwards = false;
  spec.resetAfter = kind === 'gru'; // PyTorch's GRU applies r after the recurrent matmul
  if (!cell) {
    const layers = b.arg('num_layers');
    det.numLayers = layers ? b.take('num_layers', sizeArg(env, layers)) : 1;
    det.batchFirst = b.setting(env, 'batch_first', false);
    const bidi = boolArg(env, b.arg('bidirectional'));
    if (b.take('bidirectional', bidi)) spec.bidirectional = { mergeMode: 'concat' };
    if (kind === 'lstm') {
      const proj = numberArg(env, b.arg('proj_size'));
      det.projSize = b.take('proj_size', proj) ?? 0;
    }
  }
  det.stateful = null;
  spec.symbolic = b.symbolic;
  det.notes.push(...b.notes);
  return { spec, details: det };
}

/** Builds the layer for a recognized recurrent call (`rnn`, or `cell` inside `wrapper`, or a PyTorch cell). */
export function buildLayer(env: Env, call: Call, rec: Recognized, wrapper: Call | null = null): FoundLayer | null {
  if (!rec.kind) return null;
  if (rec.framework === 'pytorch') return pytorch(env, call, rec, rec.kind);
  return kerasLike(env, call, rec, rec.kind, wrapper);
}
