// What a parsed layer returns and weighs: output shapes and return structure (RNN-SEMANTICS §1.3,
// §1.5, §3.2) and parameter counts (§1.2, §3.3). Pure functions of the spec, so the lens, the
// hover and the CLI say the same thing.
import { CELL_DISPLAY_NAME, GATE_COUNT, headClassName, type LayerSpec } from '../spec';
import type { ModelSpec } from './containers';
import type { LayerDetails } from './normalize';

/** The PyTorch facts LayerSpec does not carry; defaults describe a plain one-layer, time-major module. */
export type ShapeExtras = Partial<Pick<LayerDetails, 'numLayers' | 'batchFirst' | 'projSize' | 'stepCell'>>;

export interface ReturnedTensor {
  /** e.g. `output`, `h_n`, `state_h`, `state_c_bwd`. */
  name: string;
  shape: string;
}

export interface LayerDescription {
  returnKind: 'many-to-one' | 'many-to-many';
  /** Shape of the first returned value (the output), e.g. `(batch, T, 128)`. */
  outputShape: string;
  /** Every returned tensor in order (one entry when the layer returns a single tensor). */
  returns: ReturnedTensor[];
  /** Python-ish structure, e.g. `[output, state_h, state_c]`, `(output, (h_n, c_n))`. */
  returnStructure: string;
  /** Trainable parameters; null when the input size or units are unknown. */
  paramCount: number | null;
  /** Argument names that were not literals, with their text. */
  symbolic: { name: string; text: string }[];
}

function sizeText(n: number | null, fallback: string): string {
  return n === null ? fallback : String(n);
}

function unitsLabel(spec: LayerSpec): string {
  return spec.units !== null ? String(spec.units) : spec.unitsText || 'H';
}

function kerasShapes(spec: LayerSpec): { returns: ReturnedTensor[]; structure: string } {
  const H = unitsLabel(spec);
  const T = sizeText(spec.timesteps, 'T');
  const mode = spec.bidirectional?.mergeMode;
  const width = spec.bidirectional && mode === 'concat' ? (spec.units !== null ? String(2 * spec.units) : `2·${H}`) : H;
  const lead = spec.inTimeDistributed ? 'batch, T_outer, ' : 'batch, ';
  const seq = (w: string): string => (spec.returnSequences ? `(${lead}${T}, ${w})` : `(${lead}${w})`);
  const state = `(batch, ${H})`;
  const returns: ReturnedTensor[] = [];
  if (spec.bidirectional && mode === null) returns.push({ name: 'output_fwd', shape: seq(H) }, { name: 'output_bwd', shape: seq(H) });
  else returns.push({ name: 'output', shape: seq(width) });
  if (spec.returnState) {
    const states = spec.kind === 'lstm' ? ['state_h', 'state_c'] : ['state_h'];
    if (spec.bidirectional) {
      for (const s of states) returns.push({ name: `${s}_fwd`, shape: state });
      for (const s of states) returns.push({ name: `${s}_bwd`, shape: state });
    } else for (const s of states) returns.push({ name: s, shape: state });
  }
  const structure = returns.length === 1 ? returns[0].name : `[${returns.map((r) => r.name).join(', ')}]`;
  return { returns, structure };
}

function torchShapes(spec: LayerSpec, x: ShapeExtras): { returns: ReturnedTensor[]; structure: string } {
  const H = unitsLabel(spec);
  const dirs = spec.bidirectional ? 2 : 1;
  const hOut = x.projSize ? String(x.projSize) : H;
  if (x.stepCell) {
    const h: ReturnedTensor = { name: "h'", shape: `(batch, ${H})` };
    if (spec.kind === 'lstm') return { returns: [h, { name: "c'", shape: `(batch, ${H})` }], structure: "(h', c')" };
    return { returns: [h], structure: "h'" };
  }
  const L = sizeText(spec.timesteps, 'L');
  const width = dirs === 2 ? (x.projSize ? String(2 * x.projSize) : spec.units !== null ? String(2 * spec.units) : `2·${H}`) : hOut;
  const output = x.batchFirst ? `(batch, ${L}, ${width})` : `(${L}, batch, ${width})`;
  const layers = x.numLayers === null ? 'num_layers' : String(x.numLayers ?? 1);
  const stack = dirs === 2 ? (x.numLayers === null ? `2·num_layers` : String(2 * (x.numLayers ?? 1))) : layers;
  const returns: ReturnedTensor[] = [{ name: 'output', shape: output }, { name: 'h_n', shape: `(${stack}, batch, ${hOut})` }];
  if (spec.kind === 'lstm') {
    returns.push({ name: 'c_n', shape: `(${stack}, batch, ${H})` });
    return { returns, structure: '(output, (h_n, c_n))' };
  }
  return { returns, structure: '(output, h_n)' };
}

