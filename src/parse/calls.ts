// Call-expression reader shared by Python and JS/TS: one pass over the tokens with a bracket
// stack. Records every call (`a.b.C(...)`, `f(...)(x)`, `x.apply(...)`), its arguments as token
// ranges (keyword name split off for Python), the innermost enclosing call, and the matching
// bracket of every opener so later stages can skip groups in O(1).
import { CH, TK_NAME, TK_NEWLINE, TK_OP, Tokens, WordSet } from './tokens';

export interface Arg {
  /** Keyword name (`units=` in Python), or null for a positional argument. */
  name: string | null;
  nameTok: number;
  /** Token range of the value, end exclusive. */
  start: number;
  end: number;
  /** 1 for `*args`, 2 for `**kwargs` (the range then excludes the stars). */
  star: 0 | 1 | 2;
}

/** What a call needs to read its arguments lazily. */
interface ArgSource {
  t: Tokens;
  match: Int32Array;
  keywordArgs: boolean;
}

/**
 * One call expression. Its arguments are read on first use, by splitting the tokens between the
 * parentheses at top-level commas: most calls in a file (print, np.zeros, model.fit) are never
 * asked for theirs, so they cost nothing.
 */
export class Call {
  id = -1;
  /** Innermost call whose parentheses contain this call, or -1. */
  parent = -1;
  /** Token index of `)`, or the token count when the call is unclosed. */
  close: number;
  private cached: Arg[] | null = null;

  constructor(
    private readonly src: ArgSource,
    /** First token of the callee expression. */
    readonly calleeStart: number,
    /** Token of the last name in the callee (`LSTM` in `layers.LSTM`), or -1 when the callee is not a name. */
    readonly nameTok: number,
    /** Dotted callee as written without spaces (`layers.LSTM`); '' when the callee is an expression. */
    readonly callee: string,
    /** For `expr.name(...)` and `expr(...)` where expr ends with a call: that call's id, else -1. */
    readonly receiverCall: number,
    /** True when the callee is that call's result itself (`LSTM(4)(x)`), false for a method on it. */
    readonly applied: boolean,
    readonly open: number,
  ) {
    this.close = src.t.count;
  }

  get args(): Arg[] {
    if (this.cached) return this.cached;
    const { t, match, keywordArgs } = this.src;
    const out: Arg[] = [];
    const end = this.close;
    let from = this.open + 1;
    for (let i = from; i < end; i++) {
      const m = match[i];
      if (m > i) {
        if (m >= end) break; // an unclosed group runs to the end: the rest is one argument
        i = m;
        continue;
      }
      if (t.isOp(i, CH.comma)) {
        if (i > from) out.push(makeArg(t, from, i, keywordArgs));
        from = i + 1;
      }
    }
    if (from < end) out.push(makeArg(t, from, end, keywordArgs));
    this.cached = out;
    return out;
  }

  get argCount(): number {
    return this.args.length;
  }
}

export interface CallIndex {
  calls: Call[];
  /**
   * For every opening bracket token its closing token (count when unclosed), for every closing
   * token its opener; -1 elsewhere. Openers are the entries with `match[i] > i`.
   */
  match: Int32Array;
  /** Call id whose `)` is this token, else -1. */
  callAtClose: Int32Array;
  /**
   * The tokens of the names in `CallOptions.landmarks`, and the `{` tokens, in order: stages that
   * look for a keyword or a body visit these, not every token.
   */
  landmarks: number[];
  braces: number[];
}

export interface CallOptions {
  /** Names after which `(` is not a call (`if (`, `return (`); tested without slicing the name. */
  keywords: WordSet;
  /** Names that introduce a definition whose parameter list is not a call (`def f(`, `function f(`). */
  definers: WordSet;
  /** Python `name=value` keyword arguments. */
  keywordArgs: boolean;
  /** Keywords later stages look for (`if`, `import`, …), or null when none does. */
  landmarks: WordSet | null;
}

