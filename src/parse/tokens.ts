// The token model both tokenizers fill and every later stage reads. Struct-of-arrays: a
// 5,000-line file yields ~50k tokens, and typed-array writes cost far less than 50k objects.

export const TK_NAME = 1;
export const TK_NUMBER = 2;
export const TK_STRING = 3;
export const TK_OP = 4;
/** End of a Python logical line (never emitted for JS/TS, where lines do not end statements). */
export const TK_NEWLINE = 5;

export class Tokens {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;
  /** Offset of the first character of every line (the first `lineCount` entries); line 0 starts at 0. */
  lineStarts: Int32Array;
  lineCount = 1;
  /** Source ranges (start, end pairs) the pre-scan skipped without emitting tokens (prune.ts). */
  readonly skipped: number[] = [];
  /** Source ranges of the import statements inside those ranges (Python): read on their own (source.ts). */
  readonly skippedImports: number[] = [];
  /** Where the names of the top-level functions and classes in those ranges are (start, end pairs). */
  readonly skippedDefNames: number[] = [];
  /**
   * A one-hash Bloom filter of the name tokens in those ranges (prune.ts `noteName`), filled by
   * the Python skim. JS/TS leaves it null: noting every name costs more than the text search the
   * filter would spare.
   */
  skippedNames: Uint32Array | null = null;
  /** The text's code units (`codeUnits`): what the scanning loops read. */
  readonly codes: Uint16Array;

  constructor(
    readonly text: string,
    capacity: number,
  ) {
    this.codes = codeUnits(text);
    const n = Math.max(16, capacity);
    this.kind = new Uint8Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.line = new Int32Array(n);
    // A typed array sized from the text (a line is rarely under 16 characters): no growth on most files.
    this.lineStarts = new Int32Array((text.length >> 4) + 16);
  }

  addLine(start: number): void {
    if (this.lineCount === this.lineStarts.length) {
      const grown = new Int32Array(this.lineCount * 2);
      grown.set(this.lineStarts);
      this.lineStarts = grown;
    }
    this.lineStarts[this.lineCount++] = start;
  }

  push(kind: number, start: number, end: number, line: number): void {
    const i = this.count;
    if (i === this.kind.length) this.grow();
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.line[i] = line;
    this.count = i + 1;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    const start = new Int32Array(n);
    start.set(this.start);
    const end = new Int32Array(n);
    end.set(this.end);
    const line = new Int32Array(n);
    line.set(this.line);
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.line = line;
  }

  /** The names of the top-level functions and classes the pre-scan skipped. */
  get skippedDefs(): string[] {
    const r = this.skippedDefNames;
    const out: string[] = [];
    for (let k = 0; k < r.length; k += 2) out.push(this.text.slice(r[k], r[k + 1]));
    return out;
  }

  text_(i: number): string {
    return this.text.slice(this.start[i], this.end[i]);
  }

  /** 0-based column of the token's first character. */
  col(i: number): number {
    return this.start[i] - this.lineStarts[this.line[i]];
  }

  /** The 0-based line and column of an offset (binary search over line starts). */
  position(offset: number): { line: number; character: number } {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - ls[lo] };
  }

  isOp(i: number, ch: number): boolean {
    return i >= 0 && i < this.count && this.kind[i] === TK_OP && this.end[i] - this.start[i] === 1 && this.codes[this.start[i]] === ch;
  }

  /** A multi-character operator such as `**` or `?.`. */
  isOpText(i: number, op: string): boolean {
    return i >= 0 && i < this.count && this.kind[i] === TK_OP && this.end[i] - this.start[i] === op.length && this.text.startsWith(op, this.start[i]);
  }

  isName(i: number, name?: string): boolean {
    if (i < 0 || i >= this.count || this.kind[i] !== TK_NAME) return false;
    return name === undefined || (this.end[i] - this.start[i] === name.length && this.text.startsWith(name, this.start[i]));
  }
}

