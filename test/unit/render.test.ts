// The standalone SVG of the unrolled layer (webview/svgText.ts) and `rnn-unroll render`: the file
// is well-formed XML, draws the same boxes as the panel's layout (one cell per visible step, the
// outputs Keras returns, the state outputs), and the CLI keeps its exit-code contract.
import { freshCli } from './freshCli';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { layoutScene, visibleSteps } from '../../webview/layout';
import { escapeXml, renderSvg, type SvgTheme } from '../../webview/svgText';
import type { Scene } from '../../src/protocol';
import type { CellKind, LayerSpec } from '../../src/spec';
import { makeScene, makeSpec } from './specs';

// ---- A small XML reader: enough of XML 1.0 to refuse what a real parser would refuse. ----

interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(raw)) throw new Error(`control character in ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const m = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    return String.fromCodePoint(m[1][0] === 'x' ? parseInt(m[1].slice(1), 16) : Number(m[1]));
  });
}

/** Parses a document with one root element; throws on anything not well-formed. */
function parseXml(doc: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(doc.slice(i))![0].length;
      i += ws;
      if (doc.startsWith('<?', i)) {
        const end = doc.indexOf('?>', i);
        if (end < 0) throw new Error('unterminated processing instruction');
        i = end + 2;
      } else if (doc.startsWith('<!--', i)) {
        const end = doc.indexOf('-->', i);
        if (end < 0) throw new Error('unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  if (!doc.startsWith('<?xml')) throw new Error('no XML declaration first');
  skipMisc();
  while (i < doc.length) {
    if (stack.length === 0 && root) {
      skipMisc();
      if (i < doc.length) throw new Error(`content after the root element at ${i}`);
      break;
    }
    if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (doc.startsWith('</', i)) {
      const m = NAME.exec(doc.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> closes <${open?.name ?? 'nothing'}> at ${i}`);
      i += 2 + m[0].length;
      i += /^\s*/.exec(doc.slice(i))![0].length;
      if (doc[i] !== '>') throw new Error(`bad end tag </${m[0]} at ${i}`);
      i++;
    } else if (doc[i] === '<') {
      const m = NAME.exec(doc.slice(i + 1));
      if (!m) throw new Error(`bad start tag at ${i}`);
      const el: XmlElement = { name: m[0], attrs: new Map(), children: [], text: '' };
      i += 1 + m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(doc.slice(i))![0].length;
        i += ws;
        if (doc.startsWith('/>', i) || doc[i] === '>') break;
        if (ws === 0) throw new Error(`attributes of <${el.name}> need spaces between them at ${i}`);
        const a = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(doc.slice(i));
        if (!a) throw new Error(`bad attribute in <${el.name}> at ${i}: ${doc.slice(i, i + 30)}`);
        if (el.attrs.has(a[1])) throw new Error(`duplicate attribute ${a[1]} in <${el.name}>`);
        el.attrs.set(a[1], decode(a[3] ?? a[4], `attribute ${a[1]}`));
        i += a[0].length;
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) throw new Error('two root elements');
      else root = el;
      if (doc.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const end = doc.indexOf('<', i);
      const raw = doc.slice(i, end < 0 ? doc.length : end);
      if (stack.length === 0) {
        if (raw.trim()) throw new Error(`text outside the root element at ${i}`);
      } else {
        if (raw.includes('>') && raw.includes(']]>')) throw new Error(']]> in text');
        stack[stack.length - 1].text += decode(raw, `<${stack[stack.length - 1].name}>`);
      }
      i = end < 0 ? doc.length : end;
    }
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

function all(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  return [...(pred(el) ? [el] : []), ...el.children.flatMap((c) => all(c, pred))];
}

const classIs = (cls: string) => (e: XmlElement) => e.attrs.get('class') === cls;
const textOf = (e: XmlElement): string => e.text + e.children.map(textOf).join('');

function scene(kind: CellKind, T: number, overrides: Partial<LayerSpec> = {}): Scene {
  return makeScene(makeSpec(kind, overrides), { timesteps: T, inputDim: 3, units: 16 });
}

function render(s: Scene, theme: SvgTheme = 'light', title = 'layer', subtitle = 'sub'): XmlElement {
  return parseXml(renderSvg(layoutScene(s), { title, subtitle, theme }));
}

describe('the XML reader used below', () => {
  it('refuses what is not well-formed', () => {
    const bad = ['<?xml version="1.0"?><a><b></a></b>', '<?xml version="1.0"?><a x="1" x="2"/>', '<?xml version="1.0"?><a>1 < 2</a>', '<?xml version="1.0"?><a>&nbsp;</a>', '<?xml version="1.0"?><a/><b/>', '<?xml version="1.0"?><a>'];
    for (const doc of bad) assert.throws(() => parseXml(doc), Error, doc);
    assert.equal(parseXml('<?xml version="1.0"?><a t="&lt;&amp;"><b>x &gt; y</b></a>').children[0].text, 'x > y');
  });
});

