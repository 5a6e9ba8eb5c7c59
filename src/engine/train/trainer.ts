// One model learning one task: the tfjs training path (TfRnnModel + a tfjs optimizer) plus a fixed
// probe sequence whose float64 trace shows what the model does with it as it learns.
import type * as tfn from '@tensorflow/tfjs';
import type { DenseWeights, Trace, TraceSpec, TrainLayer, TrainOptions, Weights } from '../../spec';
import { initHeadWeights, initWeights } from '../init';
import { createRng, type Rng } from '../rng';
import { computeTrace } from '../trace';
import { checkTrainSize, trainSpec } from './config';
import { probeBatch, type TrainBatch, type TrainTask } from './tasks';
import type { Tf } from './tfjs';
import { TfRnnModel, type StepStats } from './tfModel';



export class Trainer {
  readonly spec: TraceSpec;
  private readonly model: TfRnnModel;
  private readonly optimizer: tfn.Optimizer;
  private readonly rng: Rng;
  /** The same sequence every time, so the picture changes only because the weights do. */
  private readonly probe: TrainBatch;
  steps = 0;

  constructor(
    tf: Tf,
    readonly task: TrainTask,
    layer: TrainLayer,
    readonly options: TrainOptions,
    start: { weights: Weights; head: DenseWeights } | null = null,
  ) {
    this.spec = trainSpec(layer, task);
    checkTrainSize(this.spec, options.batchSize);
    const init = createRng(options.seed);
    const weights = start?.weights ?? initWeights(this.spec, init);
    const head = start?.head ?? initHeadWeights(task.head, this.spec.units, init);
    this.rng = createRng(options.seed + 1);
    this.probe = probeBatch(task, options.seed);
    this.model = new TfRnnModel(tf, this.spec, weights, task.head, head);
    this.optimizer = options.optimizer === 'adam' ? tf.train.adam(options.learningRate) : tf.train.sgd(options.learningRate);
  }

  step(): StepStats {
    const stats = this.model.step(this.task.batch(this.rng, this.options.batchSize), this.optimizer, this.options.clipNorm);
    // A step that was not applied also rolled the previous update back (StepStats.applied).
    if (stats.applied) this.steps++;
    else this.steps = Math.max(0, this.steps - 1);
    return stats;
  }

  weights(): { weights: Weights; head: DenseWeights } {
    return this.model.readWeights();
  }

  /** The float64 trace of the probe sequence under the current weights, loss through the head. */
  probeTrace(): Trace {
    const { weights, head } = this.weights();
    return computeTrace(this.spec, weights, this.probe.x, {
      loss: { kind: 'head', head: this.task.head, weights: head, targets: this.probe.targets },
      recurrentStats: false,
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}

/** ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ on a trace: how much of the loss's gradient reaches the first step. */
export function gradientReach(trace: Trace): number {
  const { dh } = trace.directions[0];
  const H = trace.spec.units;
  const T = trace.spec.timesteps;
  const norm = (t: number) => Math.hypot(...dh.subarray(t * H, (t + 1) * H));
  return norm(0) / norm(T - 1);
}
