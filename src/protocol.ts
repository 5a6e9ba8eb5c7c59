// Every message that crosses host ⇄ webview (and host ⇄ engine worker): its type, and a runtime
// validator built from the same schema, so nobody hand-writes a message twice and nothing
// unchecked is acted upon. Imported by the host, the worker and the webview (no vscode, no DOM).
import type { LayerSpec } from './spec';

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

/** A union of objects told apart by their `type` field. */
export function tagged<M extends Record<string, Schema<object>>>(members: M): Schema<{ [K in keyof M]: Infer<M[K]> & { type: K } }[keyof M]> {
  return schema((v, p) => {
    const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(members, type)) return `${p}.type ${JSON.stringify(type)} is not a known message type`;
    return members[type].check(v, p);
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
  head: nullable(object({ units: nullable(int(1, 1e6)), activation: str, timeDistributed: bool })),
  range,
  symbolic: arrayOf(object({ name: str, text: str }), 1000),
});

// Compile-time proof that the schema and the LayerSpec interface describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _layerSpecInSync: Same<Infer<typeof layerSpecSchema>, LayerSpec> = true;
void _layerSpecInSync;

/** What the panel draws: the layer as written, and the sizes used for the picture. */
export const sceneSchema = object({
  spec: layerSpecSchema,
  /** Sizes actually drawn (the code's values, or defaults when symbolic / capped for drawing). */
  timesteps: int(1, 100_000),
  inputDim: int(1, 100_000),
  units: int(1, 100_000),
  /** Human-readable notes about defaults and caps, already localized. */
  notes: arrayOf(str, 50),
  /** Where the layer came from, e.g. `model.py:12`. */
  source: str,
});
export type Scene = Infer<typeof sceneSchema>;

// ---- Host → webview ----

export const toWebviewSchema = tagged({
  /** Draw this layer. */
  show: object({ scene: sceneSchema }),
  /** No layer chosen yet: show the friendly empty state. */
  empty: object({}),
  /** Localized strings for the webview (sent once after `ready`). */
  strings: object({ strings: dictOf(str) }),
});
export type ToWebview = Infer<typeof toWebviewSchema>;

// ---- Webview → host ----

export const fromWebviewSchema = tagged({
  /** The webview script has loaded and listens. */
  ready: object({}),
  /** A scene was drawn; tests and telemetry-free logging use this to know the picture is complete. */
  rendered: object({ title: str, timesteps: int(0, 100_000), outputs: int(0, 100_000) }),
  /** An error inside the webview (uncaught exception, invalid message). */
  error: object({ message: str }),
});
export type FromWebview = Infer<typeof fromWebviewSchema>;

/** Validates an incoming message; returns it typed, or the reason it was refused. */
export function validate<T>(s: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const error = s.check(value, 'message');
  return error === undefined ? { ok: true, value: value as T } : { ok: false, error };
}

/** Every English string the webview shows; the host translates them with vscode.l10n. */
export const WEBVIEW_STRINGS = [
  'No recurrent layer chosen yet',
  'Open a Python, JavaScript or TypeScript file with a SimpleRNN, LSTM or GRU layer and click “▶ Unroll” above it, or put the cursor on the layer and run “RNN Unroll: Unroll Layer at Cursor”.',
  'many-to-many',
  'many-to-one',
  'output',
  'unrolled over',
  'steps',
] as const;
