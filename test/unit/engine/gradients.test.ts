// ∂L/∂h_t, ∂L/∂c_t, ∂L/∂(initial state) and the weight gradients of the typed-array BPTT against
// two independent references, for all three cells and both GRU variants:
//  1. central finite differences of the (float64) forward pass — ∂L/∂h_t through probes added to
//     h_t, the float64 form of the zero-probe trick; tolerance 1e-6 relative (+1e-8 absolute for
//     near-zero entries; differences with ε = 1e-6 are accurate to ~1e-10 here);
//  2. tfjs autodiff of a hand-written tf-ops loop with zero probe tensors ε_t on every h_t (and c_t)
//     (RNN-SEMANTICS §4.5) — float32, so 1e-5 relative to the gradient's scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationName, CellKind, TraceLoss, TraceSpec, Weights } from '../../../src/spec';
import { computeTrace, type InitialState } from '../../../src/engine/trace';
import { handLoop, tf } from './tfref';
import { assertClose, boolCombos, createRng, f32Array, finiteDiff, maxAbs, randomWeights, spec } from './helpers';

const FD = { rel: 1e-6, abs: 1e-8 };

interface Variant {
  cell: CellKind;
  resetAfter: boolean;
}
const VARIANTS: Variant[] = [
  { cell: 'simple_rnn', resetAfter: false },
  { cell: 'lstm', resetAfter: false },
  { cell: 'gru', resetAfter: false },
  { cell: 'gru', resetAfter: true },
];
const vname = (v: Variant) => (v.cell === 'gru' ? `gru(reset_after=${v.resetAfter ? 'True' : 'False'})` : v.cell);

/** Checks every gradient of a single-direction trace against finite differences. */
function checkFiniteDifferences(s: TraceSpec, w: Weights, x: Float64Array, loss: TraceLoss, init: InitialState | null, label: string): void {
  const T = s.timesteps;
  const H = s.units;
  const probeH = new Float64Array(T * H);
  const probeC = new Float64Array(T * H);
  const initial = init ? [init] : undefined;
  const opts = { loss, initialState: initial, recurrentStats: false, probes: [{ h: probeH, c: s.cell === 'lstm' ? probeC : undefined }] };
  const tr = computeTrace(s, w, x, opts);
  const L = () => computeTrace(s, w, x, opts).loss;
  const d = tr.directions[0];
  assertClose(d.dh, finiteDiff(L, probeH), FD, `${label} dh`);
  if (s.cell === 'lstm') assertClose(d.dc!, finiteDiff(L, probeC), FD, `${label} dc`);
  assertClose(d.grads.kernel, finiteDiff(L, w.kernel), FD, `${label} dKernel`);
  assertClose(d.grads.recurrentKernel, finiteDiff(L, w.recurrentKernel), FD, `${label} dRecurrentKernel`);
  if (w.bias) assertClose(d.grads.bias!, finiteDiff(L, w.bias), FD, `${label} dBias`);
  else assert.equal(d.grads.bias, null);
  // dx is in processing order; the input is in time order.
  const fdx = finiteDiff(L, x);
  const D = s.inputDim;
  const dxTime = new Float64Array(T * D);
  for (let st = 0; st < T; st++) dxTime.set(d.dx.subarray(st * D, (st + 1) * D), (s.goBackwards ? T - 1 - st : st) * D);
  assertClose(dxTime, fdx, FD, `${label} dx`);
  if (init) {
    assertClose(d.dh0, finiteDiff(L, init.h), FD, `${label} dh0`);
    if (init.c) assertClose(d.dc0!, finiteDiff(L, init.c), FD, `${label} dc0`);
  }
  if (loss.kind === 'head') {
    assertClose(tr.head!.grads.kernel, finiteDiff(L, loss.weights.kernel), FD, `${label} dHeadKernel`);
    if (loss.weights.bias) assertClose(tr.head!.grads.bias!, finiteDiff(L, loss.weights.bias), FD, `${label} dHeadBias`);
  }
}

for (const v of VARIANTS) {
  test(`${vname(v)}: dh, dc, dx, dh0 and weight gradients equal central finite differences`, () => {
    let seed = 10;
    for (const flags of boolCombos(['returnSequences', 'goBackwards', 'useBias'] as const)) {
      const s = spec({ cell: v.cell, resetAfter: v.resetAfter, units: 3, inputDim: 2, timesteps: 5, ...flags });
      const rng = createRng(seed++);
      const w = randomWeights(s, rng, 0.8);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const n = (flags.returnSequences ? s.timesteps : 1) * s.units;
      const dy = f32Array(rng, n, 1);
      const init: InitialState = { h: f32Array(rng, s.units, 0.5), c: v.cell === 'lstm' ? f32Array(rng, s.units, 0.5) : null };
      checkFiniteDifferences(s, w, x, { kind: 'dy', dy }, flags.useBias ? init : null, `${vname(v)} ${JSON.stringify(flags)}`);
    }
  });
}

