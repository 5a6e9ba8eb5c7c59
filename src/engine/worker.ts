// Engine worker entry (worker_threads): runs engine jobs off the extension host's thread, one at
// a time, checking the shared cancel flag between phases. Every request is validated; results
// travel with a transferList so their Float64Arrays move instead of being copied.
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { validate, workerRequestSchema, type EngineJob, type EngineResult, type WorkerResponse } from '../protocol';
import type { LayerWeights, TraceSpec, TrainReport } from '../spec';
import { Cancelled, stopperFor, type ShouldStop } from './cancel';
import { computeTrace, createRng, EngineInputError, initLayerWeights, isBidirectionalWeights, jacobianNorms, scaleRecurrent, uniformArray } from './index';
import { collectBuffers } from './transfer';
import type { EmbeddingLayer } from '../models';

const flags = (workerData as { cancelFlags?: Int32Array } | null)?.cancelFlags;

/**
 * Training keeps this thread busy for minutes; on a small machine the extension host's own thread
 * and VS Code's windows must still get the CPU first. Linux sets a nice value per thread, by its id.
 */
function yieldCpuToTheHost(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not permitted: the worker runs at normal priority.
  }
}
// Only as a worker: the bench and tests import runJob into their main thread.
if (!isMainThread) yieldCpuToTheHost();

function weightsFor(spec: TraceSpec, job: Extract<EngineJob, { kind: 'trace' }>): LayerWeights {
  const w = job.weights ?? initLayerWeights(spec, job.seed);
  const scale = job.recurrentScale;
  if (scale === null) return w;
  return isBidirectionalWeights(w)
    ? { forward: scaleRecurrent(spec, w.forward, scale), backward: scaleRecurrent(spec, w.backward, scale) }
    : scaleRecurrent(spec, w, scale);
}

/** `report`: where a training job's progress goes (the host, through the parent port). */
export async function runJob(job: EngineJob, shouldStop: ShouldStop, report: (r: TrainReport) => void = () => {}): Promise<EngineResult> {
  if (job.kind === 'model') return readTrainedModel(job.path);
  if (job.kind === 'train') return train(job, shouldStop, report);
  if (job.kind === 'trace') {
    const weights = weightsFor(job.spec, job);
    // A different stream than the weights', so changing the input preset never changes them.
    const input = job.input ?? uniformArray(createRng(job.seed + 1), job.spec.timesteps * job.spec.inputDim, -1, 1);
    if (shouldStop()) throw new Cancelled();
    const trace = computeTrace(job.spec, weights, input, job.loss ? { loss: job.loss } : {});
    return { kind: 'trace', trace, weights, input };
  }
  const trace = computeTrace(job.spec, job.weights, job.input, { recurrentStats: false });
  if (shouldStop()) throw new Cancelled();
  const norms = jacobianNorms(job.spec, job.weights, trace, { shouldStop });
  if (!norms) throw new Cancelled();
  return { kind: 'jacobian', norms };
}

/** Trains in this worker; tfjs loads on the first job (the trace path never pays for it). */
async function train(job: Extract<EngineJob, { kind: 'train' }>, shouldStop: ShouldStop, report: (r: TrainReport) => void): Promise<EngineResult> {
  const { loadTfjs, runTraining } = await import('./train');
  const tf = await loadTfjs('wasm', wasmDir());
  return { kind: 'train', ...(await runTraining(tf, job, { shouldStop, report })) };
}

/** The tfjs-backend-wasm .wasm files: beside the bundled worker in dist/, or in node_modules when run from sources. */
function wasmDir(): string {
  return (workerData as { wasmDir?: string } | null)?.wasmDir ?? __dirname;
}

/** A trained model's layers for the host's list; loaded lazily so traces never pay for the readers. */
async function readTrainedModel(path: string): Promise<EngineResult> {
  const { readModelFile } = await import('../models/nodeSource');
  const { embeddingFor } = await import('../models');
  const model = await readModelFile(path);
  const layers = model.layers.map((l) => ({
    name: l.name,
    className: l.innerClassName ? `${l.className}(${l.innerClassName})` : l.className,
    units: l.units,
    detail: l.unsupported ?? (l.outputShape ? `→ (${l.outputShape.map((d) => d ?? 'batch').join(', ')})` : ''),
    recurrent: l.recurrent ? { spec: l.recurrent.spec, weights: l.recurrent.weights, assumptions: l.recurrent.assumptions, embedding: packEmbedding(embeddingFor(model, l)) } : null,
  }));
  return { kind: 'model', format: model.format, layers };
}

/** The Embedding as the host gets it; a copy, so the transfer moves only its own data. */
function packEmbedding(e: EmbeddingLayer | null) {
  return e ? { vocab: e.inputDim, dim: e.outputDim, weights: e.embeddings.slice() } : null;
}

function reply(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort?.on('message', (raw: unknown) => {
  const checked = validate(workerRequestSchema, raw);
  if (!checked.ok) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) reply({ type: 'refused', id, message: checked.error });
    else console.warn(`[rnn-unroll worker] dropped an invalid request: ${checked.error}`);
    return;
  }
  const { id, job } = checked.value;
  const shouldStop = stopperFor(flags, id);
  if (shouldStop()) return reply({ type: 'cancelled', id });
  const report = (r: TrainReport) => {
    const message: WorkerResponse = { type: 'progress', id, report: r };
    reply(message, collectBuffers(r));
  };
  runJob(job, shouldStop, report).then(
    (result) => reply({ type: 'result', id, result }, collectBuffers(result)),
    (e: unknown) => {
      if (e instanceof Cancelled) reply({ type: 'cancelled', id });
      else if (e instanceof EngineInputError || (e instanceof Error && e.name === 'ModelError')) reply({ type: 'refused', id, message: e.message });
      else
        setImmediate(() => {
          throw e; // a bug: let the worker crash so the host restarts it and tells the user
        });
    },
  );
});
