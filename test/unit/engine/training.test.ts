// Live training (issue 6), engine side: the toy tasks' batches, one optimizer step of our training
// path against the same step through tf.layers (same weights, same batch), the loss falling on each
// task within a small seeded budget, clipping, divergence keeping the last good weights, stopping
// within one step, and no tensor leaks over 1,000 steps.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as tfn from '@tensorflow/tfjs';
import type { CellKind, TraceHead, TraceSpec, TrainLayer, TrainOptions } from '../../../src/spec';
import { loadTfjs, type Tf } from '../../../src/engine/train/tfjs';
import { TfRnnModel } from '../../../src/engine/train/tfModel';
import { makeTask, MAX_VOCAB, MEMORY_SYMBOLS, type TrainBatch } from '../../../src/engine/train/tasks';
import { gradientReach } from '../../../src/engine/train/trainer';
import { checkTrainSize, TRAIN_LIMITS } from '../../../src/engine/train/config';
import { runTraining, type TrainJob } from '../../../src/engine/train/loop';
import { computeTrace, EngineInputError } from '../../../src/engine';
import { assertClose, createRng, f32Array, randomWeights, spec } from './helpers';

let tf: Tf;
before(async () => {
  tf = await loadTfjs('wasm', join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
});

const layer = (cell: CellKind, units = 8): TrainLayer => ({ cell, units, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, goBackwards: false, resetAfter: cell === 'gru' });
const ADAM: TrainOptions = { optimizer: 'adam', learningRate: 0.01, batchSize: 16, clipNorm: null, seed: 3 };

const argmax = (a: Float64Array, from: number, n: number) => {
  let best = 0;
  for (let k = 1; k < n; k++) if (a[from + k] > a[from + best]) best = k;
  return best;
};

test('next-character batches: one-hot windows whose target is the following character', () => {
  const text = 'hello world';
  const task = makeTask('next_char', 5, text);
  assert.deepEqual(task.vocab, [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
  const V = task.inputDim;
  const b = task.batch(createRng(1), 7);
  const chars = Array.from(text);
  for (let s = 0; s < 7; s++) {
    const decoded = Array.from({ length: 5 }, (_, t) => task.vocab![argmax(b.x, (s * 5 + t) * V, V)]);
    const next = Array.from({ length: 5 }, (_, t) => task.vocab![argmax(b.targets, (s * 5 + t) * V, V)]);
    // Every window is a (wrapping) substring of the text, and the target is shifted by one.
    const start = chars.findIndex((_, i) => decoded.every((c, t) => chars[(i + t) % chars.length] === c));
    assert.ok(start >= 0, `window ${decoded.join('')} comes from the text`);
    assert.deepEqual(next, decoded.map((_, t) => chars[(start + t + 1) % chars.length]));
    for (let t = 0; t < 5; t++) assert.equal(b.x.subarray((s * 5 + t) * V, (s * 5 + t + 1) * V).reduce((x, y) => x + y), 1);
  }
  assert.deepEqual(task.batch(createRng(1), 7), b, 'seeded');
  assert.throws(() => makeTask('next_char', 5, 'x'), EngineInputError);
  const wide = Array.from({ length: MAX_VOCAB + 1 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  assert.throws(() => makeTask('next_char', 5, wide), /limit is 128/);
});

test('sine batches: the target is the input one step later; memory batches: the target is the first symbol', () => {
  const sine = makeTask('sine', 20);
  const s = sine.batch(createRng(2), 4);
  for (let b = 0; b < 4; b++) for (let t = 0; t < 19; t++) assert.equal(s.targets[b * 20 + t], s.x[b * 20 + t + 1]);
  assert.equal(sine.head.activation, 'linear');
  const mem = makeTask('memory', 30);
  const D = mem.inputDim;
  const m = mem.batch(createRng(3), 50);
  const seen = new Set<number>();
  for (let b = 0; b < 50; b++) {
    const first = argmax(m.x, b * 30 * D, D);
    assert.ok(first < MEMORY_SYMBOLS);
    seen.add(first);
    assert.equal(argmax(m.targets, b * MEMORY_SYMBOLS, MEMORY_SYMBOLS), first);
    for (let t = 1; t < 30; t++) {
      const step = m.x.subarray((b * 30 + t) * D, (b * 30 + t + 1) * D);
      assert.ok(step.subarray(0, MEMORY_SYMBOLS).every((v) => v === 0), 'no symbol after step 1');
      assert.ok(step.subarray(MEMORY_SYMBOLS).every((v) => v >= -1 && v <= 1) && step.some((v) => v !== 0), 'noise in [−1, 1]');
    }
  }
  assert.equal(seen.size, MEMORY_SYMBOLS);
  assert.equal(mem.returnSequences, false);
});

/** The same model through tf.layers, with our weights. */
function layersModel(s: TraceSpec, head: TraceHead, w: ReturnType<typeof randomWeights>, hw: { kernel: Float64Array; bias: Float64Array | null }): tfn.Sequential {
  const args = {
    units: s.units, returnSequences: s.returnSequences, inputShape: [s.timesteps, s.inputDim], activation: 'tanh', recurrentActivation: 'sigmoid',
    kernelInitializer: 'zeros', recurrentInitializer: 'zeros', biasInitializer: 'zeros',
  } as { units: number; returnSequences: boolean; inputShape: number[]; activation: 'tanh'; recurrentActivation: 'sigmoid'; kernelInitializer: 'zeros'; recurrentInitializer: 'zeros'; biasInitializer: 'zeros' };
  const rnn = s.cell === 'simple_rnn' ? tf.layers.simpleRNN(args) : s.cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru({ ...args, resetAfter: false } as never);
  const dense = tf.layers.dense({ units: head.units, activation: head.activation, kernelInitializer: 'zeros' });
  const model = tf.sequential({ layers: [rnn, s.returnSequences ? tf.layers.timeDistributed({ layer: dense }) : dense] });
  const G = w.recurrentKernel.length / s.units;
  const ws = [tf.tensor2d(Float32Array.from(w.kernel), [s.inputDim, G]), tf.tensor2d(Float32Array.from(w.recurrentKernel), [s.units, G]), tf.tensor1d(Float32Array.from(w.bias!))];
  rnn.setWeights(ws);
  const hs = [tf.tensor2d(Float32Array.from(hw.kernel), [s.units, head.units]), tf.tensor1d(Float32Array.from(hw.bias!))];
  dense.setWeights(hs);
  tf.dispose([...ws, ...hs]);
  return model;
}

test('one Adam step of our training path equals the same step through tf.layers (≤1e-5)', async () => {
  let seed = 20;
  for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
    for (const [returnSequences, activation] of [[true, 'softmax'], [false, 'softmax'], [true, 'linear']] as const) {
      const s = spec({ cell, resetAfter: false, units: 6, inputDim: 4, timesteps: 7, returnSequences });
      const head: TraceHead = { units: 3, activation };
      const rng = createRng(seed++);
      const w = randomWeights(s, rng, 0.5);
      const hw = { kernel: f32Array(rng, 6 * 3, 0.5), bias: f32Array(rng, 3, 0.2) };
      const B = 5;
      const steps = returnSequences ? s.timesteps : 1;
      const targets = new Float64Array(B * steps * 3);
      for (let r = 0; r < B * steps; r++) {
        if (activation === 'softmax') targets[r * 3 + Math.floor(rng.next() * 3)] = 1;
        else for (let k = 0; k < 3; k++) targets[r * 3 + k] = Math.fround(rng.uniform(-1, 1));
      }
      const batch: TrainBatch = { size: B, x: f32Array(rng, B * s.timesteps * s.inputDim, 1), targets };

      const ours = new TfRnnModel(tf, s, w, head, hw);
      const adam = tf.train.adam(0.05);
      ours.step(batch, adam, null);
      const after = ours.readWeights();
      ours.dispose();
      adam.dispose();

      const ref = layersModel(s, head, w, hw);
      const refAdam = tf.train.adam(0.05);
      ref.compile({ optimizer: refAdam, loss: activation === 'softmax' ? 'categoricalCrossentropy' : 'meanSquaredError' });
      const xs = tf.tensor3d(Float32Array.from(batch.x), [B, s.timesteps, s.inputDim]);
      const ys = returnSequences ? tf.tensor3d(Float32Array.from(targets), [B, steps, 3]) : tf.tensor2d(Float32Array.from(targets), [B, 3]);
      await ref.trainOnBatch(xs, ys);
      const refWeights = ref.getWeights().map((t) => Float64Array.from(t.dataSync()));
      tf.dispose([xs, ys]);
      ref.dispose();
      refAdam.dispose();

      const label = `${cell} rs=${returnSequences} ${activation}`;
      const mine = [after.weights.kernel, after.weights.recurrentKernel, after.weights.bias!, after.head.kernel, after.head.bias!];
      ['kernel', 'recurrent_kernel', 'bias', 'head kernel', 'head bias'].forEach((name, i) => {
        assertClose(mine[i], refWeights[i], { rel: 0, abs: 1e-5 }, `${label} ${name}`);
        // The step moved the weights by far more than the tolerance, so the comparison means something.
        const start = [w.kernel, w.recurrentKernel, w.bias!, hw.kernel, hw.bias!][i];
        assert.ok(start.some((v, j) => Math.abs(v - refWeights[i][j]) > 1e-3), `${label} ${name} moved`);
      });
    }
  }
});

test('gradient clipping scales the whole gradient to the given global norm', () => {
  const s = spec({ cell: 'lstm', units: 5, inputDim: 3, timesteps: 6, returnSequences: true });
  const head: TraceHead = { units: 2, activation: 'linear' };
  const rng = createRng(5);
  const w = randomWeights(s, rng, 0.8);
  const hw = { kernel: f32Array(rng, 10, 0.8), bias: f32Array(rng, 2, 0.1) };
  const batch: TrainBatch = { size: 3, x: f32Array(rng, 3 * 6 * 3, 1), targets: f32Array(rng, 3 * 6 * 2, 3) };
  const run = (clip: number | null) => {
    const m = new TfRnnModel(tf, s, w, head, hw);
    const sgd = tf.train.sgd(1);
    const st = m.step(batch, sgd, clip);
    const after = m.readWeights();
    m.dispose();
    sgd.dispose();
    // The applied update, flattened.
    const before = [w.kernel, w.recurrentKernel, w.bias!, hw.kernel, hw.bias!];
    const now = [after.weights.kernel, after.weights.recurrentKernel, after.weights.bias!, after.head.kernel, after.head.bias!];
    return { st, delta: before.flatMap((b, i) => Array.from(b, (v, j) => v - now[i][j])) };
  };
  const free = run(null);
  const norm = Math.hypot(...free.delta);
  assert.ok(Math.abs(norm - free.st.gradNorm) < 1e-4 * norm, `reported norm ${free.st.gradNorm} = update norm ${norm}`);
  const clipped = run(free.st.gradNorm / 4);
  assert.ok(Math.abs(Math.hypot(...clipped.delta) - free.st.gradNorm / 4) < 1e-4 * norm, 'clipped to a quarter');
  clipped.delta.forEach((d, i) => assert.ok(Math.abs(d - free.delta[i] / 4) < 1e-5, 'same direction'));
});

/** Mean loss over the first and the last `n` steps of a seeded run. */
async function lossFall(job: TrainJob, n: number): Promise<[number, number]> {
  const losses: number[] = [];
  const end = await runTraining(tf, job, { shouldStop: () => false, report: (r) => losses.push(...r.runs[0].losses) });
  assert.equal(end.reason, 'done');
  assert.equal(losses.length, job.steps, 'every step reported once');
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  return [mean(losses.slice(0, n)), mean(losses.slice(-n))];
}

const job = (over: Partial<TrainJob>): TrainJob => ({ task: 'memory', timesteps: 5, text: 'abcab cabba', layers: [layer('lstm')], options: ADAM, steps: 60, start: null, ...over });

test('the loss falls on each task within a small seeded budget', async () => {
  const [c0, c1] = await lossFall(job({ task: 'next_char', timesteps: 8, text: 'abcabd abcabd', steps: 80 }), 10);
  assert.ok(c1 < 0.5 * c0, `next_char: ${c0} → ${c1}`);
  const [s0, s1] = await lossFall(job({ task: 'sine', timesteps: 12, steps: 80 }), 10);
  assert.ok(s1 < 0.3 * s0, `sine: ${s0} → ${s1}`);
  const [m0, m1] = await lossFall(job({ task: 'memory', timesteps: 4, steps: 120, options: { ...ADAM, learningRate: 0.03 } }), 10);
  assert.ok(m1 < 0.5 * m0, `memory: ${m0} → ${m1}`);
  // Reproducible: the same seed gives the same losses.
  assert.deepEqual(await lossFall(job({ task: 'sine', timesteps: 12, steps: 80 }), 10), [s0, s1]);
});

test('compare trains SimpleRNN, LSTM and GRU side by side and reports how much gradient reaches step 1', async () => {
  const reports: number[][] = [];
  const end = await runTraining(tf, job({ layers: [layer('simple_rnn'), layer('lstm'), layer('gru')], steps: 5 }), {
    shouldStop: () => false,
    report: (r) => reports.push(r.runs.map((x) => x.reach)),
  });
  assert.deepEqual(end.runs.map((r) => r.cell), ['simple_rnn', 'lstm', 'gru']);
  assert.ok(end.runs.every((r) => r.steps === 5));
  assert.ok(reports.length >= 2 && reports.every((r) => r.length === 3 && r.every((x) => Number.isFinite(x) && x > 0)));
});

test('the reach is ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of the probe trace', () => {
  const s = spec({ cell: 'simple_rnn', units: 3, inputDim: 2, timesteps: 4, returnSequences: false });
  const rng = createRng(8);
  const tr = computeTrace(s, randomWeights(s, rng), f32Array(rng, 8, 1), { loss: { kind: 'head', head: { units: 2, activation: 'softmax' }, weights: { kernel: f32Array(rng, 6, 1), bias: null }, targets: Float64Array.of(1, 0) } });
  const dh = tr.directions[0].dh;
  assert.ok(Math.abs(gradientReach(tr) - Math.hypot(dh[0], dh[1], dh[2]) / Math.hypot(dh[9], dh[10], dh[11])) < 1e-15);
});

test('a non-finite loss stops the run with the last weights that gave a finite loss', async () => {
  // A linear SimpleRNN with a huge SGD step: the loss grows every step until float32 overflows.
  const linear: TrainLayer = { ...layer('simple_rnn', 4), activation: 'linear' };
  const wild = job({ task: 'sine', timesteps: 6, layers: [linear], options: { ...ADAM, optimizer: 'sgd', learningRate: 5, batchSize: 4 }, steps: 200 });
  const quiet = { shouldStop: () => false, report: () => {} };
  const end = await runTraining(tf, wild, quiet);
  assert.equal(end.reason, 'diverged');
  const run = end.runs[0];
  const k = run.diverged!.step;
  assert.ok(k > 2, `diverged at step ${k}`);
  assert.ok(!Number.isFinite(run.diverged!.loss) || !Number.isFinite(run.diverged!.gradNorm));
  // Step k's weights (after k−1 updates) gave a non-finite loss; step k−1's (after k−2) did not.
  assert.equal(run.steps, k - 2);
  const good = (await runTraining(tf, { ...wild, steps: k - 2 }, quiet)).runs[0];
  assert.equal(good.diverged, null);
  for (const name of ['kernel', 'recurrentKernel'] as const) assertClose(run.weights[name], good.weights[name], { rel: 0, abs: 0 }, name);
  assertClose(run.head.kernel, good.head.kernel, { rel: 0, abs: 0 }, 'head kernel');
  assert.ok(run.weights.recurrentKernel.every(Number.isFinite));
});

test('a stop request ends the run within one step, with its weights', async () => {
  let steps = 0;
  let stopAt = -1;
  const end = await runTraining(tf, job({ steps: 1000 }), {
    shouldStop: () => {
      if (steps >= 7 && stopAt < 0) stopAt = steps;
      return stopAt >= 0;
    },
    report: (r) => (steps = r.step),
    reportEveryMs: 0,
  });
  assert.equal(end.reason, 'stopped');
  assert.equal(end.runs[0].steps, stopAt, 'no step after the request');
  assert.ok(end.runs[0].weights.kernel.every(Number.isFinite));
});

test('too large a run is refused with the limit named', () => {
  const big = (over: Partial<TraceSpec>) => ({ ...spec({ cell: 'lstm', units: 8, inputDim: 4, timesteps: 10 }), ...over });
  assert.throws(() => checkTrainSize(big({ timesteps: 100_000 }), 32), /timesteps: 100000 is above the training limit of 500/);
  assert.throws(() => checkTrainSize(big({ units: 4096 }), 32), /units: 4096 is above the training limit of 256/);
  assert.throws(() => checkTrainSize(big({ units: 256, timesteps: 500 }), 256), /batch × timesteps × units/);
  assert.doesNotThrow(() => checkTrainSize(big({ units: 128, timesteps: 100 }), 32));
  assert.ok(TRAIN_LIMITS.batchStepsUnits >= 32 * 100 * 128, 'the seed configuration fits');
});

test('no tensor leaks: tf.memory().numTensors is the same after 1,000 training steps (Adam, clipping, reports)', async () => {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await runTraining(tf, job({ steps: 1000, options: { ...ADAM, clipNorm: 0.01, batchSize: 4 }, layers: [layer('gru', 4)] }), {
    shouldStop: () => false,
    report: () => counts.push(tf.memory().numTensors),
    reportEveryMs: 0,
  });
  assert.equal(counts.length, 1000);
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor count steady during the run: ${[...new Set(counts)].join(', ')}`);
  assert.equal(tf.memory().numTensors, before, 'everything disposed at the end');
});
