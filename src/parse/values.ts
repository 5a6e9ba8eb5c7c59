// Argument values: a token range read as a literal, a dotted name, a call, a sequence or an
// object/dict, else "other" (kept as source text, reported symbolic). Lazy: only the arguments of
// recognized calls are ever read.
import type { Assignment } from './assignments';
import { dottedText, type CallIndex } from './calls';
import { CH, TK_NAME, TK_NUMBER, TK_OP, TK_STRING, Tokens } from './tokens';

interface Span {
  /** Token range, end exclusive. */
  s: number;
  e: number;
}

export interface Prop {
  /** Property name; '' for spreads and computed keys. */
  key: string;
  keyTok: number;
  value: Value;
  shorthand: boolean;
}

export type Value =
  | (Span & { k: 'num'; v: number })
  | (Span & { k: 'str'; v: string })
  | (Span & { k: 'bool'; v: boolean })
  | (Span & { k: 'none' })
  | (Span & { k: 'name'; path: string })
  | (Span & { k: 'call'; call: number })
  | (Span & { k: 'seq'; items: Value[]; bracket: 'tuple' | 'list' })
  | (Span & { k: 'object'; props: Prop[] })
  | (Span & { k: 'other' });

export interface ValueContext {
  t: Tokens;
  ix: CallIndex;
  /** TypeScript `as` / `satisfies` casts may follow a value (JS/TS only). */
  casts: boolean;
}

/** Source text of a token range with comments and line breaks collapsed to one space. */
export function sourceText(t: Tokens, s: number, e: number): string {
  if (e <= s) return '';
  if (e - s === 1) return t.text_(s);
  // Most ranges (`layers.LSTM`) have nothing between their tokens: one slice.
  let k = s + 1;
  while (k < e && t.start[k] === t.end[k - 1]) k++;
  if (k === e) return t.text.slice(t.start[s], t.end[e - 1]);
  let out = '';
  for (let i = s; i < e; i++) {
    if (i > s && t.start[i] > t.end[i - 1]) out += ' ';
    out += t.text_(i);
  }
  return out;
}

/** Splits `s..e` at commas outside brackets; empty trailing parts (trailing commas) are dropped. */
export function splitTopLevel(ctx: ValueContext, s: number, e: number): Span[] {
  const { t, ix } = ctx;
  const parts: Span[] = [];
  let from = s;
  for (let i = s; i < e; i++) {
    if (ix.match[i] > i) {
      i = Math.min(ix.match[i], e - 1);
      continue;
    }
    if (t.isOp(i, CH.comma)) {
      parts.push({ s: from, e: i });
      from = i + 1;
    }
  }
  if (from < e) parts.push({ s: from, e });
  return parts;
}

function decodeNumber(raw: string): number | null {
  const clean = raw.includes('_') ? raw.replace(/_/g, '') : raw;
  const last = clean.charCodeAt(clean.length - 1) | 32;
  if (last === 106 || last === 110) return null; // 2j, 10n: complex and BigInt
  const v = Number(clean.endsWith('.') ? clean + '0' : clean);
  return Number.isFinite(v) ? v : null;
}

/** The characters of a string literal without prefix and quotes; null for f-strings and template literals with `${`. */
export function decodeString(raw: string): string | null {
  let i = 0;
  let f = false;
  while (i < raw.length && raw.charCodeAt(i) !== CH.squote && raw.charCodeAt(i) !== CH.dquote && raw.charCodeAt(i) !== CH.backtick) {
    if ((raw.charCodeAt(i) | 32) === 102) f = true;
    i++;
  }
  const q = raw.charCodeAt(i);
  if (q === CH.backtick) {
    if (raw.includes('${')) return null;
    return raw.slice(i + 1, raw.length - 1);
  }
  if (f && raw.includes('{')) return null;
  const triple = raw.charCodeAt(i + 1) === q && raw.charCodeAt(i + 2) === q && raw.length >= i + 6;
  const open = triple ? 3 : 1;
  let body = raw.slice(i + open);
  const close = String.fromCharCode(q).repeat(open);
  if (body.endsWith(close)) body = body.slice(0, body.length - open);
  return body;
}

/** Position of a top-level TS `as`/`satisfies` cast, or `e` when there is none. */
function castStart(ctx: ValueContext, s: number, e: number): number {
  const { t, ix } = ctx;
  for (let i = s; i < e; i++) {
    if (ix.match[i] > i) {
      i = Math.min(ix.match[i], e - 1);
      continue;
    }
    if (i > s && t.kind[i] === TK_NAME && (t.isName(i, 'as') || t.isName(i, 'satisfies')) && !t.isOp(i - 1, CH.dot)) return i;
  }
  return e;
}

