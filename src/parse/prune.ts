// Pre-scan pruning. Most of a long file is code that cannot hold a layer (data loading, metrics,
// plots), and tokenizing it costs more than everything else. A top-level Python function whose
// code names no library class, no framework module and no import is skimmed instead: strings,
// comments and brackets are followed exactly as the tokenizer follows them and lines are counted,
// but no token is emitted. Its one effect on the parse, the name it defines, is recorded. What the
// skim cannot follow exactly (an f-string prefix after `.`, a backslash continuation, a bracket
// left open) keeps the function. Names only the parse itself learns (aliases, variables holding
// layers) are checked afterwards by `prunedSafely`, which sends the parse round again unpruned.
import type { Call } from './calls';
import { classNames, mayRecognize } from './recognize';
import type { Scope } from './scope';
import { CH, isIdentPart, isIdentStart, type Tokens } from './tokens';

/** A set of identifiers tested on the source text without slicing most candidates. */
class WordSet {
  private readonly words: Set<string>;
  /** Bit `len` set when some word of that length starts with the ASCII character. */
  private readonly lengths = new Uint32Array(128);

  constructor(words: string[]) {
    this.words = new Set(words);
    for (const w of words) this.lengths[w.charCodeAt(0)] |= 1 << w.length;
  }

  has(text: string, s: number, e: number): boolean {
    const c = text.charCodeAt(s);
    const len = e - s;
    return c < 128 && len < 32 && (this.lengths[c] & (1 << len)) !== 0 && this.words.has(text.slice(s, e));
  }

  hasWord(w: string): boolean {
    return this.words.has(w);
  }

  /** Whether a dotted path names one of the words. */
  inPath(path: string): boolean {
    return path.split('.').some((p) => this.words.has(p));
  }
}

/** Library classes and the module names under which they are reached (recognize.ts), plus what binds names. */
const PYTHON_TRIGGERS = new WordSet([
  ...classNames(true),
  ...['import', 'getattr', 'class', 'keras', 'tf_keras', 'tensorflow', 'tf', 'torch', 'nn', 'layers', 'models', 'compat', 'recurrent', 'cudnn_recurrent'],
]);

/** What the skim needs of the Python scanner: its string reader and its line bookkeeping. */
export interface SkimScanner {
  line: number;
  readonly out: Tokens;
  newline(at: number): number;
  string(q: number, isF: boolean): number;
}

const DEF_HEAD = /(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/y;

/**
 * At a `def` in column 0 outside brackets: the end of the function (the next line starting in
 * column 0) when it can be skipped, recording it in `out.skipped`; else -1 with the scanner as it was.
 */
export function skipPythonDef(sc: SkimScanner, a: number): number {
  const text = sc.out.text;
  DEF_HEAD.lastIndex = a;
  const head = DEF_HEAD.exec(text);
  if (!head) return -1;
  const line = sc.line;
  const lines = sc.out.lineStarts.length;
  const b = skimBody(sc, text, a);
  if (b < 0) {
    sc.line = line;
    sc.out.lineStarts.length = lines;
    return -1;
  }
  sc.out.skipped.push(a, b);
  sc.out.skippedDefs.push(head[1]);
  return b;
}

function skimBody(sc: SkimScanner, text: string, a: number): number {
  const n = text.length;
  let depth = 0;
  let i = a;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH.lf || c === CH.cr) {
      i = sc.newline(i);
      const d = text.charCodeAt(i);
      // A line starting in column 0 (not blank, not a comment) ends the function.
      if (i < n && d !== CH.space && d !== CH.tab && d !== CH.ff && d !== CH.lf && d !== CH.cr && d !== CH.hash) return depth === 0 ? i : -1;
      continue;
    }
    if (c === CH.hash) {
      while (i < n && text.charCodeAt(i) !== CH.lf && text.charCodeAt(i) !== CH.cr) i++;
      continue;
    }
    if (c === CH.squote || c === CH.dquote) {
      const f = fPrefix(text, i);
      if (f < 0) return -1;
      i = sc.string(i, f === 1);
      continue;
    }
    if (isIdentStart(c) && !isIdentPart(text.charCodeAt(i - 1))) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      if (PYTHON_TRIGGERS.has(text, i, j)) return -1;
      i = j;
      continue;
    }
    if (c === CH.backslash && (text.charCodeAt(i + 1) === CH.lf || text.charCodeAt(i + 1) === CH.cr)) return -1;
    if (c === CH.lparen || c === CH.lbracket || c === CH.lbrace) depth++;
    else if (c === CH.rparen || c === CH.rbracket || c === CH.rbrace) depth = depth > 0 ? depth - 1 : 0;
    i++;
  }
  return depth === 0 ? n : -1;
}

/**
 * Whether the quote at `q` opens an f-string as the tokenizer reads it (1) or not (0): a prefix is
 * a name token of at most two of r/b/u/f. -1 when a number might have swallowed the letters.
 */
function fPrefix(text: string, q: number): number {
  let s = q;
  while (s > q - 3 && s > 0 && isIdentPart(text.charCodeAt(s - 1))) s--;
  if (s === q || q - s === 3) return 0;
  let f = false;
  for (let k = s; k < q; k++) {
    const c = text.charCodeAt(k) | 32;
    if (c === 102) f = true;
    else if (c !== 114 && c !== 98 && c !== 117) return 0;
  }
  if (!f) return 0;
  const p = text.charCodeAt(s - 1);
  return p === CH.dot || p === 43 || p === CH.minus ? -1 : 1;
}

/**
 * Whether skipping changed nothing: no skipped function mentions a name the parse resolved
 * through — an alias of a library path, a variable holding a layer, the head of a callee that
 * names a class. Anything else a skipped function assigns is local to it. (Trigger words need no
 * check: the skim already kept every function whose code names one.)
 */
export function prunedSafely(t: Tokens, calls: readonly Call[], scope: Scope, layerVars: Iterable<string>): boolean {
  if (t.skipped.length === 0) return true;
  const words = new Set<string>();
  for (const [name, paths] of scope.bindings) if (paths.some((p) => PYTHON_TRIGGERS.inPath(p))) words.add(name);
  for (const v of layerVars) words.add(v.slice(v.lastIndexOf('.') + 1));
  for (const c of calls) {
    if (!c.callee || c.callee.charCodeAt(0) === CH.dot || !mayRecognize(c.callee, scope)) continue;
    const dot = c.callee.indexOf('.');
    words.add(dot < 0 ? c.callee : c.callee.slice(0, dot));
  }
  for (const w of words) if (!PYTHON_TRIGGERS.hasWord(w) && mentioned(t.text, t.skipped, w)) return false;
  return true;
}

/** Whether `w` occurs as a whole word inside one of the ranges (start, end pairs in order). */
function mentioned(text: string, ranges: readonly number[], w: string): boolean {
  let p = text.indexOf(w, ranges[0]);
  for (let k = 0; k < ranges.length && p >= 0; k += 2) {
    if (p < ranges[k]) p = text.indexOf(w, ranges[k]);
    while (p >= 0 && p < ranges[k + 1]) {
      if (!isIdentPart(text.charCodeAt(p - 1)) && !isIdentPart(text.charCodeAt(p + w.length))) return true;
      p = text.indexOf(w, p + 1);
    }
  }
  return false;
}
