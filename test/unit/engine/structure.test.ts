// What a Trace looks like: Keras's output structure, processing order for go_backwards, initial
// state, default loss, buffers the trace owns, input validation, and limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Trace, TraceSpec } from '../../../src/spec';
import { computeTrace, mainOutputShape } from '../../../src/engine/trace';
import { EngineInputError } from '../../../src/engine/errors';
import { parseTraceSpec, LIMITS } from '../../../src/engine/validate';
import { collectBuffers } from '../../../src/engine/transfer';
import { initLayerWeights } from '../../../src/engine/init';
import { asList, buildLayer, kerasLikeLayer, tf } from './tfref';
import { assertClose, createRng, f32Array, randomLayerWeights, randomWeights, spec } from './helpers';

function names(s: TraceSpec): string[] {
  const rng = createRng(1);
  return computeTrace(s, randomLayerWeights(s, rng), f32Array(rng, s.timesteps * s.inputDim, 1)).outputs.map((o) => `${o.name}:${o.shape.join('x')}`);
}

test('output structure follows Keras (RNN-SEMANTICS §1.3, §1.5)', () => {
  const T = 4;
  const H = 3;
  assert.deepEqual(names(spec({ cell: 'simple_rnn' })), [`output:${H}`]);
  assert.deepEqual(names(spec({ cell: 'gru', returnSequences: true })), [`output:${T}x${H}`]);
  assert.deepEqual(names(spec({ cell: 'gru', returnState: true })), [`output:${H}`, `h:${H}`]);
  assert.deepEqual(names(spec({ cell: 'lstm', returnState: true, returnSequences: true })), [`output:${T}x${H}`, `h:${H}`, `c:${H}`]);
  const bi = (mergeMode: 'concat' | 'sum' | null, cell: 'lstm' | 'gru') =>
    names(spec({ cell, bidirectional: { mergeMode }, returnState: true, returnSequences: true }));
  assert.deepEqual(bi('concat', 'lstm'), [`output:${T}x${2 * H}`, `forward_h:${H}`, `forward_c:${H}`, `backward_h:${H}`, `backward_c:${H}`]);
  assert.deepEqual(bi('sum', 'gru'), [`output:${T}x${H}`, `forward_h:${H}`, `backward_h:${H}`]);
  assert.deepEqual(bi(null, 'gru'), [`forward_output:${T}x${H}`, `backward_output:${T}x${H}`, `forward_h:${H}`, `backward_h:${H}`]);
  assert.deepEqual(mainOutputShape(spec({ cell: 'gru', bidirectional: { mergeMode: null } })), [2, H]);
});

test('with return_sequences=False the output is the last h; return_state h equals it', () => {
  const s = spec({ cell: 'lstm', returnState: true });
  const rng = createRng(2);
  const tr = computeTrace(s, randomWeights(s, rng), f32Array(rng, 8, 1));
  const last = tr.directions[0].h.slice(3 * 3);
  assert.deepEqual(tr.outputs[0].data, last);
  assert.deepEqual(tr.outputs[1].data, last);
  assert.deepEqual(tr.outputs[2].data, tr.directions[0].c!.slice(9));
});

test('go_backwards processes the reversed input and returns the sequence in processing order', () => {
  const rng = createRng(3);
  const s = spec({ cell: 'gru', returnSequences: true, goBackwards: true });
  const w = randomWeights(s, rng);
  const x = f32Array(rng, s.timesteps * s.inputDim, 1);
  const rev = new Float64Array(x.length);
  for (let t = 0; t < s.timesteps; t++) rev.set(x.subarray(t * 2, t * 2 + 2), (s.timesteps - 1 - t) * 2);
  const a = computeTrace(s, w, x);
  const b = computeTrace({ ...s, goBackwards: false }, w, rev);
  assert.deepEqual(a.outputs[0].data, b.outputs[0].data);
  assert.deepEqual(a.directions[0].x, rev);
  assert.equal(a.directions[0].goBackwards, true);
});

test('initial state equals tf.layers with initialState (plain and Bidirectional halves)', () => {
  let seed = 10;
  for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
    for (const bidi of [false, true]) {
      const s = spec({ cell, resetAfter: false, returnSequences: true, returnState: true, bidirectional: bidi ? { mergeMode: 'concat' } : null });
      const rng = createRng(seed++);
      const w = randomLayerWeights(s, rng);
      const x = f32Array(rng, s.timesteps * s.inputDim, 1);
      const dirs = bidi ? 2 : 1;
      const states = Array.from({ length: dirs }, () => ({ h: f32Array(rng, s.units, 1), c: cell === 'lstm' ? f32Array(rng, s.units, 1) : null }));
      const tr = computeTrace(s, w, x, { initialState: states });
      const layer = kerasLikeLayer(s);
      const xt = tf.tensor3d(Float32Array.from(x), [1, s.timesteps, s.inputDim]);
      buildLayer(layer, s, 'forward' in w ? [w.forward, w.backward] : [w], xt);
      const init = states.flatMap((st) => [st.h, ...(st.c ? [st.c] : [])]).map((a) => tf.tensor2d(Float32Array.from(a), [1, s.units]));
      const ys = asList(layer.apply(xt, { initialState: init }) as tf.Tensor | tf.Tensor[]);
      ys.forEach((y, i) => assertClose(tr.outputs[i].data, y.dataSync(), { rel: 1e-6, abs: 1e-6 }, `${cell} bidi=${bidi} output ${i}`));
      tf.dispose([...ys, ...init, xt]);
      layer.dispose();
    }
  }
});

