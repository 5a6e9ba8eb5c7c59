import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_SCENE, initialParams, sceneFor } from '../../src/scene';
import { layerAt } from '../../src/locate';
import { makeSpec } from './specs';

const fmt = (m: string, ...a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

test('sizes stated in the code are used as they are, without notes', () => {
  const spec = makeSpec('lstm', { units: 64, timesteps: 20, inputDim: 8 });
  const s = sceneFor(spec, 'a.py:3', initialParams(spec, DEFAULT_SCENE), 1, fmt);
  assert.deepEqual([s.params.timesteps, s.params.inputDim, s.params.units, s.notes], [20, 8, 64, []]);
});

test('a symbolic units value falls back to the default and says so', () => {
  const spec = makeSpec('gru', { units: null, unitsText: 'hidden_dim' });
  const s = sceneFor(spec, 'a.py:3', initialParams(spec, DEFAULT_SCENE), 1, fmt);
  assert.equal(s.params.units, DEFAULT_SCENE.units);
  assert.ok(s.notes.some((n) => n.includes('hidden_dim') && n.includes(String(DEFAULT_SCENE.units))));
});

test('huge layers are capped for drawing with a note naming both sizes', () => {
  const spec = makeSpec('simple_rnn', { units: 4096 });
  const s = sceneFor(spec, 'a.py:3', initialParams(spec, DEFAULT_SCENE), 1, fmt);
  assert.equal(s.params.units, DEFAULT_SCENE.maxUnits);
  assert.ok(s.notes.some((n) => n.includes('4096') && n.includes(String(DEFAULT_SCENE.maxUnits))));
});

test('the layer at the cursor is the one on that line, or the call starting just above', () => {
  const at = (line: number) => makeSpec('lstm', { range: { line, character: 4, endLine: line, endCharacter: 8 } });
  const layers = [at(3), at(10)];
  assert.equal(layerAt(layers, 3)?.range.line, 3);
  assert.equal(layerAt(layers, 5)?.range.line, 3);
  assert.equal(layerAt(layers, 12)?.range.line, 10);
  assert.equal(layerAt(layers, 1), undefined);
  assert.equal(layerAt(layers, 40), undefined);
});

test('switching the cell in the panel says so and gives a switched-to GRU Keras\'s reset_after', () => {
  const spec = makeSpec('lstm');
  const s = sceneFor(spec, 'a.py:3', { ...initialParams(spec, DEFAULT_SCENE), cell: 'gru' }, 2, fmt);
  assert.equal(s.spec.kind, 'gru');
  assert.equal(s.codeKind, 'lstm');
  assert.equal(s.spec.resetAfter, true);
  assert.ok(s.notes.some((n) => n.includes('LSTM') && n.includes('GRU')));
});
