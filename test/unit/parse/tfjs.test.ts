// TF.js in JavaScript and TypeScript: lexing (comments, strings, templates, regexes), imports and
// destructuring, the config object (shorthand, comments, trailing commas, casts), TF.js defaults.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLayers, findModels, parseSource } from '../../../src/parse';
import { tokenizeJs } from '../../../src/parse/jsTokens';
import { TK_STRING } from '../../../src/parse/tokens';
import { lines } from './helpers';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

function js(body: string, language: 'javascript' | 'typescript' = 'javascript') {
  return findLayers(TF + body, language);
}

describe('tfjs: lexing', () => {
  it('ignores comments, strings, template literals and regexes', () => {
    const src = [
      '// tf.layers.lstm({units: 1})',
      '/* tf.layers.gru({units: 2})',
      '   still a comment */',
      "const a = 'tf.layers.lstm({units: 3})' + \"tf.layers.gru({units: 3})\";",
      'const b = `tf.layers.lstm({units: 4}) ${x + `nested ${"}"} tf.layers.gru({units: 4})`} }`;',
      'const c = /tf.layers.lstm\\({units: 5}\\)/g.test(s);',
      "const d = /[/]tf.layers.gru({units: 6})/;",
    ].join('\n');
    assert.deepEqual(js(src), []);
  });

  it('tells division from a regex', () => {
    const l = js('const r = total / 2 / tf.layers.lstm({units: 7}).units;\nconst q = (a) / tf.layers.gru({units: 8});');
    assert.deepEqual(l.map((x) => x.units), [7, 8]);
  });

  it('an unterminated string or regex damages one line only', () => {
    assert.deepEqual(lines(js("const s = 'open\nconst l = tf.layers.lstm({units: 1});")), [3]);
    assert.deepEqual(lines(js('x = /open\nconst l = tf.layers.lstm({units: 1});')), [3]);
  });

  it('keeps a template literal with nested substitutions as one string token', () => {
    const t = tokenizeJs('const s = `a ${b ? `c ${"}"}` : {d: 1}.d} e`; f()');
    const strings = [];
    for (let i = 0; i < t.count; i++) if (t.kind[i] === TK_STRING) strings.push(t.text_(i));
    assert.deepEqual(strings, ['`a ${b ? `c ${"}"}` : {d: 1}.d} e`']);
  });
});

describe('tfjs: imports and aliases', () => {
  it('every module and binding form', () => {
    const cases = [
      "import * as tf from '@tensorflow/tfjs';\nconst l = tf.layers.lstm({units: 8});",
      "import * as tf from '@tensorflow/tfjs-node';\nconst l = tf.layers.lstm({units: 8});",
      "import {layers} from '@tensorflow/tfjs';\nconst l = layers.lstm({units: 8});",
      "import {layers as L} from '@tensorflow/tfjs-layers';\nconst l = L.lstm({units: 8});",
      "const tf = require('@tensorflow/tfjs-node-gpu');\nconst l = tf.layers.lstm({units: 8});",
      "const {layers} = require('@tensorflow/tfjs');\nconst l = layers.lstm({units: 8});",
      "import * as tf from '@tensorflow/tfjs';\nconst {lstm, gru: G} = tf.layers;\nconst l = lstm({units: 8});",
      "import * as tf from '@tensorflow/tfjs';\nconst makeLstm = tf.layers.lstm;\nconst l = makeLstm({units: 8});",
      'const l = tf.layers.lstm({units: 8});', // global tf from a <script> tag
    ];
    for (const src of cases) {
      const l = findLayers(src, 'javascript');
      assert.equal(l.length, 1, src);
      assert.equal(l[0].framework, 'tfjs');
      assert.equal(l[0].kind, 'lstm');
      assert.equal(l[0].units, 8);
    }
    const g = findLayers("import * as tf from '@tensorflow/tfjs';\nconst {gru: G} = tf.layers;\nconst l = G({units: 2});", 'javascript');
    assert.equal(g[0].kind, 'gru');
  });

  it('another library of the same shape is not TF.js', () => {
    assert.deepEqual(findLayers("import * as tf from 'my-tf';\nconst l = tf.layers.lstm({units: 8});", 'javascript'), []);
    assert.deepEqual(findLayers("import {lstm} from './mine';\nconst l = lstm({units: 8});", 'javascript'), []);
  });
});

