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
  /** Token range of the def statement and its body. */
  s: number;
  e: number;
  indent: number;
  params: Set<string>;
  locals: Map<string, Local>;
  parent: FunctionScope | null;
}

/** Looks a name up as Python would at a token position: enclosing functions first, then the module. */
export type ConstantLookup = (name: string, pos: number) => ConstantValue | null | undefined;

export function moduleLookup(scope: Scope): ConstantLookup {
  return (name) => scope.constants.get(name);
}

function params(t: Tokens, ix: CallIndex, open: number): Set<string> {
  const out = new Set<string>();
  const close = ix.match[open];
  if (close <= open) return out;
  let expectName = true;
  for (let i = open + 1; i < close; i++) {
    if (ix.match[i] > i) {
      i = ix.match[i];
      continue;
    }
    if (t.isOp(i, CH.comma)) expectName = true;
    else if (expectName && t.kind[i] === TK_NAME) {
      out.add(t.text_(i));
      expectName = false;
    }
  }
  return out;
}

export function pythonLookup(t: Tokens, ix: CallIndex, statements: Statement[], scope: Scope): ConstantLookup {
  const all: FunctionScope[] = [];
  const stack: FunctionScope[] = [];
  const lookupIn = (fs: FunctionScope | null, name: string): ConstantValue | null | undefined => {
    for (let f = fs; f; f = f.parent) {
      if (f.locals.has(name)) {
        const local = f.locals.get(name)!;
        if (local === null) return null;
        if (local.value === undefined) {
          local.value = null; // `n = n + 1` must not recurse
          local.value = evaluate(f, local.s, local.e);
        }
        return local.value;
      }
      if (f.params.has(name)) return null;
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
  const setLocal = (f: FunctionScope, name: string, v: Local): void => {
    // Assigned twice: not a constant (a loop counter, an accumulator).
    f.locals.set(name, f.locals.has(name) ? null : v);
  };
  for (const st of statements) {
    while (stack.length && stack[stack.length - 1].indent >= st.indent) stack.pop()!.e = st.s;
    const top = stack[stack.length - 1] ?? null;
    let d = st.s;
    if (t.isName(d, 'async')) d++;
    if (t.isName(d, 'def') && t.isName(d + 1) && t.isOp(d + 2, CH.lparen)) {
      const f: FunctionScope = { s: st.s, e: t.count, indent: st.indent, params: params(t, ix, d + 2), locals: new Map(), parent: top };
      all.push(f);
      stack.push(f);
      continue;
    }
    if (!top) continue;
    if (t.isName(st.s, 'for')) {
      for (let i = st.s + 1; i < st.e && !t.isName(i, 'in'); i++) if (t.kind[i] === TK_NAME) setLocal(top, t.text_(i), null);
      continue;
    }
    // `name = value` / `name: T = value` in a function body.
    if (t.kind[st.s] !== TK_NAME) continue;
    let eq = st.s + 1;
    if (t.isOp(eq, CH.colon)) while (eq < st.e && !t.isOp(eq, CH.eq)) eq++;
    if (!t.isOp(eq, CH.eq) || eq + 1 >= st.e) continue;
    setLocal(top, t.text_(st.s), { s: eq + 1, e: st.e });
  }
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

function numberOf(v: ConstantValue | null | undefined): number | null {
  return typeof v === 'number' ? v : null;
}
