// Keras HDF5 files: full models (`model_config` attribute on the root; Keras 2.1 → 3.x legacy
// `.h5`) and weights-only files (`save_weights`) paired with an architecture JSON. Weights of the
// legacy layout sit in one group per layer name, listed in the group's `weight_names` attribute.
import { ModelError } from '../errors';
import { openHdf5, type H5Group } from '../hdf5';
import { isObject, parseJson } from '../json';
import type { FileSource, TrainedModel } from '../types';
import { assembleKeras, type LayerTensors, type NamedTensor } from './assemble';
import { kerasMajor, looksLikeKeras3, parseModelConfig, type KerasModelConfig } from './config';
import { v3TensorsOf } from './v3weights';

export interface KerasH5Options {
  /** The architecture JSON text for a weights-only file; otherwise `<name>.json` is read from `source`. */
  architecture?: string;
}

export async function readKerasH5(bytes: Uint8Array, fileName: string, source: FileSource, options: KerasH5Options = {}): Promise<TrainedModel> {
  const root = openHdf5(bytes, fileName);
  const configText = root.attr('model_config');
  const rootVersion = asString(root.attr('keras_version'));
  if (typeof configText === 'string') {
    const model = parseModelConfig(parseConfig(configText, fileName), fileName);
    const weightsRoot = root.get('model_weights');
    if (weightsRoot === null || weightsRoot.kind !== 'group') throw new ModelError('corrupt', `${fileName}: model_config is present but the model_weights group is missing`);
    const version = rootVersion ?? asString(weightsRoot.attr('keras_version'));
    return finish('keras-h5', model, version, legacyTensorsOf(weightsRoot, fileName), fileName);
  }
  // Weights only: the architecture comes from a JSON next to the file (model.to_json()).
  const jsonName = fileName.replace(/(\.weights)?\.(h5|hdf5|keras)$/i, '') + '.json';
  let text = options.architecture;
  if (text === undefined) {
    try {
      text = new TextDecoder().decode(await source.read(jsonName));
    } catch {
      throw new ModelError('missing-file', `${fileName} holds weights only (no model_config); save the architecture with model.to_json() as ${jsonName} next to it`);
    }
  }
  const arch = parseConfig(text, jsonName);
  const model = parseModelConfig(arch, jsonName);
  const archVersion = isObject(arch) && typeof arch.keras_version === 'string' ? arch.keras_version : null;
  const version = rootVersion ?? archVersion;
  if (root.attr('layer_names') !== null) return finish('keras-h5-weights', model, version, legacyTensorsOf(root, fileName), fileName);
  if (root.get('layers') !== null) return finish('keras-h5-weights', model, version ?? '3', v3TensorsOf(root, model, fileName), fileName);
  throw new ModelError('not-a-model', `${fileName} is an HDF5 file but neither a Keras model nor Keras weights (no model_config, layer_names or layers group)`);
}

function parseConfig(text: string, what: string): unknown {
  try {
    return parseJson(text);
  } catch {
    throw new ModelError('corrupt', `${what}: the model config is not valid JSON`);
  }
}

function asString(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function finish(format: TrainedModel['format'], model: KerasModelConfig, version: string | null, tensorsOf: LayerTensors, what: string): TrainedModel {
  const major = kerasMajor(version);
  const keras3 = major !== null ? major >= 3 : looksLikeKeras3(model);
  return { format, producer: version === null ? null : `keras ${version}`, layers: assembleKeras(model, keras3, tensorsOf, what) };
}

/** Legacy layout: group per layer name, `weight_names` gives the datasets (paths inside the group) in order. */
function legacyTensorsOf(weightsRoot: H5Group, what: string): LayerTensors {
  return (layer) => {
    const g = weightsRoot.get(layer.name);
    if (g === null || g.kind !== 'group') return [];
    const names = g.attr('weight_names');
    if (names === null) return [];
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new ModelError('corrupt', `${what}: weight_names of layer '${layer.name}' is unreadable`);
    return (names as string[]).map((n): NamedTensor => {
      const d = g.get(n);
      if (d === null || d.kind !== 'dataset') throw new ModelError('corrupt', `${what}: weight ${n} of layer '${layer.name}' is listed but missing`);
      return { name: n, shape: d.shape, read: () => d.read() };
    });
  };
}