/** A set of identifiers tested on the source text without slicing: most names share no bucket with a word. */
export class WordSet {
  private readonly set: Set<string>;
  /** Words by first ASCII character and length (`c * 32 + length`). */
  private readonly buckets: (string[] | undefined)[] = new Array<string[] | undefined>(128 * 32);

  constructor(words: string[]) {
    this.set = new Set(words);
    for (const w of this.set) (this.buckets[w.charCodeAt(0) * 32 + w.length] ??= []).push(w);
  }

  /** Whether the name `s..e` of the text (whose code units are `codes`) is one of the words. */
  has(codes: Uint16Array, text: string, s: number, e: number): boolean {
    const c = codes[s];
    const len = e - s;
    if (c >= 128 || len >= 32) return false;
    const bucket = this.buckets[c * 32 + len];
    if (bucket === undefined) return false;
    // The last character first: `const` shares `class`'s bucket.
    for (const w of bucket) if (w.charCodeAt(len - 1) === codes[e - 1] && text.startsWith(w, s)) return true;
    return false;
  }

  words(): Iterable<string> {
    return this.set;
  }

  hasWord(w: string): boolean {
    return this.set.has(w);
  }

  /** Whether a dotted path names one of the words. */
  inPath(path: string): boolean {
    return path.split('.').some((p) => this.set.has(p));
  }
}

/** Zeros after the text in `codeUnits`: scanners may look a few characters ahead without a bounds test. */
const PAD = 4;

/** Node's Buffer when present: it copies a string's code units natively (the parser must also run without it). */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBuffer, offset: number, length: number): { write(s: string, offset: number, encoding: 'utf16le'): number } } }).Buffer;

/**
 * The UTF-16 code units of `text`, followed by zeros. Scanning loops index this array instead of
 * calling charCodeAt: about twice as fast in V8. Past the end they read 0, which, like charCodeAt's
 * NaN, is no character any test looks for.
 */
export function codeUnits(text: string): Uint16Array {
  const n = text.length;
  const units = new Uint16Array(n + PAD);
  if (NodeBuffer && n > 0) {
    NodeBuffer.from(units.buffer, 0, 2 * n).write(text, 0, 'utf16le');
    // utf16le is little-endian; the typed array is in the machine's order.
    if (units[0] === text.charCodeAt(0)) return units;
  }
  for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
  return units;
}

export const CH = {
  tab: 9,
  lf: 10,
  ff: 12,
  cr: 13,
  space: 32,
  bang: 33,
  dquote: 34,
  hash: 35,
  dollar: 36,
  squote: 39,
  lparen: 40,
  rparen: 41,
  star: 42,
  comma: 44,
  minus: 45,
  dot: 46,
  slash: 47,
  zero: 48,
  nine: 57,
  colon: 58,
  semi: 59,
  eq: 61,
  question: 63,
  at: 64,
  lbracket: 91,
  backslash: 92,
  rbracket: 93,
  underscore: 95,
  backtick: 96,
  lbrace: 123,
  rbrace: 125,
} as const;

const IDENT_START = 1;
const IDENT_PART = 2;

/** ASCII character classes: one table load instead of a chain of range tests in the hot loops. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
  CLASS[c] = (letter ? IDENT_START | IDENT_PART : 0) | (c >= 48 && c <= 57 ? IDENT_PART : 0);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Letters, `_`, `$` and anything non-ASCII (identifiers may use any script). */
export function isIdentStart(c: number): boolean {
  return c < 128 ? (CLASS[c] & IDENT_START) !== 0 : c >= 128; // NaN or undefined (outside the text) is not
}

export function isIdentPart(c: number): boolean {
  return c < 128 ? (CLASS[c] & IDENT_PART) !== 0 : c >= 128;
}

/** `isIdentPart` for every UTF-16 code unit: the identifier loops read one table entry per character. */
export const PART = new Uint8Array(65536).fill(1);
for (let c = 0; c < 128; c++) PART[c] = CLASS[c] & IDENT_PART;

