// The engine's public surface (trace path). Nothing here imports tfjs or vscode; the training
// path lives in ./train and loads tfjs itself.
export { computeTrace, mainOutputShape, type InitialState, type TraceOptions } from './trace';
export { jacobianNorms, directionJacobianNorms, type JacobianOptions } from './jacobian';
export { recurrentStats } from './diagnostics';
export { initLayerWeights, initWeights, initHeadWeights, scaleRecurrent, glorotUniform, orthogonal, isBidirectionalWeights } from './init';
export { createRng, uniformArray, type Rng } from './rng';
export { parseTraceSpec, checkSpec, checkWeights, LIMITS } from './validate';
export { EngineInputError } from './errors';
export { weightShapes, blockNames, GATE_NAMES } from './layout';
export { cloneWeights, weightsFromJson, layerWeightsFromJson, weightsToJson, layerWeightsToJson } from './weights';
export { fromNested, toNested } from './nested';
export { traceSpecFromLayer, traceHeadFromLayer, type SizeFallbacks } from './fromLayer';
export { collectBuffers } from './transfer';
export { sigmaMax, spectralRadius, eigenvalues } from './linalg';
export { ACTIVATIONS, activate } from './activations';