test('other activations (relu, linear, sigmoid, both hard sigmoids) equal finite differences', () => {
  const acts: [ActivationName, ActivationName][] = [
    ['relu', 'hard_sigmoid'],
    ['linear', 'hard_sigmoid_k3'],
    ['sigmoid', 'sigmoid'],
  ];
  let seed = 50;
  for (const v of VARIANTS) {
    for (const [activation, recurrentActivation] of acts) {
      const s = spec({ cell: v.cell, resetAfter: v.resetAfter, activation, recurrentActivation, returnSequences: true });
      const rng = createRng(seed++);
      // Small weights keep hard sigmoid off its flat parts, and relu's kink is hit with probability 0.
      const w = randomWeights(s, rng, 0.4);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const dy = f32Array(rng, s.timesteps * s.units, 1);
      // A non-zero initial state: with c_0 = 0 and a relu candidate ≤ 0, an LSTM's c_t sits exactly
      // on relu's kink, where finite differences are one-sided.
      const init: InitialState = { h: f32Array(rng, s.units, 0.5), c: v.cell === 'lstm' ? f32Array(rng, s.units, 0.5) : null };
      checkFiniteDifferences(s, w, x, { kind: 'dy', dy }, init, `${vname(v)} ${activation}/${recurrentActivation}`);
    }
  }
});

test('Dense heads (softmax + cross-entropy, linear + MSE) equal finite differences', () => {
  let seed = 70;
  for (const v of VARIANTS) {
    for (const returnSequences of [false, true]) {
      for (const activation of ['softmax', 'linear'] as const) {
        const s = spec({ cell: v.cell, resetAfter: v.resetAfter, returnSequences });
        const rng = createRng(seed++);
        const w = randomWeights(s, rng, 0.8);
        const x = f32Array(rng, s.timesteps * s.inputDim, 1);
        const K = 3;
        const steps = returnSequences ? s.timesteps : 1;
        const targets = new Float64Array(steps * K);
        for (let t = 0; t < steps; t++) {
          if (activation === 'softmax') targets[t * K + Math.floor(rng.next() * K)] = 1;
          else for (let k = 0; k < K; k++) targets[t * K + k] = rng.uniform(-1, 1);
        }
        const loss: TraceLoss = {
          kind: 'head',
          head: { units: K, activation },
          weights: { kernel: f32Array(rng, s.units * K, 1), bias: f32Array(rng, K, 0.5) },
          targets,
        };
        checkFiniteDifferences(s, w, x, loss, null, `${vname(v)} head ${activation} rs=${returnSequences}`);
      }
    }
  }
});

test('Bidirectional: gradients of every merge mode equal finite differences (both GRU variants too)', () => {
  let seed = 90;
  for (const v of VARIANTS) {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      for (const returnSequences of [false, true]) {
        const s = spec({ cell: v.cell, resetAfter: v.resetAfter, bidirectional: { mergeMode }, returnSequences });
        const rng = createRng(seed++);
        const w = { forward: randomWeights(s, rng, 0.8), backward: randomWeights(s, rng, 0.8) };
        const x = f32Array(rng, s.timesteps * s.inputDim, 1);
        const n = computeTrace(s, w, x, { recurrentStats: false }).dOutput.length;
        const loss: TraceLoss = { kind: 'dy', dy: f32Array(rng, n, 1) };
        const probes = [0, 1].map(() => ({ h: new Float64Array(s.timesteps * s.units), c: new Float64Array(s.timesteps * s.units) }));
        const opts = { loss, recurrentStats: false, probes };
        const tr = computeTrace(s, w, x, opts);
        const L = () => computeTrace(s, w, x, opts).loss;
        const label = `${vname(v)} ${mergeMode} rs=${returnSequences}`;
        (['forward', 'backward'] as const).forEach((dir, d) => {
          assertClose(tr.directions[d].dh, finiteDiff(L, probes[d].h), FD, `${label} ${dir} dh`);
          if (v.cell === 'lstm') assertClose(tr.directions[d].dc!, finiteDiff(L, probes[d].c), FD, `${label} ${dir} dc`);
          assertClose(tr.directions[d].grads.kernel, finiteDiff(L, w[dir].kernel), FD, `${label} ${dir} dKernel`);
          assertClose(tr.directions[d].grads.recurrentKernel, finiteDiff(L, w[dir].recurrentKernel), FD, `${label} ${dir} dRecurrentKernel`);
          assertClose(tr.directions[d].grads.bias!, finiteDiff(L, w[dir].bias!), FD, `${label} ${dir} dBias`);
        });
      }
    }
  }
});

