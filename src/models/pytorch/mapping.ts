// A PyTorch state_dict → layers in Keras layout (RNN-SEMANTICS §3.3–3.5):
// - nn.RNN/LSTM/GRU `weight_ih_l{k}[_reverse]` (G·H, D) → kernel (D, G·H) = W_ihᵀ, `weight_hh` →
//   recurrent_kernel = W_hhᵀ; LSTM and RNN biases summed (b_ih + b_hh); GRU gate blocks r,z,n →
//   z,r,h with reset_after=True and bias stacked (2, 3H) (b_hn sits inside r⊙(·): no sum);
// - one Keras layer per PyTorch layer k; `_reverse` → Bidirectional(concat) backward direction;
// - nn.Linear weight (out, in) → Dense kernel (in, out); nn.Embedding weight (V, E) as is.
import { GATE_COUNT, type CellKind, type Weights } from '../../spec';
import { ModelError } from '../errors';
import type { ModelLayer, RecurrentLayer } from '../types';
import type { TensorRef } from './pickle';
import type { StateDict, TorchModule } from './stateDict';

export type ReadTensor = (t: TensorRef) => Float64Array;

const RNN_PARAM = /^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$/;

/** Keras block j comes from PyTorch block PERM[j]: GRU swaps r and z. */
const PERM: Record<CellKind, number[]> = { simple_rnn: [0], lstm: [0, 1, 2, 3], gru: [1, 0, 2] };

export function mapStateDict(sd: StateDict, read: ReadTensor, what: string): ModelLayer[] {
  const groups = new Map<string, Map<string, TensorRef>>();
  for (const [key, t] of sd.tensors) {
    const dot = key.lastIndexOf('.');
    const prefix = dot < 0 ? '' : key.slice(0, dot);
    const param = key.slice(dot + 1);
    let g = groups.get(prefix);
    if (g === undefined) groups.set(prefix, (g = new Map()));
    g.set(param, t);
  }
  const layers: ModelLayer[] = [];
  for (const [prefix, params] of groups) {
    const module = sd.modules?.get(prefix) ?? null;
    if ([...params.keys()].some((k) => RNN_PARAM.test(k))) layers.push(...rnnLayers(prefix, params, module, read, what));
    else layers.push(otherLayer(prefix, params, module, read, what));
  }
  return layers;
}

function shortClass(qualified: string): string {
  const m = /^torch\.nn\.modules\.[a-z_]+\.(\w+)$/.exec(qualified);
  if (m) return `nn.${m[1]}`;
  return qualified.replace(/^__main__\./, '');
}

function base(className: string, name: string): ModelLayer {
  return {
    className,
    name,
    innerClassName: null,
    units: null,
    inputShape: null,
    outputShape: null,
    weightShapes: {},
    recurrent: null,
    dense: null,
    embedding: null,
    unsupported: null,
  };
}

function shape2(t: TensorRef | undefined): [number, number] | null {
  return t && t.shape.length === 2 ? [t.shape[0], t.shape[1]] : null;
}

function fmt(t: TensorRef | undefined): string {
  return t ? `[${t.shape.join(', ')}]` : 'missing';
}

