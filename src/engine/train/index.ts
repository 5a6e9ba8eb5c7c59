// The training path (tfjs). Import lazily (`await import('./train')`): it loads tfjs.
export { loadTfjs, type Tf, type TrainBackend } from './tfjs';
export { TfRnnModel, type TrainBatch } from './tfModel';
export { sgdStepTyped, type SgdResult } from './sgd';