test('default loss is dy = ones on the main output; stepLoss sums to the loss', () => {
  const s = spec({ cell: 'lstm', returnSequences: true, bidirectional: { mergeMode: 'mul' } });
  const rng = createRng(4);
  const w = randomLayerWeights(s, rng);
  const x = f32Array(rng, 8, 1);
  const tr = computeTrace(s, w, x);
  assert.ok(tr.dOutput.every((v) => v === 1));
  const sum = tr.outputs[0].data.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(tr.loss - sum) < 1e-12);
  assert.ok(Math.abs(tr.stepLoss.reduce((a, b) => a + b, 0) - tr.loss) < 1e-12);
  assert.equal(tr.stepLoss.length, s.timesteps);
});

function typedArrays(v: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (v === null || typeof v !== 'object') return out;
  if (ArrayBuffer.isView(v)) out.push(v);
  else Object.values(v).forEach((x) => typedArrays(x, out));
  return out;
}

test('every typed array in a trace owns exactly its buffer, and the trace survives structured cloning', () => {
  const s = spec({ cell: 'lstm', returnSequences: true, returnState: true, bidirectional: { mergeMode: 'concat' } });
  const rng = createRng(5);
  const w = randomLayerWeights(s, rng);
  const x = f32Array(rng, 8, 1);
  const tr: Trace = computeTrace(s, w, x, {
    loss: { kind: 'head', head: { units: 2, activation: 'softmax' }, weights: { kernel: f32Array(rng, 12, 1), bias: null }, targets: new Float64Array(8).fill(0.5) },
  });
  const views = typedArrays(tr);
  assert.ok(views.length > 40, `${views.length} arrays`);
  for (const v of views) {
    assert.ok(v instanceof Float64Array, 'Float64Array only');
    assert.equal(v.byteOffset, 0);
    assert.equal(v.byteLength, v.buffer.byteLength, 'no view into a larger buffer');
  }
  assert.equal(collectBuffers(tr).length, views.length, 'no two arrays share a buffer');
  // Not aliasing the caller's arrays either: the trace can be transferred without detaching them.
  assert.ok(!views.some((v) => v.buffer === x.buffer || ('forward' in w && v.buffer === w.forward.kernel.buffer)));
  const clone = structuredClone(tr, { transfer: collectBuffers(tr) });
  assert.equal(clone.directions[1].h.length, 12);
  assert.equal(tr.directions[1].h.length, 0, 'transferred buffers are detached at the source');
});

test('bad input is refused with an EngineInputError naming the field', () => {
  const s = spec({ cell: 'gru' });
  const rng = createRng(6);
  const w = randomWeights(s, rng);
  const x = f32Array(rng, 8, 1);
  const field = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof EngineInputError, String(e));
      return e.field;
    }
    assert.fail('no error');
  };
  assert.equal(field(() => computeTrace(s, w, x.slice(1))), 'input');
  assert.equal(field(() => computeTrace(s, { ...w, kernel: w.kernel.slice(1) }, x)), 'kernel');
  assert.equal(field(() => computeTrace(s, { ...w, bias: w.bias!.slice(0, 9) }, x)), 'bias');
  assert.equal(field(() => computeTrace({ ...s, useBias: false }, w, x)), 'bias');
  assert.equal(field(() => computeTrace(s, w, Float64Array.from(x, (v, i) => (i === 3 ? NaN : v)))), 'input');
  assert.equal(field(() => computeTrace(s, w, x, { loss: { kind: 'dy', dy: new Float64Array(2) } })), 'dy');
  assert.equal(field(() => computeTrace({ ...s, bidirectional: { mergeMode: 'sum' } }, w, x)), 'weights');
  assert.equal(field(() => computeTrace(s, w, x, { initialState: [{ h: new Float64Array(2) }] })), 'initialState[0].h');
  assert.equal(field(() => parseTraceSpec({ cell: 'rnn', units: 3, inputDim: 2, timesteps: 4 })), 'cell');
  assert.equal(field(() => parseTraceSpec({ cell: 'lstm', units: 0, inputDim: 2, timesteps: 4 })), 'units');
  assert.equal(field(() => parseTraceSpec({ cell: 'lstm', units: 3, inputDim: 2, timesteps: LIMITS.timesteps + 1 })), 'timesteps');
  assert.equal(field(() => parseTraceSpec({ cell: 'lstm', units: 3, inputDim: 2, timesteps: 4, activation: 'gelu' })), 'activation');
  assert.equal(field(() => parseTraceSpec({ cell: 'lstm', units: 3, inputDim: 2, timesteps: 4, returnState: 'yes' })), 'returnState');
  assert.equal(field(() => parseTraceSpec({ cell: 'lstm', units: 1024, inputDim: 2, timesteps: 2000 })), 'timesteps');
});

test('parseTraceSpec fills Keras 3 defaults', () => {
  const s = parseTraceSpec({ cell: 'gru', units: 8, inputDim: 2, timesteps: 5 });
  assert.deepEqual(s, {
    cell: 'gru', units: 8, inputDim: 2, timesteps: 5, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true,
    returnSequences: false, returnState: false, goBackwards: false, resetAfter: true, bidirectional: null,
  });
  assert.equal(parseTraceSpec({ cell: 'lstm', units: 8, inputDim: 2, timesteps: 5 }).resetAfter, false);
  assert.deepEqual(parseTraceSpec({ cell: 'lstm', units: 8, inputDim: 2, timesteps: 5, bidirectional: { mergeMode: null } }).bidirectional, { mergeMode: null });
  // Seeded Keras init gives weights of the right shapes for every spec.
  const w = initLayerWeights(s, 1);
  assert.ok(!('forward' in w) && w.bias!.length === 2 * 24);
});
