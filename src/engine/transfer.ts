// The ArrayBuffers inside a result, for postMessage transferList (each listed once).
export function collectBuffers(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) v.forEach(walk);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return [...out];
}
