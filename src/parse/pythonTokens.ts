// Python tokenizer: one pass over char codes. Strings of every kind (prefixes r/b/u/f and their
// pairs, triple quotes, f-string replacement fields that may nest quotes as in Python 3.12),
// comments, implicit joining inside brackets, backslash continuations. Emits TK_NEWLINE at the end
// of each logical line, which is how later stages find statements.
import { skipPythonDef } from './prune';
import { CH, TK_NAME, TK_NEWLINE, TK_NUMBER, TK_OP, TK_STRING, Tokens, isIdentStart, identEnd, numberEnd, opLength, Scanner, startsNumber } from './tokens';

/** Statements that cannot sit inside brackets: seeing one at column 0 means a bracket was left open while typing. */
const RECOVERY_WORDS = new Set(['def', 'class', 'import', 'from', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'return', 'async']);

class PyScanner extends Scanner {
  pos = 0;

  /**
   * Scans a string whose opening quote is at `q`; returns the index after the closing quote (or
   * the end of the line / file when unterminated, so an unfinished string damages one line only).
   */
  string(q: number, isF: boolean): number {
    const t = this.codes;
    const quote = t[q];
    const triple = t[q + 1] === quote && t[q + 2] === quote;
    if (triple && !isF) {
      const end = this.plainTriple(q);
      if (end >= 0) return end;
    }
    let i = triple ? q + 3 : q + 1;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.backslash) {
        const d = t[i + 1];
        if (d === CH.lf || d === CH.cr) i = this.newline(i + 1);
        else i += 2;
        continue;
      }
      if (c === quote) {
        if (!triple) return i + 1;
        if (t[i + 1] === quote && t[i + 2] === quote) return i + 3;
        i++;
        continue;
      }
      if (c === CH.lf || c === CH.cr) {
        if (!triple) return i;
        i = this.newline(i);
        continue;
      }
      if (isF && c === CH.lbrace) {
        if (t[i + 1] === CH.lbrace) {
          i += 2;
          continue;
        }
        i = this.replacementField(i + 1, triple);
        continue;
      }
      i++;
    }
    return this.n;
  }

  /**
   * A triple-quoted string without escapes or carriage returns (most docstrings), read by native
   * searches: the end after the closing quotes (or the end of the text), else -1.
   */
  plainTriple(q: number): number {
    const text = this.text;
    const close = text.indexOf(text[q] === '"' ? '"""' : "'''", q + 3);
    const end = close < 0 ? this.n : close;
    const body = text.slice(q + 3, end);
    if (body.indexOf('\\') >= 0 || body.indexOf('\r') >= 0) return -1;
    for (let p = body.indexOf('\n'); p >= 0; p = body.indexOf('\n', p + 1)) this.newline(q + 3 + p);
    return close < 0 ? this.n : close + 3;
  }

  /** Inside `{…}` of an f-string: an expression (strings inside may reuse the quote), then an optional format spec. */
  replacementField(start: number, triple: boolean): number {
    const t = this.codes;
    let i = start;
    let depth = 0;
    let spec = false;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.lf || c === CH.cr) {
        if (!triple) return i;
        i = this.newline(i);
        continue;
      }
      if (spec) {
        if (c === CH.lbrace) i = this.replacementField(i + 1, triple);
        else if (c === CH.rbrace) return i + 1;
        else i++;
        continue;
      }
      if (c === CH.squote || c === CH.dquote) {
        i = this.string(i, false);
        continue;
      }
      if (c === CH.lparen || c === CH.lbracket || c === CH.lbrace) depth++;
      else if (c === CH.rparen || c === CH.rbracket) depth = Math.max(0, depth - 1);
      else if (c === CH.rbrace) {
        if (depth === 0) return i + 1;
        depth--;
      } else if (c === CH.colon && depth === 0 && t[i + 1] !== CH.eq) spec = true;
      i++;
    }
    return this.n;
  }
}

function isStringPrefix(t: Uint16Array, s: number, e: number): { ok: boolean; f: boolean } {
  const len = e - s;
  if (len > 2) return { ok: false, f: false };
  let f = false;
  for (let i = s; i < e; i++) {
    const c = t[i] | 32;
    if (c === 102) f = true; // f
    else if (c !== 114 && c !== 98 && c !== 117) return { ok: false, f: false }; // r b u
  }
  return { ok: true, f };
}

