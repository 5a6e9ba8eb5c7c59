// `npm run bench`: every benchmark in one run, printed as a table and written to
// bench/results.json. Numbers on this 2-core machine are noisy: compare rows of the same run.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchActivation } from './activation';
import { benchEngine } from './engine';
import { benchModels } from './models';
import { benchParse } from './parse';
import type { BenchRow } from './stats';
import { benchTrain } from './train';
import { benchLensClick, benchWebview } from './webview';

const REPO = join(__dirname, '../..');

// The parser first: it runs in the extension host, whose heap holds no tfjs (the engine has its
// own worker thread); after the engine suites this process's heap does, and every GC costs more.
const suites: [string, () => Promise<BenchRow[]>][] = [
  ['parse', () => benchParse()],
  ['activation', benchActivation],
  ['engine', benchEngine],
  ['models', benchModels],
  ['train', benchTrain],
  ['webview', benchWebview],
  ['lens', benchLensClick],
];

function vsixRow(): BenchRow[] {
  try {
    const kb = statSync(join(REPO, 'rnn-unroll.vsix')).size / 1024;
    return [{ name: 'VSIX size (npm run package)', median: kb, p90: kb, unit: 'KB' }];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: (BenchRow & { suite: string })[] = [];
  for (const [suite, run] of suites) {
    if (only.length > 0 && !only.includes(suite)) continue;
    process.stderr.write(`[bench] ${suite}…\n`);
    for (const r of await run()) rows.push({ suite, ...r });
  }
  for (const r of vsixRow()) rows.push({ suite: 'package', ...r });
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3));
  const table = rows.map((r) => ({ suite: r.suite, name: r.name, median: `${fmt(r.median)} ${r.unit}`, p90: `${fmt(r.p90)} ${r.unit}`, peer: r.peer ?? '', note: r.note ?? '' }));
  console.table(table);
  const out = { date: new Date().toISOString(), node: process.version, rows };
  writeFileSync(join(REPO, 'bench/results.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

void main();
