// Mutually exclusive code: the arms of if/elif/else (Python, JS) and switch/case (JS). Two layers
// in different arms of one conditional never sit in the same model run, so a model walk keeps one
// arm per conditional and reports the others as alternatives (tfjs-examples addition-rnn chooses
// SimpleRNN/GRU/LSTM with a switch; pytorch word_language_model with an if).
import type { Statement } from './assignments';
import type { CallIndex } from './calls';
import { CH, Tokens } from './tokens';

export interface Arm {
  /** Conditional id (one per if-chain or switch). */
  cid: number;
  /** Arm index within the conditional. */
  arm: number;
  /** Token range, end exclusive. */
  s: number;
  e: number;
}

export function pythonArms(t: Tokens, statements: Statement[]): Arm[] {
  const arms: Arm[] = [];
  const open: { indent: number; cid: number; arm: number; s: number }[] = [];
  let next = 0;
  for (const st of statements) {
    const word = t.isName(st.s) ? t.text_(st.s) : '';
    let continued = false;
    while (open.length && st.indent <= open[open.length - 1].indent) {
      const top = open[open.length - 1];
      arms.push({ cid: top.cid, arm: top.arm, s: top.s, e: st.s });
      if (st.indent === top.indent && (word === 'elif' || word === 'else')) {
        top.arm++;
        top.s = st.s;
        continued = true;
        break;
      }
      open.pop();
    }
    if (!continued && word === 'if') open.push({ indent: st.indent, cid: next++, arm: 0, s: st.s });
  }
  for (const top of open) arms.push({ cid: top.cid, arm: top.arm, s: top.s, e: t.count });
  return arms;
}

/** The statement or block starting at `i`: a `{…}` group, else up to the next `;` outside brackets. */
function bodyRange(t: Tokens, ix: CallIndex, i: number): { s: number; e: number } {
  if (t.isOp(i, CH.lbrace) && ix.match[i] > i) return { s: i, e: Math.min(ix.match[i] + 1, t.count) };
  let j = i;
  while (j < t.count && !t.isOp(j, CH.semi)) {
    if (ix.match[j] > j) j = ix.match[j];
    else if (ix.match[j] >= 0 && ix.match[j] < j) break; // the enclosing block closes
    j++;
  }
  return { s: i, e: Math.min(j + 1, t.count) };
}

export function jsArms(t: Tokens, ix: CallIndex): Arm[] {
  const arms: Arm[] = [];
  const chained = new Set<number>();
  let next = 0;
  for (const i of ix.landmarks) {
    if (t.isName(i, 'if') && !chained.has(i) && t.isOp(i + 1, CH.lparen) && !t.isOp(i - 1, CH.dot)) {
      const cid = next++;
      let arm = 0;
      let k = i;
      for (;;) {
        const close = ix.match[k + 1];
        if (close <= k + 1 || close >= t.count) break;
        const body = bodyRange(t, ix, close + 1);
        arms.push({ cid, arm: arm++, s: body.s, e: body.e });
        const after = body.e;
        if (!t.isName(after, 'else')) break;
        if (t.isName(after + 1, 'if') && t.isOp(after + 2, CH.lparen)) {
          chained.add(after + 1);
          k = after + 1;
          continue;
        }
        const last = bodyRange(t, ix, after + 1);
        arms.push({ cid, arm, s: last.s, e: last.e });
        break;
      }
    } else if (t.isName(i, 'switch') && t.isOp(i + 1, CH.lparen)) {
      const close = ix.match[i + 1];
      const open = close + 1;
      if (close <= i + 1 || !t.isOp(open, CH.lbrace) || ix.match[open] <= open) continue;
      const end = ix.match[open];
      const cid = next++;
      let arm = 0;
      let start = -1;
      for (let j = open + 1; j < end; j++) {
        if (ix.match[j] > j) {
          j = ix.match[j];
          continue;
        }
        if (t.isName(j, 'case') || t.isName(j, 'default')) {
          if (start >= 0) arms.push({ cid, arm: arm++, s: start, e: j });
          start = j;
        }
      }
      if (start >= 0) arms.push({ cid, arm, s: start, e: end });
    }
  }
  return arms;
}

