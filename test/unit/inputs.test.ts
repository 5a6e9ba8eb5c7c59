import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { makeInput } from '../../src/engine/inputs';

const req = { timesteps: 4, inputDim: 3, seed: 1, text: '', numbers: '' };

test('sine: feature 0 follows sin(2πt/12), later features are phase-shifted', () => {
  const { x } = makeInput({ ...req, preset: 'sine' });
  assert.ok(Math.abs(x[0] - 0) < 1e-12);
  assert.ok(Math.abs(x[3 * 3] - 1) < 1e-12, 'sin(2π·3/12) = 1');
  assert.ok(Math.abs(x[1] - Math.sin((2 * Math.PI) / 3)) < 1e-12);
});

test('text: one-hot rows over the sorted vocabulary', () => {
  const { x, notes } = makeInput({ ...req, preset: 'text', text: 'bacb' });
  const rows = [0, 1, 2, 3].map((t) => [...x.slice(t * 3, t * 3 + 3)]);
  assert.deepEqual(rows, [
    [0, 1, 0],
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
  ]);
  assert.deepEqual(notes, []);
});

test('text with more characters than features folds them and says so', () => {
  const { x, notes } = makeInput({ ...req, preset: 'text', text: 'abcde' });
  assert.deepEqual(notes[0], { kind: 'vocabFolded', vocab: 5, inputDim: 3 });
  for (let t = 0; t < 4; t++) assert.equal(x.slice(t * 3, t * 3 + 3).reduce((a, b) => a + b, 0), 1);
});

test('numbers fill row by row and repeat when short; garbage is named', () => {
  const { x, notes } = makeInput({ ...req, preset: 'numbers', numbers: '1, 2; 3\n4 5' });
  assert.deepEqual([...x.slice(0, 7)], [1, 2, 3, 4, 5, 1, 2]);
  assert.equal(notes[0].kind, 'numbersRepeated');
  assert.throws(() => makeInput({ ...req, preset: 'numbers', numbers: '1 two' }), /“two” is not a number/);
  assert.throws(() => makeInput({ ...req, preset: 'numbers', numbers: '  ' }), /numbers/);
});

test('random is reproducible from the seed', () => {
  const a = makeInput({ ...req, preset: 'random' }).x;
  const b = makeInput({ ...req, preset: 'random' }).x;
  const c = makeInput({ ...req, preset: 'random', seed: 2 }).x;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.every((v) => v >= -1 && v <= 1));
});

test('token ids are looked up in the trained Embedding, row by row; bad ids are named', () => {
  // V = 3 tokens, E = 3 wide: row k is [k, 10k, 100k].
  const embedding = { vocab: 3, dim: 3, weights: new Float64Array([0, 0, 0, 1, 10, 100, 2, 20, 200]) };
  const { x, notes } = makeInput({ ...req, preset: 'tokens', numbers: '2 1', embedding });
  assert.deepEqual([...x], [2, 20, 200, 1, 10, 100, 2, 20, 200, 1, 10, 100]);
  assert.equal(notes[0].kind, 'numbersRepeated');
  assert.throws(() => makeInput({ ...req, preset: 'tokens', numbers: '3', embedding }), /token id 3 is not in the vocabulary \(0…2\)/);
  assert.throws(() => makeInput({ ...req, preset: 'tokens', numbers: '1.5', embedding }), /token id 1.5/);
  assert.throws(() => makeInput({ ...req, preset: 'tokens', numbers: '1' }), /Embedding/);
});
