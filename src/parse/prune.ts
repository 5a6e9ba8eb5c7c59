// Pre-scan pruning. Most of a long file is code that cannot hold a layer (data loading, metrics,
// plots), and reading it costs more than everything else. A top-level function whose code names
// no library class and no framework module is left out, its effects on the parse recorded: the
// name it defines, and (Python) its import statements, which the parse reads on their own
// (source.ts `readSkippedImports`). Python functions are skimmed instead of tokenized: strings,
// comments and brackets are followed exactly as the tokenizer follows them and lines are counted,
// but no token is emitted; what the skim cannot follow exactly (an f-string prefix after `.`, a
// bracket left open) keeps the function; top-level classes are skimmed the same way. JS/TS
// functions and classes are tokenized (regex literals and templates need the lexer) and their
// tokens dropped before any later stage when the statements around them read the same without
// them. Names only the parse itself learns (aliases, variables holding layers, models that calls add to) are
// checked afterwards by `prunedSafely`, which sends the parse round again unpruned.
import { classNames, mayRecognize } from './recognize';
import type { Scope } from './scope';
import { CH, PART, TK_NAME, TK_NUMBER, TK_OP, TK_STRING, WordSet, isDigit, isIdentPart, isIdentStart, type Tokens } from './tokens';

/** Library classes and the module names under which they are reached (recognize.ts), plus what binds names. */
const PYTHON_TRIGGERS = new WordSet([
  ...classNames(true),
  ...['getattr', 'class', 'keras', 'tf_keras', 'tensorflow', 'tf', 'torch', 'nn', 'layers', 'models', 'compat', 'recurrent', 'cudnn_recurrent'],
]);

// A trigger directly followed by `.` (`keras.callbacks.EarlyStopping`, `tf.Tensor`, `model.fit`)
// does not count: recognition needs a class's own name at the end of a path, a trigger itself,
// and an alias of a module is written without the dot (`K = keras`).

/** TF.js modules, plus what defines names JS code may use elsewhere (nested functions, classes). */
const JS_MODULE_WORDS = ['import', 'require', 'class', 'function', 'tf', 'tfjs', 'layers'];
const JS_MODULE_TRIGGERS = new WordSet(JS_MODULE_WORDS);
/**
 * TF.js classes. They count only as members (`tf.model`, `layers.lstm`): unlike Python, a bare
 * `model(...)` is a library class only through an import or destructuring that binds it, and
 * `prunedSafely` checks skipped code for those names.
 */
const JS_CLASS_TRIGGERS = new WordSet(classNames(false));
const JS_TRIGGERS = new WordSet([...classNames(false), ...JS_MODULE_WORDS]);

/** What the skim needs of the Python scanner: its string reader and its line bookkeeping. */
export interface SkimScanner {
  line: number;
  readonly out: Tokens;
  newline(at: number): number;
  string(q: number, isF: boolean): number;
}

const DEF_HEAD = /(?:(?:async[ \t]+)?def|(class))[ \t]+([A-Za-z_][A-Za-z0-9_]*)/y;

/**
 * At a `def` or `class` in column 0 outside brackets: the end of the function or class (the next
 * line starting in column 0) when it can be skipped, recording it in `out.skipped`; else -1 with the scanner as it was.
 */
export function skipPythonDef(sc: SkimScanner, a: number): number {
  const text = sc.out.text;
  DEF_HEAD.lastIndex = a;
  const head = DEF_HEAD.exec(text);
  if (!head) return -1;
  const line = sc.line;
  const lines = sc.out.lineStarts.length;
  const imports = sc.out.skippedImports.length;
  sc.out.skippedNames ??= new Uint32Array(2048);
  // `class` is a trigger inside a body (a nested class is defined at module level for the parse): past it here.
  const b = skimBody(sc, text, sc.out.codes, head[1] ? a + 5 : a, sc.out.skippedNames);
  if (b < 0) {
    sc.line = line;
    sc.out.lineStarts.length = lines;
    sc.out.skippedImports.length = imports;
    return -1;
  }
  sc.out.skipped.push(a, b);
  sc.out.skippedDefs.push(head[2]);
  return b;
}