/** `prune`: skim top-level functions that cannot matter (prune.ts) instead of tokenizing them. */
export function tokenizePython(text: string, prune = false): Tokens {
  // About one token per 4 characters; pruning leaves a third of them or less.
  const out = new Tokens(text, (text.length >> (prune ? 4 : 2)) + 16);
  const sc = new PyScanner(text, out);
  const codes = out.codes;
  const n = text.length;
  let i = 0;
  let depth = 0;
  let lineHasTokens = false;
  let atLineStart = true;
  while (i < n) {
    const c = codes[i];
    if (isIdentStart(c)) {
      // Names first: the commonest token, and no test below takes an identifier character.
      const lineStart = atLineStart;
      atLineStart = false;
      if (prune && lineStart && depth === 0 && i === out.lineStarts[sc.line] && (c === 100 || c === 97 || c === 99)) {
        // `def` / `async def` / `class` in column 0.
        const e = skipPythonDef(sc, i);
        if (e >= 0) {
          i = e;
          atLineStart = true;
          continue;
        }
      }
      const j = identEnd(codes, i, n);
      const q = codes[j];
      if (q === CH.squote || q === CH.dquote) {
        const p = isStringPrefix(codes, i, j);
        if (p.ok) {
          const startLine = sc.line;
          const e = sc.string(j, p.f);
          out.push(TK_STRING, i, e, startLine);
          lineHasTokens = true;
          i = e;
          continue;
        }
      }
      if (lineStart && depth > 0 && i === out.lineStarts[sc.line] && RECOVERY_WORDS.has(text.slice(i, j))) {
        // An unclosed bracket above: end that statement here rather than swallow the rest of the file.
        depth = 0;
        if (lineHasTokens) out.push(TK_NEWLINE, i, i, sc.line);
      }
      out.push(TK_NAME, i, j, sc.line);
      lineHasTokens = true;
      i = j;
      continue;
    }
    if (c === CH.lf || c === CH.cr) {
      if (depth === 0 && lineHasTokens) {
        out.push(TK_NEWLINE, i, i, sc.line);
        lineHasTokens = false;
      }
      i = sc.newline(i);
      atLineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 12) {
      // Runs of indentation and spaces: a tight loop instead of a trip through every test below.
      do i++;
      while (codes[i] === 32);
      continue;
    }
    if (c === CH.hash) {
      while (i < n) {
        const d = codes[i];
        if (d === CH.lf || d === CH.cr) break;
        i++;
      }
      continue;
    }
    if (c === CH.backslash) {
      const d = codes[i + 1];
      if (d === CH.lf || d === CH.cr) {
        i = sc.newline(i + 1);
        atLineStart = false;
        continue;
      }
    }
    const lineStart = atLineStart;
    atLineStart = false;
    if (c === CH.squote || c === CH.dquote) {
      const startLine = sc.line;
      const e = sc.string(i, false);
      out.push(TK_STRING, i, e, startLine);
      lineHasTokens = true;
      i = e;
      continue;
    }
    if (startsNumber(codes, i)) {
      const j = numberEnd(codes, i, n);
      out.push(TK_NUMBER, i, j, sc.line);
      lineHasTokens = true;
      i = j;
      continue;
    }
    const len = opLength(codes, i);
    if (c === CH.lparen || c === CH.lbracket || c === CH.lbrace) depth++;
    else if (c === CH.rparen || c === CH.rbracket || c === CH.rbrace) depth = depth > 0 ? depth - 1 : 0;
    else if (c === CH.at && lineStart && depth > 0 && i === out.lineStarts[sc.line]) {
      depth = 0;
      if (lineHasTokens) out.push(TK_NEWLINE, i, i, sc.line);
    }
    out.push(TK_OP, i, i + len, sc.line);
    lineHasTokens = true;
    i += len;
  }
  if (lineHasTokens) out.push(TK_NEWLINE, n, n, sc.line);
  return out;
}

