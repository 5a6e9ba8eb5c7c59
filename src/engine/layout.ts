// Where each quantity lives in the Keras weight layout, per cell kind.
import { GATE_COUNT, type CellKind, type GateName, type TraceSpec } from '../spec';

export const GATE_NAMES: Record<CellKind, readonly GateName[]> = {
  simple_rnn: [],
  lstm: ['i', 'f', 'c', 'o'],
  gru: ['z', 'r', 'hh'],
};

/** Names of the H×H blocks of the recurrent kernel (SimpleRNN's single block is 'h'). */
export function blockNames(cell: CellKind): string[] {
  return cell === 'simple_rnn' ? ['h'] : [...GATE_NAMES[cell]];
}

export interface Shapes {
  G: number;
  kernel: [number, number];
  recurrentKernel: [number, number];
  /** null when use_bias=false. */
  bias: [number] | [number, number] | null;
}

export function weightShapes(spec: Pick<TraceSpec, 'cell' | 'units' | 'inputDim' | 'useBias' | 'resetAfter'>): Shapes {
  const G = GATE_COUNT[spec.cell];
  const GH = G * spec.units;
  const twoBiases = spec.cell === 'gru' && spec.resetAfter;
  return {
    G,
    kernel: [spec.inputDim, GH],
    recurrentKernel: [spec.units, GH],
    bias: !spec.useBias ? null : twoBiases ? [2, GH] : [GH],
  };
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
