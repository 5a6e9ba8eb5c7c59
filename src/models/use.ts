// What callers do with a TrainedModel: pick a layer, turn it into the engine's TraceSpec, and feed
// token ids through the model's own Embedding.
import type { TraceSpec } from '../spec';
import { ModelError } from './errors';
import type { EmbeddingLayer, ModelLayer, TrainedModel } from './types';

export function unrollableLayers(model: TrainedModel): ModelLayer[] {
  return model.layers.filter((l) => l.recurrent !== null);
}

/** A layer by name; without a name, the first unrollable one. */
export function findLayer(model: TrainedModel, name?: string): ModelLayer {
  if (name === undefined) {
    const first = unrollableLayers(model)[0];
    if (first === undefined) throw new ModelError('no-recurrent-layer', 'the model has no recurrent layer');
    return first;
  }
  const layer = model.layers.find((l) => l.name === name);
  if (layer === undefined) {
    const names = unrollableLayers(model).map((l) => l.name).join(', ');
    throw new ModelError('not-a-model', `no layer named '${name}' (recurrent layers: ${names || 'none'})`);
  }
  return layer;
}

/** The engine's spec for a recurrent layer; `timesteps` overrides (or supplies) the model's T. */
export function toTraceSpec(layer: ModelLayer, timesteps?: number): TraceSpec {
  const r = layer.recurrent;
  if (r === null) throw new ModelError('unsupported', `layer '${layer.name}' (${layer.className}) is not an unrollable recurrent layer${layer.unsupported ? `: ${layer.unsupported}` : ''}`);
  const t = timesteps ?? r.spec.timesteps;
  if (t === null || !Number.isInteger(t) || t < 1) throw new ModelError('unsupported', `layer '${layer.name}' has no fixed sequence length; choose one`);
  return { ...r.spec, timesteps: t };
}

/** The Embedding whose output feeds `layer` directly (same width, the nearest one before it), if any. */
export function embeddingFor(model: TrainedModel, layer: ModelLayer): EmbeddingLayer | null {
  const at = model.layers.indexOf(layer);
  for (let i = at - 1; i >= 0; i--) {
    const l = model.layers[i];
    if (l.recurrent !== null) return null;
    if (l.embedding !== null) return layer.recurrent !== null && l.embedding.outputDim === layer.recurrent.spec.inputDim ? l.embedding : null;
  }
  return null;
}

/** Token ids → T×E rows of the embedding matrix (the Embedding layer's forward pass). */
export function embedTokens(embedding: EmbeddingLayer, ids: readonly number[]): Float64Array {
  const E = embedding.outputDim;
  const out = new Float64Array(ids.length * E);
  ids.forEach((id, t) => {
    if (!Number.isInteger(id) || id < 0 || id >= embedding.inputDim) throw new ModelError('unsupported', `token id ${id} is outside the embedding's vocabulary (0…${embedding.inputDim - 1})`);
    out.set(embedding.embeddings.subarray(id * E, (id + 1) * E), t * E);
  });
  return out;
}
