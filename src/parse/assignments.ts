// Statements and assignments, the one structure both languages share above calls: Python logical
// lines (split at `;`, with their indentation) and `target = value` in either language, including
// tuple targets (`out, h, c = ...`) and JS declarations (`const {layers} = tf`).
import type { CallIndex } from './calls';
import { CH, TK_NAME, TK_NEWLINE, TK_OP, Tokens } from './tokens';
import type { Value } from './values';

export interface Statement {
  s: number;
  e: number;
  /** Column of the first token (Python blocks). */
  indent: number;
}

export interface Target {
  /** Dotted name (`x`, `self.rnn`, `this.model`); '' for a pattern element we do not follow. */
  path: string;
  tok: number;
  /** For JS destructuring `{key: local}` / `{key}`: the property read. */
  key?: string;
}

export interface Assignment {
  targets: Target[];
  /** The targets were a tuple/list/object pattern (`a, b = ...`, `const {x} = ...`). */
  pattern: 'none' | 'tuple' | 'object';
  valueStart: number;
  valueEnd: number;
  /** Module level: Python indent 0, JS outside every bracket. */
  topLevel: boolean;
  /** Python: indentation of the statement; JS: bracket depth. */
  indent: number;
  /** JS `const`/`let`/`var`. */
  declared: boolean;
  /** The value, once read (values.ts `assignedValue`). */
  value?: Value;
}

/** Python logical lines, split at top-level `;`. */
export function pythonStatements(t: Tokens, ix: CallIndex): Statement[] {
  const out: Statement[] = [];
  let s = 0;
  for (let i = 0; i < t.count; i++) {
    if (ix.match[i] > i) {
      i = Math.min(ix.match[i], t.count) - 1;
      continue;
    }
    const k = t.kind[i];
    if (k === TK_NEWLINE || t.isOp(i, CH.semi)) {
      if (i > s) out.push({ s, e: i, indent: t.col(s) });
      s = i + 1;
    }
  }
  if (s < t.count) out.push({ s, e: t.count, indent: t.col(s) });
  return out;
}

function dottedAt(t: Tokens, s: number, e: number): string | null {
  if (!t.isName(s)) return null;
  let path = t.text_(s);
  let i = s + 1;
  while (i + 1 < e && t.isOp(i, CH.dot) && t.kind[i + 1] === TK_NAME) {
    path += '.' + t.text_(i + 1);
    i += 2;
  }
  return i === e ? path : null;
}

function topLevelCommas(t: Tokens, ix: CallIndex, s: number, e: number): number[] {
  const out: number[] = [];
  for (let i = s; i < e; i++) {
    if (ix.match[i] > i) {
      i = ix.match[i];
      continue;
    }
    if (t.isOp(i, CH.comma)) out.push(i);
  }
  return out;
}

/** Python targets: `x`, `self.x`, `a, b`, `(a, b)`, `[a, b]`, `x: int`. */
function pythonTargets(t: Tokens, ix: CallIndex, s: number, e: number): { targets: Target[]; pattern: 'none' | 'tuple' } | null {
  // Annotation `x: int = ...`.
  for (let i = s; i < e; i++) {
    if (ix.match[i] > i) {
      i = ix.match[i];
      continue;
    }
    if (t.isOp(i, CH.colon)) {
      e = i;
      break;
    }
  }
  if ((t.isOp(s, CH.lparen) || t.isOp(s, CH.lbracket)) && ix.match[s] === e - 1) {
    s++;
    e--;
  }
  const cuts = topLevelCommas(t, ix, s, e);
  if (cuts.length === 0) {
    const p = dottedAt(t, s, e);
    return p === null ? null : { targets: [{ path: p, tok: s }], pattern: 'none' };
  }
  const targets: Target[] = [];
  let from = s;
  for (const c of [...cuts, e]) {
    if (c > from) {
      const star = t.isOp(from, CH.star) ? 1 : 0;
      const p = dottedAt(t, from + star, c);
      targets.push({ path: p ?? '', tok: from + star });
    }
    from = c + 1;
  }
  return { targets, pattern: 'tuple' };
}

export function pythonAssignments(t: Tokens, ix: CallIndex, statements: Statement[]): Assignment[] {
  const out: Assignment[] = [];
  for (const st of statements) {
    let firstEq = -1;
    let lastEq = -1;
    for (let i = st.s; i < st.e; i++) {
      if (ix.match[i] > i) {
        i = ix.match[i];
        continue;
      }
      if (t.isOp(i, CH.eq)) {
        if (firstEq < 0) firstEq = i;
        lastEq = i;
      }
    }
    if (firstEq <= st.s || lastEq + 1 >= st.e) continue;
    const tg = pythonTargets(t, ix, st.s, firstEq);
    if (!tg) continue;
    out.push({
      targets: tg.targets,
      pattern: tg.pattern,
      valueStart: lastEq + 1,
      valueEnd: st.e,
      topLevel: st.indent === 0,
      indent: st.indent,
      declared: false,
    });
  }
  return out;
}

/** End of a JS expression starting at `from`: `;`, `,` or a closer at this depth, or a line break the ASI would honour. */
export function jsExpressionEnd(t: Tokens, ix: CallIndex, from: number): number {
  let i = from;
  while (i < t.count) {
    if (ix.match[i] > i) {
      i = ix.match[i] + 1;
      continue;
    }
    if (t.kind[i] === TK_OP) {
      const c = t.codes[t.start[i]];
      const single = t.end[i] - t.start[i] === 1;
      if (single && (c === CH.semi || c === CH.comma || c === CH.rparen || c === CH.rbracket || c === CH.rbrace)) return i;
    }
    if (i > from && t.line[i] > t.line[i - 1] && endsExpression(t, i - 1) && startsStatement(t, i)) return i;
    i++;
  }
  return i;
}

