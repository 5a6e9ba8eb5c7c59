// The JSON a person reads: one entry per layer with its class, name, units, flags and weight shapes in
// our (Keras) layout. `rnn-unroll inspect` prints it; the extension's layer list can show the same.
import type { ModelLayer, Shape, TrainedModel } from './types';

export interface LayerSummary {
  class: string;
  name: string;
  inner?: string;
  units: number | null;
  inputShape?: Shape;
  outputShape?: Shape;
  unrollable: boolean;
  flags?: Record<string, string | number | boolean | null>;
  weightShapes: Record<string, number[]>;
  unsupported?: string;
  assumptions?: string[];
}

export interface ModelSummary {
  format: TrainedModel['format'];
  producer: string | null;
  layers: LayerSummary[];
}

export function summarizeModel(model: TrainedModel): ModelSummary {
  return { format: model.format, producer: model.producer, layers: model.layers.map(summarizeLayer) };
}

function summarizeLayer(l: ModelLayer): LayerSummary {
  // Key order is the reading order of the printed JSON: identity, shapes and flags, then weights.
  const flags = flagsOf(l);
  return {
    class: l.className,
    name: l.name,
    ...(l.innerClassName ? { inner: l.innerClassName } : {}),
    units: l.units,
    unrollable: l.recurrent !== null,
    ...(l.inputShape ? { inputShape: l.inputShape } : {}),
    ...(l.outputShape ? { outputShape: l.outputShape } : {}),
    ...(flags ? { flags } : {}),
    weightShapes: l.weightShapes,
    ...(l.unsupported ? { unsupported: l.unsupported } : {}),
    ...(l.recurrent && l.recurrent.assumptions.length > 0 ? { assumptions: l.recurrent.assumptions } : {}),
  };
}

function flagsOf(l: ModelLayer): LayerSummary['flags'] | null {
  if (l.recurrent) {
    const { spec, flags } = l.recurrent;
    return {
      cell: spec.cell,
      inputDim: spec.inputDim,
      timesteps: spec.timesteps,
      activation: spec.activation,
      recurrentActivation: spec.cell === 'simple_rnn' ? null : spec.recurrentActivation,
      useBias: spec.useBias,
      returnSequences: spec.returnSequences,
      returnState: spec.returnState,
      goBackwards: spec.goBackwards,
      ...(spec.cell === 'gru' ? { resetAfter: spec.resetAfter } : {}),
      bidirectional: spec.bidirectional !== null,
      ...(spec.bidirectional !== null ? { mergeMode: spec.bidirectional.mergeMode } : {}),
      stateful: flags.stateful,
      ...(flags.unitForgetBias !== null ? { unitForgetBias: flags.unitForgetBias } : {}),
      ...(flags.batchFirst !== null ? { batchFirst: flags.batchFirst } : {}),
      ...(flags.dropout ? { dropout: flags.dropout } : {}),
      ...(flags.recurrentDropout ? { recurrentDropout: flags.recurrentDropout } : {}),
    };
  }
  if (l.dense) return { activation: l.dense.activation, timeDistributed: l.dense.timeDistributed };
  if (l.embedding) return { inputDim: l.embedding.inputDim, outputDim: l.embedding.outputDim, maskZero: l.embedding.maskZero };
  return null;
}
