// Output shapes of the layers a recurrent model is usually built from, so the layer list can show
// every tensor's shape. Unknown layer types give null, never a guess.
import type { Shape } from '../types';
import { num, shapeOf, str, obj, type JsonObject } from '../json';
import type { KerasLayerConfig } from './config';
import type { LayerPlan } from './layers';

/** The batch input shape a layer declares itself (InputLayer, or the first layer of a Sequential). */
export function declaredInputShape(layer: KerasLayerConfig): Shape | null {
  const c = layer.config;
  const batch = shapeOf(c.batch_input_shape) ?? shapeOf(c.batch_shape);
  if (batch) return batch;
  const input = shapeOf(c.input_shape);
  if (input) return [null, ...input];
  // Keras 2 RNN layers could declare input_dim + input_length instead.
  const dim = num(c, 'input_dim');
  if (dim !== null && layer.className !== 'Embedding' && layer.className !== 'InputLayer') return [null, num(c, 'input_length'), dim];
  if (layer.className === 'Embedding' && c.input_length !== undefined) return [null, num(c, 'input_length')];
  return shapeOf(layer.buildInputShape);
}

const SAME_SHAPE = new Set([
  'Dropout',
  'Masking',
  'Activation',
  'BatchNormalization',
  'LayerNormalization',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout1D',
  'ActivityRegularization',
  'LeakyReLU',
  'ReLU',
  'PReLU',
  'ELU',
  'Softmax',
]);

function convLength(len: number | null, kernel: number, stride: number, dilation: number, padding: string): number | null {
  if (len === null) return null;
  if (padding === 'same' || padding === 'causal') return Math.ceil(len / stride);
  const eff = dilation * (kernel - 1) + 1;
  return Math.floor((len - eff) / stride) + 1;
}

function firstInt(v: unknown, dflt: number): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return dflt;
}

/** Output shape from the layer's input shapes (one per inbound layer); null when unknown. */
export function outputShape(layer: KerasLayerConfig, plan: LayerPlan, inputs: (Shape | null)[]): Shape | null {
  const c: JsonObject = layer.config;
  const x = inputs[0] ?? null;
  if (layer.className === 'InputLayer') return declaredInputShape(layer);
  if (plan.kind === 'rnn' || plan.kind === 'bidirectional') {
    if (x === null || x.length !== 3) return null;
    const rnn = plan.kind === 'rnn' ? plan.rnn : plan.forward;
    const width = plan.kind === 'bidirectional' && plan.mergeMode === 'concat' ? 2 * rnn.units : rnn.units;
    return rnn.returnSequences ? [x[0], x[1], width] : [x[0], width];
  }
  if (x === null) return null;
  if (plan.kind === 'dense') return [...x.slice(0, -1), plan.units];
  if (plan.kind === 'embedding') return [...x, plan.outputDim];
  if (SAME_SHAPE.has(layer.className)) return x;
  switch (layer.className) {
    case 'Conv1D': {
      if (x.length !== 3) return null;
      const stride = firstInt(c.strides, 1);
      const len = convLength(x[1], firstInt(c.kernel_size, 1), stride, firstInt(c.dilation_rate, 1), str(c, 'padding') ?? 'valid');
      return [x[0], len, num(c, 'filters')];
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D': {
      if (x.length !== 3) return null;
      const pool = firstInt(c.pool_size, 2);
      const stride = c.strides === null || c.strides === undefined ? pool : firstInt(c.strides, pool);
      return [x[0], convLength(x[1], pool, stride, 1, str(c, 'padding') ?? 'valid'), x[2]];
    }
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling1D':
      return x.length === 3 ? [x[0], x[2]] : null;
    case 'Flatten': {
      const rest = x.slice(1);
      return [x[0], rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
    }
    case 'RepeatVector':
      return x.length === 2 ? [x[0], num(c, 'n'), x[1]] : null;
    case 'Reshape': {
      const target = shapeOf(c.target_shape);
      return target ? [x[0], ...target] : null;
    }
    case 'Concatenate': {
      if (inputs.some((s) => s === null || s.length !== x.length)) return null;
      const axisRaw = num(c, 'axis') ?? -1;
      const axis = axisRaw < 0 ? x.length + axisRaw : axisRaw;
      const out = [...x];
      let sum: number | null = 0;
      for (const s of inputs as Shape[]) sum = sum === null || s[axis] === null ? null : sum + (s[axis] as number);
      out[axis] = sum;
      return out;
    }
    case 'Add':
    case 'Subtract':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return x;
    case 'TimeDistributed': {
      const inner = obj(c, 'layer');
      if (inner && str(inner, 'class_name') === 'Dropout') return x;
      return null;
    }
    default:
      return null;
  }
}
