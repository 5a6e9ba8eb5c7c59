// Python lexing rules (RNN-SEMANTICS §5.1 "Lexing"): what must NOT be found (comments, strings of
// every kind, imports) and what must be found across continuations, comments in argument lists,
// CRLF files and half-typed code.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLayers } from '../../../src/parse';
import { tokenizePython } from '../../../src/parse/pythonTokens';
import { TK_NEWLINE, TK_STRING, codeUnits } from '../../../src/parse/tokens';
import { at, lines } from './helpers';

const HEAD = 'from tensorflow.keras import layers\n';

function py(body: string) {
  return findLayers(HEAD + body, 'python');
}

describe('python: nothing inside comments or strings', () => {
  it('ignores commented-out layers', () => {
    assert.deepEqual(py('# model.add(layers.LSTM(32))\nx = 1  # layers.GRU(8)\n#layers.SimpleRNN(4)'), []);
  });

  it('ignores every quote kind and prefix', () => {
    const src = [
      `a = 'layers.LSTM(1)'`,
      `b = "layers.LSTM(2)"`,
      `c = r'layers.LSTM(3)\\'' + R"\\"layers.GRU(3)"`,
      `d = b'layers.LSTM(4)' + rb"layers.LSTM(4)" + Br'x' + bR"y"`,
      `e = u'layers.LSTM(5)'`,
      `f = f"{n} layers.LSTM(6)" + F'{n!r:>10} layers.GRU(6)' + fr'{n}' + Rf"{n}"`,
      `g = """layers.LSTM(7) "quoted" 'also' """`,
      `h = '''layers.GRU(8)\n  spans lines "" \n'''`,
      `i = "it's layers.LSTM(9)"`,
    ].join('\n');
    assert.deepEqual(py(src), []);
  });

  it('ignores docstrings, including ones that contain quotes of the other kind', () => {
    const src = 'def f():\n    """Builds layers.LSTM(64).\n\n    >>> layers.GRU(3)\n    \'\'\'not the end\'\'\'\n    """\n    return layers.SimpleRNN(2)\n';
    assert.deepEqual(lines(py(src)), [8]);
  });

  it('handles f-string replacement fields: nested quotes (3.12), format specs, {{ }} escapes', () => {
    const src = [
      `s1 = f"{cfg["units"]} layers.LSTM(1)"`,
      `s2 = f"{x:'>10} layers.LSTM(2) {{layers.GRU(2)}}"`,
      `s3 = f'{ {"a": 1}["a"] } layers.LSTM(3)'`,
      `s4 = f"""{'"'} layers.LSTM(4)\n{x!r} """`,
      `real = layers.GRU(5)`,
    ].join('\n');
    assert.deepEqual(lines(py(src)), [7], 's4 spans two lines');
  });

  it('does not find import lines', () => {
    assert.deepEqual(findLayers('from keras.layers import LSTM, GRU, SimpleRNN\nimport keras.layers.LSTM\nfrom tensorflow.keras.layers import (\n    LSTM as L,\n    GRU,\n)\n', 'python'), []);
  });

  it('an unterminated string damages only its own line', () => {
    const l = py('s = "never closed\nx = layers.LSTM(3)\n');
    assert.deepEqual(lines(l), [3]);
  });
});

