// The scalar loss over the layer's main output and its gradient: an upstream gradient dy
// (L = Σ dy⊙y), or a Dense head with softmax + cross-entropy / linear + MSE against targets.
import type { DenseWeights, HeadTrace, TraceHead, TraceLoss } from '../spec';
import { EngineInputError } from './errors';
import { checkArray, checkHead } from './validate';

export interface LossResult {
  loss: number;
  stepLoss: Float64Array;
  /** ∂L/∂y, y's shape. */
  dOut: Float64Array;
  head: HeadTrace | null;
}

/**
 * y is [parts, steps, F] flattened (parts = 2 only for merge_mode None); a head needs parts = 1.
 */
export function applyLoss(loss: TraceLoss, y: Float64Array, parts: number, steps: number, F: number): LossResult {
  if (loss.kind === 'dy') {
    checkArray('dy', loss.dy, y.length);
    const stepLoss = new Float64Array(steps);
    let total = 0;
    for (let p = 0; p < parts; p++) {
      for (let t = 0; t < steps; t++) {
        let s = 0;
        const off = (p * steps + t) * F;
        for (let j = 0; j < F; j++) s += loss.dy[off + j] * y[off + j];
        stepLoss[t] += s;
        total += s;
      }
    }
    return { loss: total, stepLoss, dOut: loss.dy.slice(), head: null };
  }
  if (parts !== 1) throw new EngineInputError('head', 'a head needs a single merged output (merge_mode None returns two)');
  checkHead(loss.head, F, loss.weights);
  checkArray('targets', loss.targets, steps * loss.head.units);
  return headLoss(loss.head, loss.weights, loss.targets, y, steps, F);
}

function headLoss(head: TraceHead, w: DenseWeights, targets: Float64Array, y: Float64Array, steps: number, F: number): LossResult {
  const K = head.units;
  const logits = new Float64Array(steps * K);
  const outputs = new Float64Array(steps * K);
  const dLogits = new Float64Array(steps * K);
  const stepLoss = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    const lo = t * K;
    for (let k = 0; k < K; k++) logits[lo + k] = w.bias ? w.bias[k] : 0;
    for (let f = 0; f < F; f++) {
      const v = y[t * F + f];
      if (v === 0) continue;
      for (let k = 0; k < K; k++) logits[lo + k] += v * w.kernel[f * K + k];
    }
    if (head.activation === 'softmax') {
      // log-softmax with the max subtracted; cross-entropy −Σ t·log p (targets need not be one-hot).
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, logits[lo + k]);
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(logits[lo + k] - mx);
      const lse = mx + Math.log(se);
      let l = 0;
      let tsum = 0;
      for (let k = 0; k < K; k++) {
        const p = Math.exp(logits[lo + k] - lse);
        outputs[lo + k] = p;
        l -= targets[lo + k] * (logits[lo + k] - lse);
        tsum += targets[lo + k];
      }
      for (let k = 0; k < K; k++) dLogits[lo + k] = (outputs[lo + k] * tsum - targets[lo + k]) / steps;
      stepLoss[t] = l / steps;
    } else {
      let l = 0;
      for (let k = 0; k < K; k++) {
        outputs[lo + k] = logits[lo + k];
        const e = logits[lo + k] - targets[lo + k];
        l += e * e;
        dLogits[lo + k] = (2 * e) / (K * steps);
      }
      stepLoss[t] = l / (K * steps);
    }
  }
  const dKernel = new Float64Array(F * K);
  const dBias = w.bias ? new Float64Array(K) : null;
  const dOut = new Float64Array(steps * F);
  for (let t = 0; t < steps; t++) {
    for (let f = 0; f < F; f++) {
      const v = y[t * F + f];
      let s = 0;
      for (let k = 0; k < K; k++) {
        const d = dLogits[t * K + k];
        dKernel[f * K + k] += v * d;
        s += d * w.kernel[f * K + k];
      }
      dOut[t * F + f] = s;
    }
    if (dBias) for (let k = 0; k < K; k++) dBias[k] += dLogits[t * K + k];
  }
  let total = 0;
  for (let t = 0; t < steps; t++) total += stepLoss[t];
  return { loss: total, stepLoss, dOut, head: { logits, outputs, grads: { kernel: dKernel, bias: dBias } } };
}