function rnnLayers(prefix: string, params: Map<string, TensorRef>, module: TorchModule | null, read: ReadTensor, what: string): ModelLayer[] {
  const where = `${what}: ${prefix || 'the'} recurrent module`;
  let numLayers = 0;
  let reverse = false;
  for (const k of params.keys()) {
    const m = RNN_PARAM.exec(k);
    if (m) {
      numLayers = Math.max(numLayers, Number(m[2]) + 1);
      if (m[3]) reverse = true;
    }
  }
  const hh0 = shape2(params.get('weight_hh_l0'));
  const ih0 = shape2(params.get('weight_ih_l0'));
  if (hh0 === null || ih0 === null) throw new ModelError('corrupt', `${where} has no 2-D weight_ih_l0 / weight_hh_l0`);
  const modeAttr = module?.attrs.get('mode');
  const proj = module?.attrs.get('proj_size');
  const className = module ? shortClass(module.className) : null;
  if (params.has('weight_hr_l0') || (typeof proj === 'number' && proj > 0)) {
    const l = base(className ?? 'nn.LSTM', prefix || 'lstm');
    l.unsupported = 'LSTM with proj_size > 0 has no Keras equivalent (RNN-SEMANTICS §3.5)';
    for (const [k, t] of params) l.weightShapes[k] = t.shape;
    return [l];
  }
  const H = hh0[1];
  const G = hh0[0] / H;
  const cell: CellKind | null = G === 4 ? 'lstm' : G === 3 ? 'gru' : G === 1 ? 'simple_rnn' : null;
  if (cell === null || !Number.isInteger(G)) throw new ModelError('corrupt', `${where}: weight_hh_l0 ${fmt(params.get('weight_hh_l0'))} is not G·H × H for G = 1, 3 or 4`);
  const expectedMode = { simple_rnn: ['RNN_TANH', 'RNN_RELU'], lstm: ['LSTM'], gru: ['GRU'] }[cell];
  if (typeof modeAttr === 'string' && !expectedMode.includes(modeAttr)) throw new ModelError('corrupt', `${where}: mode ${modeAttr} does not match its weights (${G}·H rows)`);
  const assumptions: string[] = [];
  let activation: 'tanh' | 'relu' = 'tanh';
  if (cell === 'simple_rnn') {
    const nl = module?.attrs.get('nonlinearity');
    if (nl === 'relu' || modeAttr === 'RNN_RELU') activation = 'relu';
    else if (nl !== 'tanh' && modeAttr !== 'RNN_TANH') assumptions.push("nn.RNN's nonlinearity is not stored in a state_dict: assumed tanh");
  }
  const dropout = module?.attrs.get('dropout');
  if (typeof dropout === 'number' && dropout > 0 && numLayers > 1) assumptions.push(`PyTorch dropout=${dropout} between layers applies only in training and is not drawn`);
  const batchFirst = module?.attrs.get('batch_first');
  const dirs = reverse ? 2 : 1;
  const hasBias = params.has('bias_ih_l0');
  const out: ModelLayer[] = [];
  const cls = className ?? { simple_rnn: 'nn.RNN', lstm: 'nn.LSTM', gru: 'nn.GRU' }[cell];
  for (let k = 0; k < numLayers; k++) {
    const name = numLayers > 1 ? `${prefix || cls.replace(/^nn\./, '').toLowerCase()}.l${k}` : prefix || cls.replace(/^nn\./, '').toLowerCase();
    const expectedD = k === 0 ? ih0[1] : dirs * H;
    const directions: Weights[] = [];
    const layer = base(cls, name);
    for (let d = 0; d < dirs; d++) {
      const suffix = `_l${k}${d === 1 ? '_reverse' : ''}`;
      const w = directionWeights(cell, H, expectedD, hasBias, params, suffix, read, `${where} layer ${k}${d === 1 ? ' (reverse)' : ''}`);
      directions.push(w);
      const pre = dirs === 2 ? (d === 0 ? 'forward/' : 'backward/') : '';
      const g = GATE_COUNT[cell];
      layer.weightShapes[`${pre}kernel`] = [expectedD, g * H];
      layer.weightShapes[`${pre}recurrent_kernel`] = [H, g * H];
      if (hasBias) layer.weightShapes[`${pre}bias`] = cell === 'gru' ? [2, g * H] : [g * H];
    }
    const recurrent: RecurrentLayer = {
      spec: {
        cell,
        units: H,
        inputDim: expectedD,
        timesteps: null,
        activation,
        recurrentActivation: 'sigmoid',
        useBias: hasBias,
        // nn.RNN/LSTM/GRU always return every step's output and the final state(s).
        returnSequences: true,
        returnState: true,
        goBackwards: false,
        resetAfter: cell === 'gru',
        bidirectional: dirs === 2 ? { mergeMode: 'concat' } : null,
      },
      flags: {
        stateful: false,
        unroll: false,
        dropout: 0,
        recurrentDropout: 0,
        unitForgetBias: null,
        batchFirst: typeof batchFirst === 'boolean' ? batchFirst : null,
      },
      weights: dirs === 2 ? { forward: directions[0], backward: directions[1] } : directions[0],
      assumptions: [...assumptions],
    };
    layer.units = H;
    layer.inputShape = [null, null, expectedD];
    layer.outputShape = [null, null, dirs * H];
    layer.recurrent = recurrent;
    out.push(layer);
  }
  return out;
}

