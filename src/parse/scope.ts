// What a name means at module level: import bindings and class aliases (to full dotted paths),
// literal constants, star-imported modules, and names the file defines itself (which shadow any
// library class of the same name).

export type ConstantValue = number | string | boolean;

export class Scope {
  /** Local name → full dotted paths; several when branches bind it differently (`RNN = LSTM` / `RNN = GRU`). */
  readonly bindings = new Map<string, string[]>();
  /** Module-level literal constants; null marks a name assigned something else (or two different values). */
  readonly constants = new Map<string, ConstantValue | null>();
  readonly starModules: string[] = [];
  private readonly defined = new Set<string>();
  /** Names of skimmed functions and classes (prune.ts) as ranges of a text: compared in place, not read into `defined`. */
  private pending: { text: string; ranges: readonly number[] }[] = [];
  /** Evidence that the code targets Keras 2 (tf_keras, keras.layers.recurrent, tf.compat.v1, …). */
  keras2 = false;

  define(name: string): void {
    this.defined.add(name);
  }

  /** Defines the names at `ranges` (start, end pairs) of `text`, without reading them out. */
  deferDefined(text: string, ranges: readonly number[]): void {
    if (ranges.length > 0) this.pending.push({ text, ranges });
  }

  isDefined(name: string): boolean {
    if (this.defined.has(name)) return true;
    for (const { text, ranges } of this.pending) {
      for (let k = 0; k < ranges.length; k += 2) if (ranges[k + 1] - ranges[k] === name.length && text.startsWith(name, ranges[k])) return true;
    }
    return false;
  }

  /** Whether the text defines any function or class (skimmed ones included). */
  definesAny(): boolean {
    return this.defined.size > 0 || this.pending.length > 0;
  }

  /** Every name the text defines (skimmed ones read now). */
  definedNames(): Set<string> {
    for (const { text, ranges } of this.pending) for (let k = 0; k < ranges.length; k += 2) this.defined.add(text.slice(ranges[k], ranges[k + 1]));
    this.pending = [];
    return this.defined;
  }

  bind(name: string, paths: readonly string[]): void {
    const prev = this.bindings.get(name);
    if (!prev) {
      this.bindings.set(name, [...paths]);
      return;
    }
    for (const p of paths) if (!prev.includes(p)) prev.push(p);
  }

  setConstant(name: string, value: ConstantValue | null): void {
    if (!this.constants.has(name)) this.constants.set(name, value);
    else if (this.constants.get(name) !== value) this.constants.set(name, null);
  }

  /** Full dotted paths a name may denote, most specific first; the name itself when nothing binds it. */
  resolve(path: string): string[] {
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
    const rest = dot < 0 ? '' : path.slice(dot);
    const bound = this.bindings.get(head);
    if (bound) return bound.map((b) => b + rest);
    if (this.isDefined(head)) return [];
    if (this.starModules.length && dot < 0) return [...this.starModules.map((m) => m + '.' + path), path];
    return [path];
  }

  numberConstant(name: string): number | null {
    const v = this.constants.get(name);
    return typeof v === 'number' ? v : null;
  }

  /** A copy, so that notebook cells can build on the cells before them without changing them. */
  clone(): Scope {
    const s = new Scope();
    for (const [k, v] of this.bindings) s.bindings.set(k, [...v]);
    for (const [k, v] of this.constants) s.constants.set(k, v);
    s.starModules.push(...this.starModules);
    for (const d of this.definedNames()) s.defined.add(d);
    s.keras2 = this.keras2;
    return s;
  }
}
