// Keras model config + the saved tensors of each layer → ModelLayer[] in our layout. Each container
// (legacy .h5, .keras, TF.js) only has to say which tensors belong to which layer; matching them to
// kernel / recurrent_kernel / bias, checking their shapes and computing shapes happens here once.
import { GATE_COUNT, type MergeMode, type Weights } from '../../spec';
import { ModelError } from '../errors';
import type { ModelLayer, RecurrentLayer, Shape } from '../types';
import type { KerasLayerConfig, KerasModelConfig } from './config';
import { innerClassOf, planLayer, type LayerPlan, type RnnConfig } from './layers';
import { declaredInputShape, outputShape } from './shapes';

/** One saved tensor of a layer; `name` is its path inside the layer (`gru_1/gru_cell_1/kernel:0`). */
export interface NamedTensor {
  name: string;
  shape: number[];
  read(): Float64Array;
}

export type LayerTensors = (layer: KerasLayerConfig, plan: LayerPlan, index: number) => NamedTensor[];

export function assembleKeras(model: KerasModelConfig, keras3: boolean, tensorsOf: LayerTensors, what: string): ModelLayer[] {
  const outputs = new Map<string, Shape | null>();
  const result: ModelLayer[] = [];
  let previous: Shape | null = null;
  model.layers.forEach((layer, index) => {
    const plan = planLayer(layer, keras3);
    let inputs: (Shape | null)[];
    if (layer.inbound === null) {
      inputs = [index === 0 || layer.className === 'InputLayer' ? declaredInputShape(layer) : (declaredInputShape(layer) ?? previous)];
    } else {
      inputs = layer.inbound.length > 0 ? layer.inbound.map((n) => outputs.get(n) ?? null) : [declaredInputShape(layer)];
    }
    const out = outputShape(layer, plan, inputs);
    outputs.set(layer.name, out);
    previous = out;
    const built = buildLayer(layer, plan, tensorsOf(layer, plan, index), inputs.length === 1 ? inputs[0] : null, what);
    built.outputShape = out;
    result.push(built);
  });
  return result;
}

function buildLayer(layer: KerasLayerConfig, plan: LayerPlan, tensors: NamedTensor[], inputShape: Shape | null, what: string): ModelLayer {
  const base: ModelLayer = {
    className: layer.className,
    name: layer.name,
    innerClassName: innerClassOf(layer),
    units: null,
    inputShape,
    outputShape: null,
    weightShapes: {},
    recurrent: null,
    dense: null,
    embedding: null,
    unsupported: null,
  };
  const where = `${what}: layer '${layer.name}' (${layer.className})`;
  switch (plan.kind) {
    case 'rnn': {
      base.units = plan.rnn.units;
      const w = rnnWeights(plan.rnn, tensors, where);
      addShapes(base.weightShapes, '', w.shapes);
      base.recurrent = recurrentLayer(plan.rnn, w.weights, w.inputDim, w.resetAfter, null, inputShape);
      if (base.recurrent === null) base.unsupported = activationProblem(plan.rnn);
      return base;
    }
    case 'bidirectional': {
      base.units = plan.forward.units;
      const [fwdT, bwdT] = splitDirections(tensors);
      const f = rnnWeights(plan.forward, fwdT, `${where} forward`);
      const b = rnnWeights(plan.backward, bwdT, `${where} backward`);
      addShapes(base.weightShapes, 'forward/', f.shapes);
      addShapes(base.weightShapes, 'backward/', b.shapes);
      const mismatch = directionMismatch(plan.forward, plan.backward, f.resetAfter, b.resetAfter);
      if (mismatch) {
        base.unsupported = mismatch;
        return base;
      }
      base.recurrent = recurrentLayer(plan.forward, { forward: f.weights, backward: b.weights }, f.inputDim, f.resetAfter, { mergeMode: plan.mergeMode }, inputShape);
      if (base.recurrent === null) base.unsupported = activationProblem(plan.forward);
      return base;
    }
    case 'dense': {
      base.units = plan.units;
      const kernel = byRole(tensors, 'kernel') ?? tensors[0];
      const bias = plan.useBias ? (byRole(tensors, 'bias') ?? tensors[1]) : undefined;
      if (!kernel || kernel.shape.length !== 2 || kernel.shape[1] !== plan.units) throw new ModelError('corrupt', `${where}: kernel ${fmt(kernel?.shape)} does not fit Dense(${plan.units})`);
      if (plan.useBias && (!bias || bias.shape.length !== 1 || bias.shape[0] !== plan.units)) throw new ModelError('corrupt', `${where}: bias ${fmt(bias?.shape)} does not fit Dense(${plan.units})`);
      base.weightShapes.kernel = kernel.shape;
      if (bias) base.weightShapes.bias = bias.shape;
      base.dense = {
        units: plan.units,
        activation: plan.activation,
        timeDistributed: plan.timeDistributed,
        weights: { kernel: finite(kernel.read(), `${where} kernel`), bias: bias ? finite(bias.read(), `${where} bias`) : null },
      };
      return base;
    }
    case 'embedding': {
      base.units = plan.outputDim;
      const t = byRole(tensors, 'embeddings') ?? tensors[0];
      if (!t || t.shape.length !== 2 || t.shape[0] !== plan.inputDim || t.shape[1] !== plan.outputDim) {
        throw new ModelError('corrupt', `${where}: embeddings ${fmt(t?.shape)} do not fit Embedding(${plan.inputDim}, ${plan.outputDim})`);
      }
      base.weightShapes.embeddings = t.shape;
      base.embedding = { inputDim: plan.inputDim, outputDim: plan.outputDim, maskZero: plan.maskZero, embeddings: finite(t.read(), `${where} embeddings`) };
      return base;
    }
    case 'unsupported':
      base.unsupported = plan.reason;
      for (const t of tensors) base.weightShapes[uniqueKey(base.weightShapes, roleOf(t.name))] = t.shape;
      return base;
    case 'other': {
      const units = layer.config.units ?? layer.config.filters;
      base.units = typeof units === 'number' ? units : null;
      for (const t of tensors) base.weightShapes[uniqueKey(base.weightShapes, roleOf(t.name))] = t.shape;
      return base;
    }
  }
}

