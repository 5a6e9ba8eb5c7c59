// Training throughput (issue 6): our training path (hand-unrolled tfjs step on the wasm backend,
// Adam, the next-character task) next to tf.layers `model.fit` on the same configuration — the
// seed's model, RNN(128, return_sequences) + TimeDistributed(Dense(39, softmax)), B=32, T=100,
// D=39 — on the wasm backend and on tfjs's default cpu backend, in the same run.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EngineClient } from '../src/engine/client';
import { DEFAULT_TRAIN_SETTINGS, TrainingSession } from '../src/training';
import type { CellKind, TrainLayer } from '../src/spec';
import { createRng, initWeights } from '../src/engine';
import { makeTask } from '../src/engine/train/tasks';
import { loadTfjs, type Tf } from '../src/engine/train/tfjs';
import { Trainer } from '../src/engine/train/trainer';
import { trainSpec } from '../src/engine/train/config';
import { timeIt, type BenchRow } from './stats';

const REPO = join(__dirname, '../..');
const B = 32;
const T = 100;
const H = 128;
const CELLS: CellKind[] = ['simple_rnn', 'lstm'];
const NAMES: Record<CellKind, string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

/** A seeded text over exactly 39 distinct characters, so D = K = 39 as in the seed's model. */
function text39(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 .,';
  const rng = createRng(7);
  return alphabet + Array.from({ length: 4_000 }, () => alphabet[Math.floor(rng.next() * alphabet.length)]).join('');
}

function layerOf(cell: CellKind): TrainLayer {
  return { cell, units: H, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, goBackwards: false, resetAfter: false };
}

async function ours(tf: Tf, cell: CellKind, runs: number) {
  const task = makeTask('next_char', T, text39());
  const trainer = new Trainer(tf, task, layerOf(cell), { optimizer: 'adam', learningRate: 0.01, batchSize: B, clipNorm: 1, seed: 1 });
  const r = await timeIt(() => trainer.step(), runs, 3);
  trainer.dispose();
  return r;
}

async function fit(tf: Tf, cell: CellKind, runs: number) {
  const task = makeTask('next_char', T, text39());
  const D = task.inputDim;
  // Keras's defaults spelled out (tfjs's differ); zeros initializers since the weights are set below.
  const args = { units: H, returnSequences: true, inputShape: [T, D], recurrentActivation: 'sigmoid' as const, kernelInitializer: 'zeros', recurrentInitializer: 'zeros', biasInitializer: 'zeros' };
  const rnn = cell === 'simple_rnn' ? tf.layers.simpleRNN(args) : tf.layers.lstm(args);
  const model = tf.sequential({ layers: [rnn, tf.layers.timeDistributed({ layer: tf.layers.dense({ units: D, activation: 'softmax' }) })] });
  const w = initWeights(trainSpec(layerOf(cell), task), createRng(1));
  const ws = [tf.tensor2d(Float32Array.from(w.kernel), [D, w.kernel.length / D]), tf.tensor2d(Float32Array.from(w.recurrentKernel), [H, w.recurrentKernel.length / H]), tf.tensor1d(Float32Array.from(w.bias!))];
  rnn.setWeights(ws);
  tf.dispose(ws);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const batch = task.batch(createRng(2), B);
  const xs = tf.tensor3d(Float32Array.from(batch.x), [B, T, D]);
  const ys = tf.tensor3d(Float32Array.from(batch.targets), [B, T, D]);
  const r = await timeIt(() => model.fit(xs, ys, { batchSize: B, epochs: 1, verbose: 0, shuffle: false }), runs, 2);
  tf.dispose([xs, ys]);
  model.dispose();
  return r;
}

/**
 * The extension host's side while the worker trains the seed configuration: the real worker
 * (dist/worker.js), the real TrainingSession relaying every report (each webview message
 * structured-cloned, as postMessage does), and the host's event-loop delay meanwhile.
 */
async function hostDelay(cell: CellKind, steps: number): Promise<{ p50: number; p99: number; max: number; msPerStep: number }> {
  const engine = new EngineClient({ workerPath: join(REPO, 'dist/worker.js'), onCrash: (m) => console.error(`worker crashed: ${m}`) });
  let version = 0;
  const session = new TrainingSession({
    engine,
    unroll: { current: () => null, present: () => ++version, showTrace: (_v, trace, compare) => structuredClone([trace, compare]) },
    post: (m) => structuredClone(m),
    t: (m) => m,
    log: console.error,
    progress: () => ({ report: () => {}, done: () => {} }),
    editorText: () => null,
    language: 'en',
  });
  const resolution = 10;
  const delay = monitorEventLoopDelay({ resolution });
  const t0 = performance.now();
  delay.enable();
  await session.start({ ...DEFAULT_TRAIN_SETTINGS, task: 'next_char', timesteps: T, textSource: 'typed', text: text39(), steps, options: { ...DEFAULT_TRAIN_SETTINGS.options, batchSize: B } }, layerOf(cell));
  delay.disable();
  const wall = performance.now() - t0;
  engine.dispose();
  // The histogram holds the time between samples: the delay is what exceeds the resolution.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - resolution);
  return { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), msPerStep: wall / steps };
}

export async function benchTrain(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cfg = `B=${B} T=${T} D=39 H=${H}`;
  const results: Record<string, { median: number; p90: number }> = {};
  const wasmDir = join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  for (const backend of ['wasm', 'cpu'] as const) {
    const tf = await loadTfjs(backend, wasmDir);
    for (const cell of CELLS) {
      if (backend === 'wasm') results[`ours ${cell}`] = await ours(tf, cell, 10);
      results[`fit ${cell} ${backend}`] = await fit(tf, cell, backend === 'cpu' ? 3 : 5);
    }
  }
  const sps = (ms: number) => 1000 / ms;
  for (const cell of CELLS) {
    const o = results[`ours ${cell}`];
    rows.push({ name: `train step ${NAMES[cell]} ${cfg} (ours, wasm, Adam)`, median: sps(o.median), p90: sps(o.p90), unit: 'steps/s', note: `${o.median.toFixed(0)} ms/step` });
    for (const backend of ['wasm', 'cpu'] as const) {
      const f = results[`fit ${cell} ${backend}`];
      rows.push({
        name: `model.fit ${NAMES[cell]} ${cfg} (tf.layers, ${backend})`, median: sps(f.median), p90: sps(f.p90), unit: 'steps/s',
        peer: `ours ${(f.median / o.median).toFixed(1)}× faster`, note: `${f.median.toFixed(0)} ms/step`,
      });
    }
  }
  for (const cell of CELLS) {
    const d = await hostDelay(cell, 20);
    rows.push({ name: `host event-loop delay while training ${NAMES[cell]} ${cfg} (worker)`, median: d.p50, p90: d.p99, unit: 'ms', note: `p99 in the p90 column; max ${d.max.toFixed(1)} ms; ${d.msPerStep.toFixed(0)} ms/step incl. tfjs start` });
  }
  return rows;
}
