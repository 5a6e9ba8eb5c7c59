// The pre-scan (src/parse/prune.ts) skips top-level functions that cannot matter; it must never
// change what the parse reports. Compared with the full parse on real code, on the benchmark's
// generated files, and on functions that look skippable but are not. (fuzz.test.ts compares the
// two on every mutated input as well.)
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generate } from '../../../bench/parse';
import { runPipeline } from '../../../src/parse/source';
import { assertPruningExact, corpus, corpusDir } from './helpers';

describe('pruning', () => {
  it('reports what the full parse reports on the corpus', () => {
    for (const file of readdirSync(corpusDir()).filter((f) => f.endsWith('.py'))) assertPruningExact(corpus(file), 'python', file);
  });

  it('reports what the full parse reports on the benchmark files, and skips their data code', () => {
    for (const share of [0.35, 1]) {
      const text = generate('python', 2000, 3, share);
      assertPruningExact(text, 'python', `generated, model share ${share}`);
    }
    const t = runPipeline(generate('python', 2000, 3), 'python', undefined, true);
    assert.ok(t.layers.length > 0);
  });

  it('keeps what a skipped function would change', () => {
    const cases = [
      // An alias bound inside a function is global to the parser.
      'import keras\ndef setup():\n    global Cell\n    Cell = keras.layers\ndef build():\n    return Cell.LSTM(4)\n',
      // A variable that held a layer, reassigned in another function, then used.
      'from keras import layers\nenc = layers.LSTM(8, return_state=RS)\ndef reset():\n    enc = None\nout, h, c = enc(x)\ny = layers.Dense(1)(out)\n',
      // The names of skipped functions are still defined.
      'from keras import layers\ndef load(path):\n    return open(path).read()\nx = layers.LSTM(3)\n',
      // Strings that hide column-0 lines, f-strings, unclosed brackets, continuations.
      'def a():\n    s = """\nLSTM(4)\n"""\nfrom keras import layers\nl = layers.GRU(2)\n',
      'def a():\n    s = f"{x!r:>{w}}" + rf\'{y}\'\n    t = (1,\nlayers.LSTM(4))\nfrom keras import layers\nm = layers.LSTM(5)\n',
      'def a():\n    x = 1 + \\\n2\nfrom keras import layers\nm = layers.LSTM(5)\n',
      'def a(:\n    x = [1,\n\nfrom keras import layers\nm = layers.SimpleRNN(5)\n',
    ];
    cases.forEach((text, k) => assertPruningExact(text, 'python', `case ${k}`));
  });
});