/** The arms containing a token. */
export function armsAt(arms: Arm[], pos: number): Arm[] {
  if (arms.length < 16) return arms.filter((a) => a.s <= pos && pos < a.e);
  const index = indexOf(arms);
  const out: Arm[] = [];
  for (let i = innermost(index, pos); i >= 0; i = index.parent[i]) if (pos < index.sorted[i].e) out.push(index.sorted[i]);
  return out;
}

/**
 * Index (in `sorted`) of the innermost arm containing pos, or -1. Arms nest properly: every arm
 * containing pos is the last arm starting at or before pos, or one of its ancestors.
 */
function innermost(index: ArmIndex, pos: number): number {
  let lo = 0;
  let hi = index.sorted.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.sorted[mid].s <= pos) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  while (k >= 0 && pos >= index.sorted[k].e) k = index.parent[k];
  return k;
}

interface ArmIndex {
  sorted: Arm[];
  /** Index (in `sorted`) of the innermost arm enclosing each arm, or -1. */
  parent: number[];
}

const indexes = new WeakMap<Arm[], ArmIndex>();

function indexOf(arms: Arm[]): ArmIndex {
  let index = indexes.get(arms);
  if (index) return index;
  const sorted = [...arms].sort((a, b) => a.s - b.s || b.e - a.e);
  const parent: number[] = [];
  const stack: number[] = [];
  sorted.forEach((a, i) => {
    while (stack.length && sorted[stack[stack.length - 1]].e <= a.s) stack.pop();
    parent.push(stack.length ? stack[stack.length - 1] : -1);
    stack.push(i);
  });
  index = { sorted, parent };
  indexes.set(arms, index);
  return index;
}

/**
 * Picks one arm per conditional: the first arm holding a preferred item (a recurrent layer),
 * else the first arm seen. Returns which positions are kept.
 */
export function chooseArms(arms: Arm[], positions: number[], preferred: boolean[]): boolean[] {
  if (!splits(arms, positions)) return positions.map(() => true);
  const chosen = new Map<number, number>();
  const at = positions.map((p) => armsAt(arms, p));
  const fits = (as: Arm[]): boolean => as.every((a) => !chosen.has(a.cid) || chosen.get(a.cid) === a.arm);
  const take = (as: Arm[]): void => as.forEach((a) => chosen.set(a.cid, a.arm));
  at.forEach((as, k) => {
    if (preferred[k] && fits(as)) take(as);
  });
  return at.map((as) => {
    if (!fits(as)) return false;
    take(as);
    return true;
  });
}

/** Whether some arm holds some of the positions but not all (else they all sit in the same arms: nothing to choose). */
function splits(arms: Arm[], positions: number[]): boolean {
  if (positions.length < 2 || arms.length === 0) return false;
  if (arms.length < 16) {
    // As armsAt reads them: each arm against each position.
    const p0 = positions[0];
    for (const a of arms) {
      const in0 = a.s <= p0 && p0 < a.e;
      for (const p of positions) if (a.s <= p && p < a.e ? !in0 : in0) return true;
    }
    return false;
  }
  // The arms holding a position are its innermost one and that one's ancestors.
  const index = indexOf(arms);
  const first = innermost(index, positions[0]);
  for (const p of positions) if (innermost(index, p) !== first) return true;
  return false;
}

/** Whether two positions sit in different arms of one conditional. */
export function exclusive(arms: Arm[], a: number, b: number): boolean {
  const aa = armsAt(arms, a);
  for (const x of armsAt(arms, b)) if (aa.some((y) => y.cid === x.cid && y.arm !== x.arm)) return true;
  return false;
}
