// Fills a Scope from the code: Python `import`/`from … import`, JS `import`/`require`/destructuring,
// then, for both, class aliases (`RNN = layers.LSTM`, `const lstm = tf.layers.lstm`) and
// module-level literal constants (`HIDDEN = 128`, `DIGITS + 1`).
import type { Assignment, Statement } from './assignments';
import type { CallIndex } from './calls';
import { Scope } from './scope';
import { CH, TK_NAME, TK_STRING, type Tokens } from './tokens';
import { assignedValue, decodeString, evalNumber, type Value, type ValueContext } from './values';

/** Paths that only exist in Keras 2 / TF1 code: their presence picks the Keras 2 tables and `hard_sigmoid` form. */
const KERAS2_MARKERS = ['tf_keras', 'tensorflow.python.keras', 'compat.v1', 'keras.layers.recurrent', 'keras.layers.cudnn_recurrent', 'keras.layers.core', 'keras.layers.embeddings', 'keras.layers.wrappers', 'keras.legacy', 'CuDNN'];

function noteModule(scope: Scope, path: string): void {
  if (!scope.keras2 && KERAS2_MARKERS.some((m) => path.includes(m))) scope.keras2 = true;
}

/** Reads `a.b.c` at `i`; returns the path and the index after it. */
function dotted(t: Tokens, i: number, e: number): { path: string; next: number } | null {
  if (!t.isName(i) || i >= e) return null;
  let path = t.text_(i);
  let j = i + 1;
  while (j + 1 < e && t.isOp(j, CH.dot) && t.kind[j + 1] === TK_NAME) {
    path += '.' + t.text_(j + 1);
    j += 2;
  }
  return { path, next: j };
}

export function readPythonImports(t: Tokens, statements: Statement[], scope: Scope): void {
  scope.deferDefined(t.text, t.skippedDefNames);
  for (const st of statements) {
    const s = st.s;
    if (t.isName(s, 'import')) {
      let i = s + 1;
      while (i < st.e) {
        const d = dotted(t, i, st.e);
        if (!d) break;
        i = d.next;
        noteModule(scope, d.path);
        if (t.isName(i, 'as') && t.isName(i + 1)) {
          scope.bind(t.text_(i + 1), [d.path]);
          i += 2;
        }
        if (!t.isOp(i, CH.comma)) break;
        i++;
      }
    } else if (t.isName(s, 'from')) {
      let i = s + 1;
      let dots = '';
      while (t.isOp(i, CH.dot) || t.isOpText(i, '...')) {
        dots += t.text_(i);
        i++;
      }
      const d = dotted(t, i, st.e);
      const mod = dots + (d ? d.path : '');
      if (d) i = d.next;
      if (!t.isName(i, 'import')) continue;
      noteModule(scope, mod);
      i++;
      if (t.isOp(i, CH.star)) {
        if (!scope.starModules.includes(mod)) scope.starModules.push(mod);
        continue;
      }
      if (t.isOp(i, CH.lparen)) i++;
      while (i < st.e && t.isName(i)) {
        const name = t.text_(i);
        let local = name;
        i++;
        if (t.isName(i, 'as') && t.isName(i + 1)) {
          local = t.text_(i + 1);
          i += 2;
        }
        noteModule(scope, mod + '.' + name);
        scope.bind(local, [mod ? mod + '.' + name : name]);
        if (!t.isOp(i, CH.comma)) break;
        i++;
      }
    } else if (t.isName(s, 'class') && t.isName(s + 1)) {
      scope.define(t.text_(s + 1));
    } else if (st.indent === 0 && t.isName(s, 'def') && t.isName(s + 1)) {
      scope.define(t.text_(s + 1));
    } else if (st.indent === 0 && t.isName(s, 'async') && t.isName(s + 1, 'def') && t.isName(s + 2)) {
      scope.define(t.text_(s + 2));
    }
  }
}

/** Every TF.js package exposes the same `layers` namespace: one canonical root for all of them. */
export function jsModulePath(spec: string): string {
  if (/^@tensorflow\/tfjs(-node(-gpu)?|-layers)?$/.test(spec)) return 'tfjs';
  return 'module:' + spec;
}

