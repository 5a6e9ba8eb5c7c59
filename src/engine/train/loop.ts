// The training loop the worker runs: one or three models (compare) step by step on one task,
// reporting a few times a second (every step's loss, accuracy, gradient norm, and a fresh probe
// trace), yielding to the event loop between steps so other requests and the cancel flag get in.
import type { EngineJob } from '../../protocol';
import type { RunEnd, RunReport, TrainEnd, TrainReport } from '../../spec';
import { makeTask } from './tasks';
import type { Tf } from './tfjs';
import { gradientReach, Trainer } from './trainer';

/** The worker's train job without its tag. */
export type TrainJob = Omit<Extract<EngineJob, { kind: 'train' }>, 'kind'>;





export interface TrainHooks {
  shouldStop(): boolean;
  report(r: TrainReport): void;
  /** Milliseconds between reports (the first step is always reported). */
  reportEveryMs?: number;
  now?: () => number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runTraining(tf: Tf, job: TrainJob, hooks: TrainHooks): Promise<TrainEnd> {
  const now = hooks.now ?? (() => performance.now());
  const every = hooks.reportEveryMs ?? 200;
  const task = makeTask(job.task, job.timesteps, job.text);
  const trainers: Trainer[] = [];
  try {
    job.layers.forEach((layer, i) => trainers.push(new Trainer(tf, task, layer, job.options, job.start?.[i] ?? null)));
    const diverged: (RunEnd['diverged'] | null)[] = trainers.map(() => null);
    const pending = trainers.map(() => ({ losses: [] as number[], accuracies: [] as number[], gradNorm: 0 }));
    let lastReport = -Infinity;
    let stopped = false;
    const flush = (step: number) => {
      lastReport = now();
      hooks.report({
        step,
        runs: trainers.map((tr, i) => {
          const trace = tr.probeTrace();
          const p = pending[i];
          const r: RunReport = {
            cell: tr.spec.cell,
            losses: Float64Array.from(p.losses),
            accuracies: task.hasAccuracy ? Float64Array.from(p.accuracies) : null,
            gradNorm: p.gradNorm,
            reach: gradientReach(trace),
            trace,
          };
          pending[i] = { losses: [], accuracies: [], gradNorm: p.gradNorm };
          return r;
        }),
      });
    };
    for (let step = 1; step <= job.steps; step++) {
      if (hooks.shouldStop()) {
        stopped = true;
        break;
      }
      trainers.forEach((tr, i) => {
        if (diverged[i]) return;
        const s = tr.step();
        if (!s.applied) diverged[i] = { step, loss: s.loss, gradNorm: s.gradNorm };
        else {
          pending[i].losses.push(s.loss);
          if (s.accuracy !== null) pending[i].accuracies.push(s.accuracy);
          pending[i].gradNorm = s.gradNorm;
        }
      });
      if (diverged.every((d) => d !== null)) break;
      if (step === 1 || step === job.steps || now() - lastReport >= every) flush(step);
      await yieldToEventLoop();
    }
    if (pending.some((p) => p.losses.length > 0)) flush(Math.max(...trainers.map((tr) => tr.steps)));
    return {
      reason: diverged.every((d) => d !== null) ? 'diverged' : stopped ? 'stopped' : 'done',
      runs: trainers.map((tr, i) => ({ cell: tr.spec.cell, steps: tr.steps, ...tr.weights(), diverged: diverged[i] })),
    };
  } finally {
    for (const tr of trainers) tr.dispose();
  }
}
