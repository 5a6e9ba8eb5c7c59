// The timeline of one unroll: positions 0…2T. Positions 1…T reveal the forward pass step by
// step; T+1…2T walk the gradient back from the last processed step to the first (BPTT). Pure.

export type Phase = 'idle' | 'forward' | 'backward' | 'done';

export interface TimelinePoint {
  phase: Phase;
  /** Forward: processing steps revealed so far (0…T). */
  revealed: number;
  /** Processing index (0-based) of the active step, or null. */
  active: number | null;
  /** Backward: the gradient has reached processing steps ≥ this index (T when it has not started). */
  gradientFrom: number;
}

export function timelineLength(T: number): number {
  return 2 * T;
}

export function pointAt(position: number, T: number): TimelinePoint {
  const p = Math.max(0, Math.min(2 * T, Math.round(position)));
  if (p === 0) return { phase: 'idle', revealed: 0, active: null, gradientFrom: T };
  if (p <= T) return { phase: 'forward', revealed: p, active: p - 1, gradientFrom: T };
  const k = 2 * T - p; // processing index the gradient has just reached
  return { phase: k === 0 ? 'done' : 'backward', revealed: T, active: k, gradientFrom: k };
}

/** Input time step (1-based) of processing index k: a go_backwards direction reads x_T first. */
export function inputStep(k: number, T: number, goBackwards: boolean): number {
  return goBackwards ? T - k : k + 1;
}