export function readJsImports(t: Tokens, ix: CallIndex, scope: Scope): void {
  scope.deferDefined(t.text, t.skippedDefNames);
  /** Past the import statement last read. */
  let next = 0;
  for (const i of ix.landmarks) {
    if (i < next) continue;
    if (t.isName(i, 'function') || t.isName(i, 'class')) {
      if (t.isName(i + 1) && !t.isOp(i - 1, CH.dot)) scope.define(t.text_(i + 1));
      continue;
    }
    if (!t.isName(i, 'import') || t.isOp(i - 1, CH.dot) || t.isOp(i + 1, CH.lparen)) continue;
    let j = i + 1;
    if (t.isName(j, 'type')) continue;
    const locals: { local: string; imported: string | null }[] = [];
    if (t.isName(j) && !t.isName(j, 'from')) {
      locals.push({ local: t.text_(j), imported: null });
      j++;
      if (t.isOp(j, CH.comma)) j++;
    }
    if (t.isOp(j, CH.star) && t.isName(j + 1, 'as') && t.isName(j + 2)) {
      locals.push({ local: t.text_(j + 2), imported: null });
      j += 3;
    } else if (t.isOp(j, CH.lbrace)) {
      j++;
      while (j < t.count && !t.isOp(j, CH.rbrace)) {
        if (t.isName(j, 'type') && t.isName(j + 1)) j++;
        if (!t.isName(j) && t.kind[j] !== TK_STRING) {
          j++;
          continue;
        }
        const imported = t.kind[j] === TK_STRING ? (decodeString(t.text_(j)) ?? '') : t.text_(j);
        let local = imported;
        j++;
        if (t.isName(j, 'as') && t.isName(j + 1)) {
          local = t.text_(j + 1);
          j += 2;
        }
        locals.push({ local, imported });
        if (t.isOp(j, CH.comma)) j++;
      }
      j++;
    }
    if (!t.isName(j, 'from') || t.kind[j + 1] !== TK_STRING) continue;
    const mod = jsModulePath(decodeString(t.text_(j + 1)) ?? '');
    for (const l of locals) scope.bind(l.local, [l.imported === null ? mod : mod + '.' + l.imported]);
    next = j + 2;
  }
}

/**
 * Aliases and constants from assignments, in source order. `knownClass` says whether a bare,
 * unbound name is a library class worth aliasing (`cell = LSTM` in a notebook whose import sits
 * in another cell).
 */
export function readAssignments(ctx: ValueContext, assignments: Assignment[], scope: Scope, knownClass: (name: string) => boolean): void {
  const { t } = ctx;
  for (const a of assignments) {
    const v = assignedValue(ctx, a);
    if (a.pattern === 'object') {
      // const {layers, sequential: seq} = tf / require('@tensorflow/tfjs')
      const base = v.k === 'name' ? scope.resolve(v.path) : requiredModule(ctx, v);
      if (!base) continue;
      for (const tg of a.targets) if (tg.path && tg.key) scope.bind(tg.path, base.map((b) => b + '.' + tg.key));
      continue;
    }
    if (a.targets.length !== 1 || a.pattern !== 'none') continue;
    const name = a.targets[0].path;
    if (!name || name.includes('.')) continue;
    if (v.k === 'name') {
      const c = scope.constants.get(v.path);
      if (c !== undefined && !v.path.includes('.')) {
        if (a.topLevel) scope.setConstant(name, c);
        continue;
      }
      const resolved = scope.resolve(v.path);
      if (v.path.includes('.') || scope.bindings.has(v.path) || knownClass(v.path)) {
        scope.bind(name, resolved);
        continue;
      }
    } else if (v.k === 'call') {
      const mod = requiredModule(ctx, v);
      if (mod) {
        scope.bind(name, mod);
        continue;
      }
    }
    if (!a.topLevel) continue;
    if (v.k === 'str' || v.k === 'bool') scope.setConstant(name, v.v);
    else {
      const n = evalNumber(t, a.valueStart, a.valueEnd, (p) => scope.numberConstant(p));
      scope.setConstant(name, n);
    }
  }
}

function requiredModule(ctx: ValueContext, v: Value): string[] | null {
  if (v.k !== 'call') return null;
  const call = ctx.ix.calls[v.call];
  if (call.callee !== 'require' || call.argCount !== 1) return null;
  const a = call.args[0];
  if (a.end - a.start !== 1 || ctx.t.kind[a.start] !== TK_STRING) return null;
  const spec = decodeString(ctx.t.text_(a.start));
  return spec === null ? null : [jsModulePath(spec)];
}
