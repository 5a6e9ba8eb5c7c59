// Our weight mapping reproduces tf.loadLayersModel: for every recurrent layer of the TF.js fixtures
// and of the reset_after=False Keras 2.1 files, an independent float64 forward pass (reference.ts,
// Keras equations) on the weights *we* loaded equals the layer that tfjs built from the same files
// (read here by the test itself, through a custom IO handler), to ≤ 1e-5 on the same input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as jsfive from 'jsfive';
import type { ModelLayer, TrainedModel } from '../../../src/models';
import { fixturePath, fixturesPresent, loadFixture } from './fixtures';
import { kerasBidirectional, kerasForward, lastStep, maxAbsDiff, seededUniform, type Act, type KerasCell } from './reference';

const TOL = 1e-5;
const T = 6;

interface Artifacts {
  topology: Record<string, unknown>;
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

function toArrayBuffer(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

/** model.json + shards, read directly (not through src/models). */
function tfjsArtifacts(rel: string): Artifacts {
  const path = fixturePath(rel);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { modelTopology: Record<string, unknown>; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const g of json.weightsManifest) {
    specs.push(...g.weights);
    for (const p of g.paths) parts.push(new Uint8Array(readFileSync(join(dirname(path), p))));
  }
  return { topology: json.modelTopology, specs, data: toArrayBuffer(parts) };
}

/** A Keras 2.1 .h5 (or architecture JSON + weights .h5) read with jsfive directly: config + every layer's weights. */
function kerasH5Artifacts(h5Rel: string, jsonRel?: string): Artifacts {
  const bytes = readFileSync(fixturePath(h5Rel));
  const file = new jsfive.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), h5Rel);
  const clean = (s: unknown) => String(s).replace(/\0+$/, '');
  const config = jsonRel ? readFileSync(fixturePath(jsonRel), 'utf8') : clean(file.attrs.model_config);
  const weightsRoot = (jsonRel ? file : file.get('model_weights')) as jsfive.Group;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const layerName of weightsRoot.attrs.layer_names as unknown[]) {
    const group = weightsRoot.get(clean(layerName)) as jsfive.Group;
    for (const wn of group.attrs.weight_names as unknown[]) {
      const ds = group.get(clean(wn)) as jsfive.Dataset;
      // Keras loads .h5 weights by layer group, not by name; tfjs matches names, and this file's
      // TimeDistributed groups name their weights YT_1/… (README), so name them by group as tfjs does.
      const role = clean(wn).replace(/:\d+$/, '').split('/').pop() as string;
      specs.push({ name: `${clean(layerName)}/${role}`, shape: ds.shape as number[], dtype: 'float32' });
      parts.push(new Uint8Array(new Float32Array(ds.value as number[]).buffer));
    }
  }
  return { topology: JSON.parse(config) as Record<string, unknown>, specs, data: toArrayBuffer(parts) };
}

async function tfLoad(a: Artifacts, strict = true): Promise<tf.LayersModel> {
  const handler: tf.io.IOHandler = {
    load: async () => ({ modelTopology: a.topology, weightSpecs: a.specs, weightData: a.data }),
  };
  return tf.loadLayersModel(handler, { strict });
}

function cellOf(layer: ModelLayer, dir: 'forward' | 'backward' | null): KerasCell {
  const r = layer.recurrent;
  assert.ok(r !== null, `${layer.name} is unrollable`);
  const w = dir === null ? r.weights : 'forward' in r.weights ? r.weights[dir] : r.weights;
  assert.ok('kernel' in w, `${layer.name} ${dir ?? ''} weights`);
  return {
    cell: r.spec.cell,
    units: r.spec.units,
    kernel: w.kernel,
    recurrentKernel: w.recurrentKernel,
    bias: w.bias,
    activation: r.spec.activation as Act,
    recurrentActivation: r.spec.recurrentActivation as Act,
    resetAfter: r.spec.resetAfter,
  };
}

