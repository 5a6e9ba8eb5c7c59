// Function bodies as token ranges, so that a tensor variable (`x`, `inputs`) produced in one
// function is not taken for the same name in the next one: a file of model builders reuses the
// same few names everywhere.
import type { Statement } from './assignments';
import type { CallIndex } from './calls';
import { CH, TK_NAME, TK_OP, type Tokens } from './tokens';

export class FunctionRanges {
  /** Ranges sorted by start (outer before inner at equal starts). */
  private readonly s: number[] = [];
  private readonly e: number[] = [];
  private readonly parent: number[] = [];

  constructor(ranges: { s: number; e: number }[]) {
    ranges.sort((a, b) => a.s - b.s || b.e - a.e);
    const stack: number[] = [];
    ranges.forEach((r, i) => {
      while (stack.length && this.e[stack[stack.length - 1]] <= r.s) stack.pop();
      this.s.push(r.s);
      this.e.push(r.e);
      this.parent.push(stack.length ? stack[stack.length - 1] : -1);
      stack.push(i);
    });
  }

  /** Innermost function containing a token, or -1 at module level. */
  at(pos: number): number {
    let lo = 0;
    let hi = this.s.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.s[mid] <= pos) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (k >= 0 && pos >= this.e[k]) k = this.parent[k];
    return k;
  }

  /** The function enclosing function `f` (-1: module level). */
  enclosing(f: number): number {
    return this.parent[f];
  }
}

export function pythonFunctions(t: Tokens, statements: Statement[]): FunctionRanges {
  const ranges: { s: number; e: number }[] = [];
  const open: { indent: number; s: number }[] = [];
  for (const st of statements) {
    while (open.length && open[open.length - 1].indent >= st.indent) ranges.push({ s: open.pop()!.s, e: st.s });
    const d = t.isName(st.s, 'async') ? st.s + 1 : st.s;
    // A class body is a scope too: what it assigns is not a module-level tensor (and a skipped class, prune.ts, assigns nothing).
    if (t.isName(d, 'def') || t.isName(d, 'lambda') || t.isName(d, 'class')) open.push({ indent: st.indent, s: st.s });
  }
  for (const f of open) ranges.push({ s: f.s, e: t.count });
  return new FunctionRanges(ranges);
}

const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with']);

/**
 * JS/TS function bodies: `{` after `=>`, or after a parameter list `(...)` (with an optional
 * `: ReturnType`) that follows a name other than if/for/while/switch/catch — which covers
 * `function f(…) {`, `function (…) {` and methods `name(…) {`.
 */
export function jsFunctions(t: Tokens, ix: CallIndex): FunctionRanges {
  const ranges: { s: number; e: number }[] = [];
  for (const i of ix.braces) {
    if (i < 1 || ix.match[i] <= i) continue;
    let body = t.isOpText(i - 1, '=>');
    // After `(`, `,`, `:`, `=`, `[` or `?` a brace opens an object literal, not a body.
    const prev = t.kind[i - 1] === TK_OP && t.end[i - 1] - t.start[i - 1] === 1 ? t.codes[t.start[i - 1]] : 0;
    if (!body && prev !== CH.rparen && prev !== 62 && prev !== CH.rbracket && t.kind[i - 1] !== TK_NAME) continue;
    if (!body) {
      // Walk back over a TS return type to the `)` closing the parameters (a few tokens at most).
      let j = i - 1;
      for (let steps = 0; steps < 24 && j > 0 && !t.isOp(j, CH.rparen); steps++) {
        if (t.isOp(j, CH.semi) || t.isOp(j, CH.lbrace) || t.isOp(j, CH.rbrace)) break;
        j = ix.match[j] >= 0 && ix.match[j] < j ? ix.match[j] : j - 1;
      }
      if (t.isOp(j, CH.rparen) && (j === i - 1 || t.isOp(j + 1, CH.colon))) {
        const open = ix.match[j];
        const before = open - 1;
        body = open >= 0 && open < j && (t.kind[before] !== TK_NAME || !NOT_FUNCTIONS.has(t.text_(before)));
      }
    }
    if (body) ranges.push({ s: i, e: ix.match[i] + 1 });
  }
  return new FunctionRanges(ranges);
}