function activationProblem(r: RnnConfig): string {
  const bad = r.activation === null ? `activation '${r.activationRaw}'` : `recurrent_activation '${r.recurrentActivationRaw}'`;
  return `${bad} is not one the engine implements (tanh, relu, sigmoid, linear, hard_sigmoid)`;
}

function directionMismatch(f: RnnConfig, b: RnnConfig, fr: boolean, br: boolean): string | null {
  if (f.cell !== b.cell || f.units !== b.units || f.activation !== b.activation || f.recurrentActivation !== b.recurrentActivation || f.useBias !== b.useBias || fr !== br) {
    return 'the backward layer differs from the forward one (cell, units, activations or bias), which the panel does not draw';
  }
  return null;
}

/** `bidirectional`: null for a plain layer, else the merge mode (which may itself be null). */
function recurrentLayer(
  f: RnnConfig,
  weights: RecurrentLayer['weights'],
  inputDim: number,
  resetAfter: boolean,
  bidirectional: { mergeMode: MergeMode } | null,
  inputShape: Shape | null,
): RecurrentLayer | null {
  if (f.activation === null || f.recurrentActivation === null) return null;
  const t = inputShape && inputShape.length === 3 ? inputShape[1] : null;
  return {
    spec: {
      cell: f.cell,
      units: f.units,
      inputDim,
      timesteps: t,
      activation: f.activation,
      recurrentActivation: f.recurrentActivation,
      useBias: f.useBias,
      returnSequences: f.returnSequences,
      returnState: f.returnState,
      goBackwards: f.goBackwards,
      resetAfter,
      bidirectional,
    },
    flags: {
      stateful: f.stateful,
      unroll: f.unroll,
      dropout: f.dropout,
      recurrentDropout: f.recurrentDropout,
      unitForgetBias: f.unitForgetBias,
      batchFirst: null,
    },
    weights,
    assumptions: f.cell === 'gru' && f.resetAfter === null ? [`no reset_after in the config (Keras ≤ 2.2): ${resetAfter ? 'true' : 'false'}, from the bias shape`] : [],
  };
}

/** Last path component without the TF `:0` suffix: `gru_1/gru_cell_1/kernel:0` → `kernel`. */
export function roleOf(name: string): string {
  const last = name.split('/').filter((p) => p !== '').pop() ?? name;
  return last.replace(/:\d+$/, '');
}

