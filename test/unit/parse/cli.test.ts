// `node dist/cli.js parse FILE`: the JSON contract of issue 4 item 7 (field names exactly), notebook
// cell/line numbering, and exit code 2 with one line on stderr for unreadable input.
import { freshCli } from '../freshCli';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { corpusDir } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'rnn-unroll-cli-'));
let cli = '';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Whether any file under `paths` (relative to the repo) changed after `file` was written. */
function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, 'parse', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function layersOf(r: Run): Record<string, unknown>[] {
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { layers: Record<string, unknown>[] };
  assert.ok(Array.isArray(out.layers));
  return out.layers;
}

describe('cli: rnn-unroll parse', () => {
  before(async () => {
    cli = await freshCli(['src/cli.ts', 'src/cli', 'src/parse', 'src/spec.ts']);
  });

  it('prints the contract fields for a Python file', () => {
    const layers = layersOf(run(join(corpusDir(), 'keras_io_addition_rnn.py')));
    assert.equal(layers.length, 2);
    const [enc, dec] = layers;
    for (const key of ['line', 'framework', 'kind', 'units', 'unitsText', 'returnSequences', 'returnState', 'bidirectional', 'inTimeDistributed']) {
      assert.ok(key in enc, `missing field ${key}`);
    }
    assert.deepEqual(
      [enc.line, enc.framework, enc.kind, enc.units, enc.unitsText, enc.returnSequences, enc.returnState, enc.bidirectional, enc.inTimeDistributed],
      [50, 'keras', 'lstm', 128, '128', false, false, false, false],
    );
    assert.equal(dec.line, 61);
    assert.equal(dec.returnSequences, true);
    assert.equal(enc.paramCount, null, 'input size is len(chars): unknown');
  });

  it('JavaScript, TypeScript and PyTorch files', () => {
    const js = layersOf(run(join(corpusDir(), 'tfjs_sentiment_train.js')));
    assert.deepEqual(js.map((l) => [l.line, l.framework, l.kind, l.bidirectional]), [[58, 'tfjs', 'simple_rnn', false], [60, 'tfjs', 'lstm', false], [63, 'tfjs', 'lstm', true]]);
    const ts = join(work, 'model.ts');
    writeFileSync(ts, "import * as tf from '@tensorflow/tfjs';\nconst UNITS: number = 16;\n// tf.layers.gru({units: 1})\nexport const l = tf.layers.gru({units: UNITS, returnSequences: flag} as tf.layers.RNNLayerArgs);\n");
    const [gru] = layersOf(run(ts));
    assert.deepEqual([gru.line, gru.kind, gru.units, gru.unitsText, gru.returnSequences, gru.returnState], [4, 'gru', 16, 'UNITS', null, false]);
    const pt = layersOf(run(join(corpusDir(), 'pytorch_time_sequence_prediction.py')));
    assert.deepEqual(pt.map((l) => [l.line, l.framework, l.returnSequences, l.returnState]), [[16, 'pytorch', true, true], [17, 'pytorch', true, true]]);
  });

  it('notebooks: cell is the index among all cells, line counts inside the cell', () => {
    const layers = layersOf(run(join(corpusDir(), 'tf_docs_text_generation.ipynb')));
    assert.equal(layers.length, 1);
    assert.deepEqual([layers[0].cell, layers[0].line, layers[0].kind, layers[0].units, layers[0].unitsText], [4, 5, 'gru', null, 'rnn_units']);
    // A single-string source and imports carried over from an earlier cell.
    const nb = join(work, 'small.ipynb');
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [
          { cell_type: 'markdown', source: ['# layers.LSTM(9)'] },
          { cell_type: 'code', source: 'from torch import nn\nH = 32' },
          { cell_type: 'code', source: ['x = 1\n', 'rnn = nn.GRU(8, H, batch_first=True)'] },
        ],
        metadata: {},
      }),
    );
    const [gru] = layersOf(run(nb));
    assert.deepEqual([gru.cell, gru.line, gru.framework, gru.units], [2, 2, 'pytorch', 32]);
  });

  it('a file without layers prints {"layers":[]}', () => {
    const empty = join(work, 'empty.py');
    writeFileSync(empty, 'print("no recurrent layers here")\n# LSTM(3)\n');
    const r = run(empty);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout).layers, []);
  });

  it('unreadable input: exit 2 and one line on stderr', () => {
    const badJson = join(work, 'bad.ipynb');
    writeFileSync(badJson, '{"cells": [');
    const notNotebook = join(work, 'list.ipynb');
    writeFileSync(notNotebook, '[1, 2]');
    const unknown = join(work, 'model.txt');
    writeFileSync(unknown, 'LSTM(3)');
    for (const [args, pattern] of [
      [[join(work, 'missing.py')], /no such file/],
      [[badJson], /not valid notebook JSON/],
      [[notNotebook], /not a notebook/],
      [[unknown], /unsupported file type '\.txt'/],
      [[], /expected one FILE/],
      [[work], /cannot read|unsupported/],
    ] as [string[], RegExp][]) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
  });
});
