// Turns untrusted input (CLI JSON, webview messages) into a TraceSpec and checked Weights, with
// one error per problem naming the field. Limits keep one trace within memory and seconds.
import { GATE_COUNT, type CellKind, type DenseWeights, type MergeMode, type TraceHead, type TraceSpec, type Weights } from '../spec';
import { isActivationName, ACTIVATIONS } from './activations';
import { EngineInputError } from './errors';
import { size, weightShapes } from './layout';

/**
 * Largest accepted sizes. T·g·H bounds the per-step arrays (pre-activations and their gradient are
 * T×g·H float64: 4M elements = 32 MB each); (D+H)·g·H bounds the weights (8M = 64 MB).
 */
export const LIMITS = {
  timesteps: 10_000,
  units: 1024,
  inputDim: 4096,
  headUnits: 4096,
  stepCells: 4_000_000,
  weightCells: 8_000_000,
} as const;

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];
const MERGE_MODES: readonly string[] = ['concat', 'sum', 'mul', 'ave'];

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

function intField(obj: Record<string, unknown>, name: string, max: number): number {
  const v = obj[name];
  if (v === undefined) throw new EngineInputError(name, 'is required');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new EngineInputError(name, `must be a positive integer, got ${describe(v)}`);
  if (v > max) throw new EngineInputError(name, `${v} is above the limit of ${max}`);
  return v;
}

function boolField(obj: Record<string, unknown>, name: string, dflt: boolean): boolean {
  const v = obj[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new EngineInputError(name, `must be true or false, got ${describe(v)}`);
  return v;
}

function activationField(obj: Record<string, unknown>, name: string, dflt: string): TraceSpec['activation'] {
  const v = obj[name] ?? dflt;
  if (!isActivationName(v)) throw new EngineInputError(name, `unknown activation ${describe(v)} (known: ${ACTIVATIONS.join(', ')})`);
  return v;
}

function mergeField(v: unknown): { mergeMode: MergeMode } | null {
  if (v === undefined || v === null || v === false) return null;
  if (v === true) return { mergeMode: 'concat' };
  if (typeof v === 'object' && !Array.isArray(v)) {
    const m = (v as Record<string, unknown>).mergeMode;
    if (m === undefined) return { mergeMode: 'concat' };
    if (m === null) return { mergeMode: null };
    if (typeof m === 'string' && MERGE_MODES.includes(m)) return { mergeMode: m as MergeMode };
    throw new EngineInputError('bidirectional.mergeMode', `must be one of concat, sum, mul, ave or null, got ${describe(m)}`);
  }
  throw new EngineInputError('bidirectional', `must be false, true or {"mergeMode": …}, got ${describe(v)}`);
}

/** Checks a JSON-like object and fills absent fields with Keras 3 defaults. */
export function parseTraceSpec(raw: unknown): TraceSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EngineInputError('spec', `must be a JSON object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  const cell = o.cell;
  if (typeof cell !== 'string' || !(CELLS as readonly string[]).includes(cell)) {
    throw new EngineInputError('cell', `unknown cell ${describe(cell)} (known: ${CELLS.join(', ')})`);
  }
  const spec: TraceSpec = {
    cell: cell as CellKind,
    units: intField(o, 'units', LIMITS.units),
    inputDim: intField(o, 'inputDim', LIMITS.inputDim),
    timesteps: intField(o, 'timesteps', LIMITS.timesteps),
    activation: activationField(o, 'activation', 'tanh'),
    recurrentActivation: activationField(o, 'recurrentActivation', 'sigmoid'),
    useBias: boolField(o, 'useBias', true),
    returnSequences: boolField(o, 'returnSequences', false),
    returnState: boolField(o, 'returnState', false),
    goBackwards: boolField(o, 'goBackwards', false),
    resetAfter: boolField(o, 'resetAfter', cell === 'gru'),
    bidirectional: mergeField(o.bidirectional),
  };
  checkSpec(spec);
  return spec;
}

/** Checks sizes and combined limits of an already typed spec. */
export function checkSpec(spec: TraceSpec): void {
  for (const [k, max] of [['units', LIMITS.units], ['inputDim', LIMITS.inputDim], ['timesteps', LIMITS.timesteps]] as const) {
    const v = spec[k];
    if (!Number.isInteger(v) || v < 1) throw new EngineInputError(k, `must be a positive integer, got ${describe(v)}`);
    if (v > max) throw new EngineInputError(k, `${v} is above the limit of ${max}`);
  }
  if (!isActivationName(spec.activation)) throw new EngineInputError('activation', `unknown activation ${describe(spec.activation)}`);
  if (!isActivationName(spec.recurrentActivation)) throw new EngineInputError('recurrentActivation', `unknown activation ${describe(spec.recurrentActivation)}`);
  const GH = GATE_COUNT[spec.cell] * spec.units;
  if (spec.timesteps * GH > LIMITS.stepCells) {
    throw new EngineInputError('timesteps', `timesteps × gates × units = ${spec.timesteps * GH} is above the limit of ${LIMITS.stepCells}`);
  }
  if ((spec.inputDim + spec.units) * GH > LIMITS.weightCells) {
    throw new EngineInputError('units', `(inputDim + units) × gates × units = ${(spec.inputDim + spec.units) * GH} is above the limit of ${LIMITS.weightCells}`);
  }
}

export function checkArray(field: string, a: Float64Array, n: number): void {
  if (!(a instanceof Float64Array)) throw new EngineInputError(field, 'must be a Float64Array');
  if (a.length !== n) throw new EngineInputError(field, `has ${a.length} numbers, expected ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) throw new EngineInputError(field, `element ${i} is not a finite number`);
}

export function checkWeights(spec: TraceSpec, w: Weights, prefix = ''): void {
  const s = weightShapes(spec);
  checkArray(prefix + 'kernel', w.kernel, size(s.kernel));
  checkArray(prefix + 'recurrentKernel', w.recurrentKernel, size(s.recurrentKernel));
  if (s.bias === null) {
    if (w.bias !== null) throw new EngineInputError(prefix + 'bias', 'must be absent when useBias is false');
  } else {
    if (w.bias === null) throw new EngineInputError(prefix + 'bias', `is required (shape ${JSON.stringify(s.bias)})`);
    checkArray(prefix + 'bias', w.bias, size(s.bias));
  }
}

export function checkHead(head: TraceHead, inFeatures: number, w: DenseWeights): void {
  if (head.activation !== 'softmax' && head.activation !== 'linear') {
    throw new EngineInputError('head.activation', `must be softmax or linear, got ${describe(head.activation)}`);
  }
  if (!Number.isInteger(head.units) || head.units < 1 || head.units > LIMITS.headUnits) {
    throw new EngineInputError('head.units', `must be an integer in 1..${LIMITS.headUnits}, got ${describe(head.units)}`);
  }
  checkArray('head.kernel', w.kernel, inFeatures * head.units);
  if (w.bias !== null) checkArray('head.bias', w.bias, head.units);
}