/** End of the identifier whose first character is at `i`. */
export function identEnd(codes: Uint16Array, i: number, n: number): number {
  let j = i + 1;
  while (j < n && PART[codes[j]] !== 0) j++;
  return j;
}

/**
 * Length of the operator starting at `i` (maximal munch over the operators both languages share,
 * plus JS's `=>`, `?.`, `??`, `===`). Only the operators later stages tell apart need to be exact:
 * `=` versus `==`/`<=`/`+=`, `*` versus `**`, `.` versus `...`.
 */
export function opLength(codes: Uint16Array, i: number): number {
  const c = codes[i];
  const c2 = codes[i + 1];
  const c3 = codes[i + 2];
  switch (c) {
    case 46: // .
      return c2 === 46 && c3 === 46 ? 3 : 1;
    case 61: // = == === =>
      if (c2 === 61) return c3 === 61 ? 3 : 2;
      return c2 === 62 ? 2 : 1;
    case 33: // ! != !==
      if (c2 === 61) return c3 === 61 ? 3 : 2;
      return 1;
    case 42: // * ** *= **=
    case 47: // / // /= //=
    case 60: // < << <= <<=
    case 38: // & && &= &&=
    case 124: // | || |= ||=
      if (c2 === c) return c3 === 61 ? 3 : 2;
      return c2 === 61 ? 2 : 1;
    case 62: // > >> >= >>= >>> >>>=
      if (c2 === 62) {
        if (c3 === 62) return codes[i + 3] === 61 ? 4 : 3;
        return c3 === 61 ? 3 : 2;
      }
      return c2 === 61 ? 2 : 1;
    case 63: // ? ?. ?? ??=
      if (c2 === 46 && !isDigit(c3)) return 2;
      if (c2 === 63) return c3 === 61 ? 3 : 2;
      return 1;
    case 45: // - -= -> --
      return c2 === 61 || c2 === 62 || c2 === 45 ? 2 : 1;
    case 43: // + += ++
      return c2 === 61 || c2 === 43 ? 2 : 1;
    case 58: // : :=
    case 37: // %
    case 94: // ^
    case 64: // @
      return c2 === 61 ? 2 : 1;
    default:
      return 1;
  }
}

/** What both tokenizers share: the text, the output, and line bookkeeping. */
export class Scanner {
  line = 0;
  readonly n: number;
  readonly codes: Uint16Array;

  constructor(
    readonly text: string,
    readonly out: Tokens,
  ) {
    this.n = text.length;
    this.codes = out.codes;
  }

  /** Records a line break at `at` (the index of `\n`, or of a lone `\r`). Returns the index after it. */
  newline(at: number): number {
    const c = this.codes;
    const next = c[at] === CH.cr && c[at + 1] === CH.lf ? at + 2 : at + 1;
    this.line++;
    this.out.addLine(next);
    return next;
  }
}

/** Whether a number literal starts at `i`: a digit, or `.` followed by a digit. */
export function startsNumber(codes: Uint16Array, i: number): boolean {
  const c = codes[i];
  return isDigit(c) || (c === CH.dot && isDigit(codes[i + 1]));
}

/**
 * End of the number literal starting at `i` (both languages: digits, letters for suffixes and
 * bases, `.`, `_`, and a sign right after an exponent `e` — but not inside a `0x` hex literal).
 */
export function numberEnd(codes: Uint16Array, i: number, n: number): number {
  const hex = codes[i] === CH.zero && (codes[i + 1] | 32) === 120;
  let j = i + 1;
  while (j < n) {
    const d = codes[j];
    if (isIdentPart(d) || d === CH.dot) j++;
    else if ((d === 43 || d === CH.minus) && (codes[j - 1] | 32) === 101 && !hex) j++; // 1e-3
    else break;
  }
  return j;
}