/** tfjs autodiff of the hand-written loop, with zero probes on h_t (and c_t). */
function tfjsGradients(s: TraceSpec, w: Weights, x: Float64Array, dy: Float64Array) {
  const T = s.timesteps;
  const H = s.units;
  const GH = w.recurrentKernel.length / H;
  const xsProc = Array.from({ length: T }, (_, t) => {
    const src = s.goBackwards ? T - 1 - t : t;
    return tf.tensor2d(Float32Array.from(x.subarray(src * s.inputDim, (src + 1) * s.inputDim)), [1, s.inputDim]);
  });
  const params: tf.Tensor[] = [
    tf.tensor2d(Float32Array.from(w.kernel), [s.inputDim, GH]),
    tf.tensor2d(Float32Array.from(w.recurrentKernel), [H, GH]),
  ];
  if (w.bias) params.push(w.bias.length === GH ? tf.tensor1d(Float32Array.from(w.bias)) : tf.tensor2d(Float32Array.from(w.bias), [2, GH]));
  const nb = params.length;
  const probesH = Array.from({ length: T }, () => tf.zeros([1, H]) as tf.Tensor2D);
  const probesC = Array.from({ length: T }, () => tf.zeros([1, H]) as tf.Tensor2D);
  const isLstm = s.cell === 'lstm';
  const dyT = tf.tensor2d(Float32Array.from(dy), [s.returnSequences ? T : 1, H]);
  const f = (...args: tf.Tensor[]) => {
    const hs = handLoop(
      s,
      { kernel: args[0] as tf.Tensor2D, recurrentKernel: args[1] as tf.Tensor2D, bias: w.bias ? args[2] : null },
      xsProc,
      args.slice(nb, nb + T) as tf.Tensor2D[],
      isLstm ? (args.slice(nb + T) as tf.Tensor2D[]) : null,
    );
    const y = s.returnSequences ? tf.concat(hs, 0) : hs[T - 1];
    return tf.sum(tf.mul(y, dyT));
  };
  const inputs = [...params, ...probesH, ...(isLstm ? probesC : [])];
  const gs = tf.grads(f)(inputs);
  const read = (k: number) => Float64Array.from(gs[k].dataSync());
  const stack = (from: number) => {
    const out = new Float64Array(T * H);
    for (let t = 0; t < T; t++) out.set(gs[from + t].dataSync(), t * H);
    return out;
  };
  const res = {
    kernel: read(0),
    recurrentKernel: read(1),
    bias: w.bias ? read(2) : null,
    dh: stack(nb),
    dc: isLstm ? stack(nb + T) : null,
  };
  tf.dispose([...gs, ...inputs, ...xsProc, dyT]);
  return res;
}

for (const v of VARIANTS) {
  test(`${vname(v)}: dh, dc and weight gradients equal tfjs autodiff with zero probes`, () => {
    let seed = 300;
    for (const flags of boolCombos(['returnSequences', 'goBackwards', 'useBias'] as const)) {
      const s = spec({ cell: v.cell, resetAfter: v.resetAfter, units: 4, inputDim: 3, timesteps: 6, ...flags });
      const rng = createRng(seed++);
      const w = randomWeights(s, rng, 0.8);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const dy = f32Array(rng, (flags.returnSequences ? s.timesteps : 1) * s.units, 1);
      const tr = computeTrace(s, w, x, { loss: { kind: 'dy', dy }, recurrentStats: false });
      const ref = tfjsGradients(s, w, x, dy);
      const d = tr.directions[0];
      const label = `${vname(v)} ${JSON.stringify(flags)}`;
      // float32 reference: tolerance relative to each array's scale.
      const tol = (a: Float64Array) => ({ rel: 1e-5, abs: 1e-5 * Math.max(1, maxAbs(a)) });
      assertClose(d.dh, ref.dh, tol(ref.dh), `${label} dh`);
      if (ref.dc) assertClose(d.dc!, ref.dc, tol(ref.dc), `${label} dc`);
      assertClose(d.grads.kernel, ref.kernel, tol(ref.kernel), `${label} dKernel`);
      assertClose(d.grads.recurrentKernel, ref.recurrentKernel, tol(ref.recurrentKernel), `${label} dRecurrentKernel`);
      if (ref.bias) assertClose(d.grads.bias!, ref.bias, tol(ref.bias), `${label} dBias`);
    }
  });
}

