// Pre-scan pruning. Most of a long file is code that cannot hold a layer (data loading, metrics,
// plots), and reading it costs more than everything else. A top-level function or class whose
// code names no library class and no framework module is left out, its effects on the parse
// recorded: the name it defines, and (Python) its import statements, which the parse reads on
// their own (source.ts `readSkippedImports`). It is skimmed instead of tokenized: strings,
// comments, brackets (and in JS/TS regex literals and templates) are followed exactly as the
// tokenizer follows them and lines are counted, but no token is emitted. What the skim cannot
// follow exactly (an f-string prefix after `.`, a bracket left open, a JS statement continuing
// after the declaration) keeps the function. Names only the parse itself learns (aliases,
// variables holding layers, models that calls add to) are checked afterwards by `prunedSafely`,
// which sends the parse round again unpruned.
import { classNames, mayRecognize } from './recognize';
import type { Scope } from './scope';
import { CH, PART, TK_NAME, TK_NUMBER, TK_OP, TK_STRING, WordSet, identEnd, isDigit, isIdentPart, isIdentStart, numberEnd, opLength, type Tokens } from './tokens';

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

const DEF_HEAD = /(?:(?:async[ \t]+)?def|class)[ \t]+[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * At a `def` or `class` in column 0 outside brackets: the end of the function or class (the next
 * line starting in column 0) when it can be skipped, recording it in `out.skipped`; else -1 with the scanner as it was.
 */
export function skipPythonDef(sc: SkimScanner, a: number): number {
  const text = sc.out.text;
  // `test`, not `exec`: the name's range is all the skim keeps of the head.
  DEF_HEAD.lastIndex = a;
  if (!DEF_HEAD.test(text)) return -1;
  const nameEnd = DEF_HEAD.lastIndex;
  let nameStart = nameEnd;
  while (isIdentPart(sc.out.codes[nameStart - 1])) nameStart--;
  const isClass = text.startsWith('class', a);
  const line = sc.line;
  const lines = sc.out.lineCount;
  const imports = sc.out.skippedImports.length;
  sc.out.skippedNames ??= new Uint32Array(2048);
  // `class` is a trigger inside a body (a nested class is defined at module level for the parse): past it here.
  const b = skimBody(sc, text, sc.out.codes, isClass ? a + 5 : a, sc.out.skippedNames);
  if (b < 0) {
    sc.line = line;
    sc.out.lineCount = lines;
    sc.out.skippedImports.length = imports;
    return -1;
  }
  sc.out.skipped.push(a, b);
  sc.out.skippedDefNames.push(nameStart, nameEnd);
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

/** What the JS/TS skim needs of the lexer: its readers of strings, templates, comments and regexes, its bracket stack and line bookkeeping. */
export interface JsSkimScanner {
  line: number;
  depth: number;
  readonly out: Tokens;
  newline(at: number): number;
  quoted(q: number): number;
  template(q: number): number;
  lineComment(i: number): number;
  blockComment(i: number): number;
  regex(s: number): number;
  regexAfter(kind: number, s: number, e: number): boolean;
  opened(c: number): void;
  closed(c: number): boolean;
}

/** The JS skim's jump table (white space as the lexer counts it, `#` of a private name, `.` of a number). */
const JK_OTHER = 0;
const JK_SPACE = 1;
const JK_NEWLINE = 2;
const JK_NAME = 3;
const JK_HASH = 4;
const JK_DIGIT = 5;
const JK_DOT = 6;
const JK_QUOTE = 7;
const JK_BACKTICK = 8;
const JK_SLASH = 9;
const JK_OPEN = 10;
const JK_CLOSE = 11;
const JSKIM = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) JSKIM[c] = isIdentStart(c) ? JK_NAME : isDigit(c) ? JK_DIGIT : JK_OTHER;
JSKIM[CH.space] = JSKIM[CH.tab] = JSKIM[CH.ff] = JSKIM[0xa0] = JSKIM[0xfeff] = JK_SPACE;
JSKIM[CH.lf] = JSKIM[CH.cr] = JK_NEWLINE;
JSKIM[CH.hash] = JK_HASH;
JSKIM[CH.dot] = JK_DOT;
JSKIM[CH.squote] = JSKIM[CH.dquote] = JK_QUOTE;
JSKIM[CH.backtick] = JK_BACKTICK;
JSKIM[CH.slash] = JK_SLASH;
JSKIM[CH.lparen] = JSKIM[CH.lbracket] = JSKIM[CH.lbrace] = JK_OPEN;
JSKIM[CH.rparen] = JSKIM[CH.rbracket] = JSKIM[CH.rbrace] = JK_CLOSE;

/** As PYTHON_TRIGGER_BITS: hashing a name and testing its bit is cheaper than any word-set lookup here. */
const JS_TRIGGER_BITS = new Uint32Array(2048);
for (const w of JS_TRIGGERS.words()) noteName(JS_TRIGGER_BITS, hashOf(w));

/**
 * At a name in column 0 outside brackets: when a top-level function or class declaration starts
 * there that names no trigger word, its end, recording it in `out.skipped`; else -1 with the
 * scanner as it was. The declaration is read as the lexer would read it, token by token, without
 * emitting any: the bracket stack exactly as readCalls keeps it (a declaration starts and ends
 * with it empty, so leaving one out leaves readCalls' stack as it was, malformed brackets or not),
 * and regexes told from division by the token before. It is left out only when what follows reads
 * the same after the token before it (`followsDeclaration`).
 */
export function skipJsDeclaration(sc: JsSkimScanner, a: number): number {
  const { out } = sc;
  const k = out.count - 1;
  // A declaration follows a statement's end: `;`, `}`, an import's module string.
  if (k >= 0 && out.kind[k] !== TK_STRING && !out.isOp(k, CH.semi) && !out.isOp(k, CH.rbrace)) return -1;
  JS_HEAD.lastIndex = a;
  const head = JS_HEAD.exec(out.text);
  if (!head || JS_TRIGGERS.hasWord(head[2])) return -1;
  const nameEnd = identEnd(out.codes, JS_HEAD.lastIndex - 1, out.text.length);
  const line = sc.line;
  const lines = out.lineCount;
  const b = skimJsBody(sc, nameEnd, head[1] !== undefined);
  if (b < 0 || !followsDeclaration(sc, b)) {
    sc.line = line;
    out.lineCount = lines;
    sc.depth = 0;
    return -1;
  }
  out.skipped.push(a, b);
  out.skippedDefNames.push(JS_HEAD.lastIndex - head[2].length, JS_HEAD.lastIndex);
  return b;
}

/**
 * From the token after a declaration's name: the end of its body (after the `}` that empties the
 * bracket stack), or -1 when a name counts as a trigger (`jsTrigger`) or the declaration is not
 * one we understand: a name or operator starting a line, or `;` `=` before the body opens (an
 * overload signature, a statement).
 */
function skimJsBody(sc: JsSkimScanner, from: number, isClass: boolean): number {
  const { text, codes } = sc.out;
  const n = text.length;
  /** The body's `{` is open: the declaration ends when the stack empties again. */
  let inBody = false;
  /** A top-level `:` before the body (a return type), or a class: the body may then follow a name, `>`, `]` or `}`. */
  let typed = isClass;
  /** The previous token: the name's, at first. */
  let prevKind = TK_NAME;
  let prevS = from - 1;
  let prevE = from;
  /** Start of the current line. */
  let bol = sc.out.lineStarts[sc.line];
  let i = from;
  while (i < n) {
    const c = codes[i];
    let k = JSKIM[c];
    // `#name` is a private name, `.5` a number.
    if (k === JK_HASH) k = isIdentStart(codes[i + 1]) ? JK_NAME : JK_OTHER;
    else if (k === JK_DOT) k = isDigit(codes[i + 1]) ? JK_DIGIT : JK_OTHER;
    switch (k) {
      case JK_SPACE:
        do i++;
        while (codes[i] === CH.space);
        continue;
      case JK_NEWLINE:
        i = bol = sc.newline(i);
        continue;
      case JK_NAME: {
        let h = hashStep(0, c);
        let j = i + 1;
        for (let d = codes[j]; PART[d] !== 0; d = codes[++j]) h = hashStep(h, d);
        // The trigger words' bits first: they reject almost every name.
        if (mayBeNamed(JS_TRIGGER_BITS, h) && jsTrigger(codes, text, i, j, prevKind === TK_OP && isMemberDot(codes, prevS, prevE))) return -1;
        // A name starting a line before the body opens: no declaration we understand.
        if (!inBody && sc.depth === 0 && i === bol) return -1;
        prevKind = TK_NAME;
        prevS = i;
        i = prevE = j;
        continue;
      }
      case JK_DIGIT:
        prevKind = TK_NUMBER;
        prevS = i;
        i = prevE = numberEnd(codes, i, n);
        continue;
      case JK_QUOTE:
        prevKind = TK_STRING;
        prevS = i;
        i = prevE = sc.quoted(i);
        continue;
      case JK_BACKTICK:
        prevKind = TK_STRING;
        prevS = i;
        i = prevE = sc.template(i);
        continue;
      case JK_SLASH: {
        const d = codes[i + 1];
        if (d === CH.slash) {
          i = sc.lineComment(i);
          continue;
        }
        if (d === CH.star) {
          const line = sc.line;
          i = sc.blockComment(i);
          if (sc.line !== line) bol = sc.out.lineStarts[sc.line];
          continue;
        }
        if (sc.regexAfter(prevKind, prevS, prevE)) {
          const e = sc.regex(i);
          if (e > 0) {
            prevKind = TK_STRING;
            prevS = i;
            i = prevE = e;
            continue;
          }
        }
        break;
      }
      case JK_OPEN:
        if (!inBody && sc.depth === 0) {
          if (c === CH.lbrace && bodyMayOpen(codes, prevKind, prevS, prevE, typed)) inBody = true;
          else if (i === bol) return -1;
        }
        sc.opened(c);
        prevKind = TK_OP;
        prevS = i;
        prevE = ++i;
        continue;
      case JK_CLOSE:
        if (sc.closed(c) && sc.depth === 0 && inBody) return i + 1;
        prevKind = TK_OP;
        prevS = i;
        prevE = ++i;
        continue;
    }
    // Any other operator.
    const len = opLength(codes, i);
    if (!inBody && sc.depth === 0) {
      // `;` or `=` end a statement or declare something else (an overload signature, …). A `,`
      // outside brackets can only sit between type arguments (`): Map<string, number> {`).
      if (i === bol || (len === 1 && (c === CH.semi || c === CH.eq))) return -1;
      if (len === 1 && c === CH.colon) typed = true;
    }
    prevKind = TK_OP;
    prevS = i;
    i = prevE = i + len;
  }
  return -1;
}

/** Whether the operator `s..e` is a member access: `.` or `?.`. */
function isMemberDot(codes: Uint16Array, s: number, e: number): boolean {
  return e - s === 1 ? codes[s] === CH.dot : e - s === 2 && codes[s] === CH.question && codes[s + 1] === CH.dot;
}

/**
 * Whether the name `s..e` keeps its declaration: a module word, or a TF.js class as a member
 * (`tf.model`, `layers.lstm`: a bare `model(...)` is a library class only through an import or
 * destructuring that binds it, and `prunedSafely` checks skipped code for those names) — but
 * never one with a member access right after it (`tf.tensor`, `model.fit`).
 */
function jsTrigger(codes: Uint16Array, text: string, s: number, e: number, afterDot: boolean): boolean {
  const module = JS_MODULE_TRIGGERS.has(codes, text, s, e);
  if (!module && !(afterDot && JS_CLASS_TRIGGERS.has(codes, text, s, e))) return false;
  const d = codes[e];
  const d2 = codes[e + 1];
  const dotAfter = d === CH.dot ? !isDigit(d2) && !(d2 === CH.dot && codes[e + 2] === CH.dot) : d === CH.question && d2 === CH.dot && !isDigit(codes[e + 2]);
  return !dotAfter;
}

/** Whether a top-level `{` after the token `s..e` opens the body: after the parameters' `)`, or after a return type's last token. */
function bodyMayOpen(codes: Uint16Array, kind: number, s: number, e: number, typed: boolean): boolean {
  if (kind !== TK_OP) return typed;
  const c = codes[s];
  if (e - s === 1 && c === CH.rparen) return true;
  if (!typed) return false;
  if (e - s === 1 && (c === CH.rbracket || c === CH.rbrace)) return true;
  for (let i = s; i < e; i++) if (codes[i] !== 62) return false; // `>` `>>` closing generics
  return true;
}

/**
 * Whether the token after a declaration ending at `b` reads the same after the token before the
 * declaration: a name other than `else`, a literal, `(` or `[` — never an operator that would
 * continue the statement before, nor a `{`. Looks ahead without recording lines.
 */
function followsDeclaration(sc: JsSkimScanner, b: number): boolean {
  const { text, codes } = sc.out;
  const n = text.length;
  let i = b;
  for (;;) {
    const k = JSKIM[codes[i]];
    if (k === JK_SPACE || k === JK_NEWLINE) i++;
    else if (k === JK_SLASH && codes[i + 1] === CH.slash) i = sc.lineComment(i);
    else if (k === JK_SLASH && codes[i + 1] === CH.star) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else break;
  }
  if (i >= n) return true;
  switch (JSKIM[codes[i]]) {
    case JK_QUOTE:
    case JK_BACKTICK:
    case JK_DIGIT:
      return true;
    case JK_DOT:
      return isDigit(codes[i + 1]);
    case JK_HASH:
      return isIdentStart(codes[i + 1]);
    case JK_NAME:
      return !(identEnd(codes, i, n) - i === 4 && text.startsWith('else', i));
    default:
      return codes[i] === CH.lparen || codes[i] === CH.lbracket;
  }
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