function endsExpression(t: Tokens, i: number): boolean {
  if (t.kind[i] !== TK_OP) return true;
  const c = t.codes[t.start[i]];
  return t.end[i] - t.start[i] === 1 && (c === CH.rparen || c === CH.rbracket || c === CH.rbrace);
}

function startsStatement(t: Tokens, i: number): boolean {
  if (t.kind[i] !== TK_OP) return true;
  const c = t.codes[t.start[i]];
  return c === CH.lbracket || c === CH.lparen || c === CH.lbrace;
}

/** `const` / `let` / `var` without slicing a string for every name in the file. */
function isDecl(t: Tokens, i: number): boolean {
  const len = t.end[i] - t.start[i];
  if (len === 5) return t.text.startsWith('const', t.start[i]);
  return len === 3 && (t.text.startsWith('let', t.start[i]) || t.text.startsWith('var', t.start[i]));
}

/** JS/TS `const x = ...`, `let {a, b: c} = ...`, `x = ...`, `this.x = ...`. */
export function jsAssignments(t: Tokens, ix: CallIndex): Assignment[] {
  const out: Assignment[] = [];
  let depth = 0;
  // One visit per token of the file: the arrays in locals.
  const { kind, start, end } = t;
  const match = ix.match;
  const n = t.count;
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    if (k === TK_OP) {
      const m = match[i];
      if (m > i) depth++;
      else if (m >= 0 && m < i) depth = Math.max(0, depth - 1);
      else if (end[i] - start[i] === 1 && t.codes[start[i]] === CH.eq) {
        const a = plainJsAssignment(t, ix, i, depth);
        if (a) out.push(a);
      }
      continue;
    }
    if (k !== TK_NAME || !isDecl(t, i) || t.isOp(i - 1, CH.dot)) continue;
    // Declarations may list several bindings: `const a = 1, b = tf.layers;`.
    let j = i + 1;
    while (j < t.count) {
      const a = jsDeclarator(t, ix, j, depth);
      if (!a) break;
      out.push(a.assignment);
      j = a.next;
      if (!t.isOp(j, CH.comma)) break;
      j++;
    }
  }
  return out;
}

function jsDeclarator(t: Tokens, ix: CallIndex, j: number, depth: number): { assignment: Assignment; next: number } | null {
  let targets: Target[];
  let pattern: 'none' | 'tuple' | 'object' = 'none';
  let after: number;
  if (t.isName(j)) {
    targets = [{ path: t.text_(j), tok: j }];
    after = j + 1;
  } else if ((t.isOp(j, CH.lbrace) || t.isOp(j, CH.lbracket)) && ix.match[j] > j) {
    const obj = t.isOp(j, CH.lbrace);
    pattern = obj ? 'object' : 'tuple';
    targets = patternTargets(t, ix, j + 1, ix.match[j], obj);
    after = ix.match[j] + 1;
  } else return null;
  // TS annotation `: Type` up to the `=`.
  if (t.isOp(after, CH.colon)) {
    let k = after + 1;
    while (k < t.count && !t.isOp(k, CH.eq) && !t.isOp(k, CH.semi) && !t.isOp(k, CH.comma)) k = ix.match[k] > k ? ix.match[k] + 1 : k + 1;
    after = k;
  }
  if (!t.isOp(after, CH.eq)) return null;
  const end = jsExpressionEnd(t, ix, after + 1);
  return {
    assignment: { targets, pattern, valueStart: after + 1, valueEnd: end, topLevel: depth === 0, indent: depth, declared: true },
    next: end,
  };
}

function patternTargets(t: Tokens, ix: CallIndex, s: number, e: number, obj: boolean): Target[] {
  const targets: Target[] = [];
  let from = s;
  for (const c of [...topLevelCommas(t, ix, s, e), e]) {
    if (c > from) {
      if (obj && t.isName(from) && t.isOp(from + 1, CH.colon) && t.isName(from + 2)) {
        targets.push({ path: t.text_(from + 2), tok: from + 2, key: t.text_(from) });
      } else if (t.isName(from)) {
        targets.push({ path: t.text_(from), tok: from, key: obj ? t.text_(from) : undefined });
      } else targets.push({ path: '', tok: from });
    }
    from = c + 1;
  }
  return targets;
}

function plainJsAssignment(t: Tokens, ix: CallIndex, eq: number, depth: number): Assignment | null {
  if (!t.isName(eq - 1)) return null;
  let s = eq - 1;
  let path = t.text_(s);
  while (s >= 2 && t.isOp(s - 1, CH.dot) && t.isName(s - 2)) {
    path = t.text_(s - 2) + '.' + path;
    s -= 2;
  }
  // Declarations are read by jsDeclarator; parameters' defaults and object keys are not assignments.
  if (t.isName(s - 1) && isDecl(t, s - 1)) return null;
  if (t.isOp(s - 1, CH.comma) || t.isOp(s - 1, CH.lparen) || t.isOp(s - 1, CH.colon) || t.isOp(s - 1, CH.dot)) return null;
  const end = jsExpressionEnd(t, ix, eq + 1);
  return {
    targets: [{ path, tok: s }],
    pattern: 'none',
    valueStart: eq + 1,
    valueEnd: end,
    topLevel: depth === 0,
    indent: depth,
    declared: false,
  };
}
