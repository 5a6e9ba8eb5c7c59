// Hand-written LayerSpecs for tests of the modules downstream of the parser.
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
