// Trained-model loading (issue 7): time to open each fixture (read the file and its companions,
// parse, map to our layout) and to open it and compute the first trace of its first unrollable
// layer (the target: ≤ 1 s for files under 3 MB). Register with `['models', benchModels]`
// in bench/run.ts. The fixtures live in ../shared/fixtures/models; without them this returns one row
// saying so.
import type { BenchRow } from './stats';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { computeTrace } from '../src/engine';
import { toTraceSpec, unrollableLayers } from '../src/models';
import { readModelFile } from '../src/models/nodeSource';

const REPO = join(__dirname, '../..');
const FIXTURES = join(REPO, '..', 'shared', 'fixtures', 'models');
const RUNS = 5;

function modelFiles(dir: string): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(modelFiles(p));
    else if (/\.(h5|keras|pt|pth)$|model\.json$/.test(e)) out.push(p);
  }
  return out;
}

/** Companion bytes count too: a TF.js model is model.json + shards, a weights-only .h5 its .json. */
function bytesOf(path: string): number {
  if (path.endsWith('model.json')) {
    const dir = join(path, '..');
    return readdirSync(dir).filter((f) => f === 'model.json' || f.startsWith('group')).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  }
  return statSync(path).size;
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p90: number }> {
  await fn(); // warm-up: module loading and JIT are not the file's cost
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], p90: t[Math.min(t.length - 1, Math.ceil(t.length * 0.9) - 1)] };
}

async function openAndTrace(path: string): Promise<void> {
  const model = await readModelFile(path);
  const layer = unrollableLayers(model)[0];
  const r = layer.recurrent;
  if (r === null) return;
  // Models with a free sequence length are traced at the panel's default of 8 steps.
  const spec = toTraceSpec(layer, r.spec.timesteps ?? 8);
  computeTrace(spec, r.weights, new Float64Array(spec.timesteps * spec.inputDim).fill(0.1));
}

export async function benchModels(): Promise<BenchRow[]> {
  if (!existsSync(FIXTURES)) return [{ name: 'open model fixtures', median: NaN, p90: NaN, unit: 'ms', note: `fixtures missing at ${FIXTURES}` }];
  const rows: BenchRow[] = [];
  for (const path of modelFiles(FIXTURES)) {
    const rel = relative(FIXTURES, path);
    const size = `${(bytesOf(path) / 1024).toFixed(0)} KB`;
    const open = await time(() => readModelFile(path), RUNS);
    rows.push({ name: `open ${rel}`, median: open.median, p90: open.p90, unit: 'ms', note: size });
    try {
      const traced = await time(() => openAndTrace(path), RUNS);
      rows.push({ name: `open + first trace ${rel}`, median: traced.median, p90: traced.p90, unit: 'ms', note: `${size}; target ≤ 1000 ms under 3 MB` });
    } catch (e) {
      rows.push({ name: `open + first trace ${rel}`, median: NaN, p90: NaN, unit: 'ms', note: `trace failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return rows;
}
