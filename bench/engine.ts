// Engine latency (issue 3): the typed-array trace (forward + BPTT + gates + per-step gradients,
// batch 1) next to tf.layers trainOnBatch on the same configuration, cpu and wasm backends, in the
// same run. Tiers (DESIGN.md "cost tiers"): "core" = computeTrace with the recurrent σ/ρ cached by
// weights (as when the panel re-traces); "stats" = σ_max/ρ uncached; "jacobian" = the O(T·H³)
// Jacobian-product norms. Register with `['engine', benchEngine]` in bench/run.ts.
import { join } from 'node:path';
import type { CellKind, TraceSpec, Weights } from '../src/spec';
import { computeTrace, createRng, initLayerWeights, jacobianNorms, recurrentStats, uniformArray } from '../src/engine';
import { loadTfjs, type Tf } from '../src/engine/train/tfjs';
import { timeIt, type BenchRow } from './stats';

const REPO = join(__dirname, '../..');
const CELLS: CellKind[] = ['simple_rnn', 'lstm', 'gru'];

function specFor(cell: CellKind, T: number, H: number, D: number): TraceSpec {
  return {
    cell, units: H, inputDim: D, timesteps: T, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true,
    returnSequences: true, returnState: false, goBackwards: false, resetAfter: cell === 'gru', bidirectional: null,
  };
}

async function traceRows(T: number, H: number, D: number, runs: number, withTiers: boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const cell of CELLS) {
    const s = specFor(cell, T, H, D);
    const w = initLayerWeights(s, 1) as Weights;
    const x = uniformArray(createRng(2), T * D, -1, 1);
    const core = await timeIt(() => computeTrace(s, w, x), runs);
    rows.push({ name: `trace core ${cell} T=${T} H=${H} D=${D}`, median: core.median, p90: core.p90, unit: 'ms', peer: withTiers ? `trainOnBatch ${cell}` : undefined, note: 'float64 typed arrays, batch 1' });
    if (!withTiers) continue;
    const st = await timeIt(() => recurrentStats(s, w), Math.min(runs, 10));
    rows.push({ name: `trace stats ${cell} (σ_max, ρ uncached)`, median: st.median, p90: st.p90, unit: 'ms' });
    const tr = computeTrace(s, w, x);
    const jn = await timeIt(() => jacobianNorms(s, w, tr), 5, 1);
    rows.push({ name: `trace jacobian ${cell} (‖∂h_T/∂h_k‖ ∀k)`, median: jn.median, p90: jn.p90, unit: 'ms', note: 'O(T·H³), second tier' });
  }
  return rows;
}

async function trainOnBatchRows(tf: Tf, backend: string, T: number, H: number, D: number, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const cell of CELLS) {
    const s = specFor(cell, T, H, D);
    const w = initLayerWeights({ ...s, resetAfter: false }, 1) as Weights;
    // Keras defaults spelled out (tfjs's differ); zeros initializers since the weights are set below.
    const args = {
      units: H, returnSequences: true, inputShape: [T, D], recurrentActivation: 'sigmoid' as const, kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros', biasInitializer: 'zeros',
    };
    // tfjs GRU is reset_after=False only; the trace above runs Keras's default reset_after=True.
    const layer = cell === 'simple_rnn' ? tf.layers.simpleRNN(args) : cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args);
    const model = tf.sequential({ layers: [layer] });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const ws = [tf.tensor(Float32Array.from(w.kernel), [D, w.kernel.length / D]), tf.tensor(Float32Array.from(w.recurrentKernel), [H, w.recurrentKernel.length / H]), tf.tensor(Float32Array.from(w.bias!))];
    layer.setWeights(ws);
    tf.dispose(ws);
    const xs = tf.tensor3d(Float32Array.from(uniformArray(createRng(3), T * D, -1, 1)), [1, T, D]);
    const ys = tf.zeros([1, T, H]);
    const r = await timeIt(() => model.trainOnBatch(xs, ys), runs);
    rows.push({ name: `trainOnBatch ${cell} T=${T} H=${H} D=${D} (${backend})`, median: r.median, p90: r.p90, unit: 'ms', note: 'tf.layers, float32' });
    tf.dispose([xs, ys]);
    model.dispose();
  }
  return rows;
}

export async function benchEngine(): Promise<BenchRow[]> {
  const rows = await traceRows(100, 64, 8, 30, true);
  for (const backend of ['cpu', 'wasm'] as const) {
    const tf = await loadTfjs(backend, join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
    rows.push(...(await trainOnBatchRows(tf, backend, 100, 64, 8, 10)));
  }
  rows.push(...(await traceRows(1000, 256, 8, 3, false)));
  return rows;
}