function byRole(tensors: NamedTensor[], role: string): NamedTensor | undefined {
  return tensors.find((t) => roleOf(t.name) === role);
}

function uniqueKey(existing: Record<string, unknown>, key: string): string {
  if (!(key in existing)) return key;
  let i = 1;
  while (`${key}_${i}` in existing) i++;
  return `${key}_${i}`;
}

/** Bidirectional tensors: by `forward_*` / `backward_*` scopes, else (unnamed) first half forward. */
function splitDirections(tensors: NamedTensor[]): [NamedTensor[], NamedTensor[]] {
  const isDir = (t: NamedTensor, prefix: string) => t.name.split('/').some((p) => p.startsWith(prefix));
  const fwd = tensors.filter((t) => isDir(t, 'forward_'));
  const bwd = tensors.filter((t) => isDir(t, 'backward_') && !isDir(t, 'forward_'));
  if (fwd.length > 0 && bwd.length > 0 && fwd.length + bwd.length === tensors.length) return [fwd, bwd];
  const half = tensors.length / 2;
  return [tensors.slice(0, half), tensors.slice(half)];
}

function fmt(shape: number[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : 'missing';
}

function finite(a: Float64Array, what: string): Float64Array {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new ModelError('corrupt', `${what} contains NaN or Infinity (element ${i})`);
  }
  return a;
}

function addShapes(into: Record<string, number[]>, prefix: string, shapes: Record<string, number[]>): void {
  for (const [k, v] of Object.entries(shapes)) into[prefix + k] = v;
}

/** Kernel, recurrent kernel and bias of one direction, checked against the config. */
function rnnWeights(r: RnnConfig, tensors: NamedTensor[], where: string): { weights: Weights; inputDim: number; resetAfter: boolean; shapes: Record<string, number[]> } {
  let kernel = byRole(tensors, 'kernel');
  let rec = byRole(tensors, 'recurrent_kernel');
  let bias = byRole(tensors, 'bias');
  if (!kernel && !rec && (tensors.length === 3 || tensors.length === 2)) [kernel, rec, bias] = tensors;
  if (!kernel || !rec) {
    const names = tensors.map((t) => t.name).join(', ') || 'none';
    throw new ModelError(tensors.length === 0 ? 'corrupt' : 'unsupported', `${where}: no kernel/recurrent_kernel among its saved weights (${names}); Keras 1 per-gate weights are not read`);
  }
  const g = GATE_COUNT[r.cell];
  const H = r.units;
  if (rec.shape.length !== 2 || rec.shape[0] !== H || rec.shape[1] !== g * H) throw new ModelError('corrupt', `${where}: recurrent_kernel ${fmt(rec.shape)} does not fit ${r.className}(${H}) (expected [${H}, ${g * H}])`);
  if (kernel.shape.length !== 2 || kernel.shape[1] !== g * H || kernel.shape[0] < 1) throw new ModelError('corrupt', `${where}: kernel ${fmt(kernel.shape)} does not fit ${r.className}(${H}) (expected [D, ${g * H}])`);
  let resetAfter = r.resetAfter ?? false;
  if (r.useBias) {
    if (!bias) throw new ModelError('corrupt', `${where}: use_bias is set but no bias was saved`);
    if (r.cell === 'gru' && r.resetAfter === null) resetAfter = bias.shape.length === 2;
    const expected = r.cell === 'gru' && resetAfter ? [2, g * H] : [g * H];
    if (bias.shape.length !== expected.length || bias.shape.some((d, i) => d !== expected[i])) {
      throw new ModelError('corrupt', `${where}: bias ${fmt(bias.shape)} does not fit ${r.className}(${H}${r.cell === 'gru' ? `, reset_after=${resetAfter}` : ''}) (expected ${fmt(expected)})`);
    }
  }
  const shapes: Record<string, number[]> = { kernel: kernel.shape, recurrent_kernel: rec.shape };
  if (r.useBias && bias) shapes.bias = bias.shape;
  return {
    weights: {
      kernel: finite(kernel.read(), `${where} kernel`),
      recurrentKernel: finite(rec.read(), `${where} recurrent_kernel`),
      bias: r.useBias && bias ? finite(bias.read(), `${where} bias`) : null,
    },
    inputDim: kernel.shape[0],
    resetAfter,
    shapes,
  };
}