/** What the skim does at each code unit (a jump table instead of a chain of tests). */
const SK_OTHER = 0;
const SK_SPACE = 1;
const SK_NEWLINE = 2;
const SK_HASH = 3;
const SK_QUOTE = 4;
const SK_NAME = 5;
const SK_DIGIT = 6;
const SK_BACKSLASH = 7;
const SK_OPEN = 8;
const SK_CLOSE = 9;
/** `*` and `;`, which an import statement must not hold. */
const SK_STAR_SEMI = 10;
const SKIM = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) SKIM[c] = isIdentStart(c) ? SK_NAME : isDigit(c) ? SK_DIGIT : SK_OTHER;
SKIM[CH.space] = SK_SPACE;
SKIM[CH.lf] = SKIM[CH.cr] = SK_NEWLINE;
SKIM[CH.hash] = SK_HASH;
SKIM[CH.squote] = SKIM[CH.dquote] = SK_QUOTE;
SKIM[CH.backslash] = SK_BACKSLASH;
SKIM[CH.lparen] = SKIM[CH.lbracket] = SKIM[CH.lbrace] = SK_OPEN;
SKIM[CH.rparen] = SKIM[CH.rbracket] = SKIM[CH.rbrace] = SK_CLOSE;
SKIM[CH.star] = SKIM[CH.semi] = SK_STAR_SEMI;

/** The trigger words' bits in the name filter's hash: most names are told apart without a text comparison. */
const PYTHON_TRIGGER_BITS = new Uint32Array(2048);
for (const w of PYTHON_TRIGGERS.words()) noteName(PYTHON_TRIGGER_BITS, hashOf(w));

function skimBody(sc: SkimScanner, text: string, codes: Uint16Array, a: number, names: Uint32Array): number {
  const n = text.length;
  const imports = sc.out.skippedImports;
  let depth = 0;
  let i = a;
  /** The next name starts a logical line. */
  let lineStart = false;
  /** Start of the import statement being skimmed, or -1. */
  let importAt = -1;
  while (i < n) {
    const c = codes[i];
    switch (SKIM[c]) {
      case SK_SPACE:
        // Indentation is the commonest character: a run at a time.
        do i++;
        while (codes[i] === CH.space);
        continue;
      case SK_NEWLINE: {
        if (depth === 0) {
          if (importAt >= 0) imports.push(importAt, i);
          importAt = -1;
          lineStart = true;
        }
        i = sc.newline(i);
        const d = codes[i];
        // A line starting in column 0 (not blank, not a comment) ends the function.
        if (i < n && d !== CH.space && d !== CH.tab && d !== CH.ff && d !== CH.lf && d !== CH.cr && d !== CH.hash) return depth === 0 ? i : -1;
        continue;
      }
      case SK_HASH:
        while (i < n && codes[i] !== CH.lf && codes[i] !== CH.cr) i++;
        continue;
      case SK_QUOTE: {
        const f = fPrefix(codes, i);
        if (f < 0) return -1;
        i = sc.string(i, f === 1);
        lineStart = false;
        continue;
      }
      case SK_NAME: {
        // One pass reads the name and hashes it for the filter (the text's padding ends the last one).
        let h = hashStep(0, c);
        let j = i + 1;
        for (let d = codes[j]; PART[d] !== 0; d = codes[++j]) h = hashStep(h, d);
        if (mayBeNamed(PYTHON_TRIGGER_BITS, h) && codes[j] !== CH.dot && PYTHON_TRIGGERS.has(codes, text, i, j)) return -1;
        if (j - i === 6 && text.startsWith('import', i)) {
          // An import statement of its own line: the parse reads it on its own (readSkippedImports).
          if (!(lineStart || importAt >= 0)) return -1;
          if (importAt < 0) importAt = i;
        } else if (lineStart && j - i === 4 && text.startsWith('from', i)) importAt = i;
        lineStart = false;
        noteName(names, h);
        i = j;
        continue;
      }
      case SK_DIGIT:
        // A number with its suffix letters (`1e5`, `0x1F`, `2j`): no name starts inside it.
        do i++;
        while (PART[codes[i]] !== 0);
        lineStart = false;
        continue;
      case SK_BACKSLASH:
        if (codes[i + 1] === CH.lf || codes[i + 1] === CH.cr) {
          // A continuation: the next line belongs to this logical line, wherever it starts.
          i = sc.newline(i + 1);
          lineStart = false;
          continue;
        }
        break;
      case SK_OPEN:
        depth++;
        break;
      case SK_CLOSE:
        depth = depth > 0 ? depth - 1 : 0;
        break;
      case SK_STAR_SEMI:
        // A star import binds names no one can list; a `;` could hide a statement after the import.
        if (importAt >= 0) return -1;
        break;
    }
    lineStart = false;
    i++;
  }
  if (depth !== 0) return -1;
  if (importAt >= 0) imports.push(importAt, n);
  return n;
}

/**
 * Whether the quote at `q` opens an f-string as the tokenizer reads it (1) or not (0): a prefix is
 * a name token of at most two of r/b/u/f. -1 when a number might have swallowed the letters.
 */