describe('renderSvg', () => {
  it('is a well-formed SVG document for every kind, flag and theme', () => {
    let n = 0;
    for (const kind of ['simple_rnn', 'lstm', 'gru'] as const) {
      for (const returnSequences of [false, true]) {
        for (const returnState of [false, true]) {
          for (const extra of [{}, { goBackwards: true }, { bidirectional: { mergeMode: 'concat' as const } }, { head: { units: 5, activation: 'softmax', timeDistributed: true, lastStep: false } }]) {
            for (const theme of ['light', 'dark'] as const) {
              const root = render(scene(kind, 12, { returnSequences, returnState, ...extra }), theme);
              assert.equal(root.name, 'svg');
              assert.equal(root.attrs.get('xmlns'), 'http://www.w3.org/2000/svg');
              assert.match(root.attrs.get('viewBox') ?? '', /^0 0 \d+ \d+$/);
              n++;
            }
          }
        }
      }
    }
    assert.equal(n, 96);
  });

  it('escapes titles and labels taken from the code', () => {
    const nasty = `LSTM(n<3 && x > "y" or 'z')\u0001`;
    const s = scene('lstm', 4, { units: null, unitsText: 'n<3 && "q"' });
    const doc = renderSvg(layoutScene(s), { title: nasty, subtitle: 'a & b <c>', theme: 'dark' });
    const root = parseXml(doc);
    assert.equal(textOf(all(root, classIs('title'))[0]), nasty.replace('\u0001', ''), 'control characters are dropped, the rest survives');
    assert.equal(textOf(all(root, classIs('subtitle'))[0]), 'a & b <c>');
    assert.equal(escapeXml('\uD800x'), 'x', 'a lone surrogate is not XML');
  });

  it('one cell group per visible step and direction, and the elision marker for long sequences', () => {
    for (const T of [1, 5, 10, 11, 200]) {
      const visible = visibleSteps(T).filter((c) => c !== null).length;
      const root = render(scene('gru', T, { returnSequences: true }));
      const cells = all(root, classIs('node cell'));
      assert.equal(cells.length, visible, `T=${T}`);
      assert.deepEqual(
        cells.map((c) => Number(c.attrs.get('data-step'))),
        visibleSteps(T).filter((c): c is number => c !== null),
      );
      assert.equal(all(root, classIs('node elision')).length, visible < T ? 1 : 0);
      const bidi = render(scene('gru', T, { bidirectional: { mergeMode: 'sum' } }));
      assert.equal(all(bidi, classIs('node cell')).length, 2 * visible, 'Bidirectional: a row per direction');
    }
  });

  it('draws exactly the outputs Keras returns: T for return_sequences=True, one for False', () => {
    for (const kind of ['simple_rnn', 'lstm', 'gru'] as const) {
      const T = 7;
      const many = all(render(scene(kind, T, { returnSequences: true })), classIs('node output'));
      assert.equal(many.length, T);
      assert.deepEqual(many.map((o) => textOf(o.children.find(classIs('label'))!)), ['y₁', 'y₂', 'y₃', 'y₄', 'y₅', 'y₆', 'y₇']);
      const one = all(render(scene(kind, T, { returnSequences: false })), classIs('node output'));
      assert.equal(one.length, 1);
      assert.equal(one[0].attrs.get('data-step'), String(T), 'many-to-one emits y_T');
    }
  });

  it('LSTM return_state draws h and c state boxes; GRU only h; none without return_state', () => {
    const labels = (s: Scene) => all(render(s), classIs('node state')).map((e) => textOf(e.children.find(classIs('label'))!));
    assert.deepEqual(labels(scene('lstm', 5, { returnState: true })), ['h (state)', 'c (state)']);
    assert.deepEqual(labels(scene('gru', 5, { returnState: true })), ['h (state)']);
    assert.deepEqual(labels(scene('lstm', 5, { returnState: false })), []);
    const root = render(scene('lstm', 5, { returnState: true }));
    assert.equal(all(root, classIs('edge state')).length, 2, 'an arrow into each state box');
    assert.equal(all(root, classIs('edge cell-state')).length, 5, 'the LSTM cell-state lane');
  });

  it('every arrow points at the marker, and the colours are literal per theme', () => {
    const light = renderSvg(layoutScene(scene('lstm', 4)), { title: 't', subtitle: 's', theme: 'light' });
    const dark = renderSvg(layoutScene(scene('lstm', 4)), { title: 't', subtitle: 's', theme: 'dark' });
    const root = parseXml(light);
    assert.equal(all(root, (e) => e.name === 'marker' && e.attrs.get('id') === 'arrow').length, 1);
    const paths = all(root, (e) => e.name === 'path' && e.attrs.get('class') !== 'arrowhead');
    assert.ok(paths.length > 0);
    for (const p of paths) assert.equal(p.attrs.get('marker-end'), 'url(#arrow)');
    assert.doesNotMatch(light, /var\(--/, 'no theme variables outside VS Code');
    const bg = (doc: string) => /\.background \{ fill: (#[0-9a-f]{6})/.exec(doc)?.[1];
    assert.notEqual(bg(light), bg(dark));
  });

  it('is wide enough for a long title', () => {
    const title = 'Bidirectional(LSTM(1024)) '.repeat(6);
    const root = render(scene('lstm', 2), 'light', title);
    assert.ok(Number(root.attrs.get('width')) >= title.length * 15 * 0.6);
  });
});

// ---- `node dist/cli.js render` ----

const REPO = resolve(__dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'rnn-unroll-render-'));
let cli = '';

/** Whether any source the CLI bundles changed after `file` was built. */
function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'render', ...args], { encoding: 'utf8', timeout: 30_000, cwd: REPO });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneErrorLine(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
}

