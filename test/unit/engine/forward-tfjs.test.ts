// Forward values and weight gradients against tf.layers (simpleRNN / lstm / gru with
// reset_after=False, and Bidirectional), configured with Keras's defaults explicitly. Weight
// gradients come from tfjs autodiff through the tf.layers layer itself (tf.variableGrads).
//
// Tolerance: tfjs computes in float32 (unit roundoff 6e-8). Inputs and weights are rounded to
// float32 before both sides see them, so the differences are float32 arithmetic only: for these
// sizes (T ≤ 6, H ≤ 4, values O(1)) forward errors stay around 1e-7, gradients around 1e-6. The
// bounds below (forward 1e-6·(1+|y|), gradients 1e-5·(1+|g|)) sit above that and far below any
// real mistake (a wrong gate order or a missing term moves values by >1e-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CellKind, MergeMode, TraceSpec, Weights } from '../../../src/spec';
import { computeTrace } from '../../../src/engine/trace';
import { asList, buildLayer, kerasLikeLayer, tf } from './tfref';
import { assertClose, boolCombos, createRng, f32Array, randomLayerWeights, spec } from './helpers';

const FWD = { rel: 1e-6, abs: 1e-6 };
const GRAD = { rel: 1e-5, abs: 1e-5 };

function weightList(s: TraceSpec, w: Weights | { forward: Weights; backward: Weights }): Weights[] {
  return s.bidirectional ? [(w as { forward: Weights }).forward, (w as { backward: Weights }).backward] : [w as Weights];
}

function checkAgainstLayers(s: TraceSpec, seed: number): void {
  const rng = createRng(seed);
  const w = randomLayerWeights(s, rng);
  const x = f32Array(rng, s.timesteps * s.inputDim, 1);
  const trace = computeTrace(s, w, x, { recurrentStats: false });
  const dy = f32Array(rng, trace.dOutput.length, 1);
  const traced = computeTrace(s, w, x, { loss: { kind: 'dy', dy }, recurrentStats: false });

  const layer = kerasLikeLayer(s);
  const xt = tf.tensor3d(Float32Array.from(x), [1, s.timesteps, s.inputDim]);
  buildLayer(layer, s, weightList(s, w), xt);
  const label = JSON.stringify(s);

  // Forward: every returned tensor, in Keras order, with Keras's shapes.
  const ys = asList(layer.apply(xt) as tf.Tensor | tf.Tensor[]);
  assert.equal(ys.length, trace.outputs.length, `${label}: number of outputs`);
  ys.forEach((y, i) => {
    assert.deepEqual(y.shape.slice(1), trace.outputs[i].shape, `${label}: shape of output ${i} (${trace.outputs[i].name})`);
    assertClose(trace.outputs[i].data, y.dataSync(), FWD, `${label} output ${trace.outputs[i].name}`);
  });
  tf.dispose(ys);

  // Weight gradients of L = Σ dy ⊙ (main output) through the tfjs layer.
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const dyMain = s.bidirectional?.mergeMode === null ? null : tf.tensor(Float32Array.from(dy), [1, ...trace.outputs[0].shape]);
  const { value, grads } = tf.variableGrads(() => {
    const out = asList(layer.apply(xt) as tf.Tensor | tf.Tensor[]);
    if (dyMain) return tf.sum(tf.mul(out[0], dyMain)) as tf.Scalar;
    // merge_mode None: dy covers the pair [y_f, y_b].
    const half = dy.length / 2;
    const shape = [1, ...trace.outputs[0].shape];
    const a = tf.sum(tf.mul(out[0], tf.tensor(Float32Array.from(dy.subarray(0, half)), shape)));
    const b = tf.sum(tf.mul(out[1], tf.tensor(Float32Array.from(dy.subarray(half)), shape)));
    return tf.add(a, b) as tf.Scalar;
  }, vars);
  assert.ok(Math.abs(value.dataSync()[0] - traced.loss) <= 1e-5 * (1 + Math.abs(traced.loss)), `${label}: loss`);
  const ours = traced.directions.flatMap((d) => [d.grads.kernel, d.grads.recurrentKernel, ...(d.grads.bias ? [d.grads.bias] : [])]);
  assert.equal(ours.length, vars.length, `${label}: number of weight tensors`);
  vars.forEach((v, i) => assertClose(ours[i], grads[v.name].dataSync(), GRAD, `${label} grad ${v.name}`));
  tf.dispose([value, ...Object.values(grads), xt]);
  if (dyMain) dyMain.dispose();
  layer.dispose();
}

const CELLS: CellKind[] = ['simple_rnn', 'lstm', 'gru'];

for (const cell of CELLS) {
  test(`forward and weight gradients equal tf.layers.${cell} for every flag combination`, () => {
    let seed = 1;
    for (const flags of boolCombos(['returnSequences', 'returnState', 'goBackwards', 'useBias'] as const)) {
      checkAgainstLayers(spec({ cell, units: 4, inputDim: 3, timesteps: 5, resetAfter: false, ...flags }), seed++);
    }
  });
}

test('other activations match tf.layers (relu, linear, sigmoid, hard_sigmoid 0.2x+0.5)', () => {
  let seed = 100;
  for (const cell of CELLS) {
    checkAgainstLayers(spec({ cell, activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: false, returnSequences: true }), seed++);
    checkAgainstLayers(spec({ cell, activation: 'linear', recurrentActivation: 'sigmoid', resetAfter: false, returnSequences: true }), seed++);
    checkAgainstLayers(spec({ cell, activation: 'sigmoid', recurrentActivation: 'hard_sigmoid', resetAfter: false }), seed++);
  }
});

const MERGES: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

for (const cell of CELLS) {
  test(`Bidirectional(${cell}) equals tf.layers.bidirectional for every merge mode`, () => {
    let seed = 200;
    for (const mergeMode of MERGES) {
      for (const flags of boolCombos(['returnSequences', 'returnState'] as const)) {
        checkAgainstLayers(spec({ cell, resetAfter: false, bidirectional: { mergeMode }, ...flags }), seed++);
      }
      // An inner go_backwards layer: Keras/tfjs flip it for the backward copy.
      checkAgainstLayers(spec({ cell, resetAfter: false, bidirectional: { mergeMode }, returnSequences: true, goBackwards: true }), seed++);
    }
  });
}
