import type { CellKind } from '../../spec';
import type { CellKernel } from './context';
import { gru } from './gru';
import { lstm } from './lstm';
import { simpleRnn } from './simpleRnn';

export const CELL_KERNELS: Record<CellKind, CellKernel> = { simple_rnn: simpleRnn, lstm, gru };
export type { CellContext, CellKernel } from './context';