function closerFor(ch: number): number {
  return ch === CH.lparen ? CH.rparen : ch === CH.lbracket ? CH.rbracket : CH.rbrace;
}

/** The bracket stack as parallel typed arrays: no object per bracket. */
class BracketStack {
  size = 0;
  open: Int32Array = new Int32Array(64);
  ch: Int32Array = new Int32Array(64);
  call: Int32Array = new Int32Array(64);

  push(open: number, ch: number, call: number): void {
    if (this.size === this.open.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.open = grow(this.open);
      this.ch = grow(this.ch);
      this.call = grow(this.call);
    }
    const k = this.size++;
    this.open[k] = open;
    this.ch[k] = ch;
    this.call[k] = call;
  }
}

export function readCalls(t: Tokens, opts: CallOptions): CallIndex {
  const n = t.count;
  const match = new Int32Array(n).fill(-1);
  const callAtClose = new Int32Array(n).fill(-1);
  const calls: Call[] = [];
  const landmarks: number[] = [];
  const braces: number[] = [];
  const stack = new BracketStack();
  const src: ArgSource = { t, match, keywordArgs: opts.keywordArgs };
  // The arrays in locals: one visit per token of the file.
  const { text, codes, kind: kinds, start, end } = t;
  const landmarkWords = opts.landmarks;
  let lastCallClose = -1;
  let lastCall: Call | null = null;
  /** Innermost open call, kept up to date as frames open and close. */
  let innermost = -1;

  const pop = (closeTok: number): void => {
    const k = --stack.size;
    const open = stack.open[k];
    match[open] = closeTok;
    if (closeTok < n && kinds[closeTok] === TK_OP) match[closeTok] = open;
    const id = stack.call[k];
    if (id >= 0) {
      const call = calls[id];
      call.close = closeTok;
      innermost = call.parent;
      if (closeTok < n) {
        callAtClose[closeTok] = id;
        lastCallClose = closeTok;
        lastCall = call;
      }
    }
  };

  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    if (kind === TK_NEWLINE) {
      // A Python logical line ends with every bracket closed; anything still open was malformed.
      while (stack.size) pop(i);
      continue;
    }
    if (kind === TK_NAME) {
      if (landmarkWords?.has(codes, text, start[i], end[i])) landmarks.push(i);
      continue;
    }
    if (kind !== TK_OP || end[i] - start[i] !== 1) continue;
    const c = codes[start[i]];
    if (c === CH.lbrace) braces.push(i);
    if (c === CH.lparen || c === CH.lbracket || c === CH.lbrace) {
      const call = c === CH.lparen ? calleeBefore(t, src, i, opts, lastCallClose, lastCall) : null;
      let id = -1;
      if (call) {
        id = call.id = calls.length;
        call.parent = innermost;
        innermost = id;
        calls.push(call);
      }
      stack.push(i, c, id);
      continue;
    }
    if (c === CH.rparen || c === CH.rbracket || c === CH.rbrace) {
      // Pop to the matching opener; a stray closer with no opener nearby is ignored.
      let k = stack.size - 1;
      const limit = Math.max(0, stack.size - 4);
      while (k >= limit && closerFor(stack.ch[k]) !== c) k--;
      if (k < limit) continue;
      while (stack.size > k) pop(i);
      continue;
    }
  }
  while (stack.size) pop(n);
  return { calls, match, callAtClose, landmarks, braces };
}

/**
 * `a.b.c` for the names at tokens s, s+2, …, p. Written without spaces, it is one slice of the
 * source: a flat string, where concatenation would build a rope that every Map lookup re-flattens.
 */
export function dottedText(t: Tokens, s: number, p: number, plainDots = true): string {
  let len = 0;
  for (let i = s; i <= p; i += 2) len += t.end[i] - t.start[i] + (i > s ? 1 : 0);
  if (plainDots && t.end[p] - t.start[s] === len) return t.text.slice(t.start[s], t.end[p]);
  let out = t.text_(s);
  for (let i = s + 2; i <= p; i += 2) out += '.' + t.text_(i);
  return out;
}