/** An assignment's value, read once: the scope pass and every analysis stage need it. */
export function assignedValue(ctx: ValueContext, a: Assignment): Value {
  return (a.value ??= readValue(ctx, a.valueStart, a.valueEnd));
}

export function readValue(ctx: ValueContext, s0: number, e0: number): Value {
  const { t, ix } = ctx;
  const s = s0;
  let e = ctx.casts ? castStart(ctx, s0, e0) : e0;
  while (e > s + 1 && t.isOp(e - 1, CH.bang)) e--; // TS non-null assertion
  if (e <= s) return { k: 'other', s: s0, e: e0 };
  const k0 = t.kind[s];
  if (e - s === 1) {
    if (k0 === TK_NUMBER) {
      const v = decodeNumber(t.text_(s));
      return v === null ? { k: 'other', s, e } : { k: 'num', v, s, e };
    }
    if (k0 === TK_STRING) {
      const v = decodeString(t.text_(s));
      return v === null ? { k: 'other', s, e } : { k: 'str', v, s, e };
    }
    if (k0 === TK_NAME) {
      const w = t.text_(s);
      if (w === 'True' || w === 'true') return { k: 'bool', v: true, s, e };
      if (w === 'False' || w === 'false') return { k: 'bool', v: false, s, e };
      if (w === 'None' || w === 'null' || w === 'undefined') return { k: 'none', s, e };
      return { k: 'name', path: w, s, e };
    }
    return { k: 'other', s, e };
  }
  if (e - s === 2 && k0 === TK_OP && t.kind[s + 1] === TK_NUMBER && (t.isOp(s, CH.minus) || t.isOp(s, 43))) {
    const v = decodeNumber(t.text_(s + 1));
    if (v !== null) return { k: 'num', v: t.isOp(s, CH.minus) ? -v : v, s, e };
  }
  if (k0 === TK_STRING) {
    // Python implicit concatenation: 'a' 'b'.
    let v = '';
    let all = true;
    for (let i = s; i < e && all; i++) {
      const d = t.kind[i] === TK_STRING ? decodeString(t.text_(i)) : null;
      if (d === null) all = false;
      else v += d;
    }
    if (all) return { k: 'str', v, s, e };
  }
  if (k0 === TK_NAME) {
    let i = s + 1;
    let plain = true;
    while (i + 1 < e && (t.isOp(i, CH.dot) || t.isOpText(i, '?.')) && t.kind[i + 1] === TK_NAME) {
      if (t.end[i] - t.start[i] !== 1) plain = false;
      i += 2;
    }
    if (i === e) return { k: 'name', path: dottedText(t, s, e - 1, plain), s, e };
  }
  const callId = ix.callAtClose[e - 1];
  if (callId >= 0 && ix.calls[callId].calleeStart === s) return { k: 'call', call: callId, s, e };
  if (k0 === TK_OP && ix.match[s] === e - 1) {
    const c = t.codes[t.start[s]];
    if (c === CH.lparen) {
      const parts = splitTopLevel(ctx, s + 1, e - 1);
      const hasComma = parts.length > 1 || (parts.length === 1 && parts[0].e < e - 1);
      if (!hasComma && parts.length === 1) {
        const inner = readValue(ctx, parts[0].s, parts[0].e);
        return { ...inner, s, e };
      }
      return { k: 'seq', bracket: 'tuple', items: readItems(ctx, parts), s, e };
    }
    if (c === CH.lbracket) {
      return { k: 'seq', bracket: 'list', items: readItems(ctx, splitTopLevel(ctx, s + 1, e - 1)), s, e };
    }
    if (c === CH.lbrace) return { k: 'object', props: readProps(ctx, s + 1, e - 1), s, e };
  }
  return { k: 'other', s, e };
}

/**
 * The values of a tuple's or list's parts. Built by push, like the item lists in containers.ts:
 * arrays from `map` have another elements kind, and mixing both there sent V8 into deopt loops.
 */
function readItems(ctx: ValueContext, parts: Span[]): Value[] {
  const items: Value[] = [];
  for (const p of parts) items.push(readValue(ctx, p.s, p.e));
  return items;
}

