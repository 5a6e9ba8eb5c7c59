import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fromWebviewSchema, toWebviewSchema, validate, type Scene } from '../../src/protocol';
import { makeSpec } from './specs';

const scene: Scene = { spec: makeSpec('lstm'), timesteps: 8, inputDim: 4, units: 16, notes: [], source: 'a.py:1' };

test('a well-formed show message passes and keeps its value', () => {
  const r = validate(toWebviewSchema, { type: 'show', scene });
  assert.ok(r.ok);
  assert.equal(r.value.type, 'show');
});

test('unknown message types are refused with the type named', () => {
  const r = validate(toWebviewSchema, { type: 'exec', code: 'alert(1)' });
  assert.ok(!r.ok);
  assert.match(r.error, /"exec" is not a known message type/);
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
  assert.ok(!validate(toWebviewSchema, { type: 'show', scene: { ...scene, timesteps: 0 } }).ok);
  assert.ok(!validate(toWebviewSchema, { type: 'show', scene: { ...scene, timesteps: 2.5 } }).ok);
  assert.ok(!validate(fromWebviewSchema, { type: 'rendered', title: 'x', timesteps: Number.NaN, outputs: 1 }).ok);
});

test('string tables must map strings to strings', () => {
  assert.ok(validate(toWebviewSchema, { type: 'strings', strings: { a: 'b' } }).ok);
  assert.ok(!validate(toWebviewSchema, { type: 'strings', strings: { a: 1 } }).ok);
});
