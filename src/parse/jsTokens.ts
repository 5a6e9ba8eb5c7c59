// JS/TS tokenizer: one pass over char codes. `//` and `/* */` comments, '…' and "…" strings,
// template literals with `${…}` nesting (kept as one string token), and regex literals told from
// division by the token before the slash. Unterminated strings and regexes stop at the end of
// their line, so a half-typed one damages a single line.
import { pruneJs } from './prune';
import { CH, TK_NAME, TK_NUMBER, TK_OP, TK_STRING, Tokens, isIdentPart, isIdentStart, identEnd, numberEnd, opLength, Scanner, startsNumber } from './tokens';

/** After these words a `/` starts a regex, not a division. */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

class JsScanner extends Scanner {

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

/** Whether a `/` after token `k` (the previous significant token) starts a regex. */
function slashStartsRegex(out: Tokens): boolean {
  const k = out.count - 1;
  if (k < 0) return true;
  const kind = out.kind[k];
  if (kind === TK_NUMBER || kind === TK_STRING) return false;
  if (kind === TK_NAME) return REGEX_AFTER.has(out.text_(k));
  const c = out.codes[out.start[k]];
  const single = out.end[k] - out.start[k] === 1;
  return !(single && (c === CH.rparen || c === CH.rbracket || c === CH.rbrace));
}

/** `prune`: leave out top-level functions that cannot matter (prune.ts). */
export function tokenizeJs(text: string, prune = false): Tokens {
  // About one token per 3.6 characters in real code: room for all of them without growing.
  const out = new Tokens(text, ((text.length / 3) | 0) + 16);
  const sc = new JsScanner(text, out);
  const codes = out.codes;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = codes[i];
    // Names first: the commonest token (no test below takes an identifier character, bar two spaces).
    if ((isIdentStart(c) && c !== 0xa0 && c !== 0xfeff) || (c === CH.hash && isIdentStart(codes[i + 1]))) {
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
      if (slashStartsRegex(out)) {
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
    out.push(TK_OP, i, i + len, sc.line);
    i += len;
  }
  if (prune) pruneJs(out);
  return out;
}
