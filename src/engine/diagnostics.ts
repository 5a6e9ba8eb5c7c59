// σ_max and spectral radius of the recurrent kernel, whole and per gate block (RNN-SEMANTICS §4.4).
// They depend on U only and cost more than a small trace (ρ is O(H³) per block), so results are
// cached by U's *content* (two 32-bit hashes of its bytes, not its identity): tracing again with
// the same weights is free, and weights changed in place can never return stale numbers.
import type { RecurrentStats, TraceSpec, Weights } from '../spec';
import { blockNames } from './layout';
import { columnBlock, sigmaMax, spectralRadius } from './linalg';
import { lruCache } from './lru';

export function recurrentStats(spec: Pick<TraceSpec, 'cell' | 'units'>, w: Weights): RecurrentStats {
  const H = spec.units;
  const U = w.recurrentKernel;
  const GH = U.length / H;
  const blocks = blockNames(spec.cell).map((name, g) => {
    const B = columnBlock(U, H, GH, g * H, H);
    return { name, sigmaMax: sigmaMax(B, H, H), spectralRadius: spectralRadius(B, H) };
  });
  return {
    sigmaMax: GH === H ? blocks[0].sigmaMax : sigmaMax(U, H, GH),
    spectralRadius: Math.max(...blocks.map((b) => b.spectralRadius)),
    blocks,
  };
}

const statsCache = lruCache<RecurrentStats>(16);

function contentKey(cell: string, H: number, a: Float64Array): string {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < u.length; i++) {
    const x = u[i];
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ Math.imul(x, 0x5bd1e995), 0x1b873593) ^ (h2 >>> 13);
  }
  return `${cell}:${H}:${a.length}:${h1 >>> 0}:${h2 >>> 0}`;
}

/** recurrentStats, memoized on the recurrent kernel's content (small LRU). Returns a fresh copy. */
export function cachedRecurrentStats(spec: Pick<TraceSpec, 'cell' | 'units'>, w: Weights): RecurrentStats {
  const st = statsCache(contentKey(spec.cell, spec.units, w.recurrentKernel), () => recurrentStats(spec, w));
  return { ...st, blocks: st.blocks.map((b) => ({ ...b })) };
}
