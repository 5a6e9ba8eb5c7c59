// One Keras layer config → what kind of layer it is for us and the settings we need (RNN-SEMANTICS
// §1.1, §1.5). Weights are matched later (assemble.ts); shapes elsewhere (shapes.ts).
import type { ActivationName, CellKind, MergeMode } from '../../spec';
import { bool, isObject, num, obj, str, type JsonObject } from '../json';
import type { KerasLayerConfig } from './config';

export interface RnnConfig {
  cell: CellKind;
  className: string;
  name: string;
  units: number;
  /** null: an activation the engine does not implement (the raw name is kept for the message). */
  activation: ActivationName | null;
  activationRaw: string;
  recurrentActivation: ActivationName | null;
  recurrentActivationRaw: string;
  useBias: boolean;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  unroll: boolean;
  dropout: number;
  recurrentDropout: number;
  unitForgetBias: boolean | null;
  /** GRU: null when the config has no `reset_after` key (Keras ≤ 2.2); decided from the bias shape. */
  resetAfter: boolean | null;
}

export type LayerPlan =
  | { kind: 'rnn'; rnn: RnnConfig }
  | { kind: 'bidirectional'; forward: RnnConfig; backward: RnnConfig; mergeMode: MergeMode }
  | { kind: 'dense'; units: number; activation: string; useBias: boolean; timeDistributed: boolean }
  | { kind: 'embedding'; inputDim: number; outputDim: number; maskZero: boolean }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'other' };

const CELLS: Record<string, CellKind> = {
  SimpleRNN: 'simple_rnn',
  LSTM: 'lstm',
  GRU: 'gru',
  SimpleRNNCell: 'simple_rnn',
  LSTMCell: 'lstm',
  GRUCell: 'gru',
};

const UNSUPPORTED_RECURRENT: Record<string, string> = {
  CuDNNLSTM: 'CuDNNLSTM stores its weights in cuDNN layout (bias 8·units); rebuild the model with LSTM and load the weights in Keras, then save again',
  CuDNNGRU: 'CuDNNGRU stores its weights in cuDNN layout (bias 6·units); rebuild the model with GRU(reset_after=True) and save again',
  ConvLSTM1D: 'convolutional recurrent layers (ConvLSTM1D) are not unrolled',
  ConvLSTM2D: 'convolutional recurrent layers (ConvLSTM2D) are not unrolled',
  ConvLSTM3D: 'convolutional recurrent layers (ConvLSTM3D) are not unrolled',
  StackedRNNCells: 'RNN over stacked cells is not unrolled; use one layer per cell',
};

/** True for class names that hold a recurrence, supported or not (used for "no recurrent layer" messages). */
export function isRecurrentClass(className: string): boolean {
  return className in CELLS || className in UNSUPPORTED_RECURRENT || className === 'RNN' || className === 'Bidirectional';
}

/**
 * Keras activation names (snake_case; TF.js camelCase) → ours. `hard_sigmoid` depends on who
 * trained the model: Keras 2 / TF.js use clip(0.2x+0.5), Keras 3 clip(x/6+0.5) (RNN-SEMANTICS §0.3).
 */
export function toActivation(raw: unknown, keras3: boolean): { name: ActivationName | null; raw: string } {
  let s: unknown = raw;
  // Keras 3 may serialise an activation as {module, class_name: 'function', config: 'tanh'}.
  if (isObject(s)) s = typeof s.config === 'string' ? s.config : str(s, 'class_name');
  if (s === null || s === undefined) return { name: 'linear', raw: 'linear' };
  if (typeof s !== 'string') return { name: null, raw: String(s) };
  const snake = s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  switch (snake) {
    case 'linear':
    case 'tanh':
    case 'relu':
    case 'sigmoid':
      return { name: snake, raw: s };
    case 'hard_sigmoid':
      return { name: keras3 ? 'hard_sigmoid_k3' : 'hard_sigmoid', raw: s };
    default:
      return { name: null, raw: s };
  }
}

function rnnConfig(className: string, name: string, cfg: JsonObject, cellCfg: JsonObject, keras3: boolean): RnnConfig | string {
  const cell = CELLS[className];
  // Keras 1 names (output_dim, inner_activation) were still read by Keras 2.0–2.3.
  const units = num(cellCfg, 'units') ?? num(cellCfg, 'output_dim');
  if (units === null || !Number.isInteger(units) || units < 1) return `${className} '${name}' has no valid units in its config`;
  const act = toActivation(cellCfg.activation === undefined ? 'tanh' : cellCfg.activation, keras3);
  const recRaw = cellCfg.recurrent_activation ?? cellCfg.inner_activation ?? 'sigmoid';
  const rec = cell === 'simple_rnn' ? { name: 'sigmoid' as const, raw: 'sigmoid' } : toActivation(recRaw, keras3);
  const resetAfter = cell === 'gru' && typeof cellCfg.reset_after === 'boolean' ? cellCfg.reset_after : cell === 'gru' ? null : false;
  return {
    cell,
    className,
    name,
    units,
    activation: act.name,
    activationRaw: act.raw,
    recurrentActivation: rec.name,
    recurrentActivationRaw: rec.raw,
    useBias: bool(cellCfg, 'use_bias', true),
    returnSequences: bool(cfg, 'return_sequences', false),
    returnState: bool(cfg, 'return_state', false),
    goBackwards: bool(cfg, 'go_backwards', false),
    stateful: bool(cfg, 'stateful', false),
    unroll: bool(cfg, 'unroll', false),
    dropout: num(cellCfg, 'dropout') ?? 0,
    recurrentDropout: num(cellCfg, 'recurrent_dropout') ?? 0,
    unitForgetBias: cell === 'lstm' ? bool(cellCfg, 'unit_forget_bias', true) : null,
    resetAfter,
  };
}

