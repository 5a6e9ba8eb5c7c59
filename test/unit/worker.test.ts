// The engine worker through the host's client: real worker_threads, the real dist/worker.js.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, EngineClient, EngineRequestError } from '../../src/engine/client';
import type { TraceSpec } from '../../src/spec';

const WORKER = join(__dirname, '../../../dist/worker.js');

const spec: TraceSpec = {
  cell: 'lstm',
  units: 8,
  inputDim: 3,
  timesteps: 12,
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  useBias: true,
  returnSequences: true,
  returnState: false,
  goBackwards: false,
  resetAfter: false,
  bidirectional: null,
};
const job = (over: Partial<TraceSpec> = {}, seed = 1) =>
  ({ kind: 'trace', spec: { ...spec, ...over }, seed, weights: null, input: null, loss: null, recurrentScale: null }) as const;

test('a trace comes back from the worker with typed arrays and the weights it used', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const r = await client.run('panel', job());
    assert.equal(r.trace.directions.length, 1);
    assert.ok(r.trace.directions[0].h instanceof Float64Array);
    assert.equal(r.trace.directions[0].h.length, 12 * 8);
    assert.equal(r.input.length, 12 * 3);
    assert.ok(!('forward' in r.weights));
    // Same seed, same numbers: the picture is reproducible.
    const again = await client.run('panel', job());
    assert.deepEqual(again.trace.directions[0].h, r.trace.directions[0].h);
  } finally {
    client.dispose();
  }
});

test('the recurrent scale knob sets the spectral radius of every gate block', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => {} });
  try {
    const r = await client.run('panel', { ...job(), recurrentScale: 1.7 });
    const stats = r.trace.directions[0].recurrent!;
    for (const b of stats.blocks) assert.ok(Math.abs(b.spectralRadius - 1.7) < 1e-6, `${b.name}: ${b.spectralRadius}`);
  } finally {
    client.dispose();
  }
});

test('a newer request for the same view supersedes the older one; other views are untouched', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => {} });
  try {
    const first = client.run('panel', job({ timesteps: 400, units: 64 }));
    const other = client.run('export', job());
    const second = client.run('panel', job({}, 2));
    await assert.rejects(first, (e: unknown) => e instanceof CancelledError && e.reason === 'superseded');
    const [o, s] = await Promise.all([other, second]);
    assert.equal(o.kind, 'trace');
    assert.equal(s.trace.spec.timesteps, 12);
  } finally {
    client.dispose();
  }
});

test('a long Jacobian computation is cancelled between steps, and the worker stays usable', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const big = { ...spec, timesteps: 300, units: 128 };
    const t = await client.run('panel', job({ timesteps: 300, units: 128 }));
    const started = Date.now();
    const jac = client.run('panel', { kind: 'jacobian', spec: big, weights: t.weights, input: t.input });
    setTimeout(() => client.cancelView('panel'), 20);
    await assert.rejects(jac, (e: unknown) => e instanceof CancelledError && e.reason === 'cancelled');
    const after = await client.run('panel', job());
    assert.equal(after.kind, 'trace');
    assert.ok(Date.now() - started < 20_000);
  } finally {
    client.dispose();
  }
});

test('bad input is refused with a message naming the field, not a crash', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    await assert.rejects(client.run('panel', { ...job(), input: new Float64Array(5) }), (e: unknown) => e instanceof EngineRequestError && /input/.test(e.message));
    await assert.rejects(client.run('panel', job({ units: 0 })), (e: unknown) => e instanceof EngineRequestError && /units/.test(e.message));
    assert.equal((await client.run('panel', job())).kind, 'trace');
  } finally {
    client.dispose();
  }
});

test('a crashing worker rejects its requests, reports the crash, and is started afresh next time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-worker-'));
  const crashing = join(dir, 'crash.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });");
  const crashes: string[] = [];
  const client = new EngineClient({ workerPath: crashing, onCrash: (m) => crashes.push(m) });
  try {
    await assert.rejects(client.run('panel', job()), /engine stopped: boom/);
    await assert.rejects(client.run('panel', job()), /engine stopped: boom/);
    assert.equal(crashes.length, 2, 'each crash is reported once');
  } finally {
    client.dispose();
  }
});

const FIXTURES = join(__dirname, '../../../../shared/fixtures/models');

