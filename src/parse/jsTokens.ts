// JS/TS tokenizer: one pass over char codes. `//` and `/* */` comments, '…' and "…" strings,
// template literals with `${…}` nesting (kept as one string token), and regex literals told from
// division by the token before the slash. Unterminated strings and regexes stop at the end of
// their line, so a half-typed one damages a single line.
import { skipJsDeclaration } from './prune';
import { CH, TK_NAME, TK_NUMBER, TK_OP, TK_STRING, Tokens, isIdentPart, isIdentStart, identEnd, numberEnd, opLength, Scanner, startsNumber } from './tokens';

/** After these words a `/` starts a regex, not a division. */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

class JsScanner extends Scanner {
  /** Closing character of each open bracket, followed as readCalls follows them (kept only when pruning). */
  private open = new Uint8Array(64);
  depth = 0;

  opened(c: number): void {
    if (this.depth === this.open.length) {
      const grown = new Uint8Array(this.depth * 2);
      grown.set(this.open);
      this.open = grown;
    }
    this.open[this.depth++] = c === CH.lparen ? CH.rparen : c + 2;
  }

  /** A closer pops to its opener among the top four, as in readCalls; a stray one is ignored (false). */
  closed(c: number): boolean {
    const limit = Math.max(0, this.depth - 4);
    let m = this.depth - 1;
    while (m >= limit && this.open[m] !== c) m--;
    if (m < limit) return false;
    this.depth = m;
    return true;
  }

  /** Whether a `/` after a token of this kind and span starts a regex rather than a division. */
  regexAfter(kind: number, s: number, e: number): boolean {
    if (kind === TK_NUMBER || kind === TK_STRING) return false;
    if (kind === TK_NAME) return REGEX_AFTER.has(this.text.slice(s, e));
    const c = this.codes[s];
    return !(e - s === 1 && (c === CH.rparen || c === CH.rbracket || c === CH.rbrace));
  }

  /** '…' or "…" from the quote at `q`; returns the index after it. */
  quoted(q: number): number {
    const t = this.codes;
    const quote = t[q];
    let i = q + 1;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.backslash) {
        const d = t[i + 1];
        if (d === CH.lf || d === CH.cr) i = this.newline(i + 1);
        else i += 2;
        continue;
      }
      if (c === quote) return i + 1;
      if (c === CH.lf || c === CH.cr) return i;
      i++;
    }
    return this.n;
  }

  /** A template literal from the backtick at `q`, with nested `${ … }` expressions. */
  template(q: number): number {
    const t = this.codes;
    let i = q + 1;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.backslash) {
        i += 2;
        continue;
      }
      if (c === CH.backtick) return i + 1;
      if (c === CH.lf || c === CH.cr) {
        i = this.newline(i);
        continue;
      }
      if (c === CH.dollar && t[i + 1] === CH.lbrace) {
        i = this.substitution(i + 2);
        continue;
      }
      i++;
    }
    return this.n;
  }

  /** Inside `${`: skip to the matching `}`, stepping over strings, templates and comments. */
  substitution(start: number): number {
    const t = this.codes;
    let depth = 0;
    let i = start;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.squote || c === CH.dquote) i = this.quoted(i);
      else if (c === CH.backtick) i = this.template(i);
      else if (c === CH.slash && t[i + 1] === CH.slash) i = this.lineComment(i);
      else if (c === CH.slash && t[i + 1] === CH.star) i = this.blockComment(i);
      else if (c === CH.lf || c === CH.cr) i = this.newline(i);
      else {
        if (c === CH.lbrace) depth++;
        else if (c === CH.rbrace) {
          if (depth === 0) return i + 1;
          depth--;
        }
        i++;
      }
    }
    return this.n;
  }

  lineComment(i: number): number {
    const t = this.codes;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.lf || c === CH.cr) return i;
      i++;
    }
    return i;
  }

  blockComment(i: number): number {
    const t = this.codes;
    i += 2;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.star && t[i + 1] === CH.slash) return i + 2;
      if (c === CH.lf || c === CH.cr) i = this.newline(i);
      else i++;
    }
    return this.n;
  }

  /** A regex literal from the slash at `s`, or -1 when the line ends first (then it was a division). */
  regex(s: number): number {
    const t = this.codes;
    let i = s + 1;
    let inClass = false;
    while (i < this.n) {
      const c = t[i];
      if (c === CH.lf || c === CH.cr) return -1;
      if (c === CH.backslash) {
        i += 2;
        continue;
      }
      if (c === CH.lbracket) inClass = true;
      else if (c === CH.rbracket) inClass = false;
      else if (c === CH.slash && !inClass) {
        i++;
        while (i < this.n && isIdentPart(t[i])) i++;
        return i;
      }
      i++;
    }
    return -1;
  }
}

/** `prune`: skim top-level functions and classes that cannot matter (prune.ts) instead of tokenizing them. */
export function tokenizeJs(text: string, prune = false): Tokens {
  // About one token per 3.6 characters in real code: room for all of them without growing (pruning leaves under half).
  const out = new Tokens(text, (prune ? text.length >> 3 : (text.length / 3) | 0) + 16);
  const sc = new JsScanner(text, out);
  const codes = out.codes;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = codes[i];
    // Names first: the commonest token (no test below takes an identifier character, bar two spaces).
    if ((isIdentStart(c) && c !== 0xa0 && c !== 0xfeff) || (c === CH.hash && isIdentStart(codes[i + 1]))) {
      // `export`, `async`, `function` or `class` in column 0, outside brackets.
      if (prune && sc.depth === 0 && (c === 101 || c === 97 || c === 102 || c === 99) && i === out.lineStarts[sc.line]) {
        const e = skipJsDeclaration(sc, i);
        if (e >= 0) {
          i = e;
          continue;
        }
      }
      const j = identEnd(codes, i, n);
      out.push(TK_NAME, i, j, sc.line);
      i = j;
      continue;
    }
    if (c === CH.lf || c === CH.cr) {
      i = sc.newline(i);
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0xfeff) {
      do i++;
      while (codes[i] === 32);
      continue;
    }
    if (c === CH.slash) {
      const d = codes[i + 1];
      if (d === CH.slash) {
        i = sc.lineComment(i);
        continue;
      }
      if (d === CH.star) {
        i = sc.blockComment(i);
        continue;
      }
      const k = out.count - 1;
      if (k < 0 || sc.regexAfter(out.kind[k], out.start[k], out.end[k])) {
        const e = sc.regex(i);
        if (e > 0) {
          out.push(TK_STRING, i, e, sc.line);
          i = e;
          continue;
        }
      }
    }
    if (c === CH.squote || c === CH.dquote) {
      const line = sc.line;
      const e = sc.quoted(i);
      out.push(TK_STRING, i, e, line);
      i = e;
      continue;
    }
    if (c === CH.backtick) {
      const line = sc.line;
      const e = sc.template(i);
      out.push(TK_STRING, i, e, line);
      i = e;
      continue;
    }
    if (startsNumber(codes, i)) {
      const j = numberEnd(codes, i, n);
      out.push(TK_NUMBER, i, j, sc.line);
      i = j;
      continue;
    }
    const len = opLength(codes, i);
    if (prune && len === 1) {
      if (c === CH.lparen || c === CH.lbracket || c === CH.lbrace) sc.opened(c);
      else if (c === CH.rparen || c === CH.rbracket || c === CH.rbrace) sc.closed(c);
    }
    out.push(TK_OP, i, i + len, sc.line);
    i += len;
  }
  return out;
}
