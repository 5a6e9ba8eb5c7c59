// Every message that crosses host ⇄ webview (and host ⇄ engine worker): its type, and a runtime
// validator built from the same schema, so nobody hand-writes a message twice and nothing
// unchecked is acted upon. Imported by the host, the worker and the webview (no vscode, no DOM).
import { TASK_KINDS, type DirectionTrace, type JacobianNorms, type LayerSpec, type LayerWeights, type Trace, type TraceLoss, type TraceSpec, type TrainEnd, type TrainLayer, type TrainOptions, type TrainReport } from './spec';

// ---- A small schema language: each schema checks a value and carries its static type. ----

export interface Schema<T> {
  /** Returns undefined when `value` fits, otherwise where and why it does not. */
  check(value: unknown, path: string): string | undefined;
  /** Type carrier only; never set. */
  readonly _type?: T;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

const schema = <T>(check: (value: unknown, path: string) => string | undefined): Schema<T> => ({ check });

export const str = schema<string>((v, p) => (typeof v === 'string' ? undefined : `${p} should be a string`));
export const bool = schema<boolean>((v, p) => (typeof v === 'boolean' ? undefined : `${p} should be true or false`));
export const num = schema<number>((v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} should be a finite number`));
export const int = (min: number, max: number): Schema<number> =>
  schema((v, p) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `${p} should be an integer in [${min}, ${max}]`));

export function literal<const L extends readonly (string | number | boolean | null)[]>(...values: L): Schema<L[number]> {
  return schema((v, p) => (values.includes(v as L[number]) ? undefined : `${p} should be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`));
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((v, p) => (v === null ? undefined : inner.check(v, p)));
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema((v, p) => (v === undefined ? undefined : inner.check(v, p)));
}

export function arrayOf<T>(inner: Schema<T>, maxLength = 100_000): Schema<T[]> {
  return schema((v, p) => {
    if (!Array.isArray(v)) return `${p} should be an array`;
    if (v.length > maxLength) return `${p} has more than ${maxLength} items`;
    for (let i = 0; i < v.length; i++) {
      const e = inner.check(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  });
}

export function dictOf<T>(inner: Schema<T>, maxKeys = 1000): Schema<Record<string, T>> {
  return schema((v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} should be an object`;
    const entries = Object.entries(v);
    if (entries.length > maxKeys) return `${p} has more than ${maxKeys} keys`;
    for (const [k, x] of entries) {
      const e = inner.check(x, `${p}.${k}`);
      if (e) return e;
    }
    return undefined;
  });
}

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
};

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return schema((v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} should be an object`;
    for (const [k, s] of Object.entries(shape)) {
      const e = s.check((v as Record<string, unknown>)[k], `${p}.${k}`);
      if (e) return e;
    }
    return undefined;
  });
}

/** A Float64Array (of `length` elements when given); `finite` also refuses NaN and ±Infinity. */
export function f64(options: { length?: number; finite?: boolean; maxLength?: number } = {}): Schema<Float64Array> {
  return schema((v, p) => {
    if (!(v instanceof Float64Array)) return `${p} should be a Float64Array`;
    if (options.length !== undefined && v.length !== options.length) return `${p} should have ${options.length} numbers, not ${v.length}`;
    if (v.length > (options.maxLength ?? 50_000_000)) return `${p} is too large`;
    if (options.finite) for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return `${p}[${i}] is not a finite number`;
    return undefined;
  });
}

/** One of several schemas (first match wins; the error names the last alternative's problem). */
export function oneOf<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  return schema((v, p) => (a.check(v, p) === undefined ? undefined : b.check(v, p)));
}

/** A union of objects told apart by their `key` field (`type` for messages, `kind` for jobs). */
export function tagged<const K extends string, M extends Record<string, Schema<object>>>(
  key: K,
  members: M,
): Schema<{ [T in keyof M]: Infer<M[T]> & { [P in K]: T } }[keyof M]> {
  return schema((v, p) => {
    const tag = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof tag !== 'string' || !Object.hasOwn(members, tag)) return `${p}.${key} ${JSON.stringify(tag)} is not a known ${key}`;
    return members[tag].check(v, p);
  });
}

// ---- Shared payloads ----

const range = object({ line: int(0, 1e7), character: int(0, 1e7), endLine: int(0, 1e7), endCharacter: int(0, 1e7) });
const activation = literal('tanh', 'relu', 'sigmoid', 'linear', 'hard_sigmoid', 'hard_sigmoid_k3');

export const layerSpecSchema = object({
  framework: literal('keras', 'pytorch', 'tfjs'),
  kind: literal('simple_rnn', 'lstm', 'gru'),
  className: str,
  units: nullable(int(1, 1e6)),
  unitsText: str,
  inputDim: nullable(int(1, 1e6)),
  timesteps: nullable(int(1, 1e7)),
  activation,
  recurrentActivation: activation,
  useBias: bool,
  returnSequences: nullable(bool),
  returnState: nullable(bool),
  goBackwards: bool,
  resetAfter: bool,
  bidirectional: nullable(object({ mergeMode: literal('concat', 'sum', 'mul', 'ave', null) })),
  inTimeDistributed: bool,
  head: nullable(object({ units: nullable(int(1, 1e6)), activation: str, timeDistributed: bool, lastStep: bool })),
  range,
  symbolic: arrayOf(object({ name: str, text: str }), 1000),
});

// Compile-time proof that the schema and the LayerSpec interface describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _layerSpecInSync: Same<Infer<typeof layerSpecSchema>, LayerSpec> = true;
void _layerSpecInSync;

/** The panel's knobs: start from the code's values, the user changes them in the panel. */
export const INPUT_PRESETS = ['sine', 'text', 'random', 'numbers', 'tokens'] as const;
export type InputPreset = (typeof INPUT_PRESETS)[number];
/** Sizes the panel computes and draws; the CLI and the engine accept more. */
export const PANEL_LIMITS = { timesteps: 1000, units: 256, inputDim: 256, textLength: 5000 } as const;

export const viewParamsSchema = object({
  cell: literal('simple_rnn', 'lstm', 'gru'),
  timesteps: int(1, PANEL_LIMITS.timesteps),
  units: int(1, PANEL_LIMITS.units),
  inputDim: int(1, PANEL_LIMITS.inputDim),
  preset: literal(...INPUT_PRESETS),
  /** The text for the one-hot preset. */
  text: schema<string>((v, p) => (typeof v === 'string' && v.length <= PANEL_LIMITS.textLength ? undefined : `${p} should be a text of at most ${PANEL_LIMITS.textLength} characters`)),
  /** The user's own numbers for the `numbers` preset, or token ids for `tokens`, as typed. */
  numbers: schema<string>((v, p) => (typeof v === 'string' && v.length <= 200_000 ? undefined : `${p} should be a text`)),
  /** Target spectral radius of the recurrent matrix; null keeps Keras's initialization. */
  recurrentScale: nullable(schema<number>((v, p) => (typeof v === 'number' && v >= 0 && v <= 10 ? undefined : `${p} should be a number in [0, 10]`))),
  /** SimpleRNN, LSTM and GRU side by side on the same input and scale. */
  compare: bool,
  seed: int(0, 2 ** 31 - 1),
});
export type ViewParams = Infer<typeof viewParamsSchema>;

/** What the panel draws: the layer (with the cell the user switched to) and the knobs used. */
export const sceneSchema = object({
  spec: layerSpecSchema,
  /** The cell kind as written in the code, before any switch in the panel. */
  codeKind: literal('simple_rnn', 'lstm', 'gru'),
  params: viewParamsSchema,
  /** Human-readable notes about defaults and caps, already localized. */
  notes: arrayOf(str, 50),
  /** Where the layer came from, e.g. `model.py:12`. */
  source: str,
  /** Increases with every scene; traces carry it so stale ones are dropped. */
  version: int(0, Number.MAX_SAFE_INTEGER),
  /** The weights come from a trained model: units, input size and cell are fixed. */
  trained: bool,
  /** Vocabulary size of the trained model's Embedding in front of the layer: token ids can be fed. */
  vocab: nullable(int(1, 10_000_000)),
});
export type Scene = Infer<typeof sceneSchema>;

/** Validates an incoming message; returns it typed, or the reason it was refused. */
export function validate<T>(s: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const error = s.check(value, 'message');
  return error === undefined ? { ok: true, value: value as T } : { ok: false, error };
}

// ---- Host ⇄ engine worker ----

const mergeMode = literal('concat', 'sum', 'mul', 'ave', null);
const cellKind = literal('simple_rnn', 'lstm', 'gru');

function traceSpecFields() {
  return {
    cell: cellKind,
    units: int(1, 100_000),
    inputDim: int(1, 100_000),
    timesteps: int(1, 1_000_000),
    activation,
    recurrentActivation: activation,
    useBias: bool,
    returnSequences: bool,
    returnState: bool,
    goBackwards: bool,
    resetAfter: bool,
    bidirectional: nullable(object({ mergeMode })),
  };
}
export const traceSpecSchema = object(traceSpecFields());

const inputWeights = object({ kernel: f64({ finite: true }), recurrentKernel: f64({ finite: true }), bias: nullable(f64({ finite: true })) });
const layerWeightsSchema = oneOf(inputWeights, object({ forward: inputWeights, backward: inputWeights }));
const denseWeights = object({ kernel: f64(), bias: nullable(f64()) });
const traceLossSchema = tagged('kind', {
  dy: object({ dy: f64({ finite: true }) }),
  head: object({ head: object({ units: int(1, 100_000), activation: literal('softmax', 'linear') }), weights: denseWeights, targets: f64({ finite: true }) }),
});

/** Longest text next-character prediction trains on (the open file is cut there). */
export const TRAIN_TEXT_LIMIT = 100_000;
const trainLayerSchema = object({ cell: cellKind, units: int(1, 100_000), activation, recurrentActivation: activation, useBias: bool, goBackwards: bool, resetAfter: bool });
const positive = schema<number>((v, p) => (typeof v === 'number' && v > 0 && v <= 10 ? undefined : `${p} should be a number in (0, 10]`));
export const trainOptionsSchema = object({
  optimizer: literal('adam', 'sgd'),
  learningRate: positive,
  batchSize: int(1, 100_000),
  clipNorm: nullable(schema<number>((v, p) => (typeof v === 'number' && v > 0 && v <= 1e6 ? undefined : `${p} should be a positive number`))),
  seed: int(0, 2 ** 31 - 1),
});

/** What the panel's Train form asks for. */
export const TRAIN_TEXT_SOURCES = ['sample', 'file', 'typed'] as const;
export const trainSettingsSchema = object({
  task: literal(...TASK_KINDS),
  timesteps: int(1, 100_000),
  /** next_char: the bundled paragraph, the open editor's text, or `text`. */
  textSource: literal(...TRAIN_TEXT_SOURCES),
  text: schema<string>((v, p) => (typeof v === 'string' && v.length <= PANEL_LIMITS.textLength ? undefined : `${p} should be a text of at most ${PANEL_LIMITS.textLength} characters`)),
  options: trainOptionsSchema,
  steps: int(1, 1_000_000),
  /** SimpleRNN, LSTM and GRU side by side instead of the panel's cell. */
  compare: bool,
});
export type TrainSettings = Infer<typeof trainSettingsSchema>;

/** What the engine worker can be asked to do. */
export const engineJobSchema = tagged('kind', {
  /** The core trace; absent weights/input are drawn from `seed` (Keras init; uniform input). */
  trace: object({
    spec: traceSpecSchema,
    seed: int(0, 2 ** 31 - 1),
    weights: nullable(layerWeightsSchema),
    input: nullable(f64({ finite: true })),
    loss: nullable(traceLossSchema),
    /** Rescale U so its spectral radius (largest over gate blocks) equals this. */
    recurrentScale: nullable(num),
  }),
  /** ‖∂h_T/∂h_k‖ for every k: O(T·H³), asked for after the core trace is drawn. */
  jacobian: object({ spec: traceSpecSchema, weights: layerWeightsSchema, input: f64({ finite: true }) }),
  /** Read a trained model file (Keras .h5/.keras, TF.js model.json, PyTorch .pt) from disk. */
  model: object({ path: str }),
  /** Train on a toy task, reporting progress; stops on its step budget, on cancel, or on a non-finite loss. */
  train: object({
    task: literal(...TASK_KINDS),
    timesteps: int(1, 100_000),
    text: schema<string>((v, p) => (typeof v === 'string' && v.length <= TRAIN_TEXT_LIMIT ? undefined : `${p} should be a text of at most ${TRAIN_TEXT_LIMIT} characters`)),
    layers: arrayOf(trainLayerSchema, 3),
    options: trainOptionsSchema,
    steps: int(1, 1_000_000),
    /** Weights to continue from, one entry per layer; null: a fresh Keras initialization from the seed. */
    start: nullable(arrayOf(object({ weights: inputWeights, head: object({ kernel: f64({ finite: true }), bias: nullable(f64({ finite: true })) }) }), 3)),
  }),
});
export type EngineJob = Infer<typeof engineJobSchema>;
const _lossInSync: Same<Infer<typeof traceLossSchema>, TraceLoss> = true;
const _trainInSync: Same<[Infer<typeof trainLayerSchema>, Infer<typeof trainOptionsSchema>], [TrainLayer, TrainOptions]> = true;
void _trainInSync;
const _specInSync: Same<Infer<typeof traceSpecSchema>, TraceSpec> = true;
void _lossInSync;
void _specInSync;

const anyF64 = f64();
/** Any number, NaN and ±Infinity included: a diverging loss is a finding to report. */
const anyNumber = schema<number>((v, p) => (typeof v === 'number' ? undefined : `${p} should be a number`));
const gates = object({ i: optional(anyF64), f: optional(anyF64), c: optional(anyF64), o: optional(anyF64), z: optional(anyF64), r: optional(anyF64), hh: optional(anyF64) });
const stats = object({ sigmaMax: num, spectralRadius: num, blocks: arrayOf(object({ name: str, sigmaMax: num, spectralRadius: num }), 8) });
// Results may hold NaN/Infinity: an exploding gradient is a finding to show, not a bad message.
const directionSchema = object({
  goBackwards: bool,
  x: anyF64,
  pre: anyF64,
  h: anyF64,
  c: nullable(anyF64),
  gates,
  recurrentCandidate: nullable(anyF64),
  h0: anyF64,
  c0: nullable(anyF64),
  dh: anyF64,
  dc: nullable(anyF64),
  dPre: anyF64,
  dx: anyF64,
  dh0: anyF64,
  dc0: nullable(anyF64),
  stepGradNorms: object({ kernel: anyF64, recurrentKernel: anyF64, bias: anyF64 }),
  grads: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }),
  recurrent: nullable(stats),
});
export const traceSchema = object({
  spec: traceSpecSchema,
  directions: arrayOf(directionSchema, 2),
  outputs: arrayOf(object({ name: str, shape: arrayOf(int(0, 1e7), 4), data: anyF64 }), 8),
  loss: schema<number>((v, p) => (typeof v === 'number' ? undefined : `${p} should be a number`)),
  stepLoss: anyF64,
  dOutput: anyF64,
  head: nullable(object({ logits: anyF64, outputs: anyF64, grads: denseWeights })),
});
const jacobianSchema = object({ h: anyF64, c: nullable(anyF64), initialH: schema<number>((v, p) => (typeof v === 'number' ? undefined : `${p} should be a number`)), initialC: nullable(schema<number>((v, p) => (typeof v === 'number' ? undefined : `${p} should be a number`))) });
type DirectionGates = Partial<Record<'i' | 'f' | 'c' | 'o' | 'z' | 'r' | 'hh', Float64Array>>;
const _directionInSync: Same<Omit<Infer<typeof directionSchema>, 'gates'> & { gates: DirectionGates }, DirectionTrace> = true;
const _traceInSync: Same<Omit<Infer<typeof traceSchema>, 'directions'> & { directions: DirectionTrace[] }, Trace> = true;
const _jacobianInSync: Same<Infer<typeof jacobianSchema>, JacobianNorms> = true;
void _directionInSync;
void _traceInSync;
void _jacobianInSync;

/** One layer of a trained model as the host lists it; recurrent ones carry what the engine needs. */
const modelLayerSchema = object({
  name: str,
  className: str,
  units: nullable(num),
  /** Shapes or the reason a recurrent-looking layer cannot be unrolled. */
  detail: str,
  recurrent: nullable(
    object({
      spec: object({ ...traceSpecFields(), timesteps: nullable(int(1, 1_000_000)) }),
      weights: oneOf(object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }), object({ forward: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }), backward: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }) })),
      assumptions: arrayOf(str, 50),
      /** The model's Embedding feeding this layer (V×E, row per token id), if any. */
      embedding: nullable(object({ vocab: int(1, 10_000_000), dim: int(1, 100_000), weights: anyF64 })),
    }),
  ),
});
export type ModelLayerEntry = Infer<typeof modelLayerSchema>;

export const engineResultSchema = tagged('kind', {
  model: object({ format: str, layers: arrayOf(modelLayerSchema, 10_000) }),
  trace: object({ trace: traceSchema, weights: oneOf(object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }), object({ forward: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }), backward: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }) })), input: anyF64 }),
  jacobian: object({ norms: arrayOf(jacobianSchema, 2) }),
  train: object({
    reason: literal('done', 'stopped', 'diverged'),
    runs: arrayOf(
      object({
        cell: cellKind,
        steps: int(0, Number.MAX_SAFE_INTEGER),
        weights: object({ kernel: anyF64, recurrentKernel: anyF64, bias: nullable(anyF64) }),
        head: denseWeights,
        diverged: nullable(object({ step: int(0, Number.MAX_SAFE_INTEGER), loss: anyNumber, gradNorm: anyNumber })),
      }),
      3,
    ),
  }),
});
export type JacobianList = JacobianNorms[];
export type EngineResult =
  | { kind: 'trace'; trace: Trace; weights: LayerWeights; input: Float64Array }
  | { kind: 'jacobian'; norms: JacobianNorms[] }
  | { kind: 'model'; format: string; layers: ModelLayerEntry[] }
  | ({ kind: 'train' } & TrainEnd);

export const TRAIN_STATES = ['idle', 'running', 'stopped', 'done', 'diverged'] as const;
export type TrainState = (typeof TRAIN_STATES)[number];

/** A training job's report, a few times a second (not a result: the job goes on). */
export const trainReportSchema = object({
  step: int(0, Number.MAX_SAFE_INTEGER),
  runs: arrayOf(object({ cell: cellKind, losses: anyF64, accuracies: nullable(anyF64), gradNorm: anyNumber, reach: anyNumber, trace: traceSchema }), 3),
});
const _reportInSync: Same<Omit<Infer<typeof trainReportSchema>, 'runs'> & { runs: (Omit<Infer<typeof trainReportSchema>['runs'][number], 'trace'> & { trace: Trace })[] }, TrainReport> = true;
void _reportInSync;

export const workerRequestSchema = tagged('type', {
  run: object({ id: int(1, Number.MAX_SAFE_INTEGER), job: engineJobSchema }),
});
export type WorkerRequest = Infer<typeof workerRequestSchema>;

export const workerResponseSchema = tagged('type', {
  result: object({ id: int(1, Number.MAX_SAFE_INTEGER), result: engineResultSchema }),
  /** The engine refused the job's input (bad shape, over a limit): `message` says why. */
  refused: object({ id: int(1, Number.MAX_SAFE_INTEGER), message: str }),
  cancelled: object({ id: int(1, Number.MAX_SAFE_INTEGER) }),
  /** A training job's progress; the job's result follows later. */
  progress: object({ id: int(1, Number.MAX_SAFE_INTEGER), report: trainReportSchema }),
});
export type WorkerResponse = Infer<typeof workerResponseSchema>;

// ---- Host → webview ----

export const toWebviewSchema = tagged('type', {
  /** Draw this layer. */
  show: object({ scene: sceneSchema }),
  /** No layer chosen yet: show the friendly empty state. */
  empty: object({}),
  /** Localized strings for the webview (sent once after `ready`). */
  strings: object({ strings: dictOf(str) }),
  /** The engine's numbers for scene `version`. */
  trace: object({ version: int(0, Number.MAX_SAFE_INTEGER), trace: traceSchema }),
  /** ‖∂h_T/∂h_k‖ for scene `version`, one entry per direction (computed after the trace). */
  jacobian: object({ version: int(0, Number.MAX_SAFE_INTEGER), norms: arrayOf(jacobianSchema, 2) }),
  /** Compare mode: the same input through each cell kind. */
  compare: object({ version: int(0, Number.MAX_SAFE_INTEGER), traces: arrayOf(traceSchema, 3) }),
  /** The engine could not compute scene `version`; `message` says why, for the user. */
  engineError: object({ version: int(0, Number.MAX_SAFE_INTEGER), message: str }),
  /** Where training stands; `settings` fills the Train form, `message` (localized) says what happened. */
  training: object({
    state: literal(...TRAIN_STATES),
    settings: trainSettingsSchema,
    cells: arrayOf(cellKind, 3),
    /** Steps done (over every resume). */
    step: int(0, Number.MAX_SAFE_INTEGER),
    message: nullable(str),
    /** Weights exist to save or to continue from. */
    hasWeights: bool,
  }),
  /** Loss (and accuracy) per step from step `from` on, per run; a resend starts at 0 and replaces. */
  trainProgress: object({
    from: int(0, Number.MAX_SAFE_INTEGER),
    runs: arrayOf(object({ cell: cellKind, losses: anyF64, accuracies: nullable(anyF64), gradNorm: anyNumber, reach: anyNumber }), 3),
  }),
});
export type ToWebview = Infer<typeof toWebviewSchema>;

// ---- Webview → host ----

export const fromWebviewSchema = tagged('type', {
  /** The webview script has loaded and listens. */
  ready: object({}),
  /** A scene was drawn; tests use this to know the picture is complete. */
  rendered: object({ title: str, timesteps: int(0, 100_000), outputs: int(0, 100_000) }),
  /** The user changed a knob in the panel. */
  params: object({ params: viewParamsSchema }),
  /** Save the picture: SVG text, or a PNG as a base64 data URL; `name` suggests a file name. */
  export: object({
    format: literal('svg', 'png'),
    data: schema<string>((v, p) => (typeof v === 'string' && v.length <= 50_000_000 ? undefined : `${p} should be a text of at most 50 MB`)),
    name: str,
  }),
  /** Train (from scratch with these settings), stop, continue from the current weights, save or load weights. */
  train: object({ settings: trainSettingsSchema }),
  trainStop: object({}),
  trainResume: object({ settings: trainSettingsSchema }),
  trainWeights: object({ action: literal('save', 'load') }),
  /** The user reached a step the Getting Started walkthrough waits for. */
  milestone: object({ name: literal('bpttDone') }),
  /** An error inside the webview (uncaught exception, invalid message). */
  error: object({ message: str }),
});
export type FromWebview = Infer<typeof fromWebviewSchema>;

/** Every English string the webview shows; the host translates them with vscode.l10n. */
export const WEBVIEW_STRINGS = [
  'No recurrent layer chosen yet',
  'Open a Python, JavaScript or TypeScript file with a SimpleRNN, LSTM or GRU layer and click “▶ Unroll” above it, or put the cursor on the layer and run “RNN Unroll: Unroll Layer at Cursor”.',
  'many-to-many',
  'many-to-one',
  'output',
  'unrolled over',
  'steps',
  'Heatmaps',
  'unit',
  'units {0}–{1} (mean)',
  '{0} units → {1} rows (averaged)',
  'spectral radius',
  'Vanishing gradient',
  'Exploding gradient',
  'Stable gradient',
  'No verdict',
  'the gradient at step 1 is {0} of step T',
  'the gradient at step 1 is {0}× step T',
  'the gradient overflowed on its way to step 1',
  'the gradient at step T is zero or not a number',
  'vanished: below {0} of step T',
  'exploded: above {0}× step T',
  '▲ overflow (∞ or NaN): {0}',
  '○ zero or below {1}: {0}',
  'BPTT',
  'BPTT reached step 1',
  'Cell',
  'Compare SimpleRNN · LSTM · GRU',
  'Export the picture as PNG',
  'Export the picture as SVG',
  'Input',
  'Keras init',
  'Layer and input settings',
  'Numbers',
  'Pause',
  'Play',
  'Playback',
  'Position in the forward and backward pass',
  'Press Play: the forward pass runs step by step, then the gradient flows back.',
  'Recurrent scale ρ(U)',
  'Set the spectral radius of the recurrent weights',
  'Speed (steps per second)',
  'Step back',
  'Step back (←)',
  'Step forward',
  'Step forward (→)',
  'Text',
  'Units',
  'computing…',
  'forward',
  'gate',
  'numbers, e.g. 0.1 0.5 -0.3 … (filled row by row, T×D)',
  'step',
  'text to encode one character per step',
  'sine wave',
  'one-hot text',
  'random',
  'my numbers',
  'The weights come from a trained model: units, input size and cell are fixed.',
  'the layer returns hₜ for every step: output (batch, {0}, {1}) — many-to-many',
  'only the last step\'s h_T is returned: output (batch, {0}) — many-to-one; the other {1} states stay inside the layer',
  'Bidirectional returns the forward states first, then the backward ones: {0}, each state (batch, {1})',
  'the final state is returned as well: {0}, each state (batch, {1})',
  'the final state is returned as well: {0}, each state (batch, {1}); here output is the same tensor as h',
  'return_state=False: only the output is returned; the final state stays inside the layer',
  'go_backwards=True inside Bidirectional: the first copy reads x_{0} → x₁ and the second, flipped, reads x₁ → x_{0}',
  'Bidirectional: a forward copy reads x₁ → x_{0}, a backward copy with its own weights reads x_{0} → x₁; the backward outputs are flipped back so that step t of both lines up with xₜ before merging',
  'Bidirectional: a forward copy reads x₁ → x_{0}, a backward copy with its own weights reads x_{0} → x₁; each gives its final state — the forward one after x_{0}, the backward one after x₁',
  'merge_mode="concat": the two are placed side by side, so each output has 2 × {0} = {1} numbers',
  'merge_mode="sum": the two are added element by element; the width stays {0}',
  'merge_mode="mul": the two are multiplied element by element; the width stays {0}',
  'merge_mode="ave": the two are averaged element by element; the width stays {0}',
  'merge_mode=None: nothing is merged; the layer returns the pair [output_fwd, output_bwd], each {0}',
  'go_backwards=True: the layer reads x_{0} first and x₁ last, and returns its outputs in that reversed order: the first output row belongs to x_{0}',
  'go_backwards=True: the layer reads x_{0} first and x₁ last, so the output is the state after reading x₁',
  'TimeDistributed(Dense({0})) needs a sequence, but with return_sequences=False the output is 2-D (batch, {1}): Keras refuses this',
  'Dense({0}) reads only the final state: one prediction (batch, {0}) per sequence',
  'nn.Linear({0}) acts on the last axis of the (batch, {1}, {2}) output: the same weights at every step, giving (batch, {1}, {0})',
  'forward() gives nn.Linear({0}) only the last step: one prediction (batch, {0}) per sequence',
  'TimeDistributed(Dense({0})): the same Dense weights are applied at every step, giving (batch, {1}, {0}); a plain Dense on a 3-D input does exactly the same',
  'Dense({0}) on the 3-D sequence acts on the last axis only: the same weights at every step, giving (batch, {1}, {0}) — exactly what TimeDistributed(Dense({0})) does',
  'SimpleRNN: at each step the new input xₜ and the previous state hₜ₋₁ are mixed by W and U and passed through {0}; the result hₜ is both the output and the memory handed to the next step',
  'LSTM: besides hₜ it carries a cell state cₜ. The forget gate f decides how much of cₜ₋₁ to keep, the input gate i how much of the new candidate g to write, and the output gate o how much of cₜ to show as hₜ',
  'the cell state goes from cₜ₋₁ to cₜ only through a multiplication by fₜ, element by element, with no weight matrix in between: while f stays near 1 the gradient travels back through many steps (this is why Keras starts the forget-gate bias at 1)',
  'GRU: the update gate z decides, unit by unit, how much of hₜ₋₁ to keep; the reset gate r decides how much of the past goes into the new candidate ĥₜ; hₜ blends the two',
  'reset_after=True (the Keras 2 and 3 default, as in cuDNN and PyTorch): the reset gate acts after the matrix product, scaling hₜ₋₁U_h',
  'reset_after=False (the original GRU, and the only form TF.js supports): the reset gate acts before the matrix product, scaling hₜ₋₁ before it meets U_h',
  'each direction has its own weights, reused at all {0} steps: {1} — {2} parameters per direction, {3} in all',
  'the same weights serve all {0} steps: {1} — {2} parameters',
  'the gradient reaching step 1 is {0} of the one at step {1}: the first inputs barely teach the model (vanishing)',
  'the gradient overflowed on its way back to step 1 (exploding)',
  'the gradient reaching step 1 is {0}× the one at step {1}: it grows on its way back, so the first inputs get huge, unstable updates (exploding)',
  'the gradient reaching step 1 is {0}× the one at step {1}: over these steps it neither vanishes nor explodes',
  'the gradient at step {0} is zero or not a number, so the two ends cannot be compared',
  'σ_max(U) = {0} < {1}: each step can only shrink the gradient, so over many steps it has to vanish',
  'σ_max(U) = {0} ≥ {1}: the recurrent weights leave room for the gradient to grow; whether it does depends on how saturated {2} is',
  'σ_max(U) = {0}: the most the recurrent weights can stretch a gradient in one step; the gate path {1} carries it back without passing through U',
  'Show equations',
  'What this configuration does',
  'token ids',
  'token ids of the model’s vocabulary, e.g. 12 7 431 … (one per step)',
  'Close the cell view',
  'Inside the cell',
  'Dataflow inside the cell',
  'Each strip is a vector, one cell per unit: red positive, blue negative. Hover for the numbers.',
  'Each strip is a vector, one cell per unit: red positive, blue negative. The thin strip under it is its gradient after BPTT. Hover for the numbers.',
  'gradient after BPTT',
  'Train on a toy task',
  'Training settings',
  'Memory: remember the first symbol',
  'Next character',
  'Sine wave',
  'The first input is one of 4 symbols, the rest is noise; after the last step the model names the first symbol. Chance is 25%.',
  'At every step the model predicts the next character of the text.',
  'At every step the model predicts the next value of a sine wave.',
  'sample paragraph',
  'the open file',
  'my text',
  'text to learn, one character per step',
  'Clip the gradient norm',
  'Clip ‖g‖ at',
  'Task',
  'My text',
  'Optimizer',
  'Learning rate',
  'Batch size',
  'Seed',
  'Steps',
  'Train SimpleRNN · LSTM · GRU side by side',
  'Training',
  'Train',
  'Stop',
  'Continue',
  'Save weights…',
  'Load weights…',
  'Training loss per step',
  'loss (last {0})',
  'accuracy',
  'Latest numbers per run',
  'training…',
  'stopped',
  'done',
  'diverged',
] as const;
