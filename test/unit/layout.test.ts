import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { layoutScene, MAX_COLUMNS, outputShapeText, visibleSteps } from '../../webview/layout';
import type { Scene } from '../../src/protocol';
import type { CellKind } from '../../src/spec';
import { makeScene, makeSpec } from './specs';

function scene(kind: CellKind, T: number, returnSequences: boolean, returnState: boolean): Scene {
  return makeScene(makeSpec(kind, { returnSequences, returnState }), { timesteps: T, inputDim: 3, units: 16 });
}

test('short sequences draw every step', () => {
  assert.deepEqual(visibleSteps(4), [1, 2, 3, 4]);
});

test('long sequences keep the first and last steps around one elision marker', () => {
  const cols = visibleSteps(100);
  assert.equal(cols.length, MAX_COLUMNS);
  assert.equal(cols.filter((c) => c === null).length, 1);
  assert.deepEqual(cols.slice(0, 2), [1, 2]);
  assert.equal(cols[cols.length - 1], 100);
  const numbers = cols.filter((c): c is number => c !== null);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'time order');
});

for (const kind of ['simple_rnn', 'lstm', 'gru'] as const) {
  for (const rs of [false, true]) {
    for (const st of [false, true]) {
      test(`${kind} return_sequences=${rs} return_state=${st}: outputs as Keras returns them`, () => {
        const T = 6;
        const l = layoutScene(scene(kind, T, rs, st));
        const outputs = l.nodes.filter((n) => n.role === 'output');
        assert.equal(outputs.length, rs ? T : 1);
        if (!rs) assert.equal(outputs[0].step, T, 'many-to-one emits y_T only');
        const states = l.nodes.filter((n) => n.role === 'state').map((n) => n.label);
        assert.deepEqual(states, !st ? [] : kind === 'lstm' ? ['h (state)', 'c (state)'] : ['h (state)']);
        assert.equal(l.nodes.filter((n) => n.role === 'cell').length, T);
        assert.equal(l.nodes.filter((n) => n.role === 'input').length, T);
      });
    }
  }
}

test('boxes of a step share a column and the picture is wide enough for all of them', () => {
  const l = layoutScene(scene('gru', 5, true, true));
  for (let t = 1; t <= 5; t++) {
    const xs = new Set(l.nodes.filter((n) => n.step === t).map((n) => n.x));
    assert.equal(xs.size, 1, `step ${t} is one column`);
  }
  for (const n of l.nodes) assert.ok(n.x >= 0 && n.x + n.w <= l.width && n.y >= 0 && n.y + n.h <= l.height, n.key);
});

test('the output shape text follows Keras structure', () => {
  assert.equal(outputShapeText(scene('simple_rnn', 7, true, false)), '(batch, 7, 16)');
  assert.equal(outputShapeText(scene('gru', 7, false, false)), '(batch, 16)');
  assert.equal(outputShapeText(scene('lstm', 7, false, true)), '[output (batch, 16), h (batch, 16), c (batch, 16)]');
});

test('go_backwards: the recurrent arrows run right to left and many-to-one emits at step 1', () => {
  const l = layoutScene(makeScene(makeSpec('gru', { goBackwards: true, returnSequences: false }), { timesteps: 5 }));
  for (const e of l.edges.filter((x) => x.role === 'recurrent')) assert.ok(e.to.x < e.from.x, `${e.key} points left`);
  const outs = l.nodes.filter((n) => n.role === 'output');
  assert.deepEqual(outs.map((n) => n.step), [1]);
});

test('Bidirectional: two cell rows in opposite directions and one merged output per step', () => {
  const l = layoutScene(makeScene(makeSpec('lstm', { bidirectional: { mergeMode: 'concat' }, returnSequences: true }), { timesteps: 4, units: 8 }));
  const cells = l.nodes.filter((n) => n.role === 'cell');
  assert.equal(cells.filter((n) => n.direction === 0).length, 4);
  assert.equal(cells.filter((n) => n.direction === 1).length, 4);
  assert.equal(l.nodes.filter((n) => n.role === 'merge').length, 4);
  assert.equal(l.outputCount, 4);
  assert.ok(l.nodes.filter((n) => n.role === 'output').every((n) => n.sub === '(batch, 16)'), 'concat doubles the width');
  const back = l.edges.filter((e) => e.role === 'recurrent' && e.direction === 1);
  assert.ok(back.every((e) => e.to.x < e.from.x));
});

test('a TimeDistributed(Dense) head is drawn once per step and marked as shared', () => {
  const l = layoutScene(makeScene(makeSpec('simple_rnn', { returnSequences: true, head: { units: 39, activation: 'softmax', timeDistributed: true, lastStep: false } }), { timesteps: 6 }));
  assert.equal(l.nodes.filter((n) => n.role === 'head').length, 6);
  assert.match(l.sharedHead ?? '', /TimeDistributed\(Dense\)/);
});

test('a PyTorch head is nn.Linear, not Dense', () => {
  const l = layoutScene(makeScene(makeSpec('lstm', { framework: 'pytorch', returnSequences: true, head: { units: 5, activation: 'linear', timeDistributed: true, lastStep: false } }), { timesteps: 4 }));
  assert.deepEqual([...new Set(l.nodes.filter((n) => n.role === 'head').map((n) => n.label))], ['Linear(5)']);
  assert.equal(l.sharedHead, 'Linear · W_y');
});

test('LSTM draws a cell-state lane beside the hidden-state arrows', () => {
  const l = layoutScene(makeScene(makeSpec('lstm'), { timesteps: 3 }));
  assert.equal(l.edges.filter((e) => e.role === 'cell-state').length, 3);
  assert.equal(l.edges.filter((e) => e.role === 'recurrent').length, 3);
});
