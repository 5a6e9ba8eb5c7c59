// A small least-recently-used cache for the worker's repeated work (initial weights, recurrent
// diagnostics): a user clicking back and forth between a few layers asks for the same numbers.

/** `get(key, compute)`: the cached value for `key`, or `compute()`'s, keeping the `size` most recently used. */
export function lruCache<V>(size: number): (key: string, compute: () => V) => V {
  const cache = new Map<string, V>();
  return (key, compute) => {
    let v = cache.get(key);
    if (v !== undefined) {
      cache.delete(key); // re-inserted below: most recently used last
    } else {
      v = compute();
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(key, v);
    return v;
  };
}
