// The pre-scan (src/parse/prune.ts) skips top-level functions that cannot matter; it must never
// change what the parse reports. Compared with the full parse on real code, on the benchmark's
// generated files, and on functions that look skippable but are not, in Python and in JS/TS.
// (fuzz.test.ts compares the two on every mutated input as well.)
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generate } from '../../../bench/parse';
import { tokenizeJs } from '../../../src/parse/jsTokens';
import { tokenizePython } from '../../../src/parse/pythonTokens';
import { runPipeline } from '../../../src/parse/source';
import { prunedSafely } from '../../../src/parse/prune';
import { Scope } from '../../../src/parse/scope';
import { assertPruningExact, corpus, corpusDir } from './helpers';

describe('pruning', () => {
  it('reports what the full parse reports on the corpus', () => {
    for (const file of readdirSync(corpusDir()).filter((f) => f.endsWith('.py'))) assertPruningExact(corpus(file), 'python', file);
    for (const file of readdirSync(corpusDir()).filter((f) => f.endsWith('.js'))) {
      assertPruningExact(corpus(file), 'javascript', file);
      assertPruningExact(corpus(file), 'typescript', file);
    }
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
      // Named only in strings and comments of skipped code (the name filter's misses) or among many other names.
      'from keras import layers\nenc = layers.LSTM(8)\ndef log():\n    print(f"{enc!r}", "enc")  # enc\ndef many(a, b, c, d):\n    e = a + b * c - d\n    enc.units = e\ny = enc(x)\n',
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

  it('reports what the full parse reports on the TS benchmark files, and leaves their data code out', () => {
    for (const share of [0.35, 1]) assertPruningExact(generate('typescript', 2000, 3, share), 'typescript', `generated TS, model share ${share}`);
    const text = generate('typescript', 2000, 3);
    const pruned = tokenizeJs(text, true);
    assert.ok(pruned.skippedDefs.length > 0 && pruned.count < tokenizeJs(text).count);
    assert.ok(runPipeline(text, 'typescript', undefined, true).layers.length > 0);
  });

  it('keeps JS/TS functions whose removal would change the parse', () => {
    const head = "import * as tf from '@tensorflow/tfjs';\n";
    const cases = [
      // Models added to anywhere, in either language.
      `${head}const model = tf.sequential();\nmodel.add(tf.layers.lstm({units: 4}));\nfunction more() {\n  model.add(make());\n}\n`,
      'from keras import layers, models\nmodel = models.Sequential()\nmodel.add(layers.LSTM(4))\ndef more():\n    model.add(make())\n',
      // An alias used in the function; a nested function or class defines a name too.
      `${head}const L = tf.layers;\nfunction f() {\n  const M = L;\n}\nconst x = M.lstm({units: 2});\n`,
      `${head}function f() {\n  function helper() {}\n  class Thing {}\n}\nconst a = tf.layers.lstm({units: 3});\n`,
      // A statement continuing across the function, an else after it, a regex or division after it.
      `${head}const s = {}\nfunction f() { return 1; }\n.x = tf.layers.gru({units: 2});\n`,
      `${head}const model = tf.sequential();\nif (a) { model.add(tf.layers.lstm({units: 1})); }\nfunction f() {}\nelse { model.add(tf.layers.gru({units: 2})); }\n`,
      `${head}const d = 1;\nfunction f() { return 2; }\n/ 2; const g = tf.layers.gru({units: 2});\n`,
      // Return types with braces and generics, overloads, regex literals and templates holding braces.
      `${head}export function load(u: string): Promise<{xs: number[][]; ys: Map<string, number>}> {\n  const r = /[{}]/g; const t = \`\${u}}\`;\n  return fetch(u);\n}\nexport const m = tf.layers.lstm({units: 5});\n`,
      `${head}export function f(a: string): void;\nexport function f(a: any) {\n  return a;\n}\nconst m = tf.layers.lstm({units: 5});\n`,
      `${head}function f(): {a: number} {\n  return {a: 1};\n}\n{ const m = tf.layers.lstm({units: 6}); }\n`,
      // Brackets that do not match inside (readCalls pops the same openers either way), and a function left open at the end.
      `${head}function f() {\n  g(];\n}\nconst m = tf.layers.lstm({units: 7});\n`,
      `${head}const m = tf.layers.lstm({units: 7});\nfunction f() {\n  g(\n`,
      // What the skim reads as the lexer does: regexes and divisions, braces in comments, strings and templates, private names.
      `${head}function f(a, b) {\n  const r = a / b; const s = /}/.test(a) ? 1 : 2; /* }\n} */ const t = \`\n\${ {a: '}'} }\n}\`;\n}\nconst m = tf.layers.lstm({units: 5});\n`,
      `${head}class P {\n  #model = 1;\n  f() { return this?.#model; }\n}\nconst m = tf.layers.gru({units: 2});\n`,
      `${head}export function f(a: string): Map<string, number>;\nexport function f(a: any): Map<string, number> {\n  return new Map();\n}\nconst m = tf.layers.gru({units: 2});\n`,
    ];
    cases.forEach((text, k) => assertPruningExact(text, text.startsWith('from') ? 'python' : 'typescript', `case ${k}`));
  });

  it('skips Python functions whose only imports name no library, and reads those imports as the full parse does', () => {
    const skipped = (text: string): string[] => tokenizePython(text, true).skippedDefs;
    const plot = 'def plot(h):\n    import matplotlib.pyplot as plt\n    from os import path as p, sep\n    plt.plot(h)\n';
    assert.deepEqual(skipped(plot), ['plot']);
    // Not skipped: an import sharing its line, under an `if`, a star import, an import naming a library.
    for (const body of ['    x = 1; import os\n', '    if x: import os\n', '    from os import *\n', '    from keras import layers\n']) assert.deepEqual(skipped(`def f():\n${body}`), [], body);
    const cases = [
      plot + 'from keras import layers\nm = layers.LSTM(3)\n',
      // A name a skipped import binds, used by code that is read: bound the same in both parses.
      'def f():\n    import mylib.keras_layers as K\nR = K.LSTM\nm = R(4)\n',
      'def f():\n    from mylib import rnn_layers as L\nm = L.GRU(4, return_sequences=True)\n',
      // The same name bound elsewhere to another module: the full parse decides the order of its paths.
      'import keras.layers as L\ndef f():\n    import mylib as L\nm = L.LSTM(4)\n',
      'def f():\n    import mylib as L\nimport keras.layers as L\nm = L.LSTM(4)\n',
      'def f():\n    import a as L\ndef g():\n    import b as L\nm = L.LSTM(4)\n',
      // A Keras 2 marker in a skipped import picks the Keras 2 defaults everywhere.
      'def f():\n    import CuDNNtools\nfrom keras import layers\nm = layers.GRU(4)\n',
      // An import at the end of the file, in brackets across lines, with a comment.
      'from keras import layers\nm = layers.LSTM(3)\ndef f():\n    from os import (\n        path,\n    )  # c\n    import json',
    ];
    cases.forEach((text, k) => assertPruningExact(text, 'python', `import case ${k}`));
    // And the skipping happened where it could.
    assert.deepEqual(skipped(cases[1]), ['f']);
    assert.deepEqual(skipped(cases[7]), ['f']);
  });

  it('skips Python classes that name no library, with class-level names kept out of the module', () => {
    const skipped = (text: string): string[] => tokenizePython(text, true).skippedDefs;
    const tok = 'class Tok:\n    """Uses keras.layers.TextVectorization."""\n    PAD, UNK = 0, 1\n\n    def enc(self, text):\n        return [self.index.get(c, self.UNK) for c in text]\n';
    assert.deepEqual(skipped(tok), ['Tok']);
    for (const text of ['class M(nn.Module):\n    pass\n', 'class M(Model):\n    pass\n', 'class A:\n    class B:\n        pass\n']) assert.deepEqual(skipped(text), [], text);
    const cases = [
      tok + 'from keras import layers\nclass Net(keras.Model):\n    def __init__(self):\n        self.rnn = layers.LSTM(4)\n    def call(self, x):\n        return self.rnn(x)\n',
      // A class-level name is no module-level tensor in either parse.
      'import keras\nfrom keras import layers\nx = keras.Input((5, 2))\nclass C:\n    x = None\ny = layers.LSTM(3)(x)\nm = keras.Model(x, y)\n',
      // A callee's head assigned in skipped code (a class body or a function): read as the full parse reads it.
      'class C:\n    R = mylib.rnns\nm = R.LSTM(3)\n',
      'def f():\n    R = mylib.rnns\nm = R.LSTM(3, return_sequences=True)\n',
      'def f():\n    (R) = mylib.rnns\nm = R.GRU(3)\n',
      'def f():\n    R: object = mylib.rnns\nm = R.GRU(3)\n',
    ];
    cases.forEach((text, k) => assertPruningExact(text, 'python', `class case ${k}`));
    assert.deepEqual(skipped(cases[0]), ['Tok']);
  });

  it('keeps the names of skipped definitions as ranges that a scope compares in place', () => {
    const text = 'import os\n\ndef mylib():\n    return os.getcwd()\n\nclass Helper:\n    pass\n';
    const t = tokenizePython(text, true);
    assert.deepEqual(t.skippedDefs, ['mylib', 'Helper']);
    const scope = new Scope();
    scope.deferDefined(t.text, t.skippedDefNames);
    assert.ok(scope.definesAny());
    assert.equal(scope.isDefined('mylib'), true);
    assert.equal(scope.isDefined('Helper'), true);
    assert.equal(scope.isDefined('mylibs'), false);
    assert.equal(scope.isDefined('os'), false);
    // A name the text defines itself is no library module.
    assert.deepEqual(scope.resolve('mylib.LSTM'), []);
    assert.deepEqual(scope.resolve('keras.layers.LSTM'), ['keras.layers.LSTM']);
    assert.deepEqual([...scope.clone().definedNames()].sort(), ['Helper', 'mylib']);
  });

  it('counts a model as changed by skipped code only where that code adds to it', () => {
    const safe = (body: string): boolean => {
      const t = tokenizePython(`def f(model, x):\n${body}\n`, true);
      assert.deepEqual(t.skippedDefs, ['f']);
      return prunedSafely(t, { callees: [], layerVars: [], addReceivers: ['model', 'self.model'] }, new Scope(), true);
    };
    assert.equal(safe('    model.fit(x)\n    print(model.summary())'), true);
    assert.equal(safe('    model.add(x)'), false);
    assert.equal(safe('    model .add(x)'), false);
    assert.equal(safe('    y = (model\n        .add(x))'), false);
    assert.equal(safe('    self.model.add(x)'), false);
    assert.equal(safe('    model.  # a comment first\n    fit(x)'), false);
    assert.equal(safe('    other.add(x)\n    model.address = 1'), true);
    // Full and pruned parses agree either way.
    for (const body of ['    model.fit(x)', '    model.add(make())']) {
      assertPruningExact(`from keras import layers, models\nmodel = models.Sequential()\nmodel.add(layers.LSTM(4))\ndef f(x):\n${body}\n`, 'python', body);
    }
  });

  it('does not count a trigger word followed by a dot, nor a bare TF.js class name, against a function', () => {
    const py = (text: string): string[] => tokenizePython(text, true).skippedDefs;
    const ts = (text: string): string[] => tokenizeJs(text, true).skippedDefs;
    assert.deepEqual(py('def f(m, x):\n    cb = keras.callbacks.EarlyStopping(patience=3)\n    return m.fit(x, callbacks=[cb]) \\\n        if x else None\n'), ['f']);
    assert.deepEqual(py('def f():\n    K = keras\n'), []);
    assert.deepEqual(py('def f():\n    return layers.LSTM(4)\n'), []);
    assert.deepEqual(ts('export async function f(model: tf.LayersModel, xs: tf.Tensor): Promise<void> {\n  await model.fit(xs, xs);\n}\n'), ['f']);
    assert.deepEqual(ts('export function f() {\n  return tf.model({inputs, outputs});\n}\n'), []);
    assert.deepEqual(ts('export function f() {\n  const t = tf;\n}\n'), []);
    assert.deepEqual(ts('export class Panel<T> extends Base<T> {\n  private h: {loss: number}[] = [];\n  update(logs?: tf.Logs): void {\n    this.h.push({loss: logs?.loss ?? NaN});\n  }\n}\n'), ['Panel']);
    assert.deepEqual(ts('export class Net {\n  rnn = tf.layers.lstm({units: 4});\n}\n'), []);
    // Braces and slashes the lexer reads as regexes, comments and template text; a name in column 0 inside a comment.
    assert.deepEqual(ts('function f(a, b) {\n  const r = a / b; const s = /}/.test(a) ? 1 : 2; /* }\nlstm */ return `${ {a: \'}\'} }`;\n}\nfunction g() {}\n'), ['f', 'g']);
    assert.deepEqual(ts('function f() {\n  return x?.lstm({units: 1});\n}\n'), []);
    // Commas between type arguments in a header; an overload signature is no declaration to leave out.
    assert.deepEqual(ts('export function f<K, V>(docs: string[][], n = 3): Map<K, V> {\n  return new Map();\n}\nexport class A<T, U> extends B<T, U> {}\n'), ['f', 'A']);
    assert.deepEqual(ts('export function f(a: string): Map<string, number>;\nexport function g() {}\n'), ['g']);
    const head = "import * as tf from '@tensorflow/tfjs';\n";
    const cases: [string, 'python' | 'typescript'][] = [
      ['from keras import layers\nimport keras\ndef f(m):\n    keras.backend.clear_session()\nx = layers.LSTM(3)\n', 'python'],
      // A bare class name bound by destructuring: skipped code that rebinds or calls it is read in full.
      [`${head}const {model, input} = tf;\nfunction f() {\n  const m = model;\n}\nconst i = input({shape: [4, 2]});\nconst l = tf.layers.lstm({units: 3}).apply(i);\nconst g = model({inputs: i, outputs: l});\n`, 'typescript'],
      [`${head}function f(model) {\n  return model.fit(1);\n}\nconst m = tf.sequential();\nm.add(tf.layers.gru({units: 2, inputShape: [3, 1]}));\n`, 'typescript'],
    ];
    cases.forEach(([text, language], k) => assertPruningExact(text, language, `dot case ${k}`));
  });
});
