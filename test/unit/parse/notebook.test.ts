// Notebooks read as JSON (the CLI's case): cells parsed one by one, names carried forward, cell
// indices counted among all cells.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNotebook, parseSource, readNotebook, Scope } from '../../../src/parse';

function notebook(cells: { cell_type: string; source: string | string[] }[], metadata: object = {}): string {
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 });
}

describe('notebooks', () => {
  it('imports, aliases and constants from earlier cells apply to later ones', () => {
    const nb = parseNotebook(
      notebook([
        { cell_type: 'code', source: ['from mylib import LSTM\n'] },
        { cell_type: 'markdown', source: 'GRU(3) in prose' },
        { cell_type: 'code', source: ['import torch.nn as nn\n', 'HIDDEN = 48\n', 'Cell = nn.GRU\n'] },
        { cell_type: 'code', source: ['x = LSTM(4)\n', 'r = Cell(16, HIDDEN)\n'] },
      ]),
    );
    assert.deepEqual(
      nb.layers.map((l) => [l.cell, l.spec.range.line + 1, l.spec.framework, l.spec.kind, l.spec.units]),
      [[3, 2, 'pytorch', 'gru', 48]],
      "LSTM is mylib's, not Keras",
    );
  });

  it('an unterminated string in one cell does not swallow the next', () => {
    const nb = parseNotebook(notebook([{ cell_type: 'code', source: 's = """never closed\n' }, { cell_type: 'code', source: 'from keras import layers\nl = layers.SimpleRNN(5)' }]));
    assert.deepEqual(nb.layers.map((l) => [l.cell, l.spec.units]), [[1, 5]]);
  });

  it('JavaScript kernels, nbformat 3 worksheets, cell magics', () => {
    const js = parseNotebook(notebook([{ cell_type: 'code', source: "const l = tf.layers.gru({units: 7});" }], { language_info: { name: 'javascript' } }));
    assert.equal(js.language, 'javascript');
    assert.equal(js.layers[0].spec.framework, 'tfjs');
    const v3 = JSON.stringify({ worksheets: [{ cells: [{ cell_type: 'code', input: ['%matplotlib inline\n', '!pip install keras\n', 'from keras.layers import LSTM\n', 'm = LSTM(12)'] }] }] });
    const r = parseNotebook(v3);
    assert.deepEqual(r.layers.map((l) => [l.cell, l.spec.range.line + 1, l.spec.units]), [[0, 4, 12]]);
  });

  it('readNotebook rejects what is not a notebook', () => {
    assert.throws(() => readNotebook('{"cells": '), /not valid notebook JSON/);
    assert.throws(() => readNotebook('"text"'), /not a notebook/);
    assert.throws(() => readNotebook('{"metadata": {}}'), /no "cells" array/);
  });

  it('parseSource with a scope: what the VS Code glue can pass for notebook cell documents', () => {
    const scope = new Scope();
    parseSource('from tensorflow.keras import layers as L\nUNITS = 24\n', 'python', { scope });
    const r = parseSource('y = L.LSTM(UNITS)', 'python', { scope: scope.clone() });
    assert.equal(r.layers[0].spec.units, 24);
    assert.equal(r.layers[0].spec.framework, 'keras');
  });
});
