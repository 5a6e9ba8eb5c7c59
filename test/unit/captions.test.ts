// Captions are a pure function of the scene and the trace: every flag combination, in English and
// in Korean (from the real bundle), and the BPTT reading on hand-built and engine traces.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEBVIEW_STRINGS, type Scene } from '../../src/protocol';
import type { CellKind, DirectionTrace, LayerSpec, MergeMode, RecurrentStats, Trace, TraceSpec } from '../../src/spec';
import { runJob } from '../../src/engine/worker';
import { captionsFor, format, type Caption } from '../../webview/captions';
import { makeScene, makeSpec } from './specs';

// Bundled into out/test/unit (three levels down) by the build, or run from anywhere with cwd = repo.
const root = [join(__dirname, '../../..'), process.cwd()].find((d) => existsSync(join(d, 'webview/captions.ts')))!;
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const ko = JSON.parse(read('media/l10n/bundle.l10n.ko.json')) as Record<string, string>;
const english = (s: string) => s;
const korean = (s: string) => ko[s] ?? s;

const T = 7;
const H = 12;
const D = 5;
const K = 3;
const CELLS: CellKind[] = ['simple_rnn', 'lstm', 'gru'];
/** undefined: no Bidirectional; null: merge_mode=None. */
const MERGES: (MergeMode | undefined)[] = [undefined, 'concat', 'sum', 'mul', 'ave', null];

interface Combo {
  kind: CellKind;
  seq: boolean;
  state: boolean;
  back: boolean;
  merge: MergeMode | undefined;
  /** The Dense head after the layer: none, TimeDistributed(Dense(K)) or a plain Dense(K). */
  head: 'none' | 'td' | 'dense';
  resetAfter: boolean;
}

function combos(): Combo[] {
  const out: Combo[] = [];
  for (const kind of CELLS)
    for (const seq of [false, true])
      for (const state of [false, true])
        for (const back of [false, true])
          for (const merge of MERGES)
            for (const head of ['none', 'td', 'dense'] as const)
              for (const resetAfter of kind === 'gru' ? [true, false] : [false]) out.push({ kind, seq, state, back, merge, head, resetAfter });
  return out;
}

function sceneOf(c: Combo): Scene {
  const overrides: Partial<LayerSpec> = {
    units: H,
    returnSequences: c.seq,
    returnState: c.state,
    goBackwards: c.back,
    resetAfter: c.resetAfter,
    bidirectional: c.merge === undefined ? null : { mergeMode: c.merge },
    head: c.head === 'none' ? null : { units: K, activation: 'softmax', timeDistributed: c.head === 'td', lastStep: false },
  };
  return makeScene(makeSpec(c.kind, overrides), { timesteps: T, units: H, inputDim: D });
}

const name = (c: Combo) => `${c.kind} rs=${c.seq} st=${c.state} gb=${c.back} merge=${String(c.merge)} head=${c.head} ra=${c.resetAfter}`;
const byId = (cs: Caption[], id: string) => cs.find((c) => c.id === id);
const must = (cs: Caption[], id: string, label: string): Caption => {
  const c = byId(cs, id);
  assert.ok(c, `${label}: no '${id}' caption`);
  return c;
};

test('format fills placeholders in any order and leaves unknown ones visible', () => {
  assert.equal(format('{1} then {0}', 'a', 2), '2 then a');
  assert.equal(format('{0}{0}', 'x'), 'xx');
  assert.equal(format('{0} {2}', 'x'), 'x {2}');
});