/** JS object literal members or Python dict entries with literal keys. */
function readProps(ctx: ValueContext, s: number, e: number): Prop[] {
  const { t, ix } = ctx;
  const props: Prop[] = [];
  for (const part of splitTopLevel(ctx, s, e)) {
    const a = part.s;
    if (t.isOpText(a, '...') || t.isOpText(a, '**')) {
      props.push({ key: '', keyTok: -1, value: readValue(ctx, a + 1, part.e), shorthand: false });
      continue;
    }
    let colon = -1;
    for (let i = a; i < part.e; i++) {
      if (ix.match[i] > i) {
        i = Math.min(ix.match[i], part.e - 1);
        continue;
      }
      if (t.isOp(i, CH.colon)) {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      if (part.e - a === 1 && t.kind[a] === TK_NAME) {
        const key = t.text_(a);
        props.push({ key, keyTok: a, value: { k: 'name', path: key, s: a, e: a + 1 }, shorthand: true });
      }
      continue;
    }
    if (colon !== a + 1) continue; // computed key or method
    let key = '';
    if (t.kind[a] === TK_NAME || t.kind[a] === TK_NUMBER) key = t.text_(a);
    else if (t.kind[a] === TK_STRING) key = decodeString(t.text_(a)) ?? '';
    if (!key) continue;
    props.push({ key, keyTok: a, value: readValue(ctx, colon + 1, part.e), shorthand: false });
  }
  return props;
}

/**
 * Integer-valued arithmetic over literals and resolvable names (`DIGITS + 1`, `hidden // 2`):
 * + - * / // % ** and parentheses. Returns null for anything else.
 */
export function evalNumber(t: Tokens, s: number, e: number, lookup: (name: string) => number | null): number | null {
  // A lone name is the commonest case (`units=HIDDEN`): no parser needed.
  if (e - s === 1 && t.kind[s] === TK_NAME) {
    const v = lookup(t.text_(s));
    return v !== null && Number.isFinite(v) ? v : null;
  }
  const p = new Arithmetic(t, s, e, lookup);
  const v = p.sum();
  return p.i === e && v !== null && Number.isFinite(v) ? v : null;
}

/** Recursive descent over `s..e` for evalNumber: one object per expression rather than a closure per rule. */
class Arithmetic {
  i: number;

  constructor(
    private readonly t: Tokens,
    s: number,
    private readonly e: number,
    private readonly lookup: (name: string) => number | null,
  ) {
    this.i = s;
  }

  private primary(): number | null {
    const t = this.t;
    if (this.i >= this.e) return null;
    if (t.isOp(this.i, CH.minus) || t.isOp(this.i, 43)) {
      const neg = t.isOp(this.i, CH.minus);
      this.i++;
      const v = this.power();
      return v === null ? null : neg ? -v : v;
    }
    if (t.isOp(this.i, CH.lparen)) {
      this.i++;
      const v = this.sum();
      if (!t.isOp(this.i, CH.rparen)) return null;
      this.i++;
      return v;
    }
    if (t.kind[this.i] === TK_NUMBER) {
      const v = decodeNumber(t.text_(this.i));
      this.i++;
      return v;
    }
    if (t.kind[this.i] === TK_NAME) {
      let path = t.text_(this.i);
      this.i++;
      while (this.i + 1 < this.e && t.isOp(this.i, CH.dot) && t.kind[this.i + 1] === TK_NAME) {
        path += '.' + t.text_(this.i + 1);
        this.i += 2;
      }
      return this.lookup(path);
    }
    return null;
  }

  private power(): number | null {
    const b = this.primary();
    if (b === null) return null;
    if (this.i < this.e && this.t.isOpText(this.i, '**')) {
      this.i++;
      const x = this.power();
      return x === null ? null : b ** x;
    }
    return b;
  }

  private product(): number | null {
    const t = this.t;
    let v = this.power();
    while (v !== null && this.i < this.e && (t.isOp(this.i, CH.star) || t.isOp(this.i, CH.slash) || t.isOpText(this.i, '//') || t.isOp(this.i, 37))) {
      const op = t.text_(this.i);
      this.i++;
      const r = this.power();
      if (r === null) return null;
      if ((op === '/' || op === '//' || op === '%') && r === 0) return null;
      v = op === '*' ? v * r : op === '/' ? v / r : op === '//' ? Math.floor(v / r) : v % r;
    }
    return v;
  }

  sum(): number | null {
    const t = this.t;
    let v = this.product();
    while (v !== null && this.i < this.e && (t.isOp(this.i, 43) || t.isOp(this.i, CH.minus))) {
      const plus = t.isOp(this.i, 43);
      this.i++;
      const r = this.product();
      if (r === null) return null;
      v = plus ? v + r : v - r;
    }
    return v;
  }
}
