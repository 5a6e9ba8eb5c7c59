// The one entry point: bytes of a model file (+ its folder, for companions) → TrainedModel. The format
// is decided from the content, not the extension (people rename .pt/.pth/.bin/.h5 freely).
import { asModelError, ModelError } from './errors';
import { isHdf5 } from './hdf5';
import { isObject } from './json';
import { readKerasH5 } from './keras/h5';
import { isRecurrentClass } from './keras/layers';
import { isKerasV3Archive, readKerasV3 } from './keras/v3';
import { isLegacyTorch, isTorchZip } from './pytorch/container';
import { readLegacyTorch, readTorchZip } from './pytorch/read';
import { looksLikeTfjs, parseModelJson, readTfjs } from './tfjs';
import type { FileSource, TrainedModel } from './types';
import { isZip, openZip } from './zip';

export interface ReadOptions {
  /** Architecture JSON text for a weights-only Keras .h5 (default: `<name>.json` next to it). */
  architecture?: string;
  /** Keep models without an unrollable recurrent layer instead of rejecting them. */
  allowNoRecurrent?: boolean;
}

const SUPPORTED =
  'Keras .h5/.keras, a TF.js model.json, or a PyTorch state_dict saved with torch.save(model.state_dict(), path)';

/**
 * Reads a model file. `fileName` is the file's base name (it names the file in messages and finds
 * companions); `source` reads files next to it. Throws ModelError with one line naming the problem.
 */
export async function readModel(fileName: string, bytes: Uint8Array, source: FileSource, options: ReadOptions = {}): Promise<TrainedModel> {
  let model: TrainedModel;
  try {
    model = await readAny(fileName, bytes, source, options);
  } catch (e) {
    // Parsers below throw ModelError; anything else is a damaged structure we did not anticipate.
    throw asModelError(fileName, e);
  }
  if (!options.allowNoRecurrent) requireRecurrent(model, fileName);
  return model;
}

async function readAny(fileName: string, bytes: Uint8Array, source: FileSource, options: ReadOptions): Promise<TrainedModel> {
  if (bytes.length === 0) throw new ModelError('not-a-model', `${fileName} is empty`);
  if (isHdf5(bytes)) return readKerasH5(bytes, fileName, source, options);
  if (isZip(bytes)) {
    const zip = openZip(bytes, fileName);
    if (isKerasV3Archive(zip)) return readKerasV3(zip, fileName);
    if (isTorchZip(zip)) return readTorchZip(zip, fileName);
    throw new ModelError('not-a-model', `${fileName} is a zip archive but neither a Keras .keras file nor a PyTorch checkpoint`);
  }
  if (isLegacyTorch(bytes)) return readLegacyTorch(bytes, fileName);
  if (bytes[0] === 0x80 && bytes.length > 1 && bytes[1] >= 2 && bytes[1] <= 5) {
    throw new ModelError('not-a-model', `${fileName} is a plain Python pickle, not a torch.save file; save the weights with torch.save(model.state_dict(), path)`);
  }
  if (isTar(bytes)) {
    throw new ModelError('unsupported', `${fileName} is a tar archive (torch.save before 0.4, or a SavedModel); load it in Python and save torch.save(model.state_dict(), path) or model.save('model.keras')`);
  }
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (first === 0x7b) {
    const json = parseModelJson(bytes, fileName);
    if (looksLikeTfjs(json)) return readTfjs(json as Record<string, unknown>, fileName, source);
    if (isObject(json) && typeof json.class_name === 'string' && 'config' in json) return readArchitectureJson(fileName, bytes, source);
    throw new ModelError('not-a-model', `${fileName} is JSON but neither a TF.js model.json nor a Keras architecture`);
  }
  if (isSafetensors(bytes)) {
    throw new ModelError('unsupported', `${fileName} is a safetensors file, which is not read yet; save torch.save(model.state_dict(), path) instead`);
  }
  throw new ModelError('not-a-model', `${fileName} is not a model file we read (${SUPPORTED})`);
}

/** `model.to_json()` output: the weights are in `<name>.h5` (or `.weights.h5`) next to it. */
async function readArchitectureJson(fileName: string, bytes: Uint8Array, source: FileSource): Promise<TrainedModel> {
  const stem = fileName.replace(/\.json$/i, '');
  for (const candidate of [`${stem}.h5`, `${stem}.weights.h5`, `${stem}.hdf5`]) {
    let weights: Uint8Array;
    try {
      weights = await source.read(candidate);
    } catch {
      continue;
    }
    return readKerasH5(weights, candidate, source, { architecture: new TextDecoder().decode(bytes) });
  }
  throw new ModelError('missing-file', `${fileName} is a Keras architecture without weights; put the weights saved with model.save_weights() as ${stem}.h5 next to it`);
}

function isTar(bytes: Uint8Array): boolean {
  return bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar';
}

function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(0, true);
  return n > 0 && n + 8 <= bytes.length && bytes[8] === 0x7b;
}

function requireRecurrent(model: TrainedModel, fileName: string): void {
  if (model.layers.some((l) => l.recurrent !== null)) return;
  const blocked = model.layers.find((l) => l.unsupported !== null);
  if (blocked) {
    throw new ModelError('unsupported', `${fileName}: layer '${blocked.name}' (${blocked.className}) cannot be unrolled: ${blocked.unsupported}`);
  }
  const classes = [...new Set(model.layers.map((l) => l.className))].join(', ') || 'no layers';
  const hint = model.layers.some((l) => isRecurrentClass(l.className)) ? '' : ' (SimpleRNN, LSTM, GRU, Bidirectional, nn.RNN/LSTM/GRU)';
  throw new ModelError('no-recurrent-layer', `${fileName} has no recurrent layer${hint}; it holds ${classes}`);
}
