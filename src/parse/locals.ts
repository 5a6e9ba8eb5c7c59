// Python function scopes for constant lookup: inside `def build(units):` the name `units` is the
// parameter, not the module constant of the same name (tensorflow/docs text_generation does
// exactly this), while `hidden = 64` written in the function body is a constant there.
import type { Statement } from './assignments';
import type { CallIndex } from './calls';
import type { ConstantValue, Scope } from './scope';
import { CH, TK_NAME, type Tokens } from './tokens';
import { decodeString, evalNumber } from './values';

/** A local's value: evaluated on first lookup (most locals never are), null when not a constant. */
type Local = { s: number; e: number; value?: ConstantValue | null } | null;

interface FunctionScope {
  /** Index in source order. */
  id: number;
  /** Token range of the def statement and its body. */
  s: number;
  e: number;
  indent: number;
  /** Index of the def statement. */
  def: number;
  /** The `(` opening the parameters. */
  open: number;
  parent: FunctionScope | null;
  /**
   * What each name looked up in it means there: a local (null when not a constant), or undefined
   * when the function does not bind it. Read per name on first lookup: a function is asked for a
   * few names, and reading all its bindings cost more.
   */
  looked: Map<string, Local | undefined> | null;
}

/** Looks a name up as Python would at a token position: enclosing functions first, then the module. */
export type ConstantLookup = (name: string, pos: number) => ConstantValue | null | undefined;

export function moduleLookup(scope: Scope): ConstantLookup {
  return (name) => scope.constants.get(name);
}

/** Whether `name` is one of the parameters in the list opening at `open`. */
function isParam(t: Tokens, ix: CallIndex, open: number, name: string): boolean {
  const close = ix.match[open];
  if (close <= open) return false;
  let expectName = true;
  for (let i = open + 1; i < close; i++) {
    if (ix.match[i] > i) {
      i = ix.match[i];
      continue;
    }
    if (t.isOp(i, CH.comma)) expectName = true;
    else if (expectName && t.kind[i] === TK_NAME) {
      if (t.isName(i, name)) return true;
      expectName = false;
    }
  }
  return false;
}

export function pythonLookup(t: Tokens, ix: CallIndex, statements: Statement[], scope: Scope): ConstantLookup {
  const all: FunctionScope[] = [];
  const stack: FunctionScope[] = [];
  /** Statement index → the function whose body holds it directly (-1: module level or a def). */
  const owner = new Int32Array(statements.length).fill(-1);
  /** How `f` binds `name`: parameters and loop targets are no constants; nor is a name assigned twice. */
  const localOf = (f: FunctionScope, name: string): Local | undefined => {
    const looked = (f.looked ??= new Map());
    if (looked.has(name)) return looked.get(name);
    let local: Local | undefined;
    for (let k = f.def + 1; k < statements.length && statements[k].s < f.e && local !== null; k++) {
      if (owner[k] !== f.id) continue;
      const bound = bindingIn(t, statements[k], name);
      if (bound !== undefined) local = local === undefined ? bound : null;
    }
    // A body's assignment wins over the parameter it shadows (`def f(n): n = 4`).
    if (local === undefined && isParam(t, ix, f.open, name)) local = null;
    looked.set(name, local);
    return local;
  };
  const lookupIn = (fs: FunctionScope | null, name: string): ConstantValue | null | undefined => {
    for (let f = fs; f; f = f.parent) {
      const local = localOf(f, name);
      if (local === undefined) continue;
      if (local === null) return null;
      if (local.value === undefined) {
        local.value = null; // `n = n + 1` must not recurse
        local.value = evaluate(f, local.s, local.e);
      }
      return local.value;
    }
    return scope.constants.get(name);
  };
  const evaluate = (f: FunctionScope, s: number, e: number): ConstantValue | null => {
    if (e - s === 1) {
      if (t.isName(s, 'True') || t.isName(s, 'False')) return t.isName(s, 'True');
      const raw = t.text_(s);
      const q = raw.charCodeAt(raw.length - 1);
      if (q === 39 || q === 34) return decodeString(raw);
    }
    return evalNumber(t, s, e, (p) => numberOf(lookupIn(f, p)));
  };
  statements.forEach((st, k) => {
    while (stack.length && stack[stack.length - 1].indent >= st.indent) stack.pop()!.e = st.s;
    const top = stack[stack.length - 1] ?? null;
    let d = st.s;
    if (t.isName(d, 'async')) d++;
    if (t.isName(d, 'def') && t.isName(d + 1) && t.isOp(d + 2, CH.lparen)) {
      const f: FunctionScope = { id: all.length, s: st.s, e: t.count, indent: st.indent, def: k, open: d + 2, parent: top, looked: null };
      all.push(f);
      stack.push(f);
    } else if (top) owner[k] = top.id;
  });
  // Functions nest properly and `all` is in source order: the innermost one containing pos is the
  // last to start at or before it, or one of its parents.
  return (name, pos) => {
    let lo = 0;
    let hi = all.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].s <= pos) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let inner: FunctionScope | null = k >= 0 ? all[k] : null;
    while (inner && pos >= inner.e) inner = inner.parent;
    return lookupIn(inner, name);
  };
}

/**
 * How a statement in a function body binds `name`: null for a `for` target (not a constant), the
 * value's range for `name = value` / `name: T = value`, undefined when it does not.
 */
function bindingIn(t: Tokens, st: Statement, name: string): Local | undefined {
  if (t.isName(st.s, 'for')) {
    for (let i = st.s + 1; i < st.e && !t.isName(i, 'in'); i++) if (t.isName(i, name)) return null;
    return undefined;
  }
  if (!t.isName(st.s, name)) return undefined;
  let eq = st.s + 1;
  if (t.isOp(eq, CH.colon)) while (eq < st.e && !t.isOp(eq, CH.eq)) eq++;
  if (!t.isOp(eq, CH.eq) || eq + 1 >= st.e) return undefined;
  return { s: eq + 1, e: st.e };
}

function numberOf(v: ConstantValue | null | undefined): number | null {
  return typeof v === 'number' ? v : null;
}
