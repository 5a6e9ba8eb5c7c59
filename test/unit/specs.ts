// Hand-written LayerSpecs for tests of the modules downstream of the parser.
import type { Scene, ViewParams } from '../../src/protocol';
import { kerasDefaults, type CellKind, type LayerSpec } from '../../src/spec';

export function makeSpec(kind: CellKind, overrides: Partial<LayerSpec> = {}): LayerSpec {
  return {
    framework: 'keras',
    kind,
    className: { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[kind],
    units: 16,
    unitsText: '16',
    inputDim: null,
    timesteps: null,
    ...kerasDefaults(kind),
    bidirectional: null,
    inTimeDistributed: false,
    head: null,
    range: { line: 0, character: 0, endLine: 0, endCharacter: 4 },
    symbolic: [],
    ...overrides,
  };
}

export function makeParams(overrides: Partial<ViewParams> = {}): ViewParams {
  return { cell: 'lstm', timesteps: 8, units: 16, inputDim: 4, preset: 'sine', text: '', numbers: '', recurrentScale: null, compare: false, seed: 1, ...overrides };
}

export function makeScene(spec: LayerSpec, params: Partial<ViewParams> = {}): Scene {
  return { spec, codeKind: spec.kind, params: makeParams({ cell: spec.kind, ...params }), notes: [], source: 'x.py:1', version: 1, trained: false, vocab: null };
}