/** Our layer's output on x (T×D), computed by the reference equations on our loaded weights. */
function referenceOutput(layer: ModelLayer, x: Float64Array, steps = T): Float64Array {
  const r = layer.recurrent;
  assert.ok(r !== null);
  if (r.spec.bidirectional !== null) return kerasBidirectional(cellOf(layer, 'forward'), cellOf(layer, 'backward'), x, steps, r.spec.returnSequences);
  const seq = kerasForward(cellOf(layer, null), x, steps, r.spec.goBackwards);
  return r.spec.returnSequences ? seq : lastStep(seq, steps);
}

function tfOutput(tfLayer: tf.layers.Layer, x: Float64Array, D: number): Float64Array {
  const input = tf.tensor3d(Float32Array.from(x), [1, T, D]);
  const y = tfLayer.apply(input) as tf.Tensor;
  const out = Float64Array.from(y.dataSync());
  tf.dispose([input, y]);
  return out;
}

function compareLayers(ours: TrainedModel, tfModel: tf.LayersModel, label: string): number {
  let compared = 0;
  ours.layers.forEach((layer, i) => {
    if (layer.recurrent === null) return;
    const D = layer.recurrent.spec.inputDim;
    const x = seededUniform(100 + i, T * D);
    const expected = tfOutput(tfModel.getLayer(layer.name), x, D);
    const actual = referenceOutput(layer, x);
    const diff = maxAbsDiff(actual, expected);
    assert.ok(diff <= TOL, `${label} ${layer.name}: max |ours − tfjs| = ${diff}`);
    compared++;
  });
  return compared;
}

