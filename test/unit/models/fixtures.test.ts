// Every fixture model loads, and its layers, flags and weight shapes are those its README documents.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ModelLayer } from '../../../src/models';
import { EXPECTED, type ExpectedLayer } from './expected';
import { fixturesOptional, fixturesPresent, fixturesRoot, loadFixture } from './fixtures';

test('model fixtures are present', () => {
  if (fixturesPresent || fixturesOptional) return;
  assert.fail(`model fixtures missing: expected ${fixturesRoot} (../shared/fixtures/models next to the repository); set RNN_UNROLL_NO_FIXTURES=1 to run without them`);
});

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkWeights(layer: ModelLayer, where: string): void {
  const r = layer.recurrent;
  if (r !== null) {
    const dirs = 'forward' in r.weights ? [['forward/', r.weights.forward] as const, ['backward/', r.weights.backward] as const] : [['', r.weights] as const];
    for (const [pre, w] of dirs) {
      assert.equal(w.kernel.length, product(layer.weightShapes[`${pre}kernel`]), `${where} ${pre}kernel data length`);
      assert.equal(w.recurrentKernel.length, product(layer.weightShapes[`${pre}recurrent_kernel`]), `${where} ${pre}recurrent_kernel data length`);
      if (w.bias) assert.equal(w.bias.length, product(layer.weightShapes[`${pre}bias`]), `${where} ${pre}bias data length`);
    }
  }
  if (layer.dense) assert.equal(layer.dense.weights.kernel.length, product(layer.weightShapes.kernel), `${where} dense kernel data length`);
  if (layer.embedding) assert.equal(layer.embedding.embeddings.length, product(layer.weightShapes.embeddings), `${where} embedding data length`);
}

function checkLayer(actual: ModelLayer, e: ExpectedLayer, where: string): void {
  assert.equal(actual.className, e.class, `${where} class`);
  assert.equal(actual.name, e.name, `${where} name`);
  if (e.units !== undefined) assert.equal(actual.units, e.units, `${where} units`);
  if (e.inputShape !== undefined) assert.deepEqual(actual.inputShape, e.inputShape, `${where} input shape`);
  if (e.weights !== undefined) assert.deepEqual(actual.weightShapes, e.weights, `${where} weight shapes`);
  if (e.rs !== undefined) {
    const r = actual.recurrent;
    assert.ok(r !== null, `${where} should be an unrollable recurrent layer (${actual.unsupported ?? ''})`);
    assert.equal(r.spec.units, e.units, `${where} spec units`);
    assert.equal(r.spec.returnSequences, e.rs, `${where} return_sequences`);
    assert.equal(r.spec.goBackwards, false, `${where} go_backwards`);
    assert.equal(r.spec.returnState, actual.className.startsWith('nn.'), `${where} return_state`);
    if (e.act !== undefined) assert.equal(r.spec.activation, e.act, `${where} activation`);
    if (e.rec !== undefined) assert.equal(r.spec.recurrentActivation, e.rec, `${where} recurrent activation`);
    if (e.resetAfter !== undefined) assert.equal(r.spec.resetAfter, e.resetAfter, `${where} reset_after`);
    assert.deepEqual(r.spec.bidirectional, e.merge ? { mergeMode: e.merge } : null, `${where} bidirectional`);
    const kernelShape = actual.weightShapes[e.merge ? 'forward/kernel' : 'kernel'];
    assert.equal(r.spec.inputDim, kernelShape[0], `${where} input dim = kernel rows`);
  } else {
    assert.equal(actual.recurrent, null, `${where} is not recurrent`);
  }
  checkWeights(actual, where);
}

if (fixturesPresent) {
  for (const m of EXPECTED) {
    test(`fixture ${m.file}: format, layers and weight shapes match its README`, async () => {
      const model = await loadFixture(m.file);
      assert.equal(model.format, m.format);
      assert.deepEqual(
        model.layers.map((l) => `${l.className} ${l.name}`),
        m.layers.map((l) => `${l.class} ${l.name}`),
        'layer list',
      );
      m.layers.forEach((e, i) => checkLayer(model.layers[i], e, `${m.file} layer ${e.name}`));
    });
  }

  test('every model file in the fixtures folder is covered by a README expectation', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(h5|keras|pt|pth)$|model\.json$/.test(e)) files.push(relative(fixturesRoot, p));
      }
    };
    walk(fixturesRoot);
    const covered = new Set(EXPECTED.map((m) => m.file));
    assert.deepEqual(files.filter((f) => !covered.has(f)), []);
    assert.equal(new Set(files.map((f) => f.split('/')[0])).size, 16, 'the README lists 16 fixture folders');
  });

  test('the .keras and legacy .h5 copies of the same Keras 3 model load identical weights (order vs name mapping)', async () => {
    for (const stem of ['model_gru', 'model_bilstm']) {
      const a = await loadFixture(`keras3-mlpasut-gru-bilstm/${stem}.keras`);
      const b = await loadFixture(`keras3-mlpasut-gru-bilstm/${stem}.h5`);
      for (let i = 0; i < a.layers.length; i++) {
        const ra = a.layers[i].recurrent;
        const rb = b.layers[i].recurrent;
        assert.deepEqual(ra?.weights, rb?.weights, `${stem} layer ${a.layers[i].name}`);
        assert.deepEqual(a.layers[i].dense?.weights, b.layers[i].dense?.weights, `${stem} dense ${a.layers[i].name}`);
      }
    }
  });

  test('the TF.js flight model reads the same weights with and without the Bidirectional name prefix', async () => {
    const a = await loadFixture('tfjs-flight-bilstm/model.json');
    const b = await loadFixture('tfjs-flight-bilstm/head-variant/model.json');
    assert.deepEqual(
      a.layers.map((l) => l.recurrent?.weights ?? null),
      b.layers.map((l) => l.recurrent?.weights ?? null),
    );
    // README: bidirectional_1/forward_lstm_1 kernel is near zero (max |x| = 2.2e-6), the others are not.
    const fwd = a.layers.find((l) => l.name === 'bidirectional_1')?.recurrent?.weights;
    assert.ok(fwd && 'forward' in fwd);
    const maxAbs = (x: Float64Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(maxAbs(fwd.forward.kernel) < 3e-6 && maxAbs(fwd.forward.kernel) > 1e-6, `forward_lstm_1 kernel max ${maxAbs(fwd.forward.kernel)}`);
    assert.ok(maxAbs(fwd.backward.kernel) > 1e-3, 'backward_lstm_1 kernel is not near zero');
  });

  test('the Embedding of the IMDB model feeds its GRU: token ids map to embedding rows', async () => {
    const { embeddingFor, embedTokens, findLayer } = await import('../../../src/models');
    const model = await loadFixture('keras3-h5-gru-imdb/gru_model.h5');
    const gru = findLayer(model, 'gru_4');
    const emb = embeddingFor(model, gru);
    assert.ok(emb !== null);
    const x = embedTokens(emb, [0, 9999, 5]);
    assert.equal(x.length, 3 * 64);
    assert.deepEqual(x.subarray(64, 128), emb.embeddings.subarray(9999 * 64, 10000 * 64));
    assert.throws(() => embedTokens(emb, [10000]), /outside the embedding's vocabulary/);
  });
}