test('GRU reset_after=True forward equals the hand-written tfjs loop (tf.layers.gru cannot do it)', () => {
  let seed = 400;
  for (const flags of boolCombos(['goBackwards', 'useBias'] as const)) {
    const s = spec({ cell: 'gru', resetAfter: true, units: 4, inputDim: 3, timesteps: 6, returnSequences: true, ...flags });
    const rng = createRng(seed++);
    const w = randomWeights(s, rng, 0.8);
    const x = f32Array(rng, s.timesteps * s.inputDim, 1);
    const tr = computeTrace(s, w, x, { recurrentStats: false });
    const T = s.timesteps;
    const GH = 3 * s.units;
    const ys = tf.tidy(() => {
      const xs = Array.from({ length: T }, (_, t) => {
        const src = s.goBackwards ? T - 1 - t : t;
        return tf.tensor2d(Float32Array.from(x.subarray(src * s.inputDim, (src + 1) * s.inputDim)), [1, s.inputDim]);
      });
      const hs = handLoop(
        s,
        {
          kernel: tf.tensor2d(Float32Array.from(w.kernel), [s.inputDim, GH]),
          recurrentKernel: tf.tensor2d(Float32Array.from(w.recurrentKernel), [s.units, GH]),
          bias: w.bias ? tf.tensor2d(Float32Array.from(w.bias), [2, GH]) : null,
        },
        xs,
        Array.from({ length: T }, () => tf.zeros([1, s.units]) as tf.Tensor2D),
        null,
      );
      return tf.concat(hs, 0);
    });
    assertClose(tr.outputs[0].data, ys.dataSync(), { rel: 1e-6, abs: 1e-6 }, `gru reset_after ${JSON.stringify(flags)}`);
    ys.dispose();
  }
});

test('per-step contributions to the weight gradients: their norms equal tfjs autodiff w.r.t. per-step weight copies', () => {
  let seed = 500;
  for (const v of VARIANTS) {
    for (const returnSequences of [false, true]) {
      const s = spec({ cell: v.cell, resetAfter: v.resetAfter, units: 4, inputDim: 3, timesteps: 5, returnSequences, goBackwards: returnSequences });
      const rng = createRng(seed++);
      const w = randomWeights(s, rng, 0.8);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const T = s.timesteps;
      const H = s.units;
      const GH = w.recurrentKernel.length / H;
      const dy = f32Array(rng, (returnSequences ? T : 1) * H, 1);
      const tr = computeTrace(s, w, x, { loss: { kind: 'dy', dy }, recurrentStats: false });
      const xs = Array.from({ length: T }, (_, t) => {
        const src = s.goBackwards ? T - 1 - t : t;
        return tf.tensor2d(Float32Array.from(x.subarray(src * s.inputDim, (src + 1) * s.inputDim)), [1, s.inputDim]);
      });
      const biasShape = w.bias!.length === GH ? [GH] : [2, GH];
      const copies = Array.from({ length: T }, () => [
        tf.tensor2d(Float32Array.from(w.kernel), [s.inputDim, GH]),
        tf.tensor2d(Float32Array.from(w.recurrentKernel), [H, GH]),
        tf.tensor(Float32Array.from(w.bias!), biasShape),
      ]);
      const probes = Array.from({ length: T }, () => tf.zeros([1, H]) as tf.Tensor2D);
      const dyT = tf.tensor2d(Float32Array.from(dy), [returnSequences ? T : 1, H]);
      const f = (...args: tf.Tensor[]) => {
        const ws = Array.from({ length: T }, (_, t) => ({
          kernel: args[3 * t] as tf.Tensor2D,
          recurrentKernel: args[3 * t + 1] as tf.Tensor2D,
          bias: args[3 * t + 2],
        }));
        const hs = handLoop(s, ws, xs, probes, null);
        return tf.sum(tf.mul(returnSequences ? tf.concat(hs, 0) : hs[T - 1], dyT));
      };
      const gs = tf.grads(f)(copies.flat());
      const norm = (g: tf.Tensor) => Math.sqrt(g.square().sum().dataSync()[0]);
      const label = `${vname(v)} rs=${returnSequences}`;
      const n = tr.directions[0].stepGradNorms;
      const ref = (k: number) => Float64Array.from({ length: T }, (_, t) => norm(gs[3 * t + k]));
      const refK = ref(0);
      const tol = { rel: 1e-5, abs: 1e-5 * Math.max(1, maxAbs(refK)) };
      assertClose(n.kernel, refK, tol, `${label} kernel step norms`);
      assertClose(n.recurrentKernel, ref(1), tol, `${label} recurrentKernel step norms`);
      assertClose(n.bias, ref(2), tol, `${label} bias step norms`);
      assert.ok(n.kernel[T - 1] > 0, `${label}: last step contributes`);
      tf.dispose([...gs, ...copies.flat(), ...probes, ...xs, dyT]);
    }
  }
});