function directionWeights(cell: CellKind, H: number, D: number, hasBias: boolean, params: Map<string, TensorRef>, suffix: string, read: ReadTensor, where: string): Weights {
  const G = GATE_COUNT[cell];
  const wih = params.get(`weight_ih${suffix}`);
  const whh = params.get(`weight_hh${suffix}`);
  const bih = params.get(`bias_ih${suffix}`);
  const bhh = params.get(`bias_hh${suffix}`);
  const ih = shape2(wih);
  const hh = shape2(whh);
  if (ih === null || ih[0] !== G * H || ih[1] !== D) throw new ModelError('corrupt', `${where}: weight_ih ${fmt(wih)} is not [${G * H}, ${D}]`);
  if (hh === null || hh[0] !== G * H || hh[1] !== H) throw new ModelError('corrupt', `${where}: weight_hh ${fmt(whh)} is not [${G * H}, ${H}]`);
  if (hasBias && (!bih || !bhh || bih.shape.length !== 1 || bhh.shape.length !== 1 || bih.shape[0] !== G * H || bhh.shape[0] !== G * H)) {
    throw new ModelError('corrupt', `${where}: biases ${fmt(bih)} / ${fmt(bhh)} are not [${G * H}]`);
  }
  const perm = PERM[cell];
  const transposeBlocks = (src: Float64Array, cols: number): Float64Array => {
    // src is (G·H, cols) row-major; out is (cols, G·H) with block j taken from src block perm[j].
    const out = new Float64Array(cols * G * H);
    for (let j = 0; j < G; j++) {
      const from = perm[j] * H;
      for (let u = 0; u < H; u++) {
        const row = (from + u) * cols;
        for (let c = 0; c < cols; c++) out[c * G * H + j * H + u] = src[row + c];
      }
    }
    return out;
  };
  const reorder = (b: Float64Array): Float64Array => {
    const out = new Float64Array(G * H);
    for (let j = 0; j < G; j++) out.set(b.subarray(perm[j] * H, perm[j] * H + H), j * H);
    return out;
  };
  const kernel = transposeBlocks(finite(read(wih as TensorRef), where), D);
  const recurrentKernel = transposeBlocks(finite(read(whh as TensorRef), where), H);
  let bias: Float64Array | null = null;
  if (hasBias) {
    const bi = reorder(finite(read(bih as TensorRef), where));
    const bh = reorder(finite(read(bhh as TensorRef), where));
    if (cell === 'gru') {
      bias = new Float64Array(2 * G * H);
      bias.set(bi, 0);
      bias.set(bh, G * H);
    } else {
      bias = new Float64Array(G * H);
      for (let i = 0; i < G * H; i++) bias[i] = bi[i] + bh[i];
    }
  }
  return { kernel, recurrentKernel, bias };
}

function finite(a: Float64Array, where: string): Float64Array {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new ModelError('corrupt', `${where}: a weight is NaN or Infinity`);
  return a;
}

function otherLayer(prefix: string, params: Map<string, TensorRef>, module: TorchModule | null, read: ReadTensor, what: string): ModelLayer {
  const cls = module ? shortClass(module.className) : null;
  const w = params.get('weight');
  const b = params.get('bias');
  const w2 = shape2(w);
  const keys = [...params.keys()];
  const onlyWeightBias = keys.every((k) => k === 'weight' || k === 'bias');
  const name = prefix || 'module';
  // A state_dict does not say which module a 2-D `weight` belongs to: a lone one under an
  // `emb…` name is an Embedding, one with a matching bias is a Linear.
  const isEmbedding = cls === 'nn.Embedding' || (cls === null && w2 !== null && !b && keys.length === 1 && /emb/i.test(prefix));
  const isLinear = cls === 'nn.Linear' || (cls === null && w2 !== null && onlyWeightBias && !isEmbedding && (!b || (b.shape.length === 1 && b.shape[0] === w2[0])));
  if (isEmbedding && w2 !== null) {
    const l = base('nn.Embedding', name);
    l.units = w2[1];
    l.weightShapes.embeddings = [w2[0], w2[1]];
    l.outputShape = [null, null, w2[1]];
    l.embedding = { inputDim: w2[0], outputDim: w2[1], embeddings: finite(read(w as TensorRef), `${what}: ${name}.weight`), maskZero: false };
    return l;
  }
  if (isLinear && w2 !== null) {
    const [outF, inF] = w2;
    if (b && (b.shape.length !== 1 || b.shape[0] !== outF)) throw new ModelError('corrupt', `${what}: ${name}.bias ${fmt(b)} does not match weight ${fmt(w)}`);
    const l = base('nn.Linear', name);
    l.units = outF;
    l.inputShape = [null, inF];
    l.outputShape = [null, outF];
    l.weightShapes.kernel = [inF, outF];
    if (b) l.weightShapes.bias = [outF];
    const src = finite(read(w as TensorRef), `${what}: ${name}.weight`);
    const kernel = new Float64Array(inF * outF);
    for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) kernel[i * outF + o] = src[o * inF + i];
    l.dense = { units: outF, activation: 'linear', timeDistributed: false, weights: { kernel, bias: b ? finite(read(b), `${what}: ${name}.bias`) : null } };
    return l;
  }
  const l = base(cls ?? 'module', name);
  for (const [k, t] of params) l.weightShapes[k] = t.shape;
  return l;
}
