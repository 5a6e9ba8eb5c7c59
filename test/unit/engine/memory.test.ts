// The typed-array trace path keeps no state between calls: 10,000 traces leave the heap where it
// was (measured after forced GCs; --expose-gc is switched on at run time through v8 flags).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { computeTrace } from '../../../src/engine/trace';
import { jacobianNorms } from '../../../src/engine/jacobian';
import { createRng, f32Array, randomWeights, spec } from './helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

test('heap stays flat over 10,000 traces', () => {
  const s = spec({ cell: 'lstm', units: 8, inputDim: 4, timesteps: 20, returnSequences: true });
  const rng = createRng(1);
  const w = randomWeights(s, rng);
  const x = f32Array(rng, s.timesteps * s.inputDim, 1);
  let sink = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const tr = computeTrace(s, w, x, { recurrentStats: i % 100 === 0 });
      if (i % 500 === 0) sink += jacobianNorms(s, w, tr)![0].h[0];
      sink += tr.loss;
    }
  };
  run(1000); // warm-up: JIT, caches
  const before = heapAfterGc();
  run(10_000);
  const after = heapAfterGc();
  assert.ok(Number.isFinite(sink));
  // One trace here allocates ~40 KB; a leak of even one small array per call would add ≥ 1 MB.
  assert.ok(after - before < 1_000_000, `heap grew by ${((after - before) / 1024).toFixed(0)} KB`);
});