describe('tfjs: the config object', () => {
  it('shorthand properties resolve top-level constants', () => {
    const l = js('const units = 64;\nconst returnSequences = true;\nconst l = tf.layers.gru({units, returnSequences});');
    assert.equal(l[0].units, 64);
    assert.equal(l[0].returnSequences, true);
  });

  it('comments inside the object, trailing commas, quoted keys', () => {
    const l = js("const l = tf.layers.lstm({\n  units: 32, // hidden size\n  /* returnSequences: false, */\n  'returnState': true,\n  goBackwards: true,\n});");
    assert.equal(l[0].units, 32);
    assert.equal(l[0].returnSequences, false);
    assert.equal(l[0].returnState, true);
    assert.equal(l[0].goBackwards, true);
  });

  it('TypeScript casts, annotations and non-null assertions', () => {
    const src = [
      'const H: number = 16;',
      'const a = tf.layers.lstm({units: H} as tf.layers.LSTMLayerArgs) as tf.RNN;',
      'const b = (tf.layers.gru({units: H!, inputShape: [10, 3] as [number, number]}) satisfies tf.layers.Layer);',
      'const c = <tf.RNN>tf.layers.simpleRNN({units: 2});',
    ].join('\n');
    const l = js(src, 'typescript');
    assert.deepEqual(l.map((x) => [x.kind, x.units]), [['lstm', 16], ['gru', 16], ['simple_rnn', 2]]);
    assert.deepEqual([l[1].timesteps, l[1].inputDim], [10, 3]);
  });

  it('computed values stay symbolic with their text; spreads make flags unknown', () => {
    const l = js('const l = tf.layers.lstm({units: n * 2, returnSequences: i < n - 1, ...extra});');
    assert.equal(l[0].units, null);
    assert.equal(l[0].unitsText, 'n * 2');
    assert.equal(l[0].returnSequences, null);
    assert.equal(l[0].returnState, null);
  });

  it('TF.js defaults: hard_sigmoid gates, reset-before GRU (resetAfter: true is rejected), activation: null', () => {
    const r = parseSource(TF + 'const a = tf.layers.gru({units: 4, resetAfter: true});\nconst b = tf.layers.simpleRNN({units: 4, activation: null});\nconst c = tf.layers.lstm({units: 4, activation: null, recurrentActivation: "sigmoid"});', 'javascript');
    const [a, b, c] = r.layers;
    assert.equal(a.spec.recurrentActivation, 'hard_sigmoid');
    assert.equal(a.spec.resetAfter, false);
    assert.ok(a.details.notes.some((n) => n.includes('resetAfter')));
    assert.equal(b.spec.activation, 'tanh', 'simpleRNN treats null as its default');
    assert.equal(c.spec.activation, 'linear');
    assert.equal(c.spec.recurrentActivation, 'sigmoid');
  });
});

describe('tfjs: wrappers and models', () => {
  it('bidirectional with a layer variable, rnn with cells', () => {
    const l = js("const fwd = tf.layers.lstm({units: 8, returnSequences: true});\nconst bi = tf.layers.bidirectional({layer: fwd, mergeMode: 'sum'});\nconst r = tf.layers.rnn({cell: [tf.layers.gruCell({units: 4}), tf.layers.gruCell({units: 6})], returnState: true});");
    assert.deepEqual(l[0].bidirectional, { mergeMode: 'sum' });
    assert.deepEqual(l.slice(1).map((x) => [x.kind, x.units, x.returnSequences, x.returnState]), [['gru', 4, true, true], ['gru', 6, false, true]]);
  });

  it('tf.sequential({layers: [...]}) with embedding, input size and head', () => {
    const src = TF + "const model = tf.sequential({layers: [\n  tf.layers.embedding({inputDim: 1000, outputDim: 32, inputLength: 20}),\n  tf.layers.lstm({units: 16, returnSequences: true}),\n  tf.layers.timeDistributed({layer: tf.layers.dense({units: 5, activation: 'softmax'})}),\n]});";
    const [m] = findModels(src, 'javascript');
    assert.equal(m.style, 'sequential');
    assert.equal(m.name, 'model');
    assert.deepEqual(m.layers.map((l) => l.role), ['embedding', 'recurrent', 'dense']);
    assert.equal(m.recurrent[0].inputDim, 32);
    assert.equal(m.recurrent[0].timesteps, 20);
    assert.deepEqual(m.head, { units: 5, activation: 'softmax', timeDistributed: true, lastStep: false });
    assert.deepEqual(m.input, { timesteps: 20, features: null, vocab: 1000 });
  });

  it('functional .apply() graphs and tf.model', () => {
    const src = TF + "const input = tf.input({shape: [12, 3]});\nconst h = tf.layers.gru({units: 10, returnSequences: true}).apply(input);\nconst out = tf.layers.dense({units: 1}).apply(h);\nconst model = tf.model({inputs: input, outputs: out});";
    const [m] = findModels(src, 'javascript');
    assert.equal(m.style, 'functional');
    assert.equal(m.range.line, 4);
    assert.equal(m.recurrent[0].inputDim, 3);
    assert.equal(m.recurrent[0].timesteps, 12);
    assert.deepEqual(m.head, { units: 1, activation: 'linear', timeDistributed: true, lastStep: false });
  });
});
