// TF.js layers models: model.json (Keras model config under `modelTopology`, a weights manifest)
// plus binary shards. Handles the legacy form without `format` and with several weight groups, shard
// files without `.bin`, manifests in any order (names, not positions, tie weights to layers) and
// converter quantization (uint8/uint16 affine, float16).
import { ModelError } from './errors';
import { halfToFloat } from './floats';
import { isObject, num, parseJson, str, utf8Text, type JsonObject } from './json';
import { assembleKeras, type LayerTensors, type NamedTensor } from './keras/assemble';
import { kerasMajor, looksLikeKeras3, parseModelConfig, type KerasLayerConfig } from './keras/config';
import type { LayerPlan } from './keras/layers';
import type { FileSource, TrainedModel } from './types';

export function looksLikeTfjs(json: unknown): boolean {
  return isObject(json) && 'modelTopology' in json && ('weightsManifest' in json || 'format' in json);
}

interface ManifestEntry {
  name: string;
  shape: number[];
  read(): Float64Array;
}

export async function readTfjs(json: JsonObject, fileName: string, source: FileSource): Promise<TrainedModel> {
  const format = str(json, 'format');
  if (format === 'graph-model' || (isObject(json.modelTopology) && 'node' in json.modelTopology)) {
    throw new ModelError('unsupported', `${fileName} is a TF.js graph model (a frozen TensorFlow graph, no Keras layers); convert the Keras model with tensorflowjs_converter --output_format=tfjs_layers_model`);
  }
  if (format !== null && format !== 'layers-model') throw new ModelError('unsupported', `${fileName}: TF.js model format '${format}' is not a layers model`);
  const topology = json.modelTopology;
  if (!isObject(topology)) throw new ModelError('corrupt', `${fileName}: modelTopology is not an object`);
  // Converted Keras models nest the config under model_config; models saved by TF.js itself do not.
  const modelConfig = isObject(topology.model_config) ? topology.model_config : topology;
  const model = parseModelConfig(modelConfig, fileName);
  const entries = await readManifest(json.weightsManifest, fileName, source);
  const version = str(topology, 'keras_version') ?? versionFrom(str(json, 'generatedBy'));
  const tfjsSaved = (str(json, 'generatedBy') ?? '').startsWith('TensorFlow.js');
  const major = kerasMajor(version);
  // A model saved by TF.js itself was trained with TF.js's hardSigmoid (slope 0.2), like Keras 2.
  const keras3 = !tfjsSaved && (major !== null ? major >= 3 : looksLikeKeras3(model));
  const layers = assembleKeras(model, keras3, tfjsTensorsOf(entries), fileName);
  return { format: 'tfjs-layers', producer: str(json, 'generatedBy') ?? (version ? `keras ${version}` : null), layers };
}

function versionFrom(generatedBy: string | null): string | null {
  const m = generatedBy === null ? null : /keras v?(\d+\.\d+(\.\d+)?)/i.exec(generatedBy);
  return m ? m[1] : null;
}

/**
 * Weights of a layer: manifest names scoped by the layer name (`gru_1/gru_cell_1/kernel`). For a
 * Bidirectional, converters also wrote the directions' own scopes without the wrapper prefix
 * (`forward_lstm/lstm_cell/kernel`), so those count too.
 */
function tfjsTensorsOf(entries: ManifestEntry[]): LayerTensors {
  const claimed = new Set<ManifestEntry>();
  return (layer: KerasLayerConfig, plan: LayerPlan): NamedTensor[] => {
    const scopes = new Set([layer.name]);
    if (plan.kind === 'bidirectional') {
      for (const n of [plan.forward.name, plan.backward.name, `forward_${plan.forward.name}`, `backward_${plan.forward.name}`]) scopes.add(n);
    }
    const mine = entries.filter((e) => !claimed.has(e) && scopes.has(e.name.split('/')[0]));
    for (const e of mine) claimed.add(e);
    return mine;
  };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

async function readManifest(manifest: unknown, fileName: string, source: FileSource): Promise<ManifestEntry[]> {
  if (!Array.isArray(manifest)) throw new ModelError('corrupt', `${fileName}: weightsManifest is missing or not a list`);
  const out: ManifestEntry[] = [];
  for (const group of manifest as unknown[]) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new ModelError('corrupt', `${fileName}: a weightsManifest group has no paths or weights`);
    const parts: Uint8Array[] = [];
    for (const p of group.paths as unknown[]) {
      if (typeof p !== 'string' || !isSafeRelative(p)) throw new ModelError('corrupt', `${fileName}: shard path ${JSON.stringify(p)} is not a file name next to the model`);
      try {
        parts.push(await source.read(p));
      } catch {
        throw new ModelError('missing-file', `${fileName}: weight shard '${p}' is missing next to it`);
      }
    }
    const data = concat(parts);
    let offset = 0;
    for (const w of group.weights as unknown[]) {
      if (!isObject(w)) throw new ModelError('corrupt', `${fileName}: a weight entry is not an object`);
      const name = str(w, 'name');
      const shape = Array.isArray(w.shape) && w.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? (w.shape as number[]) : null;
      if (name === null || shape === null) throw new ModelError('corrupt', `${fileName}: a weight entry has no name or shape`);
      const count = shape.reduce((a, b) => a * b, 1);
      const q = isObject(w.quantization) ? w.quantization : null;
      const dtype = q ? (str(q, 'dtype') ?? '') : (str(w, 'dtype') ?? 'float32');
      const size = BYTES[dtype];
      if (size === undefined) throw new ModelError('unsupported', `${fileName}: weight ${name} has dtype ${dtype}, which is not read`);
      const start = offset;
      offset += count * size;
      if (offset > data.length) throw new ModelError('corrupt', `${fileName}: the shards hold ${data.length} bytes but the manifest needs more (truncated shard?)`);
      out.push({ name, shape, read: () => decode(data, start, count, dtype, q) });
    }
    if (offset !== data.length) throw new ModelError('corrupt', `${fileName}: the shards hold ${data.length} bytes, the manifest describes ${offset}`);
  }
  return out;
}

function decode(data: Uint8Array, start: number, count: number, dtype: string, q: JsonObject | null): Float64Array {
  const dv = new DataView(data.buffer, data.byteOffset + start, count * BYTES[dtype]);
  const out = new Float64Array(count);
  const scale = q ? (num(q, 'scale') ?? 1) : 1;
  const min = q ? (num(q, 'min') ?? 0) : 0;
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'float32':
        out[i] = dv.getFloat32(i * 4, true);
        break;
      case 'int32':
        out[i] = dv.getInt32(i * 4, true);
        break;
      case 'bool':
        out[i] = dv.getUint8(i);
        break;
      case 'uint8':
        out[i] = dv.getUint8(i) * scale + min;
        break;
      case 'uint16':
        out[i] = dv.getUint16(i * 2, true) * scale + min;
        break;
      case 'float16':
        out[i] = halfToFloat(dv.getUint16(i * 2, true));
        break;
    }
  }
  return out;
}

function isSafeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.startsWith('\\') && !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.split(/[\\/]/).includes('..');
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function parseModelJson(bytes: Uint8Array, fileName: string): unknown {
  try {
    return parseJson(utf8Text(bytes));
  } catch {
    throw new ModelError('corrupt', `${fileName} is not valid JSON`);
  }
}