/** A recurrent layer config (SimpleRNN/LSTM/GRU or RNN(cell)) → RnnConfig, or why not. */
function recurrentOf(className: string, cfg: JsonObject, keras3: boolean, fallbackName: string): RnnConfig | string {
  const name = str(cfg, 'name') ?? fallbackName;
  if (className in UNSUPPORTED_RECURRENT) return UNSUPPORTED_RECURRENT[className];
  if (className === 'RNN') {
    const cell = cfg.cell;
    if (Array.isArray(cell)) return UNSUPPORTED_RECURRENT.StackedRNNCells;
    if (!isObject(cell)) return `RNN '${name}' has no cell in its config`;
    const cellClass = str(cell, 'class_name') ?? '';
    if (!(cellClass in CELLS) || !cellClass.endsWith('Cell')) {
      return cellClass in UNSUPPORTED_RECURRENT ? UNSUPPORTED_RECURRENT[cellClass] : `RNN '${name}' wraps a custom cell (${cellClass || 'unknown'}), which cannot be unrolled`;
    }
    return rnnConfig(cellClass.replace(/Cell$/, ''), name, cfg, obj(cell, 'config') ?? {}, keras3);
  }
  if (!(className in CELLS)) return `${className} is not a recurrent layer`;
  return rnnConfig(className, name, cfg, cfg, keras3);
}

export function planLayer(layer: KerasLayerConfig, keras3: boolean): LayerPlan {
  const { className, config } = layer;
  if (className in CELLS || className === 'RNN' || className in UNSUPPORTED_RECURRENT) {
    const r = recurrentOf(className, config, keras3, layer.name);
    if (typeof r === 'string') return { kind: 'unsupported', reason: r };
    return { kind: 'rnn', rnn: { ...r, name: layer.name } };
  }
  if (className === 'Bidirectional') {
    const inner = obj(config, 'layer');
    if (inner === null) return { kind: 'unsupported', reason: `Bidirectional '${layer.name}' has no wrapped layer in its config` };
    const innerClass = str(inner, 'class_name') ?? '';
    const fwd = recurrentOf(innerClass, obj(inner, 'config') ?? {}, keras3, 'forward');
    if (typeof fwd === 'string') return { kind: 'unsupported', reason: fwd };
    const backwardCfg = obj(config, 'backward_layer');
    let bwd: RnnConfig | string;
    if (backwardCfg !== null) {
      bwd = recurrentOf(str(backwardCfg, 'class_name') ?? '', obj(backwardCfg, 'config') ?? {}, keras3, 'backward');
      if (typeof bwd === 'string') return { kind: 'unsupported', reason: bwd };
    } else {
      // Without an explicit backward_layer, Keras copies the forward config with go_backwards flipped.
      bwd = { ...fwd, name: `backward_${fwd.name}`, goBackwards: !fwd.goBackwards };
    }
    const mm = config.merge_mode === undefined ? 'concat' : config.merge_mode;
    const mergeMode: MergeMode = mm === null ? null : mm === 'concat' || mm === 'sum' || mm === 'mul' || mm === 'ave' ? mm : 'concat';
    if (mm !== null && mm !== 'concat' && mm !== 'sum' && mm !== 'mul' && mm !== 'ave') {
      return { kind: 'unsupported', reason: `Bidirectional '${layer.name}' has an unknown merge_mode ${JSON.stringify(mm)}` };
    }
    return { kind: 'bidirectional', forward: fwd, backward: bwd, mergeMode };
  }
  if (className === 'Dense' || className === 'TimeDistributed') {
    let cfg = config;
    let timeDistributed = false;
    if (className === 'TimeDistributed') {
      const inner = obj(config, 'layer');
      if (inner === null || str(inner, 'class_name') !== 'Dense') return { kind: 'other' };
      cfg = obj(inner, 'config') ?? {};
      timeDistributed = true;
    }
    const units = num(cfg, 'units') ?? num(cfg, 'output_dim');
    if (units === null) return { kind: 'other' };
    const act = toActivation(cfg.activation, keras3);
    return { kind: 'dense', units, activation: act.raw, useBias: bool(cfg, 'use_bias', true), timeDistributed };
  }
  if (className === 'Embedding') {
    const inputDim = num(config, 'input_dim');
    const outputDim = num(config, 'output_dim');
    if (inputDim === null || outputDim === null) return { kind: 'other' };
    return { kind: 'embedding', inputDim, outputDim, maskZero: bool(config, 'mask_zero', false) };
  }
  return { kind: 'other' };
}

/** The wrapped class for wrappers, for display. */
export function innerClassOf(layer: KerasLayerConfig): string | null {
  if (layer.className === 'Bidirectional' || layer.className === 'TimeDistributed') {
    const inner = obj(layer.config, 'layer');
    return inner ? str(inner, 'class_name') : null;
  }
  if (layer.className === 'RNN') {
    const cell = layer.config.cell;
    return isObject(cell) ? str(cell, 'class_name') : Array.isArray(cell) ? 'StackedRNNCells' : null;
  }
  return null;
}