function fPrefix(codes: Uint16Array, q: number): number {
  let s = q;
  while (s > q - 3 && s > 0 && isIdentPart(codes[s - 1])) s--;
  if (s === q || q - s === 3) return 0;
  let f = false;
  for (let k = s; k < q; k++) {
    const c = codes[k] | 32;
    if (c === 102) f = true;
    else if (c !== 114 && c !== 98 && c !== 117) return 0;
  }
  if (!f) return 0;
  const p = codes[s - 1];
  return p === CH.dot || p === 43 || p === CH.minus ? -1 : 1;
}

/** `function name` (optionally async or a generator) or `class name` at the start of a line, optionally exported (as default). */
const JS_HEAD = /(?:export[ \t]+(?:default[ \t]+)?)?(?:(?:async[ \t]+)?function[ \t]*\*?[ \t]*|(class)[ \t]+)([A-Za-z_$][\w$]*)/y;

/**
 * Drops top-level JS/TS function and class declarations that name no trigger word from the tokens, recording
 * their source ranges and names. Keeps the bracket stack exactly as readCalls will (a closer pops
 * to its opener among the top four, a stray one is ignored): a function starts and ends with that
 * stack empty, so leaving it out leaves readCalls' stack as it was, malformed brackets or not.
 * One pass over the typed arrays, after tokenizing: the lexer alone tells regexes from division.
 */
export function pruneJs(out: Tokens): void {
  drop(out, droppableJs(out));
}

/** Token ranges (start, end) of the whole top-level functions that name no trigger word. */
function droppableJs(out: Tokens): number[] {
  const { text, codes, kind, start, end, line, lineStarts } = out;
  const n = out.count;
  /** Closing character of each open bracket. */
  let open = new Uint8Array(64);
  let size = 0;
  /** First token of the function being followed, or -1. */
  let from = -1;
  /** Its name token: the head's own words are no triggers. */
  let nameTok = 0;
  /** The body's `{` is open: the function ends when the stack empties again. */
  let inBody = false;
  /** A top-level `:` before the body (a return type): the body may then follow a name, `>`, `]` or `}`. */
  let typed = false;
  const found: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    const s = start[i];
    if (k === TK_NAME) {
      if (from >= 0) {
        // A name starting a line before the body opens: no declaration we understand.
        if (i > nameTok && (jsTrigger(out, i) || (!inBody && size === 0 && lineStarts[line[i]] === s))) from = -1;
      } else if (size === 0 && lineStarts[line[i]] === s && afterStatement(out, i - 1)) {
        JS_HEAD.lastIndex = s;
        const head = JS_HEAD.exec(text);
        if (head && !JS_TRIGGERS.hasWord(head[2])) {
          from = i;
          nameTok = i;
          while (start[nameTok] < JS_HEAD.lastIndex - head[2].length) nameTok++;
          inBody = false;
          // A class body follows its name or heritage clause (`extends Base<T>`) as a typed function's follows its return type.
          typed = head[1] !== undefined;
        }
      }
      continue;
    }
    if (k !== TK_OP) continue;
    const c = codes[s];
    const single = end[i] - s === 1;
    const header = from >= 0 && !inBody && size === 0;
    if (single && (c === CH.lparen || c === CH.lbracket || c === CH.lbrace)) {
      if (header) {
        if (c === CH.lbrace && bodyMayOpen(out, i - 1, typed)) inBody = true;
        else if (lineStarts[line[i]] === s) from = -1;
      }
      if (size === open.length) {
        const grown = new Uint8Array(size * 2);
        grown.set(open);
        open = grown;
      }
      open[size++] = c === CH.lparen ? CH.rparen : c + 2;
      continue;
    }
    if (single && (c === CH.rparen || c === CH.rbracket || c === CH.rbrace)) {
      let m = size - 1;
      const limit = Math.max(0, size - 4);
      while (m >= limit && open[m] !== c) m--;
      if (m < limit) continue;
      size = m;
      if (m === 0 && from >= 0 && inBody) {
        found.push(from, i + 1);
        from = -1;
      }
      continue;
    }
    if (header) {
      // `;`, `=` or `,` end a statement or declare something else (an overload signature, …).
      if (lineStarts[line[i]] === s || (single && (c === CH.semi || c === CH.eq || c === CH.comma))) from = -1;
      else if (single && c === CH.colon) typed = true;
    }
  }
  return found;
}