test('the worker reads a trained model and lists its layers, recurrent ones with weights in our layout', async () => {
  if (!existsSync(FIXTURES)) assert.fail(`the shared fixtures are missing at ${FIXTURES}`);
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const r = await client.run('model', { kind: 'model', path: join(FIXTURES, 'keras2-h5-bitcoin-rnns/model_lstm.h5') });
    const lstm = r.layers.filter((l) => l.recurrent);
    assert.ok(lstm.length >= 1);
    const first = lstm[0].recurrent!;
    assert.equal(first.spec.cell, 'lstm');
    const H = first.spec.units;
    const w = 'forward' in first.weights ? first.weights.forward : first.weights;
    assert.equal(w.recurrentKernel.length, H * 4 * H, 'recurrent kernel (H, 4H)');
    // And the engine traces it with those weights.
    const spec = { ...first.spec, timesteps: 5 };
    const t = await client.run('panel', { kind: 'trace', spec, seed: 1, weights: first.weights, input: null, loss: null, recurrentScale: null });
    assert.equal(t.trace.directions[0].h.length, 5 * H);
    await assert.rejects(client.run('model', { kind: 'model', path: join(FIXTURES, 'README.md') }), (e: unknown) => e instanceof EngineRequestError);
    // A GRU behind an Embedding(10000, 64): the layer list carries the embedding for token ids.
    const imdb = await client.run('model', { kind: 'model', path: join(FIXTURES, 'keras3-h5-gru-imdb/gru_model.h5') });
    const gru = imdb.layers.find((l) => l.recurrent)!.recurrent!;
    assert.deepEqual([gru.embedding?.vocab, gru.embedding?.dim], [10000, 64]);
    assert.equal(gru.embedding!.weights.length, 10000 * 64);
  } finally {
    client.dispose();
  }
});

test('15,000 traces through the worker: the process (host and worker heaps together) stops growing', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const small = job({ timesteps: 8, units: 8 });
    const batch = async (n: number) => {
      for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => client.run(`v${k}`, { ...small, seed: i + k })));
    };
    // RSS also grows while V8 sizes its heaps, so compare two equal batches after a warm-up:
    // a leak keeps growing in the second one, a heap settling in does not.
    await batch(5_000);
    const r0 = process.memoryUsage().rss;
    await batch(5_000);
    const r1 = process.memoryUsage().rss;
    await batch(5_000);
    const r2 = process.memoryUsage().rss;
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    // A leak of 5 KB per trace would add 25 MB per batch.
    assert.ok(r2 - r1 < 25 * 1024 * 1024, `RSS still grows: +${mb(r1 - r0)} MB, then +${mb(r2 - r1)} MB per 5,000 traces`);
  } finally {
    client.dispose();
  }
});

test('a training job streams progress from the worker and stopView ends it with its weights', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const layer = { cell: 'gru' as const, units: 8, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, useBias: true, goBackwards: false, resetAfter: true };
    const reports: number[] = [];
    let stopAsked = 0;
    let askedAt = 0;
    const result = await client.run(
      'train',
      { kind: 'train', task: 'sine', timesteps: 10, text: '', layers: [layer], options: { optimizer: 'adam', learningRate: 0.01, batchSize: 8, clipNorm: 1, seed: 1 }, steps: 1_000_000, start: null },
      (r) => {
        reports.push(r.step);
        assert.ok(r.runs[0].trace.directions[0].h instanceof Float64Array, 'the trace arrives as typed arrays');
        if (r.step >= 5 && !stopAsked) {
          stopAsked = r.step;
          askedAt = performance.now();
          client.stopView('train');
        }
      },
    );
    assert.equal(result.reason, 'stopped');
    assert.ok(reports.length >= 2 && reports[0] === 1, `reports at steps ${reports.join(', ')}`);
    // Within one step exactly is checked on the loop itself (engine/training.test.ts); through the
    // worker the flag crosses threads while steps of a few ms go on, so: promptly, and soon after.
    const waited = performance.now() - askedAt;
    assert.ok(waited < 2000, `stopped ${waited.toFixed(0)} ms after the request`);
    assert.ok(result.runs[0].steps >= stopAsked && result.runs[0].steps < stopAsked + 1000, `asked at ${stopAsked}, stopped at ${result.runs[0].steps}`);
    assert.equal(result.runs[0].weights.recurrentKernel.length, 8 * 24);
  } finally {
    client.dispose();
  }
});

test('warmUp starts the worker once, off the caller\'s thread, and later requests are answered as usual', async () => {
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    const t0 = performance.now();
    client.warmUp();
    client.warmUp(); // a no-op: the worker exists
    assert.ok(performance.now() - t0 < 200, 'warmUp returns at once');
    const r = await client.run('panel', job());
    assert.equal(r.trace.directions[0].h.length, 12 * 8);
  } finally {
    client.dispose();
  }
});

test('the worker thread runs below the extension host\'s priority (Linux), so training cannot starve the host', { skip: process.platform !== 'linux' && 'thread nice values are a Linux feature' }, async () => {
  // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value; the fields after the command name start at 3.
  const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
  const before = new Set(readdirSync('/proc/self/task'));
  const client = new EngineClient({ workerPath: WORKER, onCrash: () => assert.fail('no crash expected') });
  try {
    await client.run('panel', job());
    const added = readdirSync('/proc/self/task').filter((tid) => !before.has(tid));
    assert.equal(niceOf(String(process.pid)), 0, 'the main thread keeps its priority');
    assert.ok(added.some((tid) => niceOf(tid) === 10), `a new thread with nice 10 among ${added.map((tid) => `${tid}:${niceOf(tid)}`).join(' ')}`);
  } finally {
    client.dispose();
  }
});
