// The host's training session (a scripted engine: the engine's own training is tested in
// engine/training.test.ts and through the real worker in worker.test.ts), and the weights file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EngineRequestError } from '../../src/engine/client';
import { EngineInputError } from '../../src/engine/errors';
import { computeTrace, initWeights, createRng, initHeadWeights } from '../../src/engine';
import { trainSpec } from '../../src/engine/train/config';
import { makeTask } from '../../src/engine/train/tasks';
import { fromWeightsFile, toWeightsFile } from '../../src/engine/train/weightsFile';
import type { EngineJob, EngineResult, Scene, ToWebview } from '../../src/protocol';
import type { TrainLayer, TrainReport } from '../../src/spec';
import { DEFAULT_TRAIN_SETTINGS, TrainingSession } from '../../src/training';

const fmt = (m: string, ...a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));
const LSTM: TrainLayer = { cell: 'lstm', units: 4, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, goBackwards: false, resetAfter: false };

/** A run's weights and a report as the worker would send them, for `job`. */
function fake(job: Extract<EngineJob, { kind: 'train' }>) {
  const task = makeTask(job.task, job.timesteps, job.text || undefined);
  const runs = job.layers.map((l) => {
    const spec = trainSpec(l, task);
    const weights = initWeights(spec, createRng(1));
    const head = initHeadWeights(task.head, l.units, createRng(2));
    const trace = computeTrace(spec, weights, task.batch(createRng(3), 1).x, { recurrentStats: false });
    return { spec, weights, head, trace };
  });
  const report: TrainReport = { step: 2, runs: runs.map((r) => ({ cell: r.spec.cell, losses: Float64Array.of(1.5, 1.2), accuracies: Float64Array.of(0.25, 0.5), gradNorm: 0.3, reach: 1e-3, trace: r.trace })) };
  return { runs, report };
}

function harness(answer: (job: Extract<EngineJob, { kind: 'train' }>, progress: (r: TrainReport) => void) => Promise<EngineResult>) {
  const posted: ToWebview[] = [];
  const shown: { scene: Scene; traces: number }[] = [];
  const progress: string[] = [];
  let version = 0;
  const session = new TrainingSession({
    engine: {
      run: ((_view: string, job: EngineJob, onProgress: (r: TrainReport) => void) => answer(job as Extract<EngineJob, { kind: 'train' }>, onProgress)) as never,
      stopView: () => {},
    },
    unroll: {
      current: () => null,
      present: (make) => {
        shown.push({ scene: make(++version), traces: 0 });
        return version;
      },
      showTrace: (v) => {
        if (v === version) shown[shown.length - 1].traces++;
      },
    },
    post: (m) => posted.push(m),
    t: fmt,
    log: () => {},
    progress: () => ({ report: (m) => progress.push(m), done: () => progress.push('done') }),
    editorText: () => null,
    language: 'en',
  });
  return { session, posted, shown, progress };
}

const statuses = (posted: ToWebview[]) => posted.filter((m): m is Extract<ToWebview, { type: 'training' }> => m.type === 'training');

test('a run shows the model being trained, streams its loss and traces, and ends with its weights', async () => {
  const h = harness(async (job, onProgress) => {
    const f = fake(job);
    onProgress(f.report);
    return { kind: 'train', reason: 'done', runs: f.runs.map((r) => ({ cell: r.spec.cell, steps: 2, weights: r.weights, head: r.head, diverged: null })) };
  });
  await h.session.start({ ...DEFAULT_TRAIN_SETTINGS, task: 'memory', timesteps: 6, steps: 2 });
  // The panel shows the trained model: no layer in the panel, so an LSTM(32), many-to-one on the memory task.
  assert.equal(h.shown.length, 1);
  const spec = h.shown[0].scene.spec;
  assert.deepEqual([spec.kind, spec.units, spec.timesteps, spec.returnSequences, spec.head?.units], ['lstm', 32, 6, false, 4]);
  assert.equal(h.shown[0].traces, 1);
  assert.deepEqual(statuses(h.posted).map((s) => s.state), ['running', 'done']);
  const done = statuses(h.posted).at(-1)!;
  assert.equal(done.step, 2);
  assert.ok(done.hasWeights);
  assert.match(done.message ?? '', /Trained 2 steps/);
  const p = h.posted.find((m) => m.type === 'trainProgress') as Extract<ToWebview, { type: 'trainProgress' }>;
  assert.deepEqual([...p.runs[0].losses], [1.5, 1.2]);
  assert.deepEqual(h.progress, ['step 2 of 2 · loss 1.200', 'done']);
  // Saved in Keras layout and read back unchanged.
  const file = JSON.parse(JSON.stringify(h.session.weightsFile()));
  const back = fromWeightsFile(file);
  const f = fake({ kind: 'train', task: 'memory', timesteps: 6, text: '', layers: [{ ...LSTM, units: 32 }], options: DEFAULT_TRAIN_SETTINGS.options, steps: 2, start: null });
  assert.deepEqual(back.weights, f.runs[0].weights);
  assert.deepEqual(back.head, f.runs[0].head);
  assert.equal(back.steps, 2);
  // A reloaded webview gets the status and the whole history again.
  h.posted.length = 0;
  h.session.resend();
  assert.deepEqual(h.posted.map((m) => m.type), ['training', 'trainProgress']);
});