if (fixturesPresent) {
  tf.enableProdMode();

  for (const rel of ['tfjs-lstm-textgen-legacy/model.json', 'tfjs-foulshot-k26/gru/model.json', 'tfjs-foulshot-k26/bilstm/model.json', 'tfjs-foulshot-k26/simple_rnn/model.json']) {
    test(`${rel}: every recurrent layer equals tf.loadLayersModel on the same input (≤ ${TOL})`, async () => {
      await tf.setBackend('cpu');
      const ours = await loadFixture(rel);
      const tfModel = await tfLoad(tfjsArtifacts(rel));
      const n = compareLayers(ours, tfModel, rel);
      assert.ok(n >= 1, 'compared at least one recurrent layer');
      tfModel.dispose();
    });
  }

  for (const [h5, json] of [['keras21-h5-traffic-gru-lstm/gru.h5'], ['keras21-h5-traffic-gru-lstm/lstm.h5'], ['keras21-json-weights-music-gru/model_gru.h5', 'keras21-json-weights-music-gru/model_gru.json']] as [string, string?][]) {
    test(`${h5}: reset_after=False / hard_sigmoid layers equal tf.loadLayersModel of the same file (≤ ${TOL})`, async () => {
      await tf.setBackend('cpu');
      const ours = await loadFixture(json ?? h5);
      const tfModel = await tfLoad(kerasH5Artifacts(h5, json));
      const n = compareLayers(ours, tfModel, h5);
      assert.equal(n, 2);
      tfModel.dispose();
    });
  }

  // Inputs as the models were trained on: the traffic model reads scaled flows in [0, 1], the text
  // model one-hot characters. (Off-distribution inputs drive the 40-step hard_sigmoid LSTM into
  // regions where float32 and float64 trajectories part, which would test tfjs's rounding, not us.)
  const oneHot = (steps: number, D: number) => {
    const u = seededUniform(7, steps);
    const x = new Float64Array(steps * D);
    for (let t = 0; t < steps; t++) x[t * D + Math.min(D - 1, Math.floor(u[t] * 0.5 * D + D / 2))] = 1;
    return x;
  };
  test('keras21 gru.h5 and tfjs textgen: the whole model (recurrent stack + Dense head) equals model.predict', async () => {
    await tf.setBackend('cpu');
    for (const [rel, art, makeInput] of [
      ['keras21-h5-traffic-gru-lstm/gru.h5', kerasH5Artifacts('keras21-h5-traffic-gru-lstm/gru.h5'), (steps: number, D: number) => seededUniform(7, steps * D, 0, 1)],
      ['tfjs-lstm-textgen-legacy/model.json', tfjsArtifacts('tfjs-lstm-textgen-legacy/model.json'), oneHot],
    ] as const) {
      const ours = await loadFixture(rel);
      const tfModel = await tfLoad(art);
      const first = ours.layers.find((l) => l.recurrent !== null) as ModelLayer;
      const D = first.recurrent?.spec.inputDim as number;
      const steps = first.recurrent?.spec.timesteps ?? T;
      const x = makeInput(steps, D);
      let y: Float64Array = x;
      for (const l of ours.layers) {
        if (l.recurrent) y = referenceOutput(l, y, steps);
        else if (l.dense) {
          const { kernel, bias } = l.dense.weights;
          const K = l.dense.units;
          const F = kernel.length / K;
          const z = new Float64Array(K);
          for (let k = 0; k < K; k++) {
            let s = bias ? bias[k] : 0;
            for (let f = 0; f < F; f++) s += y[f] * kernel[f * K + k];
            z[k] = l.dense.activation === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
          }
          y = z;
        } else if (l.className === 'Activation') {
          const m = Math.max(...y);
          const e = y.map((v) => Math.exp(v - m));
          const sum = e.reduce((a, b) => a + b, 0);
          y = e.map((v) => v / sum);
        }
      }
      const input = tf.tensor3d(Float32Array.from(x), [1, steps, D]);
      const pred = tfModel.predict(input) as tf.Tensor;
      const diff = maxAbsDiff(y, pred.dataSync());
      tf.dispose([input, pred]);
      tfModel.dispose();
      assert.ok(diff <= TOL, `${rel}: max |ours − predict| = ${diff}`);
    }
  });

  // tfjs 4.22 cannot deserialize this Keras 3 topology ("An InputLayer should be passed either a
  // batchInputShape or an inputShape"), so tfjs builds the same Bidirectional(LSTM) layers from the
  // config values and takes the shard's tensors by manifest name (read here, not by src/models).
  for (const rel of ['tfjs-flight-bilstm/model.json', 'tfjs-flight-bilstm/head-variant/model.json']) {
    test(`${rel}: Bidirectional(LSTM) layers equal tfjs layers built with the shard's weights (≤ ${TOL})`, async () => {
      await tf.setBackend('cpu');
      const ours = await loadFixture(rel);
      const art = tfjsArtifacts(rel);
      const tensors = new Map<string, tf.Tensor>();
      let offset = 0;
      for (const s of art.specs) {
        const n = s.shape.reduce((a, b) => a * b, 1);
        tensors.set(s.name, tf.tensor(new Float32Array(art.data.slice(offset, offset + 4 * n)), s.shape));
        offset += 4 * n;
      }
      const byName = (layer: string, dir: string, role: string) => {
        const hit = [...tensors.keys()].find((k) => k.split('/').some((p) => p === dir) && k.endsWith(`/${role}`) && (k.startsWith(`${layer}/`) || k.startsWith(dir)));
        assert.ok(hit, `${layer} ${dir} ${role} in the manifest`);
        return tensors.get(hit) as tf.Tensor;
      };
      let compared = 0;
      for (const [name, units, rs, fwd, bwd] of [
        ['bidirectional', 64, true, 'forward_lstm', 'backward_lstm'],
        ['bidirectional_1', 32, false, 'forward_lstm_1', 'backward_lstm_1'],
      ] as const) {
        const layer = ours.layers.find((l) => l.name === name) as ModelLayer;
        const D = layer.recurrent?.spec.inputDim as number;
        const bi = tf.layers.bidirectional({
          // Zeros initializers: the weights are set right after, and tfjs's orthogonal init is slow.
          layer: tf.layers.lstm({ units, returnSequences: rs, recurrentActivation: 'sigmoid', activation: 'tanh', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }) as tf.RNN,
          mergeMode: 'concat',
        });
        bi.build([1, T, D]);
        bi.setWeights([fwd, bwd].flatMap((dir) => ['kernel', 'recurrent_kernel', 'bias'].map((role) => byName(name, dir, role))));
        const x = seededUniform(11, T * D);
        const diff = maxAbsDiff(referenceOutput(layer, x), tfOutput(bi, x, D));
        assert.ok(diff <= TOL, `${rel} ${name}: max |ours − tfjs| = ${diff}`);
        compared++;
      }
      tf.dispose([...tensors.values()]);
      assert.equal(compared, 2);
    });
  }
}
