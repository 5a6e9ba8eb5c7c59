// The types every part of RNN Unroll shares: what a recurrent layer is (LayerSpec, from the parser
// or a trained model) and what it computed (Trace, from the engine). Pure data, no behaviour, so
// the host, the worker, the CLI and the webview can all import it.

export type Framework = 'keras' | 'pytorch' | 'tfjs';
export type CellKind = 'simple_rnn' | 'lstm' | 'gru';

/** `hard_sigmoid` is the Keras 2 / tfjs form clip(0.2x+0.5); `hard_sigmoid_k3` is Keras 3's clip(x/6+0.5). */
export type ActivationName = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'hard_sigmoid' | 'hard_sigmoid_k3';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** 0-based positions, as VS Code counts them. */
export interface SourceRange {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** A Dense head applied after the recurrent layer (plain Dense on 3-D input or TimeDistributed(Dense)). */
export interface HeadSpec {
  units: number | null;
  activation: string;
  timeDistributed: boolean;
  /** Only the last step reaches the head (PyTorch `fc(out[:, -1])`), though the layer returns every step. */
  lastStep: boolean;
}

export interface LayerSpec {
  framework: Framework;
  kind: CellKind;
  /** The constructor as written, e.g. `SimpleRNN`, `nn.LSTM`, `tf.layers.gru`. */
  className: string;
  /** Hidden size H; null when the code gives a value we cannot resolve (see `unitsText`). */
  units: number | null;
  unitsText: string;
  /** Input feature size D, when the code states it (input_shape, input_size, inputShape). */
  inputDim: number | null;
  /** Sequence length T, when the code states it. */
  timesteps: number | null;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  useBias: boolean;
  /** null: not a literal in the code. */
  returnSequences: boolean | null;
  returnState: boolean | null;
  goBackwards: boolean;
  /** GRU only; Keras 2 (TF2) and 3 default to true. */
  resetAfter: boolean;
  bidirectional: { mergeMode: MergeMode } | null;
  inTimeDistributed: boolean;
  head: HeadSpec | null;
  /** Range of the constructor name in the source (where the lens and hover sit). */
  range: SourceRange;
  /** Argument names whose values were not literals, with their source text. */
  symbolic: { name: string; text: string }[];
}

/** Keras 3 defaults for a layer of the given kind, used wherever the code says nothing. */
export function kerasDefaults(kind: CellKind): Pick<
  LayerSpec,
  'activation' | 'recurrentActivation' | 'useBias' | 'returnSequences' | 'returnState' | 'goBackwards' | 'resetAfter'
> {
  return {
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
    resetAfter: kind === 'gru',
  };
}

export const CELL_DISPLAY_NAME: Record<CellKind, string> = {
  simple_rnn: 'SimpleRNN',
  lstm: 'LSTM',
  gru: 'GRU',
};

/** The dense head's class as each framework names it (`nn.Linear` in PyTorch). */
export function headClassName(framework: Framework): string {
  return framework === 'pytorch' ? 'Linear' : 'Dense';
}

/** Number of gate blocks in the kernel: Keras packs them side by side as (D, gates·H). */
export const GATE_COUNT: Record<CellKind, number> = { simple_rnn: 1, lstm: 4, gru: 3 };

// ---- Trace ----
// What the engine computes for one layer on one input sequence (batch 1). Every array is a flat,
// row-major Float64Array ("T×H" = T rows of H) in *processing order*: step s of a go_backwards
// direction reads input time T−1−s, exactly as Keras returns it. Each array owns exactly its
// ArrayBuffer, so postMessage / transferList send only its data (microsoft/vscode#178719).

/**
 * One recurrent layer's weights as Keras `get_weights()` stores them, flattened row-major:
 * kernel (D, g·H), recurrentKernel (H, g·H), bias (g·H) — or (2, 3H) for GRU reset_after=True
 * (row 0 input bias, row 1 recurrent bias) — or null when use_bias=False. Gate blocks sit side by
 * side in Keras order: LSTM i,f,c,o; GRU z,r,h.
 */
export interface Weights {
  kernel: Float64Array;
  recurrentKernel: Float64Array;
  bias: Float64Array | null;
}

/** Bidirectional: the forward copy's weights, then the backward copy's (Keras order). */
export interface BidirectionalWeights {
  forward: Weights;
  backward: Weights;
}

export type LayerWeights = Weights | BidirectionalWeights;

/** A fully resolved layer for the engine (LayerSpec with every value known). */
export interface TraceSpec {
  cell: CellKind;
  /** H */
  units: number;
  /** D */
  inputDim: number;
  /** T */
  timesteps: number;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  useBias: boolean;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  /** GRU only. */
  resetAfter: boolean;
  /** null: a plain layer; otherwise Keras `Bidirectional(layer, merge_mode)`. */
  bidirectional: { mergeMode: MergeMode } | null;
}

/**
 * A Dense head on the layer's main output: softmax + categorical cross-entropy, or linear + MSE.
 * On a sequence output it is applied at every step (Dense on 3-D input ≡ TimeDistributed(Dense)).
 * The loss is a mean over steps (and over units for MSE), as Keras reduces it.
 */
export interface TraceHead {
  units: number;
  activation: 'softmax' | 'linear';
}

/** Dense weights: kernel (F, K) row-major, bias (K) or null. */
export interface DenseWeights {
  kernel: Float64Array;
  bias: Float64Array | null;
}

/**
 * How the scalar loss L is defined.
 * - `dy`: an upstream gradient on the main output (same shape; merge_mode None: [2, …shape]);
 *   L = Σ dy ⊙ y, so ∂L/∂y = dy exactly.
 * - `head`: a Dense head against `targets` (T_out × K, T_out = T with return_sequences, else 1).
 */
export type TraceLoss =
  | { kind: 'dy'; dy: Float64Array }
  | { kind: 'head'; head: TraceHead; weights: DenseWeights; targets: Float64Array };

/** LSTM i,f,c,o (c = candidate g); GRU z,r,hh (hh = candidate ĥ). */
export type GateName = 'i' | 'f' | 'c' | 'o' | 'z' | 'r' | 'hh';

/** Frobenius norm of step t's contribution to each weight gradient (length T each). */
export interface StepGradNorms {
  kernel: Float64Array;
  recurrentKernel: Float64Array;
  bias: Float64Array;
}

/** Spectral diagnostics of the recurrent kernel U (H × g·H). */
export interface RecurrentStats {
  /** σ_max of the whole U, by power iteration on U·Uᵀ. */
  sigmaMax: number;
  /** SimpleRNN: ρ(U). LSTM/GRU: U is not square, so the largest ρ over its H×H gate blocks. */
  spectralRadius: number;
  /** Per H×H gate block in Keras order (SimpleRNN: one block named 'h'). */
  blocks: { name: string; sigmaMax: number; spectralRadius: number }[];
}

/** One direction of the layer, per processing step. */
export interface DirectionTrace {
  goBackwards: boolean;
  /** T×D, the input fed at each processing step. */
  x: Float64Array;
  /** T×gH, the argument of each block's nonlinearity (GRU reset_after: xW_h+b^x_h + r⊙(hU_h+b^h_h)). */
  pre: Float64Array;
  /** T×H; the direction's output sequence, in the order Keras returns it. */
  h: Float64Array;
  /** T×H, LSTM only. */
  c: Float64Array | null;
  /** T×H per gate, after its nonlinearity. Empty for SimpleRNN. */
  gates: Partial<Record<GateName, Float64Array>>;
  /** GRU reset_after=True: h_{t−1}U_h + b^h_h (T×H), the term the reset gate scales. */
  recurrentCandidate: Float64Array | null;
  /** Initial state (H each). */
  h0: Float64Array;
  c0: Float64Array | null;
  /** T×H, total ∂L/∂h_t (its output's gradient plus everything through later steps). */
  dh: Float64Array;
  /** T×H, LSTM: total ∂L/∂c_t. */
  dc: Float64Array | null;
  /** T×gH, ∂L/∂pre. Step t's kernel contribution is x_tᵀ·dPre_t (the recurrent one differs for GRU). */
  dPre: Float64Array;
  /** T×D, ∂L/∂x_t. */
  dx: Float64Array;
  /** ∂L/∂(initial state). */
  dh0: Float64Array;
  dc0: Float64Array | null;
  stepGradNorms: StepGradNorms;
  /** ∂L/∂weights, same layout as Weights. */
  grads: Weights;
  /** null when the caller skipped it (TraceOptions.recurrentStats = false). */
  recurrent: RecurrentStats | null;
}

/** One of the layer's return values, in Keras order (`[out, h, c]`, `[merged, h_f, c_f, h_b, c_b]`, …). */
export interface TraceOutput {
  name: string;
  shape: number[];
  data: Float64Array;
}

export interface HeadTrace {
  /** T_out×K before the head's activation. */
  logits: Float64Array;
  /** T_out×K after it (softmax probabilities, or = logits for linear). */
  outputs: Float64Array;
  grads: DenseWeights;
}

export interface Trace {
  spec: TraceSpec;
  /** [forward] or, for Bidirectional, [forward, backward]. */
  directions: DirectionTrace[];
  outputs: TraceOutput[];
  loss: number;
  /** Loss per output step (length T with return_sequences, else 1); sums to `loss`. */
  stepLoss: Float64Array;
  /** ∂L/∂(main output), the main output's shape. */
  dOutput: Float64Array;
  head: HeadTrace | null;
}

/**
 * ‖∂h_T/∂h_k‖₂ per processing step k (index k; the last entry is ‖I‖ = 1); for LSTM with c_k held
 * fixed. `c` (LSTM): ‖∂h_T/∂c_k‖₂ where h_k = o_k⊙φ(c_k) moves with c_k, the same sense as
 * DirectionTrace.dc. `initialH` / `initialC`: the same for the initial state (h_0, c_0 independent).
 * O(T·H³): computed separately from the core trace (DESIGN.md "cost tiers").
 */
export interface JacobianNorms {
  h: Float64Array;
  c: Float64Array | null;
  initialH: number;
  initialC: number | null;
}

// ---- Live training (the engine's training path, the worker's reports, the panel) ----

export const TASK_KINDS = ['next_char', 'sine', 'memory'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The layer being trained: what the panel's layer says, minus what the task decides. */
export type TrainLayer = Pick<TraceSpec, 'units' | 'activation' | 'recurrentActivation' | 'useBias' | 'goBackwards' | 'resetAfter'> & { cell: CellKind };

export interface TrainOptions {
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  batchSize: number;
  /** Global gradient-norm clipping; null: none. */
  clipNorm: number | null;
  seed: number;
}

export interface RunReport {
  cell: CellKind;
  /** Loss (and accuracy) of every step since the previous report. */
  losses: Float64Array;
  accuracies: Float64Array | null;
  gradNorm: number;
  /** ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ on the probe sequence. */
  reach: number;
  trace: Trace;
}

export interface TrainReport {
  /** Steps done so far (the same for every run that is still going). */
  step: number;
  runs: RunReport[];
}

export interface RunEnd {
  cell: CellKind;
  steps: number;
  weights: Weights;
  head: DenseWeights;
  /** Set when the run stopped on a non-finite loss or gradient: the step and what went wrong. */
  diverged: { step: number; loss: number; gradNorm: number } | null;
}

export interface TrainEnd {
  /** done: the step budget is spent; stopped: cancelled; diverged: every run hit a non-finite loss. */
  reason: 'done' | 'stopped' | 'diverged';
  runs: RunEnd[];
}
