// `node dist/cli.js trace` (built by `npm run build`): the JSON contract of issue 3 item 5, values
// of a hand-computed case, and bad input → exit 2 with one stderr line naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist/cli.js');
let dir = '';

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'rnn-unroll-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

function cli(...args: string[]): { code: number | null; out: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'trace', ...args], { encoding: 'utf8' });
  let out: Record<string, unknown> = {};
  if (r.status === 0) out = JSON.parse(r.stdout) as Record<string, unknown>;
  return { code: r.status, out, stderr: r.stderr };
}

const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0])] : []);

test('LSTM trace: every contract field, with Keras shapes', () => {
  const spec = file('lstm.json', { cell: 'lstm', units: 3, inputDim: 2, timesteps: 5, returnSequences: true, returnState: true });
  const r = cli('--spec', spec, '--seed', '7');
  assert.equal(r.code, 0, r.stderr);
  const o = r.out;
  assert.deepEqual(o.outputNames, ['output', 'h', 'c']);
  assert.deepEqual((o.outputs as unknown[]).map(shape), [[5, 3], [3], [3]]);
  for (const k of ['h', 'c', 'dh', 'dc']) assert.deepEqual(shape(o[k]), [5, 3], k);
  assert.deepEqual(Object.keys(o.gates as object).sort(), ['c', 'f', 'i', 'o']);
  for (const g of Object.values(o.gates as object)) assert.deepEqual(shape(g), [5, 3]);
  const grads = o.grads as Record<string, unknown>;
  assert.deepEqual(shape(grads.kernel), [2, 12]);
  assert.deepEqual(shape(grads.recurrentKernel), [3, 12]);
  assert.deepEqual(shape(grads.bias), [12]);
  assert.equal((o.jacobianNorms as number[]).length, 5);
  assert.equal(typeof o.sigmaMax, 'number');
  assert.equal(typeof o.spectralRadius, 'number');
  // Seeded Keras init and random input are echoed, and the run is reproducible.
  assert.deepEqual(shape((o.weights as Record<string, unknown>).kernel), [2, 12]);
  assert.deepEqual(shape(o.input), [5, 2]);
  assert.deepEqual(cli('--spec', spec, '--seed', '7').out.h, o.h);
  assert.notDeepEqual(cli('--spec', spec, '--seed', '8').out.h, o.h);
});

test('GRU gates are z, r, hh; reset_after bias is (2, 3H)', () => {
  const spec = file('gru.json', { cell: 'gru', units: 2, inputDim: 1, timesteps: 3 });
  const r = cli('--spec', spec);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(r.out.gates as object).sort(), ['hh', 'r', 'z']);
  assert.deepEqual(shape((r.out.weights as Record<string, unknown>).bias), [2, 6]);
  assert.equal(r.out.c, null);
});

test('SimpleRNN H=1 with given weights, input and dy: values equal the hand computation', () => {
  const spec = file('srnn.json', { cell: 'simple_rnn', units: 1, inputDim: 1, timesteps: 2, returnSequences: true });
  const w = file('w.json', { kernel: [[0.5]], recurrentKernel: [[-0.8]], bias: [0.1] });
  const x = file('x.json', [[1], [-1]]);
  const dy = file('dy.json', [[0.3], [1]]);
  const r = cli('--spec', spec, '--weights', w, '--input', x, '--dy', dy);
  assert.equal(r.code, 0, r.stderr);
  const h1 = Math.tanh(0.6);
  const h2 = Math.tanh(-0.5 - 0.8 * h1 + 0.1);
  const g2 = 1;
  const d2 = g2 * (1 - h2 * h2);
  const g1 = 0.3 + d2 * -0.8;
  const d1 = g1 * (1 - h1 * h1);
  const near = (a: unknown, b: number) => assert.ok(Math.abs((a as number) - b) < 1e-14, `${a} vs ${b}`);
  near((r.out.h as number[][])[0][0], h1);
  near((r.out.h as number[][])[1][0], h2);
  near((r.out.dh as number[][])[0][0], g1);
  near((r.out.grads as { kernel: number[][] }).kernel[0][0], d1 - d2);
  near((r.out.grads as { recurrentKernel: number[][] }).recurrentKernel[0][0], d2 * h1);
  near((r.out.jacobianNorms as number[])[0], Math.abs(-0.8 * (1 - h2 * h2)));
  near(r.out.sigmaMax, 0.8);
  near(r.out.spectralRadius, 0.8);
  assert.equal(r.out.weights, undefined, 'given weights are not echoed');
  assert.equal(r.out.input, undefined);
});

test('Bidirectional and a softmax head', () => {
  const spec = file('bi.json', {
    cell: 'gru', units: 2, inputDim: 2, timesteps: 3, returnSequences: true,
    bidirectional: { mergeMode: 'concat' }, head: { units: 3, activation: 'softmax' },
  });
  const t = file('t.json', [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const r = cli('--spec', spec, '--targets', t);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((r.out.outputs as unknown[]).map(shape), [[3, 4]]);
  assert.equal((r.out.backward as Record<string, unknown>).goBackwards, true);
  assert.deepEqual(shape((r.out.head as Record<string, unknown>).outputs), [3, 3]);
  assert.ok((r.out.loss as number) > 0);
});

test('bad input: exit 2, one line on stderr naming the field, no stack trace', () => {
  const good = { cell: 'lstm', units: 2, inputDim: 2, timesteps: 3 };
  const cases: [string[], RegExp][] = [
    [['--spec', file('b1.json', { ...good, cell: 'lstx' })], /cell/],
    [['--spec', file('b2.json', { ...good, units: 2000 })], /units.*limit/],
    [['--spec', file('b3.json', { ...good, timesteps: 100000 })], /timesteps.*limit/],
    [['--spec', file('b4.json', { ...good, units: 'two' })], /units/],
    [['--spec', file('b5.json', { ...good, activation: 'gelu' })], /activation/],
    [['--spec', file('b6.json', '{not json')], /--spec.*not valid JSON/],
    [['--spec', join(dir, 'missing.json')], /--spec.*cannot read/],
    [['--spec', file('g.json', good), '--weights', file('w1.json', { kernel: [[1, 2]], recurrentKernel: [[0]], bias: [0] })], /kernel/],
    [['--spec', file('g.json', good), '--input', file('x1.json', [[1, 2], [3, 'a'], [5, 6]])], /input.*\[1\]\[1\]/],
    [['--spec', file('g.json', good), '--input', file('x2.json', [[1, 2], [3, 4]])], /input.*length 2 instead of 3/],
    [['--spec', file('g.json', good), '--dy', file('dy1.json', [[1, 2]])], /dy/],
    [['--spec', file('g.json', good), '--seed', 'x'], /--seed/],
    [['--spec', file('g.json', good), '--frobnicate', '1'], /unknown option --frobnicate/],
    [[], /--spec .* or --model .* is required/],
  ];
  for (const [args, re] of cases) {
    const r = cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0], re);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
