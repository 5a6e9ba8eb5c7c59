// Weights helpers: copying, and the Keras-shaped (nested) JSON form used by the CLI and files.
import type { LayerWeights, TraceSpec, Weights } from '../spec';
import { EngineInputError } from './errors';
import { isBidirectionalWeights } from './init';
import { weightShapes } from './layout';
import { fromNested, toNested } from './nested';
import { checkWeights } from './validate';

export function cloneWeights(w: Weights): Weights {
  return { kernel: w.kernel.slice(), recurrentKernel: w.recurrentKernel.slice(), bias: w.bias ? w.bias.slice() : null };
}

/** `{kernel: [[…]], recurrentKernel: [[…]], bias: […] | [[…],[…]]}` → Weights, shapes checked. */
export function weightsFromJson(spec: TraceSpec, raw: unknown, prefix = ''): Weights {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EngineInputError(prefix || 'weights', 'must be a JSON object');
  const o = raw as Record<string, unknown>;
  const s = weightShapes(spec);
  const w: Weights = {
    kernel: fromNested(prefix + 'kernel', o.kernel, s.kernel),
    recurrentKernel: fromNested(prefix + 'recurrentKernel', o.recurrentKernel, s.recurrentKernel),
    bias: null,
  };
  if (s.bias) {
    if (o.bias === undefined || o.bias === null) throw new EngineInputError(prefix + 'bias', `is required (shape ${JSON.stringify(s.bias)})`);
    w.bias = fromNested(prefix + 'bias', o.bias, s.bias);
  } else if (o.bias !== undefined && o.bias !== null) {
    throw new EngineInputError(prefix + 'bias', 'must be absent when useBias is false');
  }
  checkWeights(spec, w, prefix);
  return w;
}

export function layerWeightsFromJson(spec: TraceSpec, raw: unknown): LayerWeights {
  if (!spec.bidirectional) return weightsFromJson(spec, raw);
  if (typeof raw !== 'object' || raw === null) throw new EngineInputError('weights', 'must be a JSON object');
  const o = raw as Record<string, unknown>;
  return { forward: weightsFromJson(spec, o.forward, 'forward.'), backward: weightsFromJson(spec, o.backward, 'backward.') };
}

export function weightsToJson(spec: TraceSpec, w: Weights): Record<string, unknown> {
  const s = weightShapes(spec);
  return {
    kernel: toNested(w.kernel, s.kernel),
    recurrentKernel: toNested(w.recurrentKernel, s.recurrentKernel),
    bias: s.bias && w.bias ? toNested(w.bias, s.bias) : null,
  };
}

export function layerWeightsToJson(spec: TraceSpec, w: LayerWeights): Record<string, unknown> {
  return isBidirectionalWeights(w)
    ? { forward: weightsToJson(spec, w.forward), backward: weightsToJson(spec, w.backward) }
    : weightsToJson(spec, w);
}
