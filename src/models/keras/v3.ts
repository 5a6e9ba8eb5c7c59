// Keras 3 `.keras` files: a zip of config.json (the model config), metadata.json (keras_version) and
// model.weights.h5 (weights keyed by object path; see v3weights.ts).
import { ModelError } from '../errors';
import { openHdf5 } from '../hdf5';
import { isObject, parseJson, utf8Text } from '../json';
import type { TrainedModel } from '../types';
import type { ZipArchive } from '../zip';
import { parseModelConfig } from './config';
import { finish } from './h5';
import { v3TensorsOf } from './v3weights';

export function isKerasV3Archive(zip: ZipArchive): boolean {
  return zip.names.includes('config.json') && zip.names.includes('model.weights.h5');
}

export function readKerasV3(zip: ZipArchive, fileName: string): TrainedModel {
  const config = jsonMember(zip, 'config.json', fileName);
  const meta = zip.names.includes('metadata.json') ? jsonMember(zip, 'metadata.json', fileName) : null;
  const weights = zip.get('model.weights.h5');
  if (weights === null) throw new ModelError('corrupt', `${fileName}: model.weights.h5 is missing from the archive`);
  const model = parseModelConfig(config, `${fileName} config.json`);
  const root = openHdf5(weights, `${fileName} model.weights.h5`);
  // tf.keras 2.13–2.15 could write this format too; their hard_sigmoid is the Keras 2 one.
  const version = isObject(meta) && typeof meta.keras_version === 'string' ? meta.keras_version : '3';
  return finish('keras-v3', model, version, v3TensorsOf(root, model, fileName), fileName);
}

function jsonMember(zip: ZipArchive, name: string, what: string): unknown {
  const bytes = zip.get(name);
  if (bytes === null) throw new ModelError('corrupt', `${what}: ${name} is missing from the archive`);
  try {
    return parseJson(utf8Text(bytes));
  } catch {
    throw new ModelError('corrupt', `${what}: ${name} is not valid JSON`);
  }
}
