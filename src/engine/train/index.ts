// The training path (tfjs). Import lazily (`await import('./train')`): it loads tfjs.
export { loadTfjs, type Tf, type TrainBackend } from './tfjs';
export { TfRnnModel, type StepStats } from './tfModel';
export { makeTask, type TrainTask, type TrainBatch } from './tasks';
export { Trainer } from './trainer';
export { runTraining, type TrainJob } from './loop';
export { sgdStepTyped, type SgdResult } from './sgd';
