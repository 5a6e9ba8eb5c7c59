// A trained model as a JSON file in Keras's weight layout: `weights` is exactly what the layer's
// `get_weights()` returns ([kernel, recurrent_kernel, bias] as nested lists), so in Python
// `layer.set_weights([np.array(w) for w in f["weights"]])` loads it; the head likewise. The task and
// the training settings come along so the panel can show the model again and continue training.
import { CELL_DISPLAY_NAME, TASK_KINDS, type CellKind, type DenseWeights, type TaskKind, type TrainLayer, type TrainOptions, type Weights } from '../../spec';
import { isActivationName } from '../activations';
import { EngineInputError } from '../errors';
import { weightShapes } from '../layout';
import { fromNested, toNested } from '../nested';
import { trainSpec } from './config';
import { makeTask, type TrainTask } from './tasks';

export const WEIGHTS_FORMAT = 'rnn-unroll.trained-weights';

export interface TrainedModel {
  layer: TrainLayer;
  task: { kind: TaskKind; timesteps: number; text: string };
  weights: Weights;
  head: DenseWeights;
  options: TrainOptions;
  steps: number;
}

const CLASS_TO_CELL: Record<string, CellKind> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

export function toWeightsFile(m: TrainedModel): Record<string, unknown> {
  const task = makeTask(m.task.kind, m.task.timesteps, m.task.text);
  const spec = trainSpec(m.layer, task);
  const s = weightShapes(spec);
  const K = task.head.units;
  return {
    format: WEIGHTS_FORMAT,
    version: 1,
    layer: {
      class_name: CELL_DISPLAY_NAME[m.layer.cell],
      config: {
        units: m.layer.units,
        activation: m.layer.activation,
        recurrent_activation: m.layer.recurrentActivation,
        use_bias: m.layer.useBias,
        go_backwards: m.layer.goBackwards,
        ...(m.layer.cell === 'gru' ? { reset_after: m.layer.resetAfter } : {}),
        return_sequences: spec.returnSequences,
      },
    },
    weights: [toNested(m.weights.kernel, s.kernel), toNested(m.weights.recurrentKernel, s.recurrentKernel), ...(s.bias && m.weights.bias ? [toNested(m.weights.bias, s.bias)] : [])],
    head: {
      class_name: 'Dense',
      config: { units: K, activation: task.head.activation },
      weights: [toNested(m.head.kernel, [m.layer.units, K]), ...(m.head.bias ? [toNested(m.head.bias, [K])] : [])],
    },
    task: { kind: m.task.kind, timesteps: m.task.timesteps, ...(m.task.kind === 'next_char' ? { text: m.task.text, vocab: task.vocab } : {}) },
    training: { steps: m.steps, ...m.options },
  };
}

function record(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new EngineInputError(field, 'must be a JSON object');
  return v as Record<string, unknown>;
}

function intIn(v: unknown, field: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new EngineInputError(field, `must be an integer from 1 to ${max}`);
  return v;
}

/** Reads a file written by toWeightsFile; every problem is an EngineInputError naming the field. */
export function fromWeightsFile(raw: unknown): TrainedModel & { taskInfo: TrainTask } {
  const f = record(raw, 'file');
  if (f.format !== WEIGHTS_FORMAT) throw new EngineInputError('format', `must be "${WEIGHTS_FORMAT}" (a file saved by RNN Unroll's Save weights)`);
  const layerJson = record(f.layer, 'layer');
  const cell = CLASS_TO_CELL[String(layerJson.class_name)];
  if (!cell) throw new EngineInputError('layer.class_name', 'must be SimpleRNN, LSTM or GRU');
  const c = record(layerJson.config, 'layer.config');
  const act = (v: unknown, field: string) => {
    if (!isActivationName(v)) throw new EngineInputError(field, `unknown activation ${JSON.stringify(v)}`);
    return v;
  };
  const layer: TrainLayer = {
    cell,
    units: intIn(c.units, 'layer.config.units', 100_000),
    activation: act(c.activation, 'layer.config.activation'),
    recurrentActivation: act(c.recurrent_activation, 'layer.config.recurrent_activation'),
    useBias: c.use_bias !== false,
    goBackwards: c.go_backwards === true,
    resetAfter: cell === 'gru' && c.reset_after !== false,
  };
  const t = record(f.task, 'task');
  if (!(TASK_KINDS as readonly unknown[]).includes(t.kind)) throw new EngineInputError('task.kind', `must be one of ${TASK_KINDS.join(', ')}`);
  const kind = t.kind as TaskKind;
  const text = typeof t.text === 'string' ? t.text : '';
  const task = { kind, timesteps: intIn(t.timesteps, 'task.timesteps', 100_000), text };
  const taskInfo = kind === 'next_char' ? makeTask(kind, task.timesteps, text) : makeTask(kind, task.timesteps);
  const spec = trainSpec(layer, taskInfo);
  const s = weightShapes(spec);
  const w = f.weights;
  if (!Array.isArray(w) || w.length !== (s.bias ? 3 : 2)) throw new EngineInputError('weights', `must be [kernel, recurrent_kernel${s.bias ? ', bias' : ''}]`);
  const weights: Weights = {
    kernel: fromNested('weights[0] (kernel)', w[0], s.kernel),
    recurrentKernel: fromNested('weights[1] (recurrent_kernel)', w[1], s.recurrentKernel),
    bias: s.bias ? fromNested('weights[2] (bias)', w[2], s.bias) : null,
  };
  const h = record(f.head, 'head');
  const hw = h.weights;
  const K = taskInfo.head.units;
  if (!Array.isArray(hw) || hw.length !== 2) throw new EngineInputError('head.weights', 'must be [kernel, bias]');
  const head: DenseWeights = { kernel: fromNested('head.weights[0]', hw[0], [layer.units, K]), bias: fromNested('head.weights[1]', hw[1], [K]) };
  const tr = record(f.training ?? {}, 'training');
  const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : dflt);
  const options: TrainOptions = {
    optimizer: tr.optimizer === 'sgd' ? 'sgd' : 'adam',
    learningRate: num(tr.learningRate, 0.01),
    batchSize: Math.round(num(tr.batchSize, 32)),
    clipNorm: tr.clipNorm === null ? null : num(tr.clipNorm, 1),
    seed: typeof tr.seed === 'number' && Number.isInteger(tr.seed) && tr.seed >= 0 ? tr.seed : 1,
  };
  return { layer, task, weights, head, options, steps: typeof tr.steps === 'number' && Number.isInteger(tr.steps) && tr.steps >= 0 ? tr.steps : 0, taskInfo };
}
