// The host's handle on the engine worker (worker_threads): started on first use, one request
// queue, typed and validated messages, cancellation through a shared flag array the worker polls
// between phases, supersession per view, and a restart after a crash. Knows nothing of VS Code:
// the caller passes `onCrash` to tell the user.
import { Worker } from 'node:worker_threads';
import {
  validate,
  workerResponseSchema,
  type EngineJob,
  type EngineResult,
  type WorkerRequest,
} from '../protocol';
import type { TrainReport } from '../spec';
import { CANCEL_SLOTS } from './cancel';

export class CancelledError extends Error {
  constructor(readonly reason: 'superseded' | 'cancelled' | 'disposed') {
    super(`engine request ${reason}`);
  }
}

/** The engine refused the input (bad shape, too large): a message for the user, not a bug. */
export class EngineRequestError extends Error {}

interface Pending {
  view: string;
  kind: EngineJob['kind'];
  onProgress?: (r: TrainReport) => void;
  resolve: (r: EngineResult) => void;
  reject: (e: Error) => void;
}

export interface EngineClientOptions {
  /** Absolute path of dist/worker.js. */
  workerPath: string;
  /** Called once per crash with what happened; the next request starts a fresh worker. */
  onCrash: (message: string) => void;
}

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latestByView = new Map<string, number>();
  private readonly cancelFlags = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));

  constructor(private readonly options: EngineClientOptions) {}

  /**
   * Runs `job` for `view` (e.g. the panel). A newer request for the same view supersedes this
   * one: its promise rejects with CancelledError('superseded') and the worker stops it early.
   * `onProgress` receives a training job's reports until its result arrives.
   */
  run<K extends EngineJob['kind']>(view: string, job: Extract<EngineJob, { kind: K }>, onProgress?: (r: TrainReport) => void): Promise<Extract<EngineResult, { kind: K }>> {
    const previous = this.latestByView.get(view);
    if (previous !== undefined) this.cancel(previous, 'superseded');
    const id = this.nextId++;
    this.latestByView.set(view, id);
    Atomics.store(this.cancelFlags, id % CANCEL_SLOTS, 0);
    return new Promise<Extract<EngineResult, { kind: K }>>((resolve, reject) => {
      this.pending.set(id, { view, kind: job.kind, onProgress, resolve: resolve as (r: EngineResult) => void, reject });
      const message: WorkerRequest = { type: 'run', id, job };
      const worker = this.ensureWorker();
      worker.ref(); // keep the process alive while an answer is due
      worker.postMessage(message);
    });
  }

  /**
   * Starts the worker and runs one small trace per cell kind, so the first real request pays
   * neither the worker's start nor the engine's first, unoptimized runs. Called when the first
   * lens appears: a click is likely to follow. Runs off this thread; results are dropped.
   */
  warmUp(): void {
    if (this.worker) return;
    for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
      const spec = { cell, units: 16, inputDim: 4, timesteps: 4, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, returnSequences: true, returnState: false, goBackwards: false, resetAfter: cell === 'gru', bidirectional: null } as const;
      this.run(`warm-up-${cell}`, { kind: 'trace', spec, seed: 1, weights: null, input: null, loss: null, recurrentScale: null }).catch(() => {});
    }
  }

  /** Cancels every request of `view`. */
  cancelView(view: string): void {
    const id = this.latestByView.get(view);
    if (id !== undefined) this.cancel(id, 'cancelled');
  }

  /**
   * Asks `view`'s running job to stop at its next check without dropping it: a training job then
   * answers with what it has (its weights so far), where cancelView would discard the answer.
   */
  stopView(view: string): void {
    const id = this.latestByView.get(view);
    if (id !== undefined && this.pending.has(id)) Atomics.store(this.cancelFlags, id % CANCEL_SLOTS, 1);
  }

  private cancel(id: number, reason: CancelledError['reason']): void {
    const p = this.pending.get(id);
    if (!p) return;
    Atomics.store(this.cancelFlags, id % CANCEL_SLOTS, 1);
    this.settled(id);
    if (this.latestByView.get(p.view) === id) this.latestByView.delete(p.view);
    p.reject(new CancelledError(reason));
  }

  /** Forgets request `id`; an idle worker must not keep the host process alive. */
  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerPath, { workerData: { cancelFlags: this.cancelFlags } });
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (e) => this.crashed(worker, e.message));
    worker.on('exit', (code) => {
      if (code !== 0) this.crashed(worker, `the engine worker stopped (exit code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private receive(raw: unknown): void {
    const checked = validate(workerResponseSchema, raw);
    if (!checked.ok) {
      console.warn(`[rnn-unroll] dropped a message from the engine worker: ${checked.error}`);
      return;
    }
    const message = checked.value;
    const p = this.pending.get(message.id);
    if (message.type === 'progress') {
      p?.onProgress?.(message.report);
      return;
    }
    this.settled(message.id);
    if (!p) return; // superseded or cancelled meanwhile: the stale result is dropped
    if (this.latestByView.get(p.view) === message.id) this.latestByView.delete(p.view);
    switch (message.type) {
      case 'result':
        if (message.result.kind !== p.kind) p.reject(new Error(`engine answered ${message.result.kind} to a ${p.kind} request`));
        else p.resolve(message.result);
        break;
      case 'refused':
        p.reject(new EngineRequestError(message.message));
        break;
      case 'cancelled':
        p.reject(new CancelledError('cancelled'));
        break;
    }
  }

  private crashed(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    const failed = [...this.pending.values()];
    this.pending.clear();
    this.latestByView.clear();
    for (const p of failed) p.reject(new Error(`the engine stopped: ${message}`));
    this.options.onCrash(message);
  }

  dispose(): void {
    for (const id of [...this.pending.keys()]) this.cancel(id, 'disposed');
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}