/** Whether name token `i` keeps its function (see the triggers above). */
function jsTrigger(out: Tokens, i: number): boolean {
  const { codes, text, start, end } = out;
  // The word sets first: they reject almost every name.
  const module = JS_MODULE_TRIGGERS.has(codes, text, start[i], end[i]);
  if (!module && !JS_CLASS_TRIGGERS.has(codes, text, start[i], end[i])) return false;
  if (i + 1 < out.count && start[i + 1] === end[i] && (out.isOp(i + 1, CH.dot) || out.isOpText(i + 1, '?.'))) return false;
  return module || out.isOp(i - 1, CH.dot) || out.isOpText(i - 1, '?.');
}

/** Whether token `k` ends a statement such that a declaration may follow (`;`, `}`, an import's module string). */
function afterStatement(out: Tokens, k: number): boolean {
  return k < 0 || out.kind[k] === TK_STRING || out.isOp(k, CH.semi) || out.isOp(k, CH.rbrace);
}

/** Whether a top-level `{` after token `k` opens the body: after the parameters' `)`, or after a return type's last token. */
function bodyMayOpen(out: Tokens, k: number, typed: boolean): boolean {
  if (out.kind[k] !== TK_OP) return typed;
  const s = out.start[k];
  const e = out.end[k];
  const c = out.text.charCodeAt(s);
  if (e - s === 1 && c === CH.rparen) return true;
  if (!typed) return false;
  if (e - s === 1 && (c === CH.rbracket || c === CH.rbrace)) return true;
  for (let i = s; i < e; i++) if (out.text.charCodeAt(i) !== 62) return false; // `>` `>>` closing generics
  return true;
}

/**
 * Removes the functions found, when what follows reads the same after the token before them: a
 * name other than `else`, a literal, `(` or `[` — never an operator that would continue the
 * statement before, nor a `{`.
 */
function drop(out: Tokens, found: readonly number[]): void {
  if (found.length === 0) return;
  const n = out.count;
  let w = found[0];
  let r = found[0];
  for (let q = 0; q < found.length; q += 2) {
    const a = found[q];
    const b = found[q + 1];
    if (!followsDeclaration(out, b)) continue;
    out.skipped.push(out.start[a], out.end[b - 1]);
    JS_HEAD.lastIndex = out.start[a];
    out.skippedDefs.push(JS_HEAD.exec(out.text)![2]);
    move(out, r, a, w);
    w += a - r;
    r = b;
  }
  move(out, r, n, w);
  out.count = w + n - r;
}

function followsDeclaration(out: Tokens, b: number): boolean {
  if (b >= out.count) return true;
  const kind = out.kind[b];
  if (kind === TK_STRING || kind === TK_NUMBER) return true;
  if (kind === TK_NAME) return !out.isName(b, 'else');
  return out.isOp(b, CH.lparen) || out.isOp(b, CH.lbracket);
}

/** Copies tokens [from, to) down to `at`. */
function move(out: Tokens, from: number, to: number, at: number): void {
  if (from === at) return;
  out.kind.copyWithin(at, from, to);
  out.start.copyWithin(at, from, to);
  out.end.copyWithin(at, from, to);
  out.line.copyWithin(at, from, to);
}

/** What the parse resolved through, for `prunedSafely`. */
export interface ReliedOn {
  /** Every callee spelling in the parsed code. */
  callees: Iterable<string>;
  /** Variables that held a layer (dotted for attributes: `self.rnn`). */
  layerVars: Iterable<string>;
  /** Receivers of `.add(...)` calls. */
  addReceivers: Iterable<string>;
}

/**
 * Whether skipping changed nothing: no skipped function mentions a name the parse resolved
 * through — an alias of a library path, a variable holding a layer, the head of a callee that
 * names a class — nor adds to a model the parse adds to. Anything else a skipped function assigns
 * is local to it. (Trigger words need no check: the pre-scan kept every function naming one.)
 */