/** Trainable parameters (RNN-SEMANTICS §1.2 table, §3.3), counting both directions of a bidirectional layer. */
export function paramCount(spec: LayerSpec, x: ShapeExtras = {}): number | null {
  const H = spec.units;
  const D = spec.inputDim;
  if (H === null || D === null) return null;
  const G = GATE_COUNT[spec.kind];
  const dirs = spec.bidirectional ? 2 : 1;
  if (spec.framework === 'pytorch') {
    const bias = spec.useBias ? 2 * G * H : 0;
    if (x.stepCell) return G * H * (D + H) + bias;
    const L = x.numLayers ?? 1;
    if (x.numLayers === null) return null;
    const P = x.projSize ?? 0;
    const hOut = P > 0 ? P : H;
    let total = 0;
    for (let k = 0; k < L; k++) {
      const inK = k === 0 ? D : dirs * hOut;
      total += dirs * (G * H * inK + G * H * hOut + bias + (P > 0 ? P * H : 0));
    }
    return total;
  }
  const biasPerGate = !spec.useBias ? 0 : spec.kind === 'gru' && spec.resetAfter ? 2 : 1;
  return dirs * G * H * (D + H + biasPerGate);
}

export function describeLayer(spec: LayerSpec, extras: ShapeExtras = {}): LayerDescription {
  const s = spec.framework === 'pytorch' ? torchShapes(spec, extras) : kerasShapes(spec);
  // PyTorch layers (and the cells a user loops) yield an output per step: returnSequences is true.
  const manyToMany = spec.returnSequences === true;
  return {
    returnKind: manyToMany ? 'many-to-many' : 'many-to-one',
    outputShape: s.returns[0].shape,
    returns: s.returns,
    returnStructure: s.structure,
    paramCount: paramCount(spec, extras),
    symbolic: spec.symbolic,
  };
}

/** `LSTM(64)`, `Bidirectional(GRU(32))`, `nn.LSTM(…, 128)` style label. */
export function layerLabel(spec: LayerSpec): string {
  const inner = `${CELL_DISPLAY_NAME[spec.kind]}(${unitsLabel(spec)})`;
  if (spec.bidirectional && spec.framework !== 'pytorch') return `Bidirectional(${inner})`;
  if (spec.bidirectional) return `bidirectional ${inner}`;
  return inner;
}

/** The lens title: `▶ Unroll LSTM(64) · many-to-one · (batch, 64)`. */
export type Translate = (message: string, ...args: (string | number)[]) => string;
/** English with `{0}` placeholders filled: the default when no translator is given. */
const english: Translate = (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

export function lensTitle(spec: LayerSpec, extras: ShapeExtras = {}, t: Translate = english): string {
  const d = describeLayer(spec, extras);
  const kind = spec.returnSequences === null && spec.framework !== 'pytorch' ? 'return_sequences?' : d.returnKind;
  return `▶ ${t('Unroll')} ${layerLabel(spec)} · ${kind} · ${d.outputShape}`;
}

/** The model lens title: `▶ Unroll model · Embedding → LSTM(128) → LSTM(64) → Dense(10)`. */
export function modelLensTitle(model: ModelSpec, t: Translate = english): string {
  const parts: string[] = [];
  for (const l of model.layers) {
    if (l.role === 'recurrent' && l.layer) parts.push(layerLabel(l.layer));
    else if (l.role === 'embedding') parts.push('Embedding');
    else if (l.role === 'dense') parts.push(`${l.timeDistributed ? 'TimeDistributed(Dense' : headClassName(model.framework)}(${l.units ?? '?'})${l.timeDistributed ? ')' : ''}`);
  }
  return `▶ ${t('Unroll')} ${model.name ?? t('model')} · ${parts.join(' → ')}`;
}

/**
 * Hover text for a layer (Markdown): return structure with shapes, parameter count, the values
 * that were not literals, and the parser's notes.
 */
export function hoverMarkdown(spec: LayerSpec, extras: ShapeExtras & { notes?: string[] } = {}, t: Translate = english): string {
  const d = describeLayer(spec, extras);
  const lines = [`**${layerLabel(spec)}** · ${spec.framework} · ${d.returnKind}`, '', t('returns {0}', `\`${d.returnStructure}\``), ''];
  for (const r of d.returns) lines.push(`- \`${r.name}\`: \`${r.shape}\``);
  lines.push('');
  lines.push(t('parameters: {0}', d.paramCount === null ? t('unknown (input size or units not known)') : d.paramCount.toLocaleString('en-US')));
  const input = spec.inputDim !== null || spec.timesteps !== null ? t('input: {0}', `(batch, ${spec.timesteps ?? 'T'}, ${spec.inputDim ?? 'D'})`) : null;
  if (input) lines.push('', input);
  if (spec.head) {
    const h = spec.head;
    // PyTorch's Linear has no activation and no TimeDistributed: it acts on the last axis.
    const head =
      spec.framework === 'pytorch'
        ? `Linear(${h.units ?? '?'})`
        : `${h.timeDistributed ? 'TimeDistributed(' : ''}Dense(${h.units ?? '?'}, ${h.activation})${h.timeDistributed ? ')' : ''}`;
    lines.push('', t('head: {0}', h.lastStep ? t('{0}, on the last step only', head) : head));
  }
  if (spec.symbolic.length) {
    lines.push('', t('not literals in the code (defaults used):'));
    for (const s of spec.symbolic) lines.push(`- \`${s.name}\` = \`${s.text}\``);
  }
  for (const n of extras.notes ?? []) lines.push('', t('note: {0}', n));
  return lines.join('\n');
}