function makeArg(t: Tokens, s: number, e: number, keywordArgs: boolean): Arg {
  if (t.isOpText(s, '**')) return { name: null, nameTok: -1, start: s + 1, end: e, star: 2 };
  if (t.isOp(s, CH.star)) return { name: null, nameTok: -1, start: s + 1, end: e, star: 1 };
  if (keywordArgs && t.kind[s] === TK_NAME && t.isOp(s + 1, CH.eq) && s + 1 < e) {
    return { name: t.text_(s), nameTok: s, start: s + 2, end: e, star: 0 };
  }
  return { name: null, nameTok: -1, start: s, end: e, star: 0 };
}

/** Decides whether the `(` at `open` starts a call and, if so, reads its callee. */
function calleeBefore(t: Tokens, src: ArgSource, open: number, opts: CallOptions, lastCallClose: number, lastCall: Call | null): Call | null {
  const p = open - 1;
  if (p < 0) return null;
  const { text, codes, start, end } = t;
  if (t.kind[p] === TK_NAME) {
    if (opts.keywords.has(codes, text, start[p], end[p])) return null;
    if (t.kind[p - 1] === TK_NAME && opts.definers.has(codes, text, start[p - 1], end[p - 1])) return null;
    // Walk back over `.name` / `?.name` pairs to the start of the dotted callee.
    let s = p;
    let plain = true;
    while (s >= 2 && (t.isOp(s - 1, CH.dot) || t.isOpText(s - 1, '?.')) && t.kind[s - 2] === TK_NAME) {
      if (end[s - 1] - start[s - 1] !== 1) plain = false;
      s -= 2;
    }
    const callee = dottedText(t, s, p, plain);
    if (s >= 1 && (t.isOp(s - 1, CH.dot) || t.isOpText(s - 1, '?.'))) {
      // `expr.method(` where expr ends with a call, e.g. `tf.layers.lstm({...}).apply(x)`.
      const recv = s - 2 === lastCallClose && lastCall ? lastCall.id : -1;
      return new Call(src, recv >= 0 && lastCall ? lastCall.calleeStart : s, p, '.' + callee, recv, false, open);
    }
    return new Call(src, s, p, callee, -1, false, open);
  }
  if (t.kind[p] === TK_OP) {
    const c = codes[start[p]];
    if (c === CH.rparen && end[p] - start[p] === 1) {
      if (p === lastCallClose && lastCall) return new Call(src, lastCall.calleeStart, -1, '', lastCall.id, true, open);
      return new Call(src, p, -1, '', -1, true, open);
    }
    if (c === CH.rbracket) return new Call(src, p, -1, '', -1, true, open);
  }
  return null;
}

export const PYTHON_CALL_OPTIONS: CallOptions = {
  keywords: new WordSet([
    'if', 'elif', 'while', 'for', 'return', 'and', 'or', 'not', 'in', 'is', 'lambda', 'yield', 'await', 'else',
    'assert', 'del', 'with', 'as', 'except', 'raise', 'from', 'import',
  ]),
  definers: new WordSet(['def', 'class']),
  keywordArgs: true,
  landmarks: null,
};

export const JS_CALL_OPTIONS: CallOptions = {
  keywords: new WordSet([
    'if', 'while', 'for', 'switch', 'return', 'catch', 'typeof', 'in', 'of', 'instanceof', 'delete', 'void',
    'throw', 'case', 'do', 'else', 'yield', 'await', 'function', 'with', 'as', 'satisfies',
  ]),
  definers: new WordSet(['function', 'def', 'get', 'set', 'async', 'static', 'public', 'private', 'protected']),
  keywordArgs: false,
  // Conditionals (branches.ts) and what imports.ts reads.
  landmarks: new WordSet(['if', 'switch', 'import', 'function', 'class']),
};
