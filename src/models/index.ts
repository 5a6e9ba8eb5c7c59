// Trained-model readers: Keras .h5/.keras, TF.js layers models and PyTorch state_dicts → the model's
// layers with recurrent ones in the engine's Keras layout. Pure (no vscode, no tfjs): give bytes and
// a FileSource for companion files.
export { readModel, type ReadOptions } from './read';
export { ModelError, type ModelErrorKind } from './errors';
export { summarizeModel, type LayerSummary, type ModelSummary } from './summary';
export { embedTokens, embeddingFor, findLayer, toTraceSpec, unrollableLayers } from './use';
export type {
  DenseLayer,
  EmbeddingLayer,
  FileSource,
  ModelFormat,
  ModelLayer,
  RecurrentFlags,
  RecurrentLayer,
  RecurrentSpec,
  Shape,
  TrainedModel,
} from './types';
