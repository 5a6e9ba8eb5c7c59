// What a training run is, before tfjs is involved: the layer spec a task and a layer make, and
// the sizes we accept. Pure, so the host can check a run and draw its model before the worker starts.
import type { TraceSpec, TrainLayer } from '../../spec';
import { EngineInputError } from '../errors';
import type { TrainTask } from './tasks';

/** Largest training runs: one step must stay well under a second on a laptop core. */
export const TRAIN_LIMITS = { timesteps: 500, units: 256, batchSize: 256, inputDim: 128, batchStepsUnits: 4_000_000 } as const;

export function trainSpec(layer: TrainLayer, task: TrainTask): TraceSpec {
  return {
    ...layer,
    inputDim: task.inputDim,
    timesteps: task.timesteps,
    returnSequences: task.returnSequences,
    returnState: false,
    resetAfter: layer.cell === 'gru' && layer.resetAfter,
    bidirectional: null,
  };
}

/** Refuses a run the machine cannot carry, naming the limit. */
export function checkTrainSize(spec: TraceSpec, batchSize: number): void {
  const over = (name: string, v: number, max: number) => {
    if (v > max) throw new EngineInputError(name, `${v} is above the training limit of ${max}`);
  };
  over('timesteps', spec.timesteps, TRAIN_LIMITS.timesteps);
  over('units', spec.units, TRAIN_LIMITS.units);
  over('inputDim', spec.inputDim, TRAIN_LIMITS.inputDim);
  over('batchSize', batchSize, TRAIN_LIMITS.batchSize);
  over('batch × timesteps × units', batchSize * spec.timesteps * spec.units, TRAIN_LIMITS.batchStepsUnits);
}