export function prunedSafely(t: Tokens, relied: ReliedOn, scope: Scope, python: boolean): boolean {
  if (t.skipped.length === 0) return true;
  const triggers = python ? PYTHON_TRIGGERS : JS_TRIGGERS;
  const last = (v: string): string => v.slice(v.lastIndexOf('.') + 1);
  const checks = new Map<string, Mention>();
  const check = (w: string, how: Mention): void => {
    const had = checks.get(w);
    // An assignable occurrence is a bare one; other pairs need every occurrence looked at.
    const both = (a: Mention, b: Mention): boolean => (had === a && how === b) || (had === b && how === a);
    checks.set(w, had === undefined || had === how ? how : both('bare', 'assigned') ? 'bare' : 'any');
  };
  // An alias is used harmlessly as `L.Foo` (a class would be named: a trigger), not as `X = L`.
  for (const [name, paths] of scope.bindings) if (paths.some((p) => triggers.inPath(p))) check(name, 'bare');
  for (const v of relied.layerVars) check(last(v), 'any');
  // A skipped `model.fit(x)` changes nothing; a skipped `model.add(...)` adds a layer.
  for (const v of relied.addReceivers) check(last(v), 'add');
  for (const callee of relied.callees) {
    if (callee.charCodeAt(0) === CH.dot || !mayRecognize(callee, scope, python)) continue;
    const dot = callee.indexOf('.');
    // Skipped code changes what a callee's head means only by binding it (Python: assigning it,
    // as its imports and definitions are read anyway), never as `self.x` or `tf.Tensor`.
    check(dot < 0 ? callee : callee.slice(0, dot), python ? 'assigned' : 'bare');
  }
  for (const [w, how] of checks) {
    // Skipped code names these only with a `.` after them (the pre-scan kept every other function).
    if ((how === 'bare' || how === 'assigned') && (python ? PYTHON_TRIGGERS : JS_MODULE_TRIGGERS).hasWord(w)) continue;
    if ((!t.skippedNames || mayBeNamed(t.skippedNames, hashOf(w))) && mentioned(t.text, t.skipped, w, how)) return false;
  }
  return true;
}

/** One character of the string hash behind the filter; a name's bit is its low 16 bits. */
function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/** Records a name token of skipped code by its hash; a name never recorded is not in it, so `mentioned` need not search. */
function noteName(bits: Uint32Array, hash: number): void {
  const b = hash & 0xffff;
  bits[b >>> 5] |= 1 << (b & 31);
}

/** The filter's hash of a whole name. */
function hashOf(w: string): number {
  let h = 0;
  for (let i = 0; i < w.length; i++) h = hashStep(h, w.charCodeAt(i));
  return h;
}

/** Whether a name of this hash may have been noted (false positives go on to a text comparison). */
function mayBeNamed(bits: Uint32Array, hash: number): boolean {
  const b = hash & 0xffff;
  return (bits[b >>> 5] & (1 << (b & 31))) !== 0;
}

/**
 * Which occurrences of a name in skipped code count: any; one without a `.` right after it; one
 * a Python statement could assign; one receiving `.add`.
 */
type Mention = 'any' | 'bare' | 'assigned' | 'add';

/** Whether `w` occurs as a whole word inside one of the ranges (start, end pairs in order), as `how` says. */
function mentioned(text: string, ranges: readonly number[], w: string, how: Mention): boolean {
  let p = text.indexOf(w, ranges[0]);
  for (let k = 0; k < ranges.length && p >= 0; k += 2) {
    if (p < ranges[k]) p = text.indexOf(w, ranges[k]);
    while (p >= 0 && p < ranges[k + 1]) {
      const e = p + w.length;
      if (!isIdentPart(text.charCodeAt(p - 1)) && !isIdentPart(text.charCodeAt(e)) && counts(text, p, e, how)) return true;
      p = text.indexOf(w, p + 1);
    }
  }
  return false;
}

function counts(text: string, s: number, e: number, how: Mention): boolean {
  switch (how) {
    case 'any':
      return true;
    case 'bare':
      return text[e] !== '.' && !(text[e] === '?' && text[e + 1] === '.');
    case 'assigned':
      return assignable(text, s, e);
    case 'add':
      return addedTo(text, e);
  }
}

/** First on its line or after `;` (past `(` / `[`), then `=` (not `==`) or `:` (past `)` / `]`). */
function assignable(text: string, s: number, e: number): boolean {
  let i = s - 1;
  while (i >= 0 && ' \t([\f'.includes(text[i])) i--;
  if (i >= 0 && !'\n\r;'.includes(text[i])) return false;
  let j = e;
  while (j < text.length && ' \t)]\f'.includes(text[j])) j++;
  return text[j] === ':' || (text[j] === '=' && text[j + 1] !== '=');
}

/** `.add` (or `?.add`) follows, across white space; a comment in between counts as one. */
function addedTo(text: string, e: number): boolean {
  const skip = (j: number): number => {
    while (j < text.length && ' \t\n\r\f'.includes(text[j])) j++;
    return j;
  };
  let j = skip(e);
  if (text[j] === '#' || text[j] === '/') return true;
  if (text[j] === '?' && text[j + 1] === '.') j++;
  if (text[j] !== '.') return false;
  j = skip(j + 1);
  if (text[j] === '#' || text[j] === '/') return true;
  return text.startsWith('add', j) && !isIdentPart(text.charCodeAt(j + 3));
}
