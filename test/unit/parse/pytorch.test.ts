// PyTorch: recognition, the nn.RNN vs nn.RNNCell positional tables, normalization (sequences and
// state always returned, nonlinearity → activation, GRU = reset_after), shapes and parameters.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLayer, findLayers, parseSource } from '../../../src/parse';

function one(src: string) {
  const r = parseSource(src, 'python');
  assert.equal(r.layers.length, 1, `expected one layer, found ${r.layers.length}`);
  return r.layers[0];
}

describe('pytorch: recognition', () => {
  it('every import spelling', () => {
    const cases = [
      'import torch.nn as nn\nr = nn.LSTM(10, 20)',
      'from torch import nn\nr = nn.LSTM(10, 20)',
      'import torch\nr = torch.nn.LSTM(10, 20)',
      'from torch.nn import LSTM as TorchLSTM\nr = TorchLSTM(10, 20)',
      'from torch.nn.modules.rnn import LSTM\nr = LSTM(10, 20)',
      'from torch.nn import *\nr = LSTM(10, 20)',
      'r = nn.LSTM(10, 20)',
    ];
    for (const src of cases) {
      const l = one(src).spec;
      assert.equal(l.framework, 'pytorch', src);
      assert.equal(l.kind, 'lstm');
      assert.equal(l.inputDim, 10);
      assert.equal(l.units, 20);
    }
  });

  it('normalizes: sequences and state always returned, GRU is reset-after with sigmoid gates', () => {
    const g = one('import torch.nn as nn\nr = nn.GRU(4, 8)').spec;
    assert.equal(g.returnSequences, true);
    assert.equal(g.returnState, true);
    assert.equal(g.resetAfter, true);
    assert.equal(g.recurrentActivation, 'sigmoid');
    assert.equal(g.activation, 'tanh');
  });
});

describe('pytorch: positional tables', () => {
  it('nn.RNN: the 4th positional is nonlinearity', () => {
    const l = one("import torch.nn as nn\nr = nn.RNN(10, 20, 2, 'relu', False, True)");
    assert.equal(l.spec.activation, 'relu');
    assert.equal(l.spec.useBias, false);
    assert.equal(l.details.numLayers, 2);
    assert.equal(l.details.batchFirst, true);
  });

  it('nn.RNNCell: the 3rd is bias and the 4th nonlinearity', () => {
    const l = one("import torch.nn as nn\nc = nn.RNNCell(10, 20, False, 'relu')");
    assert.equal(l.spec.useBias, false);
    assert.equal(l.spec.activation, 'relu');
    assert.equal(l.details.stepCell, true);
  });

  it('nn.LSTM: bias, batch_first, dropout, bidirectional, proj_size', () => {
    const l = one('import torch.nn as nn\nr = nn.LSTM(10, 20, 1, True, True, 0.0, True, 5)');
    assert.equal(l.details.batchFirst, true);
    assert.deepEqual(l.spec.bidirectional, { mergeMode: 'concat' });
    assert.equal(l.details.projSize, 5);
  });

  it('keywords and symbolic sizes', () => {
    const l = one('import torch.nn as nn\nr = nn.GRU(input_size=emb, hidden_size=self.hidden, num_layers=n, batch_first=True)');
    assert.equal(l.spec.units, null);
    assert.equal(l.spec.unitsText, 'self.hidden');
    assert.equal(l.details.numLayers, null);
    assert.deepEqual(l.spec.symbolic.map((s) => s.name), ['hidden_size', 'input_size', 'num_layers']);
  });
});

describe('pytorch: shapes and parameter counts (RNN-SEMANTICS §3.2, §3.3)', () => {
  it('bidirectional batch-first LSTM', () => {
    const l = one('import torch.nn as nn\nr = nn.LSTM(10, 20, batch_first=True, bidirectional=True)');
    const d = describeLayer(l.spec, l.details);
    assert.equal(d.returnKind, 'many-to-many');
    assert.equal(d.returnStructure, '(output, (h_n, c_n))');
    assert.deepEqual(d.returns, [
      { name: 'output', shape: '(batch, L, 40)' },
      { name: 'h_n', shape: '(2, batch, 20)' },
      { name: 'c_n', shape: '(2, batch, 20)' },
    ]);
    // per direction: W_ih 80×10 + W_hh 80×20 + b_ih 80 + b_hh 80 = 2560
    assert.equal(d.paramCount, 5120);
  });

  it('two-layer time-major GRU', () => {
    const l = one('import torch.nn as nn\nr = nn.GRU(8, 16, num_layers=2)');
    const d = describeLayer(l.spec, l.details);
    assert.equal(d.outputShape, '(L, batch, 16)');
    assert.equal(d.returnStructure, '(output, h_n)');
    assert.deepEqual(d.returns[1], { name: 'h_n', shape: '(2, batch, 16)' });
    // layer 0: 48×8 + 48×16 + 96 = 1248; layer 1: 48×16 + 48×16 + 96 = 1632
    assert.equal(d.paramCount, 2880);
  });

  it('LSTM with projections', () => {
    const l = one('import torch.nn as nn\nr = nn.LSTM(10, 20, proj_size=5)');
    const d = describeLayer(l.spec, l.details);
    assert.deepEqual(d.returns.map((r) => r.shape), ['(L, batch, 5)', '(1, batch, 5)', '(1, batch, 20)']);
    // W_ih 80×10 + W_hh 80×5 + biases 160 + W_hr 5×20
    assert.equal(d.paramCount, 800 + 400 + 160 + 100);
  });

  it('step cells return the new state only', () => {
    const l = one('import torch.nn as nn\nc = nn.LSTMCell(1, 51)');
    const d = describeLayer(l.spec, l.details);
    assert.equal(d.returnStructure, "(h', c')");
    assert.equal(d.returnKind, 'many-to-many', 'the loop around a cell yields a step each time');
    assert.equal(d.outputShape, '(batch, 51)');
    assert.equal(d.paramCount, 204 * 1 + 204 * 51 + 408);
  });

  it('a Keras-style Sequential is not assumed for PyTorch lists', () => {
    assert.deepEqual(findLayers('import torch.nn as nn\nlayers = [nn.Linear(3, 4)]', 'python'), []);
  });
});
