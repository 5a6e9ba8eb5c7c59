// One SGD step on the typed-array kernels: the float64 reference the tfjs training path must match,
// and the cheaper path for batch-of-a-few sizes. No tfjs here.
import type { DenseWeights, TraceHead, TraceSpec, Weights } from '../../spec';
import { computeTrace } from '../trace';
import type { TrainBatch } from './tasks';

export interface SgdResult {
  /** Mean loss over the batch before the step. */
  loss: number;
  weights: Weights;
  head: DenseWeights;
  /** The batch-mean gradients the step used. */
  grads: { weights: Weights; head: DenseWeights };
}

function zerosLike(w: Weights): Weights {
  return {
    kernel: new Float64Array(w.kernel.length),
    recurrentKernel: new Float64Array(w.recurrentKernel.length),
    bias: w.bias ? new Float64Array(w.bias.length) : null,
  };
}

function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

export function sgdStepTyped(spec: TraceSpec, w: Weights, head: TraceHead, hw: DenseWeights, batch: TrainBatch, lr: number): SgdResult {
  const { timesteps: T, inputDim: D } = spec;
  const steps = spec.returnSequences ? T : 1;
  const K = head.units;
  const B = batch.size;
  const g = zerosLike(w);
  const gh: DenseWeights = { kernel: new Float64Array(hw.kernel.length), bias: hw.bias ? new Float64Array(hw.bias.length) : null };
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const tr = computeTrace(spec, w, batch.x.slice(b * T * D, (b + 1) * T * D), {
      loss: { kind: 'head', head, weights: hw, targets: batch.targets.slice(b * steps * K, (b + 1) * steps * K) },
      recurrentStats: false,
    });
    // Keras losses average over the batch.
    loss += tr.loss / B;
    const d = tr.directions[0].grads;
    axpy(g.kernel, 1 / B, d.kernel);
    axpy(g.recurrentKernel, 1 / B, d.recurrentKernel);
    if (g.bias && d.bias) axpy(g.bias, 1 / B, d.bias);
    axpy(gh.kernel, 1 / B, tr.head!.grads.kernel);
    if (gh.bias && tr.head!.grads.bias) axpy(gh.bias, 1 / B, tr.head!.grads.bias);
  }
  const step = (p: Float64Array, d: Float64Array) => {
    const out = p.slice();
    axpy(out, -lr, d);
    return out;
  };
  return {
    loss,
    weights: { kernel: step(w.kernel, g.kernel), recurrentKernel: step(w.recurrentKernel, g.recurrentKernel), bias: w.bias ? step(w.bias, g.bias!) : null },
    head: { kernel: step(hw.kernel, gh.kernel), bias: hw.bias ? step(hw.bias, gh.bias!) : null },
    grads: { weights: g, head: gh },
  };
}
