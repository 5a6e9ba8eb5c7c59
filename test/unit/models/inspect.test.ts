// `rnn-unroll inspect`: the JSON it prints for a model, and one-line CliErrors for bad input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CliError } from '../../../src/cli/common';
import { inspect } from '../../../src/cli/inspect';
import type { ModelSummary } from '../../../src/models';
import { fixturePath, fixturesPresent } from './fixtures';

if (fixturesPresent) {
  test('inspect prints class, name, units, flags and weight shapes in our layout (README: gru1 28→64, gru2 64→32, fc 32→1)', async () => {
    const out = (await inspect([fixturePath('pytorch-gru-stock/gru_model.pth')])) as ModelSummary;
    assert.equal(out.format, 'pytorch-state-dict');
    assert.deepEqual(
      out.layers.map((l) => [l.class, l.name, l.units, l.unrollable]),
      [
        ['nn.GRU', 'gru1', 64, true],
        ['nn.GRU', 'gru2', 32, true],
        ['nn.Linear', 'fc', 1, false],
      ],
    );
    assert.deepEqual(out.layers[0].weightShapes, { kernel: [28, 192], recurrent_kernel: [64, 192], bias: [2, 192] });
    assert.equal(out.layers[0].flags?.resetAfter, true);
    assert.equal(out.layers[0].flags?.recurrentActivation, 'sigmoid');
    assert.deepEqual(Object.keys(out.layers[0]).slice(0, 4), ['class', 'name', 'units', 'unrollable']);
    // The printed JSON is plain data (no typed arrays leak into it).
    assert.deepEqual(JSON.parse(JSON.stringify(out)), out);
  });

  test('inspect --architecture pairs a weights-only .h5 with the given JSON', async () => {
    const out = (await inspect([fixturePath('keras21-json-weights-music-gru/model_gru.h5'), '--architecture', fixturePath('keras21-json-weights-music-gru/model_gru.json')])) as ModelSummary;
    assert.equal(out.format, 'keras-h5-weights');
    assert.deepEqual(out.layers.filter((l) => l.unrollable).map((l) => l.name), ['gru_1', 'gru_2']);
  });

  test('inspect turns unreadable files into one CliError line', async () => {
    for (const [args, re] of [
      [[fixturePath('tfjs-flight-bilstm/group1-shard1of1.bin')], /not a model file we read/],
      [[fixturePath('no-such-model.h5')], /does not exist/],
      [[fixturePath('pytorch-gru-stock')], /is a folder/],
      [[], /usage: inspect MODEL_FILE/],
      [[fixturePath('pytorch-gru-stock/gru_model.pth'), '--layer', 'x'], /unknown option --layer/],
    ] as [string[], RegExp][]) {
      await assert.rejects(inspect(args), (e: unknown) => e instanceof CliError && re.test(e.message) && !e.message.includes('\n'), args.join(' '));
    }
  });
}