test('a diverged run says why and what to do; a refused one says what the engine said', async () => {
  const d = harness(async (job) => {
    const f = fake(job);
    return { kind: 'train', reason: 'diverged', runs: f.runs.map((r) => ({ cell: r.spec.cell, steps: 4, weights: r.weights, head: r.head, diverged: { step: 5, loss: NaN, gradNorm: Infinity } })) };
  });
  await d.session.start({ ...DEFAULT_TRAIN_SETTINGS, options: { ...DEFAULT_TRAIN_SETTINGS.options, learningRate: 3 } });
  const last = statuses(d.posted).at(-1)!;
  assert.equal(last.state, 'diverged');
  assert.match(last.message!, /LSTM: the loss became NaN at step 5.*exploded: lower the learning rate \(now 3\)/);
  const r = harness(() => Promise.reject(new EngineRequestError('timesteps: 5000 is above the training limit of 500')));
  await r.session.start(DEFAULT_TRAIN_SETTINGS);
  assert.match(statuses(r.posted).at(-1)!.message!, /Cannot train: timesteps: 5000 is above the training limit of 500/);
  // Too large is refused on the host before the worker is asked.
  let asked = false;
  const big = harness(() => ((asked = true), Promise.reject(new Error('unreachable'))));
  await big.session.start({ ...DEFAULT_TRAIN_SETTINGS, timesteps: 5000 });
  assert.equal(asked, false);
  assert.match(statuses(big.posted).at(-1)!.message!, /timesteps: 5000 is above the training limit of 500/);
  // The open file as text, with no editor open.
  const nofile = harness(() => Promise.reject(new Error('unreachable')));
  await nofile.session.start({ ...DEFAULT_TRAIN_SETTINGS, task: 'next_char', textSource: 'file' });
  assert.match(statuses(nofile.posted).at(-1)!.message!, /no editor is open/);
});

test('the weights file is Keras get_weights() order and shapes; a wrong file is refused naming the field', () => {
  const task = makeTask('next_char', 5, 'abcab');
  const spec = trainSpec({ ...LSTM, cell: 'gru', resetAfter: true }, task);
  const weights = initWeights(spec, createRng(4));
  const head = initHeadWeights(task.head, 4, createRng(5));
  const file = toWeightsFile({ layer: { ...LSTM, cell: 'gru', resetAfter: true }, task: { kind: 'next_char', timesteps: 5, text: 'abcab' }, weights, head, options: DEFAULT_TRAIN_SETTINGS.options, steps: 7 }) as { weights: number[][][]; layer: { class_name: string; config: Record<string, unknown> } };
  // GRU reset_after=True: kernel (D, 3H), recurrent_kernel (H, 3H), bias (2, 3H), as Keras stores it.
  assert.deepEqual(file.weights.map((w) => [w.length, w[0].length]), [[3, 12], [4, 12], [2, 12]]);
  assert.equal(file.layer.class_name, 'GRU');
  assert.equal(file.layer.config.reset_after, true);
  const back = fromWeightsFile(JSON.parse(JSON.stringify(file)));
  assert.deepEqual(back.weights, weights);
  assert.equal(back.task.text, 'abcab');
  const broken = JSON.parse(JSON.stringify(file));
  broken.weights[1] = broken.weights[1].slice(1);
  assert.throws(() => fromWeightsFile(broken), (e: unknown) => e instanceof EngineInputError && /recurrent_kernel/.test(e.message));
  assert.throws(() => fromWeightsFile({ format: 'other' }), /format/);
});
