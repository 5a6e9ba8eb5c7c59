// Keras model configs as saved by Keras 2.1 → 3.x and the TF.js converter, reduced to one list of
// layers in saved order with their inbound layer names. Formats handled:
// - Sequential whose `config` is a bare list of layers (Keras ≤ 2.2) or `{name, layers}`;
// - Functional / Model with `inbound_nodes` as nested lists (Keras 2, TF.js) or as
//   `{args, kwargs}` holding `__keras_tensor__` objects with `keras_history` (Keras 3).
import { ModelError } from '../errors';
import { isObject, str, type JsonObject } from '../json';

export interface KerasLayerConfig {
  className: string;
  name: string;
  config: JsonObject;
  /** Layers feeding this one; null in a Sequential model (the previous layer). */
  inbound: string[] | null;
  /** Keras 3 `.keras` files record each layer's built input shape here. */
  buildInputShape: unknown;
}

export interface KerasModelConfig {
  className: string;
  layers: KerasLayerConfig[];
}

/** Accepts a model config object (`{class_name, config}`) as found in `model_config`, config.json or model.json. */
export function parseModelConfig(json: unknown, what: string): KerasModelConfig {
  if (!isObject(json)) throw new ModelError('not-a-model', `${what}: the model config is not a JSON object`);
  const className = str(json, 'class_name');
  if (className === null) throw new ModelError('not-a-model', `${what}: the model config has no class_name`);
  const config = json.config;
  let rawLayers: unknown;
  if (Array.isArray(config)) rawLayers = config;
  else if (isObject(config) && Array.isArray(config.layers)) rawLayers = config.layers;
  else {
    throw new ModelError('unsupported', `${what}: ${className} is not a Sequential or Functional model config (no layer list); subclassed models save no architecture — save a Sequential/Functional model or its weights with the architecture JSON`);
  }
  const sequential = className === 'Sequential';
  const layers: KerasLayerConfig[] = [];
  for (const raw of rawLayers as unknown[]) {
    if (!isObject(raw)) throw new ModelError('corrupt', `${what}: a layer entry in the model config is not an object`);
    const layerClass = str(raw, 'class_name');
    const layerConfig = isObject(raw.config) ? raw.config : {};
    const name = str(layerConfig, 'name') ?? str(raw, 'name');
    if (layerClass === null || name === null) throw new ModelError('corrupt', `${what}: a layer in the model config has no class_name or name`);
    layers.push({
      className: layerClass,
      name,
      config: layerConfig,
      inbound: sequential ? null : inboundNames(raw.inbound_nodes),
      buildInputShape: isObject(raw.build_config) ? raw.build_config.input_shape : undefined,
    });
  }
  return { className, layers };
}

/** Names of the layers feeding the first call of a layer (shared layers: the first node). */
function inboundNames(nodes: unknown): string[] {
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  const first: unknown = nodes[0];
  const names: string[] = [];
  if (Array.isArray(first)) {
    // Keras 2 / TF.js: [[name, node_index, tensor_index, kwargs], ...]
    for (const t of first) if (Array.isArray(t) && typeof t[0] === 'string') names.push(t[0]);
  } else if (isObject(first)) {
    collectHistory(first.args, names, 0);
  }
  return names;
}

function collectHistory(v: unknown, out: string[], depth: number): void {
  if (depth > 8) return;
  if (Array.isArray(v)) {
    for (const x of v) collectHistory(x, out, depth + 1);
  } else if (isObject(v)) {
    if (v.class_name === '__keras_tensor__' && isObject(v.config)) {
      const h = v.config.keras_history;
      if (Array.isArray(h) && typeof h[0] === 'string') out.push(h[0]);
    }
  }
}

/** Major version from `2.1.4`, `2.1.6-tf`, `keras v3.13.2`; null when absent. */
export function kerasMajor(version: string | null): number | null {
  if (version === null) return null;
  const m = /(\d+)\.\d+/.exec(version);
  return m ? Number(m[1]) : null;
}

/**
 * Keras 3 configs are recognisable without a version: layer dtypes are DTypePolicy objects and
 * entries carry `module` keys.
 */
export function looksLikeKeras3(model: KerasModelConfig): boolean {
  return model.layers.some((l) => isObject(l.config.dtype) && (l.config.dtype as JsonObject).class_name === 'DTypePolicy');
}
