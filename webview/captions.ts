// Plain-language captions that say *why* the picture looks the way it does, one per fact of the
// configuration (output structure, direction, merge, head, cell) plus a reading of the BPTT chart.
// Pure (no DOM) so every flag combination is unit-tested in both languages. Each English text is a
// literal call of `t` — the l10n test finds the keys that way — with {0}, {1} placeholders so a
// translation can put the numbers where its grammar wants them.
import type { Scene } from '../src/protocol';
import type { ActivationName, CellKind, Trace } from '../src/spec';
import { formatMagnitude, gradientVerdict, stepNorms } from './scales';

export interface Caption {
  /** Stable per fact ('sequences', 'state', …) so the view can update a caption in place. */
  id: string;
  text: string;
  /** The equation in Keras row-vector notation, plain Unicode (may span lines); null if none. */
  formula: string | null;
}

/** Fills {0}, {1}, … with `args`; an index without an argument stays visible rather than vanishing. */
export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

const SUBSCRIPT: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '-': '₋', '+': '₊' };

/** 12 → "₁₂": step numbers in formulas. */
function sub(n: number): string {
  return String(n).replace(/[-+0-9]/g, (c) => SUBSCRIPT[c]);
}

/** How an activation is written in a formula; '' for linear (the identity: no function around it). */
function fn(a: string): string {
  switch (a) {
    case 'sigmoid':
      return 'σ';
    case 'hard_sigmoid':
    case 'hard_sigmoid_k3':
      return 'hard_σ';
    case 'linear':
      return '';
    default:
      return a;
  }
}

function apply(f: string, arg: string): string {
  return f === '' ? arg : `${f}(${arg})`;
}

/**
 * The largest derivative of the activation (γ in ‖Jₜ‖ ≤ γ·σ_max(U)): tanh, relu and linear 1,
 * sigmoid ¼, Keras 2 hard sigmoid 0.2, Keras 3's 1/6 (RNN-SEMANTICS §4.4).
 */
function maxSlope(a: ActivationName): number {
  switch (a) {
    case 'sigmoid':
      return 0.25;
    case 'hard_sigmoid':
      return 0.2;
    case 'hard_sigmoid_k3':
      return 1 / 6;
    default:
      return 1;
  }
}

const GATES: Record<CellKind, number> = { simple_rnn: 1, lstm: 4, gru: 3 };

/** The cell's forward equations, Keras order and layout (x W, row vectors). */
function cellFormula(kind: CellKind, act: ActivationName, rec: ActivationName, useBias: boolean, resetAfter: boolean): string {
  const phi = fn(act);
  const sg = fn(rec);
  const b = (g: string) => (useBias ? ` + b${g}` : '');
  if (kind === 'simple_rnn') return `hₜ = ${apply(phi, `xₜW + hₜ₋₁U${b('')}`)}`;
  if (kind === 'lstm') {
    const gate = (name: string, f: string, block: string) => `${name}ₜ = ${apply(f, `xₜW_${block} + hₜ₋₁U_${block}${b(`_${block}`)}`)}`;
    return [
      gate('i', sg, 'i'),
      gate('f', sg, 'f'),
      gate('g', phi, 'c'),
      gate('o', sg, 'o'),
      'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ',
      `hₜ = oₜ ⊙ ${apply(phi, 'cₜ')}`,
    ].join('\n');
  }
  return [...gruGates(sg, useBias, resetAfter), gruCandidate(phi, useBias, resetAfter), 'hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ ĥₜ'].join('\n');
}

function gruGates(sg: string, useBias: boolean, resetAfter: boolean): string[] {
  // reset_after=True keeps an input bias bˣ and a recurrent bias bʰ (bias shape (2, 3H)).
  const bias = (g: string) => (!useBias ? '' : resetAfter ? ` + bˣ_${g} + bʰ_${g}` : ` + b_${g}`);
  return ['z', 'r'].map((g) => `${g}ₜ = ${apply(sg, `xₜW_${g} + hₜ₋₁U_${g}${bias(g)}`)}`);
}

/** The one line where the two GRU variants differ: where rₜ multiplies. */
function gruCandidate(phi: string, useBias: boolean, resetAfter: boolean): string {
  if (resetAfter) {
    return `ĥₜ = ${apply(phi, `xₜW_h${useBias ? ' + bˣ_h' : ''} + rₜ ⊙ (hₜ₋₁U_h${useBias ? ' + bʰ_h' : ''})`)}`;
  }
  return `ĥₜ = ${apply(phi, `xₜW_h + (rₜ ⊙ hₜ₋₁)U_h${useBias ? ' + b_h' : ''}`)}`;
}