describe('cli: rnn-unroll render', () => {
  before(async () => {
    cli = await freshCli(['src/cli.ts', 'src/cli', 'src/parse', 'src/scene.ts', 'src/protocol.ts', 'webview/layout.ts', 'webview/svgText.ts']);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('FILE:LINE --out writes the seed model as SVG and reports it', () => {
    const out = join(work, 'seed.svg');
    const r = run('samples/seed_model.py:17', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { out: string; layer: string; line: number; bytes: number };
    assert.equal(report.out, out);
    assert.equal(report.layer, 'SimpleRNN(128)');
    assert.equal(report.line, 17);
    const text = readFileSync(out, 'utf8');
    assert.equal(report.bytes, Buffer.byteLength(text));
    const root = parseXml(text);
    assert.equal(all(root, classIs('node cell')).length, 8, 'default T = 8');
    assert.equal(all(root, classIs('node output')).length, 8, 'return_sequences=True');
    assert.equal(all(root, classIs('node head')).length, 8, 'TimeDistributed(Dense(39)) at every step');
    assert.match(textOf(all(root, classIs('title'))[0]), /^SimpleRNN\(128\)$/);
    assert.match(textOf(all(root, classIs('subtitle'))[0]), /many-to-many · output \(batch, 8, 128\) · T = 8 · seed_model\.py:17/);
  });

  it('without --out prints the SVG in JSON; --theme and --timesteps apply', () => {
    const r = run('samples/lstm_gru.py:9', '--theme', 'dark', '--timesteps', '40');
    assert.equal(r.status, 0, r.stderr);
    const { svg, layer } = JSON.parse(r.stdout) as { svg: string; layer: string };
    assert.equal(layer, 'LSTM(64)');
    const root = parseXml(svg);
    assert.equal(root.attrs.get('data-theme'), 'dark');
    assert.equal(all(root, classIs('node output')).length, 1, 'many-to-one');
    assert.equal(all(root, classIs('node elision')).length, 1, 'T = 40 elides the middle');
  });

  it('a line inside a multi-line call picks its layer; the first layer without LINE', () => {
    const file = join(work, 'multi.py');
    writeFileSync(file, 'from keras import layers\nx = layers.Bidirectional(\n    layers.LSTM(\n        32,\n        return_state=True),\n    merge_mode="sum")\ny = 3\nz = layers.GRU(4)\n');
    const line = (arg: string) => (JSON.parse(run(arg, '--out', join(work, 'm.svg')).stdout) as { line: number }).line;
    assert.equal(line(`${file}:2`), 3);
    assert.equal(line(`${file}:5`), 3);
    assert.equal(line(`${file}:6`), 3);
    assert.equal(line(`${file}:8`), 8);
    assert.equal(line(file), 3);
  });

  it('notebooks: FILE:CELL:LINE, or the first layer', () => {
    const r = run('samples/notebook.ipynb:2:1', '--out', join(work, 'nb.svg'));
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { cell: number }).cell, 2);
    assert.equal(run('samples/notebook.ipynb', '--out', join(work, 'nb.svg')).status, 0);
    oneErrorLine(run('samples/notebook.ipynb:0:1'), /no recurrent layer in cell 0 .*cells with layers: 2/);
  });

  it('bad input exits 2 with one line on stderr', () => {
    oneErrorLine(run(join(work, 'missing.py:3')), /^rnn-unroll render: no such file: .*missing\.py$/);
    oneErrorLine(run('samples/seed_model.py:16'), /no recurrent layer on line 16 of samples\/seed_model\.py; layers are on line 17$/);
    oneErrorLine(run('samples/README.md'), /unsupported file type/);
    oneErrorLine(run('samples/seed_model.py', '--theme', 'blue'), /--theme should be light or dark/);
    oneErrorLine(run('samples/seed_model.py', '--timesteps', '0'), /--timesteps should be an integer/);
    oneErrorLine(run('samples/seed_model.py:17', '--out', join(work, 'no/such/dir/x.svg')), /cannot write/);
  });
});
