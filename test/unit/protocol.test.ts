import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fromWebviewSchema, toWebviewSchema, validate, workerRequestSchema, type Scene } from '../../src/protocol';
import { makeScene, makeSpec } from './specs';

const scene: Scene = makeScene(makeSpec('lstm'));

test('a well-formed show message passes and keeps its value', () => {
  const r = validate(toWebviewSchema, { type: 'show', scene });
  assert.ok(r.ok);
  assert.equal(r.value.type, 'show');
});

test('unknown message types are refused with the type named', () => {
  const r = validate(toWebviewSchema, { type: 'exec', code: 'alert(1)' });
  assert.ok(!r.ok);
  assert.match(r.error, /"exec" is not a known type/);
});

test('non-objects and missing types are refused', () => {
  for (const m of [null, 42, 'show', [], {}]) assert.ok(!validate(fromWebviewSchema, m).ok, JSON.stringify(m));
});

test('a nested field of the wrong kind is refused with its path', () => {
  const bad = { type: 'show', scene: { ...scene, spec: { ...scene.spec, kind: 'transformer' } } };
  const r = validate(toWebviewSchema, bad);
  assert.ok(!r.ok);
  assert.match(r.error, /message\.scene\.spec\.kind should be one of/);
});

test('numbers must be finite and integers in range where the schema says so', () => {
  assert.ok(!validate(toWebviewSchema, { type: 'show', scene: { ...scene, params: { ...scene.params, timesteps: 0 } } }).ok);
  assert.ok(!validate(toWebviewSchema, { type: 'show', scene: { ...scene, params: { ...scene.params, timesteps: 2.5 } } }).ok);
  assert.ok(!validate(fromWebviewSchema, { type: 'params', params: { ...scene.params, recurrentScale: Number.POSITIVE_INFINITY } }).ok);
  assert.ok(!validate(fromWebviewSchema, { type: 'rendered', title: 'x', timesteps: Number.NaN, outputs: 1 }).ok);
});

test('string tables must map strings to strings', () => {
  assert.ok(validate(toWebviewSchema, { type: 'strings', strings: { a: 'b' } }).ok);
  assert.ok(!validate(toWebviewSchema, { type: 'strings', strings: { a: 1 } }).ok);
});

test('typed arrays are required where the protocol carries numbers in bulk', () => {
  const job = { kind: 'trace', spec: { cell: 'gru', units: 2, inputDim: 1, timesteps: 3, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, returnSequences: true, returnState: false, goBackwards: false, resetAfter: true, bidirectional: null }, seed: 0, weights: null, loss: null, recurrentScale: null };
  assert.ok(validate(workerRequestSchema, { type: 'run', id: 1, job: { ...job, input: new Float64Array(3) } }).ok);
  const r = validate(workerRequestSchema, { type: 'run', id: 1, job: { ...job, input: [0, 0, 0] } });
  assert.ok(!r.ok);
  assert.match(r.error, /input should be a Float64Array/);
  assert.ok(!validate(workerRequestSchema, { type: 'run', id: 1, job: { ...job, input: new Float64Array([0, Number.NaN, 0]) } }).ok, 'NaN input refused');
});