/** `[h₁, h₂, …, h₈]` — short enough for any T. */
function sequenceList(T: number): string {
  if (T <= 3) return `[${Array.from({ length: T }, (_, i) => `h${sub(i + 1)}`).join(', ')}]`;
  return `[h₁, h₂, …, h${sub(T)}]`;
}

/** Captions for the scene; `trace` (when computed for it) adds the BPTT reading. `t` translates an English key. */
export function captionsFor(scene: Scene, trace: Trace | null, t: (english: string) => string): Caption[] {
  const { spec, params } = scene;
  const T = params.timesteps;
  const H = params.units;
  const D = params.inputDim;
  const kind = spec.kind;
  const isLstm = kind === 'lstm';
  // The picture draws a flag that is not a literal in the code as its Keras default (False).
  const seq = spec.returnSequences ?? false;
  const state = spec.returnState ?? false;
  const merge = spec.bidirectional ? spec.bidirectional.mergeMode : undefined;
  const bidi = spec.bidirectional !== null;
  const W = merge === 'concat' ? 2 * H : H;
  const out: Caption[] = [];
  const add = (id: string, text: string, formula: string | null = null) => out.push({ id, text, formula });

  // ---- What the layer returns ----
  if (seq) add('sequences', format(t('the layer returns hₜ for every step: output (batch, {0}, {1}) — many-to-many'), T, W), `output = ${sequenceList(T)}`);
  else add('sequences', format(t("only the last step's h_T is returned: output (batch, {0}) — many-to-one; the other {1} states stay inside the layer"), W, T - 1), `output = h${sub(T)}`);

  if (state) {
    const names = isLstm ? ['h', 'c'] : ['h'];
    if (bidi) {
      const outputs = merge === null ? ['output_fwd', 'output_bwd'] : ['output'];
      const list = `[${[...outputs, ...names.map((s) => `${s}_fwd`), ...names.map((s) => `${s}_bwd`)].join(', ')}]`;
      add('state', format(t('Bidirectional returns the forward states first, then the backward ones: {0}, each state (batch, {1})'), list, H), null);
    } else {
      const list = `[output, ${names.join(', ')}]`;
      const formula = isLstm ? `h = h${sub(T)},  c = c${sub(T)}` : `h = h${sub(T)}`;
      if (seq) add('state', format(t('the final state is returned as well: {0}, each state (batch, {1})'), list, H), formula);
      else add('state', format(t('the final state is returned as well: {0}, each state (batch, {1}); here output is the same tensor as h'), list, H), `${formula}\noutput ≡ h`);
    }
  } else {
    add('state', t('return_state=False: only the output is returned; the final state stays inside the layer'));
  }

  // ---- Reading order ----
  // One step of a reversed direction reads x_{T+1−s}; subscripted with the real T.
  const backwardsFormula = `yₛ = cell(x${sub(T + 1)}₋ₛ, yₛ₋₁),  s = 1…${T}`;
  if (bidi) {
    if (spec.goBackwards) {
      add('direction', format(t('go_backwards=True inside Bidirectional: the first copy reads x_{0} → x₁ and the second, flipped, reads x₁ → x_{0}'), T), backwardsFormula);
    } else if (seq) {
      add('bidirectional', format(t('Bidirectional: a forward copy reads x₁ → x_{0}, a backward copy with its own weights reads x_{0} → x₁; the backward outputs are flipped back so that step t of both lines up with xₜ before merging'), T), 'hₜᶠ = cellᶠ(xₜ, hₜ₋₁ᶠ)\nhₜᵇ = cellᵇ(xₜ, hₜ₊₁ᵇ)');
    } else {
      add('bidirectional', format(t('Bidirectional: a forward copy reads x₁ → x_{0}, a backward copy with its own weights reads x_{0} → x₁; each gives its final state — the forward one after x_{0}, the backward one after x₁'), T), `yᶠ = h${sub(T)}ᶠ,  yᵇ = h₁ᵇ`);
    }
    const one = seq ? `(batch, ${T}, ${H})` : `(batch, ${H})`;
    switch (merge) {
      case 'concat':
        add('merge', format(t('merge_mode="concat": the two are placed side by side, so each output has 2 × {0} = {1} numbers'), H, 2 * H), 'yₜ = concat(hₜᶠ, hₜᵇ)');
        break;
      case 'sum':
        add('merge', format(t('merge_mode="sum": the two are added element by element; the width stays {0}'), H), 'yₜ = hₜᶠ + hₜᵇ');
        break;
      case 'mul':
        add('merge', format(t('merge_mode="mul": the two are multiplied element by element; the width stays {0}'), H), 'yₜ = hₜᶠ ⊙ hₜᵇ');
        break;
      case 'ave':
        add('merge', format(t('merge_mode="ave": the two are averaged element by element; the width stays {0}'), H), 'yₜ = (hₜᶠ + hₜᵇ) / 2');
        break;
      default:
        add('merge', format(t('merge_mode=None: nothing is merged; the layer returns the pair [output_fwd, output_bwd], each {0}'), one), 'y = [yᶠ, yᵇ]');
    }
  } else if (spec.goBackwards) {
    if (seq) add('direction', format(t('go_backwards=True: the layer reads x_{0} first and x₁ last, and returns its outputs in that reversed order: the first output row belongs to x_{0}'), T), backwardsFormula);
    else add('direction', format(t('go_backwards=True: the layer reads x_{0} first and x₁ last, so the output is the state after reading x₁'), T), backwardsFormula);
  }

  // ---- Dense head ----
  if (spec.head) {
    const K = spec.head.units ?? 'K';
    const y = apply(fn(spec.head.activation), seq ? 'hₜW_y + b_y' : `h${sub(T)}W_y + b_y`);
    if (spec.framework === 'pytorch') {
      // nn.Linear acts on the last axis; forward() decides whether it sees every step or the last.
      if (seq) add('head', format(t('nn.Linear({0}) acts on the last axis of the (batch, {1}, {2}) output: the same weights at every step, giving (batch, {1}, {0})'), K, T, W), `yₜ = ${y}`);
      else add('head', format(t('forward() gives nn.Linear({0}) only the last step: one prediction (batch, {0}) per sequence'), K), `y = ${y}`);
    } else if (!seq && spec.head.timeDistributed) {
      add('head', format(t('TimeDistributed(Dense({0})) needs a sequence, but with return_sequences=False the output is 2-D (batch, {1}): Keras refuses this'), K, W), null);
    } else if (!seq) {
      add('head', format(t('Dense({0}) reads only the final state: one prediction (batch, {0}) per sequence'), K), `y = ${y}`);
    } else if (spec.head.timeDistributed) {
      add('head', format(t('TimeDistributed(Dense({0})): the same Dense weights are applied at every step, giving (batch, {1}, {0}); a plain Dense on a 3-D input does exactly the same'), K, T), `yₜ = ${y}`);
    } else {
      add('head', format(t('Dense({0}) on the 3-D sequence acts on the last axis only: the same weights at every step, giving (batch, {1}, {0}) — exactly what TimeDistributed(Dense({0})) does'), K, T), `yₜ = ${y}`);
    }
  }

  // ---- Inside the cell ----
  const cellEq = cellFormula(kind, spec.activation, spec.recurrentActivation, spec.useBias, spec.resetAfter);
  if (kind === 'simple_rnn') {
    add('cell', format(t('SimpleRNN: at each step the new input xₜ and the previous state hₜ₋₁ are mixed by W and U and passed through {0}; the result hₜ is both the output and the memory handed to the next step'), spec.activation), cellEq);
  } else if (isLstm) {
    add('cell', t('LSTM: besides hₜ it carries a cell state cₜ. The forget gate f decides how much of cₜ₋₁ to keep, the input gate i how much of the new candidate g to write, and the output gate o how much of cₜ to show as hₜ'), cellEq);
    add('cell-state', t('the cell state goes from cₜ₋₁ to cₜ only through a multiplication by fₜ, element by element, with no weight matrix in between: while f stays near 1 the gradient travels back through many steps (this is why Keras starts the forget-gate bias at 1)'), 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ   ⇒   ∂cₜ/∂cₜ₋₁ = diag(fₜ)');
  } else {
    add('cell', t('GRU: the update gate z decides, unit by unit, how much of hₜ₋₁ to keep; the reset gate r decides how much of the past goes into the new candidate ĥₜ; hₜ blends the two'), cellEq);
    const phi = fn(spec.activation);
    if (spec.resetAfter) add('reset-after', t('reset_after=True (the Keras 2 and 3 default, as in cuDNN and PyTorch): the reset gate acts after the matrix product, scaling hₜ₋₁U_h'), gruCandidate(phi, spec.useBias, true));
    else add('reset-after', t('reset_after=False (the original GRU, and the only form TF.js supports): the reset gate acts before the matrix product, scaling hₜ₋₁ before it meets U_h'), gruCandidate(phi, spec.useBias, false));
  }

  // ---- Weight sharing ----
  const gH = GATES[kind] * H;
  const gruTwoBiases = kind === 'gru' && spec.resetAfter;
  const biasCount = !spec.useBias ? 0 : gruTwoBiases ? 2 * gH : gH;
  const shapes = [`W (${D}, ${gH})`, `U (${H}, ${gH})`, ...(spec.useBias ? [gruTwoBiases ? `b (2, ${gH})` : `b (${gH})`] : [])].join(', ');
  const count = gH * (D + H) + biasCount;
  if (bidi) add('weights', format(t('each direction has its own weights, reused at all {0} steps: {1} — {2} parameters per direction, {3} in all'), T, shapes, count, 2 * count), null);
  else add('weights', format(t('the same weights serve all {0} steps: {1} — {2} parameters'), T, shapes, count), null);

  if (trace) out.push(...bpttCaptions(trace, t));
  return out;
}

/** The BPTT chart read out: how much of ‖∂L/∂h‖ survives from the last processing step back to the first. */
function bpttCaptions(trace: Trace, t: (english: string) => string): Caption[] {
  const dir = trace.directions[0];
  const { timesteps: T, units: H, cell } = trace.spec;
  const out: Caption[] = [];
  if (!dir || T < 2) return out;
  const norms = stepNorms(dir.dh, T, H);
  const verdict = gradientVerdict(norms[0], norms[T - 1]);
  const ratioLine = `‖∂L/∂h₁‖ / ‖∂L/∂h${sub(T)}‖ = ${formatMagnitude(verdict.ratio)}`;
  const recursion =
    cell === 'simple_rnn'
      ? '∂L/∂hₜ₋₁ = ∂ℓₜ₋₁/∂hₜ₋₁ + (∂L/∂hₜ ⊙ φ′(aₜ))Uᵀ'
      : cell === 'lstm'
        ? '∂L/∂cₜ₋₁ = (∂L/∂cₜ + ∂L/∂hₜ ⊙ oₜ ⊙ φ′(cₜ)) ⊙ fₜ'
        : '∂L/∂hₜ₋₁ = ∂ℓₜ₋₁/∂hₜ₋₁ + ∂L/∂hₜ ⊙ zₜ + dQₜUᵀ';
  const formula = `${ratioLine}\n${recursion}`;
  const ratio = formatMagnitude(verdict.ratio);
  switch (verdict.kind) {
    case 'vanishing':
      out.push({ id: 'bptt', text: format(t('the gradient reaching step 1 is {0} of the one at step {1}: the first inputs barely teach the model (vanishing)'), ratio, T), formula });
      break;
    case 'exploding':
      if (verdict.ratio === Infinity) out.push({ id: 'bptt', text: t('the gradient overflowed on its way back to step 1 (exploding)'), formula: recursion });
      else out.push({ id: 'bptt', text: format(t('the gradient reaching step 1 is {0}× the one at step {1}: it grows on its way back, so the first inputs get huge, unstable updates (exploding)'), ratio, T), formula });
      break;
    case 'stable':
      out.push({ id: 'bptt', text: format(t('the gradient reaching step 1 is {0}× the one at step {1}: over these steps it neither vanishes nor explodes'), ratio, T), formula });
      break;
    default:
      out.push({ id: 'bptt', text: format(t('the gradient at step {0} is zero or not a number, so the two ends cannot be compared'), T), formula: recursion });
  }

  const stats = dir.recurrent;
  if (stats && Number.isFinite(stats.sigmaMax)) {
    const sigma = formatMagnitude(stats.sigmaMax);
    if (cell === 'simple_rnn') {
      const gamma = maxSlope(trace.spec.activation);
      const limit = 1 / gamma;
      const bound = `‖∂hₜ/∂hₜ₋₁‖ = ‖diag(φ′(aₜ))Uᵀ‖ ≤ γ·σ_max(U) = ${formatMagnitude(gamma)} × ${sigma}`;
      if (stats.sigmaMax < limit) out.push({ id: 'sigma', text: format(t('σ_max(U) = {0} < {1}: each step can only shrink the gradient, so over many steps it has to vanish'), sigma, formatMagnitude(limit)), formula: bound });
      else out.push({ id: 'sigma', text: format(t('σ_max(U) = {0} ≥ {1}: the recurrent weights leave room for the gradient to grow; whether it does depends on how saturated {2} is'), sigma, formatMagnitude(limit), trace.spec.activation), formula: bound });
    } else {
      const path = cell === 'lstm' ? 'fₜ ⊙ cₜ₋₁' : 'zₜ ⊙ hₜ₋₁';
      const formula = cell === 'lstm' ? '∂cₜ/∂cₜ₋₁ = diag(fₜ)' : '∂hₜ/∂hₜ₋₁ = diag(zₜ) + (⋯)Uᵀ';
      out.push({ id: 'sigma', text: format(t('σ_max(U) = {0}: the most the recurrent weights can stretch a gradient in one step; the gate path {1} carries it back without passing through U'), sigma, path), formula });
    }
  }
  return out;
}
