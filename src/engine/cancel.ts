// Cancellation across threads: the host sets flags[id % CANCEL_SLOTS] in a SharedArrayBuffer and
// the worker polls it between phases, so a long computation stops without waiting for a message
// the busy worker could not read.
export const CANCEL_SLOTS = 1024;

export type ShouldStop = () => boolean;

export function stopperFor(flags: Int32Array | undefined, id: number): ShouldStop {
  return flags ? () => Atomics.load(flags, id % CANCEL_SLOTS) === 1 : () => false;
}

/** Thrown inside the worker when a job notices it was cancelled. */
export class Cancelled extends Error {}
