// What a trained-model reader returns: the model's layers in order, recurrent ones normalized to the
// engine's Keras layout (TraceSpec + Weights from src/spec.ts), others kept for context with their
// shapes. Pure data, no behaviour: the worker can post it to the host as is.
import type { ActivationName, CellKind, DenseWeights, LayerWeights, MergeMode, TraceSpec } from '../spec';

/** Where a model came from; says which mapping produced the weights. */
export type ModelFormat =
  | 'keras-h5' // Keras HDF5 full model (model_config attribute), Keras 2.x or 3 legacy .h5
  | 'keras-h5-weights' // weights-only HDF5 paired with an architecture .json
  | 'keras-v3' // Keras 3 .keras zip (config.json + model.weights.h5)
  | 'tfjs-layers' // TF.js layers model.json + weight shards
  | 'pytorch-state-dict' // torch.save(model.state_dict()) zip
  | 'pytorch-module' // torch.save(model) zip (whole-module pickle, read without running it)
  | 'pytorch-legacy'; // torch.save before 1.6 (non-zip stream)

/**
 * Companion files next to the model (TF.js shards, the architecture .json of a weights-only .h5).
 * Paths are relative to the model file's folder; a missing file rejects. The VS Code side
 * implements it with workspace.fs, the CLI and tests with node:fs.
 */
export interface FileSource {
  read(relativePath: string): Promise<Uint8Array>;
}

/** A shape as Keras prints it: the batch axis first, `null` where the size is free. */
export type Shape = (number | null)[];

/** TraceSpec without the sequence length, which a saved model often leaves free. */
export interface RecurrentSpec extends Omit<TraceSpec, 'timesteps'> {
  /** T when the model fixes it (input shape), else null: the caller picks one. */
  timesteps: number | null;
}

/** Settings from the layer config that the engine does not use but a reader of the model wants to see. */
export interface RecurrentFlags {
  stateful: boolean;
  unroll: boolean;
  dropout: number;
  recurrentDropout: number;
  /** LSTM only (Keras); null where the format does not say. */
  unitForgetBias: boolean | null;
  /** PyTorch layers: batch_first when the pickle stores it (whole-module), else null. */
  batchFirst: boolean | null;
}

export interface RecurrentLayer {
  spec: RecurrentSpec;
  flags: RecurrentFlags;
  /** Keras layout; Bidirectional → { forward, backward }. */
  weights: LayerWeights;
  /** Why a value was assumed rather than read (e.g. a state_dict does not store nn.RNN's nonlinearity). */
  assumptions: string[];
}

export interface DenseLayer {
  units: number;
  /** Keras activation name as saved ('linear', 'softmax', 'relu', …). */
  activation: string;
  weights: DenseWeights;
  /** Wrapped in TimeDistributed (same weights at every step). */
  timeDistributed: boolean;
}

export interface EmbeddingLayer {
  /** Vocabulary size V. */
  inputDim: number;
  /** Embedding width E. */
  outputDim: number;
  /** V×E row-major: token id k → row k. */
  embeddings: Float64Array;
  maskZero: boolean;
}

export interface ModelLayer {
  /** Class as saved: `GRU`, `Bidirectional`, `Dense`, `TimeDistributed`, `nn.LSTM`, `Linear`, … */
  className: string;
  name: string;
  /** Wrappers (Bidirectional, TimeDistributed, RNN(cell)): the wrapped layer's class. */
  innerClassName: string | null;
  /** Keras `units` / `filters` / PyTorch hidden_size or out_features, when the layer has one. */
  units: number | null;
  inputShape: Shape | null;
  outputShape: Shape | null;
  /** Every weight tensor of the layer in our layout (recurrent: kernel, recurrent_kernel, bias). */
  weightShapes: Record<string, number[]>;
  /** Set for SimpleRNN / LSTM / GRU (plain or Bidirectional) that the engine can unroll. */
  recurrent: RecurrentLayer | null;
  dense: DenseLayer | null;
  embedding: EmbeddingLayer | null;
  /** A recurrent-looking layer we cannot unroll, and why (ConvLSTM2D, proj_size, swish gates, …). */
  unsupported: string | null;
}

export interface TrainedModel {
  format: ModelFormat;
  /** Saving library and version when the file says (`keras 2.1.4`, `keras v3.13.2`, `torch`). */
  producer: string | null;
  layers: ModelLayer[];
}

export type { ActivationName, CellKind, MergeMode };
