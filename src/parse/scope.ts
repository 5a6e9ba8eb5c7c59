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
  readonly defined = new Set<string>();
  /** Evidence that the code targets Keras 2 (tf_keras, keras.layers.recurrent, tf.compat.v1, …). */
  keras2 = false;

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
    if (this.defined.has(head)) return [];
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
    for (const d of this.defined) s.defined.add(d);
    s.keras2 = this.keras2;
    return s;
  }
}