describe('python: layers across lines', () => {
  it('implicit joining inside brackets with comments between arguments', () => {
    const l = py('x = layers.LSTM(\n    32,  # units: the hidden size\n    # return_sequences=False,\n    return_sequences=True,  # many-to-many\n)\n');
    assert.equal(l.length, 1);
    assert.equal(l[0].units, 32);
    assert.equal(l[0].returnSequences, true);
    assert.equal(l[0].range.line, 1);
  });

  it('backslash continuations before and inside the call', () => {
    const l = py('x = \\\n    layers.GRU(16, \\\n               return_state=True)\n');
    assert.equal(l.length, 1);
    assert.equal(l[0].range.line, 2);
    assert.equal(l[0].returnState, true);
  });

  it('CRLF and lone-CR line endings count lines like VS Code', () => {
    const l = findLayers(HEAD.replace('\n', '\r\n') + 'a = 1\r\nb = layers.LSTM(4)\r\n\rc = layers.GRU(2)\r\n', 'python');
    assert.deepEqual(lines(l), [3, 5]);
    assert.equal(l[0].range.character, 11);
  });

  it('range covers exactly the constructor name', () => {
    const l = at(py('model.add(layers.Bidirectional(layers.LSTM(64)))'), 2);
    assert.deepEqual(l.range, { line: 1, character: 38, endLine: 1, endCharacter: 42 });
    assert.equal(l.className, 'layers.LSTM');
  });

  it('recovers from a bracket left open while typing', () => {
    const l = py('x = foo(1,\n\ndef build():\n    return layers.LSTM(8)\n');
    assert.deepEqual(lines(l), [5]);
    assert.equal(l[0].units, 8);
  });

  it('a half-typed call still yields its layer', () => {
    const l = py('model.add(layers.LSTM(128, return_sequences=True');
    assert.equal(l.length, 1);
    assert.equal(l[0].units, 128);
    assert.equal(l[0].returnSequences, true);
  });

  it('tabs, non-ASCII identifiers and semicolons', () => {
    const l = py('if True:\n\tcouche = layers.SimpleRNN(7); lstm_é = layers.LSTM(9)\n');
    assert.deepEqual(l.map((x) => x.units), [7, 9]);
  });
});

describe('python tokenizer', () => {
  it('emits one logical-line end per statement, none inside brackets or after continuations', () => {
    const t = tokenizePython('a = (1,\n 2)\nb = 3 \\\n  + 4\n\n# c\nd = 5');
    let newlines = 0;
    for (let i = 0; i < t.count; i++) if (t.kind[i] === TK_NEWLINE) newlines++;
    assert.equal(newlines, 3);
  });

  it('keeps a triple-quoted string as one token and counts its lines', () => {
    const t = tokenizePython('x = """a\nb\nc"""\ny = 1');
    const strings = [];
    for (let i = 0; i < t.count; i++) if (t.kind[i] === TK_STRING) strings.push(t.text_(i));
    assert.deepEqual(strings, ['"""a\nb\nc"""']);
    assert.equal(t.lineCount, 4);
  });
});

describe('python: lines after triple-quoted strings', () => {
  it('counts the lines inside docstrings of every form, read natively or by the scanner', () => {
    const forms: [string, string][] = [['"""', '"""'], ["'''", "'''"], ['r"""', '"""'], ['"""', '\\\n"""'], ['f"""{x}', '"""']];
    for (const [open, close] of forms) {
      const src = `HEAD = 1\ndef f():\n    ${open}Docs.\n\n    x = layers.LSTM(1)\n    ${close}\n    return layers.GRU(2)\n`;
      const expected = close.includes('\n') ? 9 : 8;
      assert.deepEqual(lines(py(src)), [expected], `${open}…${close}`);
      assert.deepEqual(lines(py(src.replace(/\n/g, '\r\n'))), [expected], `${open}…${close} CRLF`);
    }
    // Never closed: nothing after it is code.
    assert.deepEqual(py('x = """\nlayers.LSTM(3)\n'), []);
  });
});

describe('code units the scanners read', () => {
  it('equal charCodeAt for every unit (non-ASCII, astral pairs, lone surrogates, CR), then zeros', () => {
    const texts = ['', 'a', 'LSTM(64) # 한국어 …', 'x = "😀" + \ud800 + \udfff\r\n', 'é'.repeat(5000)];
    for (const text of texts) {
      const units = codeUnits(text);
      assert.equal(units.length >= text.length + 1, true);
      for (let i = 0; i < text.length; i++) assert.equal(units[i], text.charCodeAt(i), `unit ${i} of ${JSON.stringify(text.slice(0, 20))}`);
      for (let i = text.length; i < units.length; i++) assert.equal(units[i], 0);
    }
  });
});
