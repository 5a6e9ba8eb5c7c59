// The one error a model reader throws: a file we cannot (or will not) read. The message is one line
// that names the problem, so the CLI and the extension can show it as is; `kind` lets callers react.

export type ModelErrorKind =
  | 'not-a-model' // not one of the formats we read
  | 'corrupt' // a known format, but damaged (truncated, bad offsets, CRC mismatch)
  | 'missing-file' // a companion file (shard, architecture .json) is absent
  | 'no-recurrent-layer' // a model, but nothing to unroll
  | 'unsupported' // a model we recognise but do not handle (layer type, format variant)
  | 'unsafe-pickle'; // a pickle that asks for something other than tensors and containers

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
  ) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'ModelError';
  }
}

/** Whatever a parser threw on untrusted bytes (jsfive throws strings, RangeErrors, TypeErrors) → one corrupt-file message. */
export function asModelError(what: string, e: unknown): ModelError {
  if (e instanceof ModelError) return e;
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : 'unreadable structure';
  return new ModelError('corrupt', `${what} is damaged or truncated (${oneLine(detail)})`);
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 120 ? t.slice(0, 117) + '…' : t;
}
