// The host's panel session with the real engine run in-process (the same runJob the worker runs).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError } from '../../src/engine/client';
import { runJob } from '../../src/engine/worker';
import type { EngineJob, EngineResult, ToWebview } from '../../src/protocol';
import { DEFAULT_SCENE } from '../../src/scene';
import { UnrollSession } from '../../src/session';
import { makeSpec } from './specs';

const fmt = (m: string, ...a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

function harness(engineRun?: (view: string, job: EngineJob) => Promise<EngineResult>) {
  const posted: ToWebview[] = [];
  const jobs: [string, EngineJob][] = [];
  const session = new UnrollSession({
    engine: {
      run: ((view: string, job: EngineJob) => {
        jobs.push([view, job]);
        return engineRun ? engineRun(view, job) : Promise.resolve(runJob(job, () => false));
      }) as never,
    },
    post: (m) => posted.push(m),
    t: fmt,
    log: () => {},
  });
  return { session, posted, jobs };
}

test('opening a layer shows it, then sends its trace, then the Jacobian norms, all for one version', async () => {
  const { session, posted } = harness();
  await session.open(makeSpec('simple_rnn', { units: 12, returnSequences: true }), 'm.py:4', DEFAULT_SCENE);
  assert.deepEqual(posted.map((m) => m.type), ['show', 'trace', 'jacobian']);
  const show = posted[0] as Extract<ToWebview, { type: 'show' }>;
  const trace = posted[1] as Extract<ToWebview, { type: 'trace' }>;
  assert.equal(trace.version, show.scene.version);
  assert.equal(trace.trace.spec.units, 12);
  assert.equal(trace.trace.spec.timesteps, DEFAULT_SCENE.timesteps);
  const jac = posted[2] as Extract<ToWebview, { type: 'jacobian' }>;
  assert.equal(jac.norms[0].h.length, DEFAULT_SCENE.timesteps);
});

test('a knob change recomputes with the new values; bad numbers give a message, not a trace', async () => {
  const { session, posted } = harness();
  const spec = makeSpec('gru');
  await session.open(spec, 'm.py:4', DEFAULT_SCENE);
  posted.length = 0;
  const params = session.current()!.params;
  await session.setParams({ ...params, timesteps: 5, preset: 'numbers', numbers: '1 2 oops' });
  assert.deepEqual(posted.map((m) => m.type), ['show', 'engineError']);
  assert.match((posted[1] as Extract<ToWebview, { type: 'engineError' }>).message, /oops.*not a number/);
  posted.length = 0;
  await session.setParams({ ...params, timesteps: 5, preset: 'numbers', numbers: '1 2 3' });
  const show = posted[0] as Extract<ToWebview, { type: 'show' }>;
  assert.ok(show.scene.notes.some((n) => n.includes('repeat')), 'says the numbers repeat');
  assert.equal((posted[1] as Extract<ToWebview, { type: 'trace' }>).trace.spec.timesteps, 5);
});

test('compare mode sends SimpleRNN, LSTM and GRU traces on the same input', async () => {
  const { session, posted, jobs } = harness();
  await session.open(makeSpec('lstm'), 'm.py:4', DEFAULT_SCENE);
  await session.setParams({ ...session.current()!.params, compare: true, recurrentScale: 1.2 });
  const cmp = posted.find((m) => m.type === 'compare') as Extract<ToWebview, { type: 'compare' }>;
  assert.deepEqual(cmp.traces.map((t) => t.spec.cell), ['simple_rnn', 'lstm', 'gru']);
  const inputs = jobs.filter(([v]) => v.startsWith('compare-')).map(([, j]) => (j.kind === 'trace' ? j.input : null));
  assert.deepEqual(inputs[0], inputs[1]);
  assert.deepEqual(inputs[1], inputs[2]);
});

test('a superseded request posts nothing more for its version', async () => {
  const { session, posted } = harness(() => Promise.reject(new CancelledError('superseded')));
  await session.open(makeSpec('lstm'), 'm.py:4', DEFAULT_SCENE);
  assert.deepEqual(posted.map((m) => m.type), ['show']);
});

test('a trained layer is traced with its own weights, and its sizes and cell do not follow the knobs', async () => {
  const { session, posted, jobs } = harness();
  const spec = makeSpec('gru', { units: 3, inputDim: 2, resetAfter: true });
  const weights = { kernel: new Float64Array(2 * 9).fill(0.1), recurrentKernel: new Float64Array(3 * 9).fill(-0.2), bias: new Float64Array(2 * 9) };
  await session.openTrained(spec, weights, 'm.h5 · gru', DEFAULT_SCENE);
  await session.setParams({ ...session.current()!.params, units: 64, cell: 'lstm', timesteps: 4 });
  const traceJobs = jobs.filter(([, j]) => j.kind === 'trace').map(([, j]) => j as Extract<typeof j, { kind: 'trace' }>);
  const last = traceJobs[traceJobs.length - 1];
  assert.equal(last.weights, weights);
  assert.deepEqual([last.spec.cell, last.spec.units, last.spec.inputDim, last.spec.timesteps], ['gru', 3, 2, 4]);
  assert.ok(posted.filter((m) => m.type === 'show').every((m) => m.type === 'show' && m.scene.trained));
});

test('the one-hot text preset starts from the layer\'s line of code', async () => {
  const { session, jobs } = harness();
  await session.open(makeSpec('lstm', { inputDim: 40 }), 'm.py:4', DEFAULT_SCENE, [], 'x = layers.LSTM(8)');
  assert.equal(session.current()!.params.text, 'x = layers.LSTM(8)');
  await session.setParams({ ...session.current()!.params, preset: 'text', timesteps: 3 });
  const job = jobs.filter(([, j]) => j.kind === 'trace').pop()![1] as Extract<EngineJob, { kind: 'trace' }>;
  // 'x', ' ', '=' one-hot over the line's sorted characters: ' ' < '(' < ')' < '8' < '=' < 'L' …
  const hot = [0, 1, 2].map((t) => [...job.input!.slice(t * 40, t * 40 + 40)].indexOf(1));
  const vocab = [...new Set('x = layers.LSTM(8)')].sort();
  assert.deepEqual(hot, ['x', ' ', '='].map((c) => vocab.indexOf(c)));
});
