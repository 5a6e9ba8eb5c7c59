// LayerSpec (what the parser read, possibly with unresolved values) → TraceSpec (what the engine
// runs), with the caller's fallbacks for sizes the code does not state.
import type { LayerSpec, TraceHead, TraceSpec } from '../spec';
import { checkSpec } from './validate';

export interface SizeFallbacks {
  units: number;
  inputDim: number;
  timesteps: number;
}

export function traceSpecFromLayer(layer: LayerSpec, fallback: SizeFallbacks): TraceSpec {
  const spec: TraceSpec = {
    cell: layer.kind,
    units: layer.units ?? fallback.units,
    inputDim: layer.inputDim ?? fallback.inputDim,
    timesteps: layer.timesteps ?? fallback.timesteps,
    activation: layer.activation,
    recurrentActivation: layer.recurrentActivation,
    useBias: layer.useBias,
    returnSequences: layer.returnSequences ?? false,
    returnState: layer.returnState ?? false,
    goBackwards: layer.goBackwards,
    resetAfter: layer.kind === 'gru' && layer.resetAfter,
    bidirectional: layer.bidirectional ? { mergeMode: layer.bidirectional.mergeMode } : null,
  };
  checkSpec(spec);
  return spec;
}

/** The head the engine can train against, or null (other activations have no matching loss here). */
export function traceHeadFromLayer(layer: LayerSpec, fallbackUnits: number): TraceHead | null {
  const h = layer.head;
  if (!h) return null;
  const act = h.activation.toLowerCase();
  if (act === 'softmax') return { units: h.units ?? fallbackUnits, activation: 'softmax' };
  if (act === 'linear' || act === 'none' || act === '') return { units: h.units ?? fallbackUnits, activation: 'linear' };
  return null;
}