test('English captions state the key facts for every flag combination', () => {
  const all = combos();
  assert.equal(all.length, 3 * 2 * 2 * 2 * 6 * 3 + 144); // GRU twice: reset_after True and False
  for (const c of all) {
    const label = name(c);
    const scene = sceneOf(c);
    const before = structuredClone(scene);
    const cs = captionsFor(scene, null, english);
    assert.deepEqual(scene, before, `${label}: the scene is not modified`);
    assert.deepEqual(captionsFor(scene, null, english), cs, `${label}: same input, same captions`);
    assert.equal(new Set(cs.map((x) => x.id)).size, cs.length, `${label}: caption ids are unique`);
    for (const x of cs) assert.doesNotMatch(x.text, /\{\d+\}/, `${label}: unfilled placeholder in ${x.text}`);
    const bidi = c.merge !== undefined;
    const W = c.merge === 'concat' ? 2 * H : H;

    // Output structure.
    const seq = must(cs, 'sequences', label).text;
    if (c.seq) {
      assert.ok(seq.includes(`(batch, ${T}, ${W})`) && seq.includes('many-to-many'), `${label}: ${seq}`);
      assert.ok(!seq.includes('many-to-one'));
    } else {
      assert.ok(seq.includes(`(batch, ${W})`) && seq.includes('many-to-one'), `${label}: ${seq}`);
    }
    const st = must(cs, 'state', label).text;
    if (!c.state) assert.match(st, /^return_state=False/);
    else {
      const states = c.kind === 'lstm' ? ['h', 'c'] : ['h'];
      const expected = bidi
        ? `[${[...(c.merge === null ? ['output_fwd', 'output_bwd'] : ['output']), ...states.map((s) => `${s}_fwd`), ...states.map((s) => `${s}_bwd`)].join(', ')}]`
        : `[output, ${states.join(', ')}]`;
      assert.ok(st.includes(expected), `${label}: ${st} should list ${expected}`);
      assert.ok(st.includes(`(batch, ${H})`), `${label}: state shape`);
      if (c.kind === 'lstm' && !bidi) assert.ok(st.includes('[output, h, c]'));
      if (bidi) assert.ok(st.includes('forward states first'), `${label}: order of states`);
      if (!bidi && !c.seq) assert.ok(st.includes('same tensor as h'), `${label}: out ≡ h`);
    }

    // Reading order and merging.
    const dir = byId(cs, 'direction');
    if (c.back) {
      assert.ok(dir && dir.text.includes(`x_${T}`) && dir.text.includes('x₁'), `${label}: go_backwards caption`);
      assert.ok(dir.formula?.includes(`x${String.fromCharCode(0x2080 + 8)}₋ₛ`), `${label}: reads x_{T+1−s}: ${dir.formula}`);
      if (!bidi) assert.ok(dir.text.includes(c.seq ? 'reversed order' : 'after reading x₁'), `${label}: ${dir.text}`);
    } else assert.equal(dir, undefined, `${label}: no direction caption when reading forward`);
    const merge = byId(cs, 'merge');
    if (!bidi) {
      assert.equal(merge, undefined);
      assert.equal(byId(cs, 'bidirectional'), undefined);
    } else {
      assert.ok(merge, `${label}: merge caption`);
      assert.ok(merge.text.includes(`merge_mode=${c.merge === null ? 'None' : `"${c.merge}"`}`), `${label}: ${merge.text}`);
      if (c.merge === 'concat') assert.ok(merge.text.includes(`2 × ${H} = ${2 * H}`));
      else if (c.merge === null) assert.ok(merge.text.includes('[output_fwd, output_bwd]') && merge.text.includes(c.seq ? `(batch, ${T}, ${H})` : `(batch, ${H})`));
      else assert.ok(merge.text.includes(`width stays ${H}`));
      assert.ok(merge.formula && merge.formula.startsWith('y'), `${label}: merge formula`);
      if (!c.back) assert.ok(must(cs, 'bidirectional', label).text.includes(`x_${T} → x₁`));
    }

    // Dense head.
    const head = byId(cs, 'head');
    if (c.head === 'none') assert.equal(head, undefined);
    else if (c.seq) {
      assert.ok(head && head.text.includes(`(batch, ${T}, ${K})`), `${label}: ${head?.text}`);
      if (c.head === 'td') assert.ok(head.text.includes('same Dense weights are applied at every step') && head.text.includes('plain Dense on a 3-D input does exactly the same'), head.text);
      else assert.ok(head.text.includes(`exactly what TimeDistributed(Dense(${K})) does`), head.text);
      assert.equal(head.formula, 'yₜ = softmax(hₜW_y + b_y)');
    } else if (c.head === 'td') assert.ok(head && head.text.includes('refuses'), `${label}: TimeDistributed on a 2-D output`);
    else {
      assert.ok(head && head.text.includes(`(batch, ${K})`) && head.text.includes('final state'), `${label}: ${head?.text}`);
      assert.equal(head.formula, `y = softmax(h${String.fromCharCode(0x2080 + T)}W_y + b_y)`);
    }

    // The cell.
    const cell = must(cs, 'cell', label);
    if (c.kind === 'simple_rnn') {
      assert.ok(cell.text.includes('tanh'));
      assert.equal(cell.formula, 'hₜ = tanh(xₜW + hₜ₋₁U + b)');
    } else if (c.kind === 'lstm') {
      for (const line of ['iₜ = σ(', 'fₜ = σ(', 'gₜ = tanh(', 'oₜ = σ(', 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ', 'hₜ = oₜ ⊙ tanh(cₜ)']) assert.ok(cell.formula?.includes(line), `${label}: LSTM formula has ${line}`);
      assert.ok(must(cs, 'cell-state', label).text.includes('forget-gate'));
    } else {
      const ra = must(cs, 'reset-after', label);
      assert.ok(ra.text.startsWith(`reset_after=${c.resetAfter ? 'True' : 'False'}`), `${label}: ${ra.text}`);
      assert.ok(ra.text.includes(c.resetAfter ? 'after the matrix product' : 'before the matrix product'));
      assert.equal(ra.formula, c.resetAfter ? 'ĥₜ = tanh(xₜW_h + bˣ_h + rₜ ⊙ (hₜ₋₁U_h + bʰ_h))' : 'ĥₜ = tanh(xₜW_h + (rₜ ⊙ hₜ₋₁)U_h + b_h)');
      assert.ok(cell.formula?.includes('hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ ĥₜ'));
    }
    assert.equal(byId(cs, 'cell-state') !== undefined, c.kind === 'lstm');
    assert.equal(byId(cs, 'reset-after') !== undefined, c.kind === 'gru');

    // Weight sharing: Keras parameter counts (GRU reset_after keeps two biases).
    const g = { simple_rnn: 1, lstm: 4, gru: 3 }[c.kind];
    const count = g * H * (D + H + (c.kind === 'gru' && c.resetAfter ? 2 : 1));
    const w = must(cs, 'weights', label).text;
    assert.ok(w.includes(`${count} parameters`), `${label}: ${w} should count ${count}`);
    if (bidi) assert.ok(w.includes(`${2 * count} in all`));
    assert.ok(w.includes(`W (${D}, ${g * H})`) && w.includes(`U (${H}, ${g * H})`));

    // No trace, no BPTT reading.
    assert.equal(byId(cs, 'bptt'), undefined);
  }
});

test('Korean captions: every text is translated, filled and keeps the numbers', () => {
  for (const c of combos()) {
    const label = name(c);
    const scene = sceneOf(c);
    const en = captionsFor(scene, null, english);
    const kr = captionsFor(scene, null, korean);
    assert.deepEqual(kr.map((x) => x.id), en.map((x) => x.id), `${label}: same captions in both languages`);
    kr.forEach((x, i) => {
      assert.notEqual(x.text, en[i].text, `${label}: '${x.id}' is not translated`);
      assert.doesNotMatch(x.text, /\{\d+\}/, `${label}: unfilled placeholder in ${x.text}`);
      assert.equal(x.formula, en[i].formula, 'formulas are notation, the same in every language');
    });
    const seq = kr.find((x) => x.id === 'sequences')!.text;
    const W = c.merge === 'concat' ? 2 * H : H;
    assert.ok(seq.includes(c.seq ? `(batch, ${T}, ${W})` : `(batch, ${W})`), `${label}: ${seq}`);
    assert.ok(seq.includes(c.seq ? '다대다' : '다대일'), `${label}: ${seq}`);
    if (c.state && c.kind === 'lstm' && c.merge === undefined) assert.ok(kr.find((x) => x.id === 'state')!.text.includes('[output, h, c]'));
  }
});

/** Every key captionsFor asks for, over all combinations and every BPTT branch. */
/** A PyTorch LSTM with its Linear on every step, or (as scene.ts draws `fc(out[:, -1])`) on the last one. */
function torchScene(seq: boolean): Scene {
  const head = { units: K, activation: 'linear', timeDistributed: seq, lastStep: !seq };
  return makeScene(makeSpec('lstm', { framework: 'pytorch', units: H, returnSequences: seq, returnState: true, head }), { timesteps: T, units: H, inputDim: D });
}

test('PyTorch: the head is nn.Linear, on every step or on the last one, never TimeDistributed(Dense)', () => {
  const every = must(captionsFor(torchScene(true), null, (s) => s), 'head', 'every step');
  assert.equal(every.text, `nn.Linear(${K}) acts on the last axis of the (batch, ${T}, ${H}) output: the same weights at every step, giving (batch, ${T}, ${K})`);
  const last = must(captionsFor(torchScene(false), null, (s) => s), 'head', 'last step');
  assert.equal(last.text, `forward() gives nn.Linear(${K}) only the last step: one prediction (batch, ${K}) per sequence`);
  for (const c of [every, last]) assert.doesNotMatch(c.text, /Dense|TimeDistributed/);
});

function requestedKeys(): Set<string> {
  const keys = new Set<string>();
  const record = (s: string) => (keys.add(s), s);
  for (const c of combos()) captionsFor(sceneOf(c), null, record);
  for (const seq of [false, true]) captionsFor(torchScene(seq), null, record);
  for (const cell of CELLS)
    for (const norms of [decaying(1e-6), decaying(1e6), decaying(0.5), [0, 0, 0], [Infinity, 1, 1]])
      for (const sigma of [0.5, 3]) captionsFor(makeScene(makeSpec(cell)), makeTrace(cell, norms, sigma), record);
  return keys;
}

test('no missing key: every caption string is declared, in the English list and the Korean bundle alike', () => {
  const literal = /\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  const sources = ['webview/captions.ts', 'webview/captionsView.ts'].map(read).join('\n');
  const literals = new Set([...sources.matchAll(literal)].map((m) => m[2].replace(/\\(['"\\])/g, '$1')));
  const used = requestedKeys();
  const declared = new Set<string>(WEBVIEW_STRINGS);
  for (const k of used) assert.ok(literals.has(k), `asked for a key that is not a literal t('…') call: ${k}`);
  for (const k of literals) {
    assert.ok(declared.has(k), `not in WEBVIEW_STRINGS (the English bundle): ${k}`);
    assert.ok(k in ko, `missing Korean for: ${k}`);
    const holes = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();
    assert.deepEqual(holes(ko[k]), holes(k), `the Korean text uses the same placeholders: ${k}`);
  }
  // Every caption key is actually reachable (no dead strings), except the view's two labels.
  for (const k of literals) if (k !== 'Show equations' && k !== 'What this configuration does') assert.ok(used.has(k), `never used: ${k}`);
});

// ---- BPTT ----

/** dh norms in processing order, from `ratio` at step 1 to 1 at step T, geometrically. */
function decaying(ratio: number, steps = T): number[] {
  return Array.from({ length: steps }, (_, s) => ratio ** ((steps - 1 - s) / (steps - 1)));
}

const f64 = (n: number) => new Float64Array(n);

function makeTrace(cell: CellKind, norms: number[], sigmaMax: number | null = null): Trace {
  const steps = norms.length;
  const h = 2;
  const g = { simple_rnn: 1, lstm: 4, gru: 3 }[cell];
  const dh = f64(steps * h);
  // Put the norm in one unit of each step: ‖(n, 0)‖ = n.
  norms.forEach((n, s) => (dh[s * h] = n));
  const spec: TraceSpec = {
    cell,
    units: h,
    inputDim: 1,
    timesteps: steps,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
    resetAfter: cell === 'gru',
    bidirectional: null,
  };
  const recurrent: RecurrentStats | null = sigmaMax === null ? null : { sigmaMax, spectralRadius: sigmaMax, blocks: [] };
  const direction: DirectionTrace = {
    goBackwards: false,
    x: f64(steps),
    pre: f64(steps * g * h),
    h: f64(steps * h),
    c: cell === 'lstm' ? f64(steps * h) : null,
    gates: {},
    recurrentCandidate: null,
    h0: f64(h),
    c0: null,
    dh,
    dc: null,
    dPre: f64(steps * g * h),
    dx: f64(steps),
    dh0: f64(h),
    dc0: null,
    stepGradNorms: { kernel: f64(steps), recurrentKernel: f64(steps), bias: f64(steps) },
    grads: { kernel: f64(g * h), recurrentKernel: f64(h * g * h), bias: f64(g * h) },
    recurrent,
  };
  return { spec, directions: [direction], outputs: [], loss: 0, stepLoss: f64(1), dOutput: f64(h), head: null };
}

const scene = makeScene(makeSpec('simple_rnn'), { timesteps: T });

test('BPTT: dh norms decaying to 1e-6 read as vanishing, 10⁻⁶, in both languages', () => {
  const trace = makeTrace('simple_rnn', decaying(1e-6), 0.5);
  const en = captionsFor(scene, trace, english);
  const bptt = must(en, 'bptt', 'vanishing');
  assert.ok(bptt.text.includes('10⁻⁶') && bptt.text.includes('(vanishing)') && bptt.text.includes(`step ${T}`), bptt.text);
  assert.ok(bptt.formula?.includes('‖∂L/∂h₁‖ / ‖∂L/∂h₇‖ = 10⁻⁶'), bptt.formula ?? '');
  const sigma = must(en, 'sigma', 'vanishing');
  assert.ok(sigma.text.includes('σ_max(U) = 0.5 < 1') && sigma.text.includes('vanish'), sigma.text);
  const kr = must(captionsFor(scene, trace, korean), 'bptt', 'vanishing ko').text;
  assert.ok(kr.includes('10⁻⁶') && kr.includes('기울기 소실') && kr.includes(`${T}번`), kr);
});

test('BPTT: growing dh norms read as exploding; a flat profile as stable', () => {
  const up = captionsFor(scene, makeTrace('simple_rnn', decaying(1e6), 3), english);
  const text = must(up, 'bptt', 'exploding').text;
  assert.ok(text.includes('10⁶×') && text.includes('(exploding)'), text);
  assert.ok(must(up, 'sigma', 'exploding').text.includes('σ_max(U) = 3 ≥ 1'));
  assert.ok(must(captionsFor(scene, makeTrace('simple_rnn', decaying(1e6), 3), korean), 'bptt', 'ko').text.includes('기울기 폭발'));
  const flat = must(captionsFor(scene, makeTrace('simple_rnn', decaying(0.5)), english), 'bptt', 'stable').text;
  assert.ok(flat.includes('0.5×') && flat.includes('neither vanishes nor explodes'), flat);
});

test('BPTT: overflow, an all-zero gradient, a missing σ_max and a one-step sequence', () => {
  assert.ok(must(captionsFor(scene, makeTrace('lstm', [Infinity, 1, 1]), english), 'bptt', 'overflow').text.includes('overflowed'));
  assert.ok(must(captionsFor(scene, makeTrace('gru', [0, 0, 0]), english), 'bptt', 'zero').text.includes('cannot be compared'));
  const noStats = captionsFor(scene, makeTrace('simple_rnn', decaying(1e-3)), english);
  assert.equal(byId(noStats, 'sigma'), undefined, 'σ_max only when the trace has it');
  assert.equal(byId(captionsFor(scene, makeTrace('simple_rnn', [1]), english), 'bptt'), undefined, 'nothing to compare over one step');
});

test('BPTT: gated cells name their bypass of U', () => {
  const lstm = must(captionsFor(makeScene(makeSpec('lstm')), makeTrace('lstm', decaying(0.1), 1.2), english), 'sigma', 'lstm');
  assert.ok(lstm.text.includes('fₜ ⊙ cₜ₋₁') && lstm.formula === '∂cₜ/∂cₜ₋₁ = diag(fₜ)');
  const gru = must(captionsFor(makeScene(makeSpec('gru')), makeTrace('gru', decaying(0.1), 1.2), english), 'sigma', 'gru');
  assert.ok(gru.text.includes('zₜ ⊙ hₜ₋₁'));
});

test('a real engine trace gets a BPTT reading that matches its own dh', async () => {
  const spec: TraceSpec = {
    cell: 'simple_rnn',
    units: 8,
    inputDim: 3,
    timesteps: 30,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
    resetAfter: false,
    bidirectional: null,
  };
  const result = await runJob({ kind: 'trace', spec, seed: 1, weights: null, input: null, loss: null, recurrentScale: null }, () => false);
  assert.equal(result.kind, 'trace');
  if (result.kind !== 'trace') return;
  const s = makeScene(makeSpec('simple_rnn', { units: 8 }), { timesteps: 30, units: 8, inputDim: 3 });
  const cs = captionsFor(s, result.trace, english);
  const bptt = must(cs, 'bptt', 'engine');
  assert.ok(/\((vanishing|exploding)\)|neither vanishes/.test(bptt.text), bptt.text);
  assert.ok(bptt.text.includes('step 30'));
  assert.ok(byId(cs, 'sigma'), 'the engine reports σ_max(U)');
});
