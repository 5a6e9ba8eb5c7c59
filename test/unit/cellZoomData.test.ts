// The cell zoom's values come from the real trace, and the diagram's own vectors satisfy the
// cell's equations (recomputed here, independently of the engine).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runJob } from '../../src/engine/worker';
import type { CellKind, Trace, TraceSpec } from '../../src/spec';
import { cellZoom, type CellZoom } from '../../webview/cellZoomData';

const T = 4;
const H = 3;
const D = 2;

async function traceOf(cell: CellKind, over: Partial<TraceSpec> = {}): Promise<Trace> {
  const spec: TraceSpec = {
    cell,
    units: H,
    inputDim: D,
    timesteps: T,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: true,
    returnState: false,
    goBackwards: false,
    resetAfter: false,
    bidirectional: null,
    ...over,
  };
  const r = await runJob({ kind: 'trace', spec, seed: 1, weights: null, input: null, loss: null, recurrentScale: null }, () => false);
  assert.equal(r.kind, 'trace');
  return (r as Extract<typeof r, { kind: 'trace' }>).trace;
}

function vals(z: CellZoom, id: string): number[] {
  const n = z.nodes.find((m) => m.id === id);
  assert.ok(n, `node ${id}`);
  assert.ok(n.values, `values of ${id}`);
  return [...n.values];
}

function rowOf(a: Float64Array, k: number, width: number, from = 0, count = width): number[] {
  const out: number[] = [];
  for (let j = 0; j < count; j++) out.push(a[k * width + from + j]);
  return out;
}

function close(actual: number[], expected: number[], what: string, tol = 1e-12): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let j = 0; j < actual.length; j++) assert.ok(Math.abs(actual[j] - expected[j]) <= tol, `${what}[${j}]: ${actual[j]} ≠ ${expected[j]}`);
}

function checkCommon(tr: Trace, z: CellZoom, k: number, gates: string[]): void {
  const dir = tr.directions[0];
  const G = Math.max(1, gates.length);
  assert.equal(z.step, k);
  assert.deepEqual(vals(z, 'h'), rowOf(dir.h, k, H));
  assert.deepEqual(vals(z, 'x'), rowOf(dir.x, k, D));
  assert.deepEqual(vals(z, 'hprev'), k === 0 ? [...dir.h0] : rowOf(dir.h, k - 1, H));
  assert.deepEqual([...z.nodes.find((n) => n.id === 'h')!.grads!], rowOf(dir.dh, k, H));
  gates.forEach((g, j) => {
    assert.deepEqual(vals(z, `gate_${g}`), rowOf(dir.gates[g as 'i']!, k, H), `gate ${g}`);
    assert.deepEqual(vals(z, `pre_${g}`), rowOf(dir.pre, k, G * H, j * H, H), `pre ${g}`);
    assert.deepEqual([...z.nodes.find((n) => n.id === `pre_${g}`)!.grads!], rowOf(dir.dPre, k, G * H, j * H, H), `dPre ${g}`);
  });
  // Every edge joins two nodes of the diagram, and ids are unique.
  const ids = new Set(z.nodes.map((n) => n.id));
  assert.equal(ids.size, z.nodes.length);
  for (const e of z.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `edge ${e.from}→${e.to}`);
}

test('SimpleRNN: h_t = tanh(pre), values from the trace', async () => {
  const tr = await traceOf('simple_rnn');
  for (let k = 0; k < T; k++) {
    const z = cellZoom(tr, 0, k);
    checkCommon(tr, z, k, []);
    assert.equal(z.cell, 'simple_rnn');
    assert.deepEqual(vals(z, 'pre'), rowOf(tr.directions[0].pre, k, H));
    close(vals(z, 'h'), vals(z, 'pre').map(Math.tanh), 'h = tanh(pre)');
  }
});

test('LSTM: gates from the trace, c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t)', async () => {
  const tr = await traceOf('lstm');
  const dir = tr.directions[0];
  for (let k = 0; k < T; k++) {
    const z = cellZoom(tr, 0, k);
    checkCommon(tr, z, k, ['i', 'f', 'c', 'o']);
    assert.deepEqual(vals(z, 'cprev'), k === 0 ? [...dir.c0!] : rowOf(dir.c!, k - 1, H));
    assert.deepEqual(vals(z, 'c'), rowOf(dir.c!, k, H));
    assert.deepEqual([...z.nodes.find((n) => n.id === 'c')!.grads!], rowOf(dir.dc!, k, H));
    const [i, f, g, o, cp, c] = ['gate_i', 'gate_f', 'gate_c', 'gate_o', 'cprev', 'c'].map((id) => vals(z, id));
    close(c, c.map((_, j) => f[j] * cp[j] + i[j] * g[j]), 'c_t');
    close(vals(z, 'h'), c.map((cj, j) => o[j] * Math.tanh(cj)), 'h_t');
    close(vals(z, 'oh'), vals(z, 'h'), 'o⊙tanh(c) op');
  }
});

for (const resetAfter of [false, true]) {
  test(`GRU reset_after=${resetAfter}: gates from the trace, h_t = z⊙h_{t−1} + (1−z)⊙ĥ`, async () => {
    const tr = await traceOf('gru', { resetAfter });
    const dir = tr.directions[0];
    for (let k = 0; k < T; k++) {
      const z = cellZoom(tr, 0, k);
      assert.equal(z.resetAfter, resetAfter);
      checkCommon(tr, z, k, ['z', 'r', 'hh']);
      const [zz, hp, hh] = ['gate_z', 'hprev', 'gate_hh'].map((id) => vals(z, id));
      close(vals(z, 'h'), zz.map((zj, j) => zj * hp[j] + (1 - zj) * hh[j]), 'h_t');
      close(vals(z, 'gate_hh'), vals(z, 'pre_hh').map(Math.tanh), 'ĥ = tanh(pre)');
      assert.equal(z.nodes.some((n) => n.id === 'rc'), resetAfter, 'the recurrent candidate node only for reset_after');
      if (resetAfter) {
        assert.deepEqual(vals(z, 'rc'), rowOf(dir.recurrentCandidate!, k, H));
        // The reset gate scales the recurrent term after the matmul: that product is part of pre_ĥ.
        const r = vals(z, 'gate_r');
        close(vals(z, 'rmix'), vals(z, 'rc').map((q, j) => r[j] * q), 'r⊙(hU+b)');
      } else {
        const r = vals(z, 'gate_r');
        close(vals(z, 'rh'), hp.map((h, j) => r[j] * h), 'r⊙h_{t−1}');
      }
      const edges = z.edges.map((e) => `${e.from}>${e.to}`);
      assert.ok(edges.includes(resetAfter ? 'rc>rmix' : 'rh>rmix'));
    }
  });
}

test('out-of-range steps and directions are refused', async () => {
  const tr = await traceOf('simple_rnn');
  assert.throws(() => cellZoom(tr, 0, T), RangeError);
  assert.throws(() => cellZoom(tr, 1, 0), RangeError);
});
