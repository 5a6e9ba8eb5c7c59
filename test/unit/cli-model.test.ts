// `trace --model`: a trained layer's trace from the command line (issue 7, item 4).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '../../..');
const CLI = join(REPO, 'dist/cli.js');
const MODEL = join(REPO, '../shared/fixtures/models/keras2-h5-bitcoin-rnns/model_lstm.h5');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

test('trace --model --layer traces the trained layer with its own weights and the model input length', () => {
  assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)');
  assert.ok(existsSync(MODEL), `the shared fixtures are missing at ${MODEL}`);
  const inspect = JSON.parse(cli('inspect', MODEL).stdout) as { layers: { name: string; unrollable: boolean; units: number; flags?: { timesteps: number } }[] };
  const first = inspect.layers.find((l) => l.unrollable)!;
  const r = cli('trace', '--model', MODEL, '--layer', first.name);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { spec: { cell: string; units: number; timesteps: number }; h: number[][]; model: { layer: string }; weights?: unknown };
  assert.equal(out.spec.cell, 'lstm');
  assert.equal(out.spec.units, first.units);
  assert.equal(out.spec.timesteps, first.flags!.timesteps);
  assert.equal(out.h.length, first.flags!.timesteps);
  assert.equal(out.model.layer, first.name);
  assert.equal(out.weights, undefined, 'a model file brings its weights: they are not echoed');
});

test('trace --model refuses unknown layers and mixed flags with one line and exit code 2', () => {
  for (const args of [
    ['--model', MODEL, '--layer', 'nope'],
    ['--model', MODEL, '--spec', 'x.json'],
    ['--layer', 'x', '--spec', 'x.json'],
    ['--model', join(REPO, 'README.md')],
  ]) {
    const r = cli('trace', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
