import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_SCENE, initialParams, sceneFor } from '../../src/scene';
import { layerAt, layerSpanning, layerSpans, parseSource } from '../../src/parse';
import { makeSpec } from './specs';

const fmt = (m: string, ...a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

test('sizes stated in the code are used as they are, without notes', () => {
  const spec = makeSpec('lstm', { units: 64, timesteps: 20, inputDim: 8 });
  const s = sceneFor(spec, 'a.py:3', initialParams(spec, DEFAULT_SCENE), 1, fmt);
  assert.deepEqual([s.params.timesteps, s.params.inputDim, s.params.units, s.notes], [20, 8, 64, []]);
});

test('a head fed only the last step is drawn many-to-one with a note; the code’s own flags stay as they are', () => {
  const spec = makeSpec('gru', { framework: 'pytorch', returnSequences: true, returnState: true, head: { units: 5, activation: 'linear', timeDistributed: false, lastStep: true } });
  const s = sceneFor(spec, 'a.py:3', initialParams(spec, DEFAULT_SCENE), 1, fmt);
  assert.deepEqual([s.spec.returnSequences, s.spec.returnState, s.spec.head?.timeDistributed], [false, true, false]);
  assert.ok(s.notes.some((n) => /only the last step/.test(n)));
  assert.equal(spec.returnSequences, true, 'the parsed spec is not changed');
  const every = makeSpec('gru', { framework: 'pytorch', returnSequences: true, head: { units: 5, activation: 'linear', timeDistributed: true, lastStep: false } });
  const e = sceneFor(every, 'a.py:3', initialParams(every, DEFAULT_SCENE), 1, fmt);
  assert.deepEqual([e.spec.returnSequences, e.notes.some((n) => /only the last step/.test(n))], [true, false]);
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

test('a cursor inside a multi-line call finds its layer; a line after it does not', () => {
  const text = 'from keras import layers\nx = layers.Bidirectional(\n    layers.LSTM(\n        8,\n    ),\n)\ny = 1\n';
  const found = parseSource(text, 'python').layers;
  assert.equal(found.length, 1);
  const spans = layerSpans(text, 'python', found);
  assert.equal(layerAt(found.map((f) => f.spec), 3, 0), null, 'line 4 has no layer name');
  assert.equal(layerSpanning(spans, 3)?.layer.spec.units, 8, 'but is inside the call');
  assert.equal(layerSpanning(spans, 1)?.layer.spec.units, 8, 'the wrapper line belongs to it too');
  assert.equal(layerSpanning(spans, 6), null, 'the line after the call does not');
});

test('switching the cell in the panel says so and gives a switched-to GRU Keras\'s reset_after', () => {
  const spec = makeSpec('lstm');
  const s = sceneFor(spec, 'a.py:3', { ...initialParams(spec, DEFAULT_SCENE), cell: 'gru' }, 2, fmt);
  assert.equal(s.spec.kind, 'gru');
  assert.equal(s.codeKind, 'lstm');
  assert.equal(s.spec.resetAfter, true);
  assert.ok(s.notes.some((n) => n.includes('LSTM') && n.includes('GRU')));
});
